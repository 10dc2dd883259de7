"""OpenAPI by the conventions client generators expect (issue 27, point 3): an operationId for
every operation, the data licence in `info.license`, `record` typed per kind and one schema per
announcement action, all from the models; every real API file still valid (test_openapi.py)."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

from generator.domain.kinds import RECORD_KINDS
from generator.domain.models import Action, License
from generator.outputs.openapi import openapi, response_schemas

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _operations(spec: dict) -> list[dict]:
    return [op for item in spec["paths"].values() for m, op in item.items() if m in METHODS]


def test_every_operation_has_a_stable_camel_case_id(sample_site: Path) -> None:
    spec = json.loads((sample_site / "api/openapi.json").read_text("utf-8"))
    validate(spec)
    ids = [op.get("operationId") for op in _operations(spec)]
    assert ids and all(
        isinstance(i, str) and re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids
    )
    assert len(set(ids)) == len(ids)
    assert spec["paths"]["/api/records/{id}.json"]["get"]["operationId"] == "getRecord"


def test_info_license_is_the_data_licence(sample_site: Path) -> None:
    spec = json.loads((sample_site / "api/openapi.json").read_text("utf-8"))
    config = yaml.safe_load((ROOT / "data" / "registry.yaml").read_text("utf-8"))["license"]
    assert spec["info"]["license"] == {"name": config["name"], "identifier": config["id"]}
    # no SPDX id: the URL instead (OpenAPI 3.1 allows one of the two, never both)
    lic = License(name="某许可", url="https://example.org/licence")
    alone = json.loads(json.dumps(openapi(None, lic)))
    validate(alone)
    assert alone["info"]["license"] == {"name": "某许可", "url": "https://example.org/licence"}


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = response_schemas()[name]
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _record_file(site: Path, kind: str) -> dict:
    for path in sorted((site / "api/records").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if data["kind"] == kind:
            return data
    raise AssertionError(f"no {kind} record in the sample")


@pytest.mark.parametrize("kind", RECORD_KINDS)
def test_record_is_typed_by_its_kind(sample_site: Path, kind: str) -> None:
    validator = _validator("record.schema.json")
    data = _record_file(sample_site, kind)
    validator.validate(data)
    data["record"]["no_such_field"] = "x"  # not a field of the model
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)
    del data["record"]["no_such_field"]
    data["record"]["id"] = 1  # a number where the model has a string
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_one_schema_per_action(sample_site: Path) -> None:
    schema = response_schemas()["announcements.schema.json"]
    items = schema["properties"]["announcements"]["items"]["properties"]["actions"]["items"]
    members = typing.get_args(typing.get_args(Action)[0])
    consts = [branch["properties"]["action"]["const"] for branch in items["oneOf"]]
    assert len(consts) == len(members) == len(set(consts))
    validator = _validator("announcements.schema.json")
    data = json.loads((sample_site / "api/announcements.json").read_text("utf-8"))
    validator.validate(data)
    approve = next(
        act for a in data["announcements"] for act in a["actions"] if act["action"] == "approve"
    )
    del approve["institutions"]  # an approval names its institutions (规范 第二十条)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)
