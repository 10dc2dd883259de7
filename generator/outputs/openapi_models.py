"""The API schemas of what the API copies from the YAML: a record's own fields (`record` of
`api/records/<id>.json`, per kind) and an announcement's actions (one schema per action of the
`Action` union). Made from the pydantic models (`model_json_schema`), so that a field added to a
model reaches the API description; the tests validate every real file against them.

The models' schemas refer to their parts through `$defs`; an API schema file stands alone and is
also copied into the OpenAPI document's components, where `#/$defs/…` would point nowhere, so
every reference is written out in place (the models have no recursive parts).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from generator.domain.kinds import spec
from generator.domain.models import Announcement

_REF = "#/$defs/"


def inline(node: Any, defs: dict[str, Any]) -> Any:
    """`node` with each `$ref` into `defs` replaced by its definition; pydantic's `discriminator`
    (an OpenAPI keyword whose mapping names the `$defs`) is dropped: `action` tells them apart."""
    if isinstance(node, list):
        return [inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF):
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return {**inline(defs[ref.removeprefix(_REF)], defs), **inline(rest, defs)}
    return {k: inline(v, defs) for k, v in node.items() if k != "discriminator"}


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of what `model_dump(mode="json")` writes, without `$defs`."""
    schema = model.model_json_schema(mode="serialization")
    defs = schema.pop("$defs", {})
    return inline(schema, defs)


def record_fields(kind: str) -> dict[str, Any]:
    """`record` of a record file of `kind`: the YAML fields as published on the as-of date."""
    schema = model_schema(spec(kind).model)
    schema["description"] = (
        "YAML 记录的全部字段（截至 as_of 已公示的），结构同数据文件的 JSON Schema"
    )
    return schema


def action_items() -> dict[str, Any]:
    """An item of an announcement's `actions`: one schema per action, told apart by `action`."""
    actions = model_schema(Announcement)["properties"]["actions"]["items"]
    return {**actions, "description": "公告行为：每种行为一个结构，以 action 区分"}
