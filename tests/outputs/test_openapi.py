"""The API description and schemas match the real output of the sample build."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

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
    _validator(site, "records.schema.json").validate(_load(site / "api/records.json"))
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
