"""Sync (issue 17): `modified`, `published` and the changes index let a mirror fetch only what
changed. The round trip: apply the new build's change listing to the old build's record files and
get the new build's record files (apart from the envelope and the citation, which carry the data
version and change with every build)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sitekit import build_sample

from generator.outputs.sync import VOLATILE

OLD = date(2026, 11, 23)  # the sample_site fixture
NEW = date(2027, 6, 1)  # two embargoed announcements published, a 限定期 and an emergency use ended


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sync") / "site", as_of=NEW)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _records(site: Path) -> dict[str, dict]:
    return {p.stem: _json(p) for p in (site / "api/records").glob("*.json")}


def _stable(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in VOLATILE}


def _sha(record: dict) -> str:
    # as documented on the API page: sorted keys, compact separators, a final newline
    text = json.dumps(_stable(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((text + "\n").encode()).hexdigest()


def _fetch(site: Path, url: str) -> dict:
    return _json(site / url.lstrip("/"))


def _content(record: dict) -> dict:
    """A record file without what git's history adds to it (`revisions`, `modified`)."""
    return {k: v for k, v in _stable(record).items() if k not in ("revisions", "modified")}


def test_round_trip_by_hash(sample_site: Path, new_site: Path) -> None:
    mirror = _records(sample_site)
    mirror_old = dict(mirror)
    index = _json(new_site / "api/changes/index.json")
    fetched = []
    for row in index["records"]:
        if row["id"] not in mirror or _sha(mirror[row["id"]]) != row["sha256"]:
            mirror[row["id"]] = _fetch(new_site, row["url"])
            fetched.append(row["id"])
    new = _records(new_site)
    assert set(mirror) == set(new)
    assert all(_stable(mirror[rid]) == _stable(new[rid]) for rid in new)
    # only what changed was fetched: GL-0016 is new, BMT-2026-002 opened, GL-0015's emergency
    # use ended, BMT-2026-001 and -003 got conditions versions; banned records did not change
    assert {"GL-0016", "BMT-2026-002", "GL-0015", "BMT-2026-001", "BMT-2026-003"} <= set(fetched)
    # The sample's commits are dated after OLD: a build as of OLD dates them on OLD, never later
    # (issue 23), so their revisions differ from NEW's; apart from the history, BAN-0001 did not
    changed = [
        rid
        for rid in fetched
        if rid not in mirror_old or _content(mirror_old[rid]) != _content(new[rid])
    ]
    assert "BAN-0001" not in changed and len(changed) < len(new)


def test_round_trip_by_date(sample_site: Path, new_site: Path) -> None:
    mirror = _records(sample_site)
    index = _json(new_site / "api/changes/index.json")
    wanted: set[str] = set()
    for day in index["dates"]:
        if day["date"] > OLD.isoformat():
            wanted |= {r["id"] for r in _fetch(new_site, day["url"])["records"]}
    for rid in sorted(wanted):
        mirror[rid] = _fetch(new_site, f"/api/records/{rid}.json")
    new = _records(new_site)
    assert set(mirror) == set(new)
    assert [rid for rid in new if _stable(mirror[rid]) != _stable(new[rid])] == []


def test_modified_and_published(sample_site: Path, new_site: Path) -> None:
    old = _records(sample_site)
    assert old["BMT-2026-001"]["published"] == "2026-06-15"
    assert old["GL-0015"]["published"] == "2026-05-15"
    new = _records(new_site)
    # the status changed by the passing of time: 限定期 to 2027-05-20, open from 2027-05-21
    assert new["BMT-2026-002"]["modified"] >= "2027-05-21" > old["BMT-2026-002"]["modified"]
    for rid, record in new.items():
        assert record["published"] <= record["modified"], rid
        assert record["modified"] == max(
            [record["modified"], *(e["date"] for e in record["timeline"])]
        ), rid
    index = {r["id"]: r for r in _json(new_site / "api/changes/index.json")["records"]}
    assert all(index[rid]["modified"] == new[rid]["modified"] for rid in new)
    assert all(index[rid]["sha256"] == _sha(new[rid]) for rid in new)


def test_daily_files_are_byte_stable_across_builds(sample_site: Path, new_site: Path) -> None:
    old_days = {p.name: p.read_bytes() for p in (sample_site / "api/changes").glob("2*.json")}
    new_days = {p.name: p.read_bytes() for p in (new_site / "api/changes").glob("2*.json")}
    shared = [n for n in old_days if n < OLD.isoformat() + ".json"]
    assert len(shared) > 5
    for name in shared:  # a day in the past lists the same changes, whatever the as-of date
        assert old_days[name] == new_days[name], name
    day = _json(sample_site / "api/changes/2026-08-20.json")
    assert set(day) == {"schema_version", "license", "terms", "date", "records"}
    assert {r["id"] for r in day["records"]} >= {"BMT-2026-004", "BMT-2026-005", "BMT-2026-006"}


def test_change_files_match_their_schemas(sample_site: Path) -> None:
    import jsonschema

    def validator(name: str) -> jsonschema.Draft202012Validator:
        schema = _json(sample_site / "api/schemas" / name)
        return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    validator("changes-index.schema.json").validate(_json(sample_site / "api/changes/index.json"))
    day = validator("changes-day.schema.json")
    files = sorted((sample_site / "api/changes").glob("2*.json"))
    assert files
    for path in files:
        day.validate(_json(path))
