"""The building blocks of the API's JSON Schemas, shared by openapi.py, openapi_dated.py and
openapi_research.py (which import this module, never each other in a circle). The enums are views
of the kind spec (domain/kinds.py): a status or action added to a kind reaches the schemas."""

from __future__ import annotations

from typing import Any

from generator.domain.kinds import ACTION_KINDS, ANNOUNCEMENT, SPECS
from generator.domain.vocabulary import RESEARCH_EVENT_LABELS
from generator.outputs.api import SCHEMA_VERSION

DATE = {"type": "string", "format": "date"}
TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
ANNOUNCEMENT_ID = {"type": "string", "pattern": ANNOUNCEMENT.ids.regex}
# every status of every kind, in the spec's order (research projects' included)
STATUS = {"type": "string", "enum": list(dict.fromkeys(c for s in SPECS for c in s.statuses))}
# the actions of announcements, and what a research project's institutions report
ACTIONS = list(ACTION_KINDS)
REPORTED = list(RESEARCH_EVENT_LABELS)

ENVELOPE: dict[str, Any] = {
    "schema_version": {"type": "string", "const": SCHEMA_VERSION, "description": "API 结构版本"},
    "data_version": {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}\+([0-9a-f]{7,}|nogit)$",
        "description": "数据版本：公示日期 + 数据仓库提交号（无 git 时为 nogit）",
    },
    "generated_at": {"type": "string", "format": "date-time", "description": "生成时间（带时区）"},
    "as_of": {**DATE, "description": "状态计算日期；晚于该日的公告未公示"},
    "license": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": TEXT, "id": TEXT, "url": {"type": "string", "format": "uri"}},
        "additionalProperties": False,
        "description": "数据许可（data/registry.yaml 的 license）",
    },
    "terms": {**TEXT, "description": "使用条款（data/registry.yaml 的 terms）"},
}
REASON: dict[str, Any] = {
    "type": "object",
    "required": ["ground", "ground_label"],
    "properties": {
        "ground": {**TEXT, "description": "理由：调出、暂停为代码，禁止为公告原文"},
        "ground_label": {**TEXT, "description": "理由的中文说明"},
        "route": {"enum": ["direct", "after_review"]},
        "route_label": {**TEXT, "description": "调出途径的中文名称"},
        "note": TEXT,
    },
    "additionalProperties": False,
}


def response(title: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """The JSON Schema of one kind of API file: the envelope plus its own properties."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "required": [*ENVELOPE, *required],
        "properties": {**ENVELOPE, **properties},
    }
