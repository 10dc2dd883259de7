"""The JSON Schemas of a filed clinical research project (临床研究备案项目, 界定指导原则 二) in the
API: its summary in `api/records.json` and its file `api/records/<id>.json`. A project is a filing
by institutions, named by no announcement: its `timeline` holds what they reported (announcement
null) and the delisting of its entry that changed its status (with that announcement and
`derived_from`, the entry); its `events` only those reported by the as-of date.
"""

from __future__ import annotations

from typing import Any

from generator.domain.kinds import GUIDANCE, RESEARCH
from generator.outputs.api_types import ANNOUNCEMENT_ID, DATE, REPORTED, TEXT, TEXTS

ID = {"type": "string", "pattern": RESEARCH.ids.regex}
GUIDANCE_ID = {"type": "string", "pattern": GUIDANCE.ids.regex}

EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["date", "event", "event_label"],
    "properties": {
        "date": DATE,
        "event": {"enum": [e for e in REPORTED if e != "filed"]},
        "event_label": {**TEXT, "description": "事件的中文名称"},
        "note": TEXT,
    },
    "additionalProperties": False,
    "description": "备案机构报告的事件（研究结束、终止研究、经重新伦理审查继续实施），截至 as_of",
}

SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "kind",
        "name",
        "aliases",
        "category",
        "category_name",
        "status",
        "status_label",
        "status_since",
        "status_basis",
        "url",
        "sample",
        "guidance_entry",
        "sponsor",
        "institutions",
        "filed",
        "filing_no",
        "events",
    ],
    "properties": {
        "id": ID,
        "kind": {"type": "string", "const": RESEARCH.kind},
        "name": {**TEXT, "description": "项目名称（YAML 的 title）"},
        "aliases": {"type": "array", "maxItems": 0, "description": "研究项目没有别名：始终为空"},
        "category": {**TEXT, "description": "所依据清单条目的分类"},
        "category_name": TEXT,
        "status": {"type": "string", "enum": list(RESEARCH.statuses)},
        "status_label": TEXT,
        "status_since": DATE,
        "status_basis": {**TEXT, "description": "法律依据（条款），或备案机构的报告"},
        "url": {"type": "string", "pattern": f"^/{RESEARCH.folder}/"},
        "sample": {"type": "boolean", "description": "示例数据：不是真实的备案"},
        "guidance_entry": {**GUIDANCE_ID, "description": "备案所依据的备案指导清单条目"},
        "sponsor": {**TEXT, "description": "临床研究发起机构"},
        "institutions": {**TEXTS, "minItems": 1, "description": "临床研究机构"},
        "filed": {**DATE, "description": "备案日期（自该日公示）"},
        "filing_no": {"type": ["string", "null"], "description": "备案编号；没有时为 null"},
        "events": {"type": "array", "items": EVENT},
    },
    "additionalProperties": False,
}

TIMELINE_ENTRY: dict[str, Any] = {
    "type": "object",
    "required": ["date", "action", "announcement"],
    "properties": {
        "date": DATE,
        "action": {"enum": [*REPORTED, "delist"]},
        "announcement": {
            "oneOf": [ANNOUNCEMENT_ID, {"type": "null"}],
            "description": "备案机构报告的事件为 null；清单条目的调出为调出公告",
        },
        "note": TEXT,
        "derived_from": {**GUIDANCE_ID, "description": "被调出的清单条目（本项目所依据的条目）"},
        "route": {"enum": ["direct", "after_review"]},
        "route_label": TEXT,
        "ground": TEXT,
        "ground_label": TEXT,
    },
    "additionalProperties": False,
}


def detail(
    envelope: dict[str, Any], common: dict[str, Any], common_required: list[str]
) -> dict[str, Any]:
    """`api/records/<id>.json` of a project: envelope, summary, and what every record file has
    (`common`: record, revisions, status on any date, sync, citation)."""
    props = {
        **envelope,
        **SUMMARY["properties"],
        **common,
        "timeline": {"type": "array", "items": TIMELINE_ENTRY},
    }
    return {
        "type": "object",
        "title": "临床研究备案项目",
        "required": [*envelope, *SUMMARY["required"], *common_required, "timeline"],
        "properties": props,
        "additionalProperties": False,
    }
