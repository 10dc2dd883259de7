"""The API description and schemas match the real output of the sample build."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from openapi_spec_validator import validate
from research_kit import (
    COMPLETED,
    EMBARGOED,
    EMBARGOED_TITLE,
    ETHICS,
    LATE_NOTE,
    TERMINATED,
    TERMINATION_NOTE,
    research_site,
)

from generator.domain.kinds import RESEARCH
from generator.outputs.api import api_files
from generator.outputs.openapi import openapi, response_schemas

ETHICS_TITLE = "自体CAR-T细胞治疗复发难治淋巴瘤的多中心临床研究"

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(sample_site: Path) -> Path:
    return sample_site


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_openapi_document_is_valid(site: Path) -> None:
    spec = _load(site / "api/openapi.json")
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def _validator(site: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = _load(site / "api/schemas" / name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_every_api_file_matches_its_schema(site: Path) -> None:
    records = _load(site / "api/records.json")
    _validator(site, "records.schema.json").validate(records)
    # the sample shows every kind, research projects in every status included
    statuses = {r["status"] for r in records["records"] if r["kind"] == "research"}
    assert statuses == set(RESEARCH.statuses)
    _validator(site, "announcements.schema.json").validate(_load(site / "api/announcements.json"))
    _validator(site, "check-index.schema.json").validate(_load(site / "api/check-index.json"))
    record = _validator(site, "record.schema.json")
    files = sorted((site / "api/records").glob("*.json"))
    assert files
    for path in files:
        record.validate(_load(path))


def test_every_json_under_api_carries_the_envelope(site: Path) -> None:
    # every JSON file under api/ except the descriptions themselves (openapi.json, schemas/)
    for path in [*site.glob("api/*.json"), *(site / "api/records").glob("*.json")]:
        if path.name == "openapi.json":
            continue
        data = _load(path)
        assert data["schema_version"] == "1.4"
        assert data["data_version"].startswith("2026-11-23+")
        assert data["generated_at"] == "2026-01-01T08:00:00+08:00"  # SOURCE_DATE_EPOCH 1767225600


def test_a_schema_rejects_a_broken_file(site: Path) -> None:
    data = _load(site / "api/records.json")
    data["records"][0]["status"] = "approved"  # not a status code
    with pytest.raises(jsonschema.ValidationError):
        _validator(site, "records.schema.json").validate(data)


# --- research projects (临床研究备案项目): a scenario registry until the sample has some -------------


@pytest.fixture
def research(tmp_path: Path, kit: SimpleNamespace) -> dict[str, dict]:
    """The scenario's API files (path → parsed JSON)."""
    site = research_site(tmp_path / "data", kit)
    return {path: json.loads(raw) for path, raw in api_files(site) if path.endswith(".json")}


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = response_schemas()[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_research_api_files_match_their_schemas(research: dict[str, dict]) -> None:
    validate(json.loads(json.dumps(openapi("https://registry.example.org/"))))
    _schema("records.schema.json").validate(research["api/records.json"])
    record = _schema("record.schema.json")
    details = [p for p in research if p.startswith("api/records/")]
    assert {f"api/records/{rid}.json" for rid in (ETHICS, TERMINATED, COMPLETED)} <= set(details)
    for path in details:
        record.validate(research[path])
    _schema("changes-index.schema.json").validate(research["api/changes/index.json"])
    day = _schema("changes-day.schema.json")
    for path in research:
        if path.startswith("api/changes/2"):
            day.validate(research[path])
    assert all(data["schema_version"] == "1.4" for data in research.values())


def test_a_research_summary_has_the_filing_and_its_published_events(
    research: dict[str, dict],
) -> None:
    summaries = {r["id"]: r for r in research["api/records.json"]["records"]}
    assert EMBARGOED not in summaries
    ethics = summaries[ETHICS]
    assert ethics["kind"] == "research" and ethics["name"] == ETHICS_TITLE
    assert (ethics["guidance_entry"], ethics["filed"], ethics["filing_no"]) == (
        "GL-0001",
        "2026-02-01",
        "备案-2026-0001",
    )
    assert ethics["institutions"] == ["某某医院", "某某大学附属医院"]
    assert ethics["sponsor"] == f"{ETHICS_TITLE}发起医院"
    assert ethics["events"] == [
        {"date": "2026-07-01", "event": "ethics_continued", "event_label": "经重新伦理审查继续实施"}
    ]  # the completion reported after the as-of date is not published
    assert (ethics["status"], ethics["status_since"]) == ("ongoing", "2026-07-01")
    assert "二（二）2（2）" in ethics["status_basis"]
    assert summaries[TERMINATED]["filing_no"] is None
    assert summaries[TERMINATED]["events"][0]["note"] == TERMINATION_NOTE
    assert summaries[TERMINATED]["status"] == "terminated"


def test_a_research_file_says_what_was_reported_and_what_was_derived(
    research: dict[str, dict],
) -> None:
    detail = research[f"api/records/{TERMINATED}.json"]
    assert [
        (c["date"], c["cause"], c["status"], c["announcement"]) for c in detail["status_changes"]
    ] == [
        ("2026-03-01", "report", "ongoing", None),
        ("2026-08-01", "derived", "terminate_required", "ANN-2026-005"),
        ("2026-09-01", "report", "terminated", None),
    ]
    assert [(e["action"], e["announcement"]) for e in detail["timeline"]] == [
        ("filed", None),
        ("delist", "ANN-2026-005"),
        ("terminated", None),
    ]
    assert detail["timeline"][1]["derived_from"] == "GL-0002"
    assert detail["published"] == "2026-03-01"
    ethics = research[f"api/records/{ETHICS}.json"]
    assert [e["event"] for e in ethics["record"]["events"]] == ["ethics_continued"]
    assert LATE_NOTE not in json.dumps(research, ensure_ascii=False)
    assert EMBARGOED_TITLE not in json.dumps(research, ensure_ascii=False)


def test_the_schemas_tell_the_kinds_apart(research: dict[str, dict]) -> None:
    records = _schema("records.schema.json")
    data = research["api/records.json"]
    research_row = next(r for r in data["records"] if r["kind"] == "research")
    for broken in (
        {**research_row, "risk_grade": "high"},  # an approved record's key
        {**research_row, "status": "restricted"},  # an approved record's status
        {**research_row, "filing_no": 7},
        {k: v for k, v in research_row.items() if k != "sponsor"},
        {**research_row, "aliases": ["别名"]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            records.validate({**data, "records": [broken]})
    approved = next(r for r in data["records"] if r["kind"] == "approved")
    with pytest.raises(jsonschema.ValidationError):
        records.validate({**data, "records": [{**approved, "status": "ongoing"}]})
    detail = research[f"api/records/{ETHICS}.json"]
    record = _schema("record.schema.json")
    for change in ({"announcement": ""}, {"cause": "reported"}):
        changes = [{**detail["status_changes"][0], **change}]
        with pytest.raises(jsonschema.ValidationError):
            record.validate({**detail, "status_changes": changes})
