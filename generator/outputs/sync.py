"""Sync: what a mirror needs to fetch only the records that changed.

Every record file says when it was `published` (the date of the first published announcement that
names it; a filed research project's `filed` date, the first event of its timeline) and
`modified`: the last day on which anything in it changed, apart from the envelope and the
citation, which carry the data version and change with every build. Its content changes on the
days of

- the announcements that name it (legal acts, 法律时间线), including new conditions versions; for
  a research project, its filing and the events its institutions reported, and the delisting of
  its entry that changed its status;
- its status intervals that have begun (status/intervals.py): the passing of time changes the
  status too (the day after the 限定期, the day after an emergency use);
- the effective dates of its conditions versions that have come (upcoming → in force);
- its revisions (edits in git, `load/revisions.py`), by commit date in Beijing time; without
  git history only the dates above count.

`api/changes/index.json` lists every published record with `modified`, `published` and `sha256`,
the SHA-256 of its file without the envelope and the citation, so that a mirror can compare
hashes and fetch exactly the files that differ, and lists the dates on which anything changed.
`api/changes/<date>.json` lists the records that changed on that date. Those daily files depend
only on the data: their envelope has no as-of date, data version or build time, so they stay
byte-identical from build to build (a web server's ETag stays the same; mirrors get 304s).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from generator.domain.dates import SHANGHAI
from generator.publish.terms import terms_fields
from generator.publish.views import RecordView, Site

INDEX = "api/changes/index.json"
# keys of a record file that change with every build, not with the record (see `content_hash`)
VOLATILE = frozenset(
    {"schema_version", "data_version", "generated_at", "as_of", "license", "terms", "citation"}
)


def day_file(day: date) -> str:
    return f"api/changes/{day.isoformat()}.json"


def record_api(rid: str) -> str:
    return f"/api/records/{rid}.json"


def change_dates(r: RecordView, as_of: date, revisions: dict[str, Any] | None) -> list[date]:
    """Every day on which the record's file changed (see the module docstring)."""
    days = {ev.date for ev in r.timeline}
    days |= {iv.start for iv in r.intervals if iv.start <= as_of}
    for vv in r.conditions_versions:
        days.add(vv.version.announced_on)
        if vv.version.effective <= as_of:
            days.add(vv.version.effective)
    for rev in (revisions or {}).get("revisions", []):
        days.add(datetime.fromisoformat(rev["date"]).astimezone(SHANGHAI).date())
    return sorted(days)


def sync_fields(r: RecordView, days: list[date]) -> dict[str, str | None]:
    """`published` and `modified` of one record file."""
    first = min((ev.date for ev in r.timeline), default=None)
    return {
        "published": first.isoformat() if first else None,
        "modified": days[-1].isoformat() if days else None,
    }


def content_hash(detail: dict[str, Any], dumps: Any) -> str:
    """SHA-256 of a record file without the keys that change with every build (VOLATILE)."""
    stable = {k: v for k, v in detail.items() if k not in VOLATILE}
    return hashlib.sha256(dumps(stable)).hexdigest()


class ChangeIndex:
    """Collects each record's hash and change dates while the record files are written."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.rows: list[dict[str, Any]] = []
        self.by_day: dict[date, list[dict[str, str]]] = defaultdict(list)

    def add(self, r: RecordView, detail: dict[str, Any], days: list[date], dumps: Any) -> None:
        self.rows.append(
            {
                "id": r.id,
                "kind": r.kind,
                "published": detail.get("published"),
                "modified": detail.get("modified"),
                "sha256": content_hash(detail, dumps),
                "url": record_api(r.id),
            }
        )
        for day in days:
            self.by_day[day].append({"id": r.id, "kind": r.kind, "url": record_api(r.id)})

    def files(self, envelope: Any, dumps: Any, schema_version: str) -> Iterator[tuple[str, bytes]]:
        """The index (with the usual envelope) and one stable file per date."""
        days = sorted(self.by_day)
        listing = [
            {"date": d.isoformat(), "count": len(self.by_day[d]), "url": "/" + day_file(d)}
            for d in days
        ]
        yield INDEX, dumps(envelope(self.site, {"records": self.rows, "dates": listing}))
        stable = {"schema_version": schema_version, **terms_fields(self.site)}
        for d in days:
            body = {**stable, "date": d.isoformat(), "records": self.by_day[d]}
            yield day_file(d), dumps(body)
