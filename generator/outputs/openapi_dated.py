"""The dated parts of the OpenAPI description: the status on any date
(`status_intervals`, `next_change`), sync (`published`, `modified`, `api/changes/`), the citation,
the iCalendar feeds and the 公告原件 (`attachments`). Kept apart from openapi.py, which includes
them; the tests validate every real file of the sample build against these schemas too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.domain.kinds import RECORD_KINDS
from generator.outputs.api_types import (
    ANNOUNCEMENT_ID,
    DATE,
    ENVELOPE,
    REASON,
    STATUS,
    TEXT,
    response,
)

INTERVAL: dict[str, Any] = {
    "type": "object",
    "description": "一段状态不变的期间（按公告推算；起于数据截至日之后的为预定变化）",
    "required": ["from", "to", "status", "status_label", "basis", "announcement", "sentence"],
    "properties": {
        "from": {**DATE, "description": "起始日（含）"},
        "to": {
            "type": ["string", "null"],
            "format": "date",
            "description": "最后一日（含）；null 为尚无终止",
        },
        "status": STATUS,
        "status_label": TEXT,
        "basis": {**TEXT, "description": "法律依据（条款）"},
        "announcement": {
            "type": ["string", "null"],
            "description": "依据的公告；期满等时间经过为 null",
        },
        "announcement_number": {"type": ["string", "null"]},
        "reason": {"oneOf": [REASON, {"type": "null"}]},
        "emergency_use": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["scope", "until", "announcement"],
                    "properties": {"scope": TEXT, "until": DATE, "announcement": TEXT},
                    "additionalProperties": False,
                },
                {"type": "null"},
            ]
        },
        "sentence": {**TEXT, "description": "该期间状态的完整说明（中文，含依据）"},
    },
    "additionalProperties": False,
}
STATUS_CHANGE: dict[str, Any] = {
    "type": "object",
    "required": ["date", "status", "status_label", "cause", "announcement", "basis"],
    "properties": {
        "date": DATE,
        "status": STATUS,
        "status_label": TEXT,
        "cause": {
            "type": "string",
            "enum": ["act", "derived", "time", "report"],
            "description": "act：公告行为点名本记录；derived：公告未点名、依法随之发生（直接调出来源条目；"
            "临床研究备案项目所依据的清单条目被调出）；time：没有公告，随期限届满发生（限定期、紧急应用期限）；"
            "report：临床研究备案项目的备案机构报告（备案、研究结束、终止研究、经重新伦理审查继续实施）",
        },
        "announcement": {
            "oneOf": [ANNOUNCEMENT_ID, {"type": "null"}],
            "description": "作出（act）或引起（derived）变化的公告；time 和 report 为 null",
        },
        "basis": TEXT,
    },
    "additionalProperties": False,
}
NEXT_CHANGE: dict[str, Any] = {
    "oneOf": [
        {
            "type": "object",
            "required": ["date", "status", "status_label", "sentence"],
            "properties": {"date": DATE, "status": STATUS, "status_label": TEXT, "sentence": TEXT},
            "additionalProperties": False,
        },
        {"type": "null"},
    ],
    "description": "下一次预定的状态变化（如限定期届满后开放、紧急应用期满）；没有时为 null",
}
ATTACHMENT: dict[str, Any] = {
    "type": "object",
    "required": ["file", "size", "sha256", "url"],
    "properties": {
        "file": TEXT,
        "title": TEXT,
        "size": {"type": "integer", "minimum": 1, "description": "字节数"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "url": {"type": "string", "pattern": "^/announcements/", "description": "公告原件的地址"},
    },
    "additionalProperties": False,
}


def record_properties() -> dict[str, Any]:
    """What `api/records/<id>.json` adds (all of them required)."""
    return {
        "status_intervals": {"type": "array", "items": INTERVAL, "description": "任一日期的状态"},
        "status_changes": {
            "type": "array",
            "items": STATUS_CHANGE,
            "description": "每一次状态变化（公告行为、公告未点名的后果、期限届满），含预定的变化",
        },
        "next_change": NEXT_CHANGE,
        "published": {
            **DATE,
            "description": "首次公示的日期：第一份涉及本记录的公告的日期；临床研究备案项目为备案日期",
        },
        "modified": {**DATE, "description": "本文件内容（信封和引用除外）最后变化的日期"},
        "citation": {**TEXT, "description": "引用格式：发布机关 库名, 编号, 数据版本, 访问于 日期"},
    }


def _day_schema() -> dict[str, Any]:
    """api/changes/<date>.json: a stable envelope (no as-of, data version or build time)."""
    ref = {"type": "string", "pattern": "^/api/records/"}
    kind = {"type": "string", "enum": list(RECORD_KINDS)}
    day = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "当日变化的记录 api/changes/{date}.json（不含 as_of 等随构建变化的字段）",
        "type": "object",
        "required": ["schema_version", "license", "terms", "date", "records"],
        "properties": {
            "schema_version": ENVELOPE["schema_version"],
            "license": ENVELOPE["license"],
            "terms": ENVELOPE["terms"],
            "date": DATE,
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "url"],
                    "properties": {"id": TEXT, "kind": kind, "url": ref},
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
    return day


def changes_schemas() -> dict[str, dict[str, Any]]:
    """api/changes/index.json and api/changes/<date>.json (outputs/sync.py)."""
    ref = {"type": "string", "pattern": "^/api/records/"}
    kind = {"type": "string", "enum": list(RECORD_KINDS)}
    index = response(
        "变更索引 api/changes/index.json",
        {
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "published", "modified", "sha256", "url"],
                    "properties": {
                        "id": TEXT,
                        "kind": kind,
                        "published": DATE,
                        "modified": DATE,
                        "sha256": {
                            "type": "string",
                            "pattern": "^[0-9a-f]{64}$",
                            "description": "记录文件去掉信封和 citation 后的 SHA-256",
                        },
                        "url": ref,
                    },
                    "additionalProperties": False,
                },
            },
            "dates": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "count", "url"],
                    "properties": {"date": DATE, "count": {"type": "integer"}, "url": TEXT},
                },
            },
        },
        ["records", "dates"],
    )
    return {"changes-index.schema.json": index, "changes-day.schema.json": _day_schema()}


def _calendar(summary: str, param: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "description": "全天事件（VALUE=DATE）：限定期届满、紧急应用期满、新版技术条件施行；UID 稳定",
        "responses": {
            "200": {
                "description": "iCalendar（RFC 5545）",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        },
    }
    if param:
        op["parameters"] = [param]
    return {"get": op}


def paths(get: Callable[..., dict[str, Any]], id_param: dict[str, Any]) -> dict[str, Any]:
    """The added paths of the OpenAPI document; `get` makes a JSON operation (openapi.py)."""
    date_param = {
        "name": "date",
        "in": "path",
        "required": True,
        "description": "日期，例如 2026-11-20；可用的日期见 api/changes/index.json 的 dates",
        "schema": DATE,
    }
    return {
        "/api/changes/index.json": get(
            "变更索引：每条记录的 modified、published 和内容 SHA-256，供镜像只取变化的记录",
            "changes-index",
        ),
        "/api/changes/{date}.json": get(
            "当日变化的记录（逐次构建不变，便于 ETag 缓存）", "changes-day", [date_param]
        ),
        "/feeds/calendar.ics": _calendar("全库即将到来的状态变化（iCalendar）"),
        "/feeds/records/{id}.ics": _calendar("单条记录即将到来的状态变化（iCalendar）", id_param),
        "/announcements/{announcement}/{file}": {
            "get": {
                "summary": "公告原件（PDF 或 OFD）；大小和 SHA-256 见 announcements.json 的 attachments",
                "parameters": [
                    {"name": "announcement", "in": "path", "required": True, "schema": TEXT},
                    {"name": "file", "in": "path", "required": True, "schema": TEXT},
                ],
                "responses": {
                    "200": {
                        "description": "文件本身",
                        "content": {
                            "application/pdf": {"schema": {"type": "string"}},
                            "application/ofd": {"schema": {"type": "string"}},
                        },
                    }
                },
            }
        },
    }
