"""OpenAPI 3.1 description of the static API, and a JSON Schema per response file.

The schemas are written out with the site (`api/openapi.json`, `api/schemas/*.json`) and the tests
validate every real API file of the sample build against them, so they cannot drift silently.
Bump `api.SCHEMA_VERSION` and add a line to the API changelog (site_src/api.md) on any change.
"""

from __future__ import annotations

import json
from typing import Any

from generator.domain.ids import union_pattern
from generator.domain.kinds import RESEARCH, SPECS
from generator.domain.models import DEFAULT_LICENSE, License
from generator.outputs import openapi_dated as extra
from generator.outputs import openapi_research as research
from generator.outputs.api import SCHEMA_VERSION
from generator.outputs.api_types import (
    ACTIONS,
    ANNOUNCEMENT_ID,
    DATE,
    ENVELOPE,
    REASON,
    TEXT,
    TEXTS,
    response,
)
from generator.outputs.openapi_models import action_items, record_fields

# the kinds that announcements act on; a research project has a schema of its own
ANNOUNCED = [s for s in SPECS if s.announced]

RECORD_SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "kind", "name", "aliases", "category", "status", "status_since", "url"],
    "properties": {
        "id": {"type": "string", "pattern": union_pattern(*(s.ids for s in ANNOUNCED))},
        "kind": {"type": "string", "enum": [s.kind for s in ANNOUNCED]},
        "name": TEXT,
        "aliases": TEXTS,
        "category": TEXT,
        "category_name": TEXT,
        "status": {
            "type": "string",
            "enum": list(dict.fromkeys(c for s in ANNOUNCED for c in s.statuses)),
        },
        "status_label": TEXT,
        "status_since": DATE,
        "status_basis": {**TEXT, "description": "法律依据（条款）"},
        "url": {"type": "string", "pattern": "^/"},
        "sample": {"type": "boolean", "description": "示例数据：不是真实的批准或公告"},
        "risk_grade": TEXT,
        "approved_on": DATE,
        "exclusive_until": {
            **DATE,
            "description": "限定期最后一日（规范 第二十条第二款；按民法典 第二百零一条、第二百零二条计算，批准当日不计入）",
        },
        "institutions": TEXTS,
        "emergency_use": {
            "type": "object",
            "required": ["scope", "until"],
            "properties": {"scope": TEXT, "until": DATE},
            "additionalProperties": False,
        },
        "delisting": {
            "type": "object",
            "required": ["route", "ground"],
            "properties": {
                "route": {"enum": ["direct", "after_review"]},
                "route_label": TEXT,
                "ground": TEXT,
                "ground_label": TEXT,
            },
            "additionalProperties": False,
        },
        "status_reason": {
            **REASON,
            "description": "当前状态（调出、暂停、禁止）的途径和理由，代码和中文说明",
        },
    },
    "additionalProperties": False,
}

TIMELINE_ENTRY: dict[str, Any] = {
    "type": "object",
    "required": ["date", "action", "announcement"],
    "properties": {
        "date": DATE,
        "action": {"enum": ACTIONS},
        "announcement": ANNOUNCEMENT_ID,
    },
}

REVISION: dict[str, Any] = {
    "type": "object",
    "required": ["commit", "date", "message", "changes"],
    "properties": {
        "commit": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
        "date": {"type": "string", "format": "date-time"},
        "message": TEXT,
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "old", "new"],
                "properties": {"path": TEXT},
            },
        },
    },
}


CONDITIONS_VERSION: dict[str, Any] = {
    "type": "object",
    "required": [
        "announcement",
        "announced_on",
        "effective",
        "state",
        "version",
        "institution",
        "personnel",
        "management",
        "training_qc",
        "operating_spec",
    ],
    "properties": {
        "announcement": {"type": "string", "description": "发布本版本的公告"},
        "announced_on": {**DATE, "description": "公告日期"},
        "effective": {**DATE, "description": "施行日期"},
        "state": {"enum": ["in_force", "upcoming", "superseded"]},
        "version": {"type": "integer", "minimum": 1},
        "institution": {"type": "array", "items": {"type": "string"}},
        "personnel": {"type": "array", "items": {"type": "string"}},
        "management": {"type": "array", "items": {"type": "string"}},
        "training_qc": {"type": "array", "items": {"type": "string"}},
        "operating_spec": {"type": "string"},
    },
    "additionalProperties": False,
}

ANNOUNCEMENT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "number", "title", "date", "body", "actions", "url"],
    "properties": {
        "id": ANNOUNCEMENT_ID,
        "number": TEXT,
        "title": TEXT,
        "date": DATE,
        "body": {**TEXT, "description": "Markdown"},
        "sample": {"type": "boolean"},
        "url": {"type": "string", "pattern": "^/"},
        "actions": {"type": "array", "items": action_items(), "minItems": 1},
    },
    "additionalProperties": False,
}


def _announcement(attachment: dict[str, Any]) -> dict[str, Any]:
    attachments = {"type": "array", "items": attachment, "description": "公告原件"}
    return {
        **ANNOUNCEMENT,
        "properties": {**ANNOUNCEMENT["properties"], "attachments": attachments},
    }


def _record_schema() -> dict[str, Any]:
    """api/records/<id>.json: one object per kind of record, its `record` typed by the kind's
    model; `kind` tells them apart."""
    common = {
        "revisions": {"type": "array", "items": REVISION},
        "history_available": {"type": "boolean"},
        "history_partial": {"type": "boolean"},
        **extra.record_properties(),  # status on any date, sync, citation
    }
    common_required = ["record", "revisions", "history_available", *extra.record_properties()]
    kinds = [_announced(s.kind, s.label, common, common_required) for s in ANNOUNCED]
    research_common = {**common, "record": record_fields(RESEARCH.kind)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "单条记录 api/records/{id}.json",
        "oneOf": [*kinds, research.detail(ENVELOPE, research_common, common_required)],
    }


def _announced(
    kind: str, label: str, common: dict[str, Any], common_required: list[str]
) -> dict[str, Any]:
    """The file of a record that announcements act on (清单条目、已批准技术、禁止技术)."""
    return {
        "type": "object",
        "title": label,
        "required": [*ENVELOPE, *RECORD_SUMMARY["required"], *common_required, "timeline"],
        "properties": {
            **ENVELOPE,
            **RECORD_SUMMARY["properties"],
            **common,
            "kind": {"type": "string", "const": kind},
            "record": record_fields(kind),
            "conditions": {
                "type": "object",
                "description": "现行（施行中）的医疗机构和人员条件、操作规范；第一个版本施行前没有此项",
            },
            "conditions_versions": {
                "type": "array",
                "description": "已公布的条件版本（规范 第十七条），按公告排列；未到公告日期的版本不包括在内",
                "items": CONDITIONS_VERSION,
            },
            "timeline": {"type": "array", "items": TIMELINE_ENTRY},
        },
        "additionalProperties": False,
    }


def response_schemas() -> dict[str, dict[str, Any]]:
    """File name under api/schemas/ → JSON Schema of one kind of API file."""
    summary = {"oneOf": [RECORD_SUMMARY, research.SUMMARY]}
    return {
        **extra.changes_schemas(),
        "records.schema.json": response(
            "记录摘要 api/records.json",
            {"records": {"type": "array", "items": summary}},
            ["records"],
        ),
        "record.schema.json": _record_schema(),
        "announcements.schema.json": response(
            "公告 api/announcements.json",
            {"announcements": {"type": "array", "items": _announcement(extra.ATTACHMENT)}},
            ["announcements"],
        ),
        # The /check/ page's own index: precomputed verdicts (see generator/publish/lookup.py).
        # Internal to the page, so only its envelope and top-level shape are promised here.
        "check-index.schema.json": response(
            "机构自查索引 api/check-index.json",
            {
                "records": {"type": "array", "items": {"type": "object"}},
                "texts": {"type": "array", "items": {"type": "string"}},
                "institutions": {"type": "array"},
                "not_found": {"type": "object"},
            },
            ["records", "texts", "institutions", "not_found"],
        ),
    }


# path → operationId (stable, camelCase English: client generators name their methods after it);
# a path missing here stops `openapi()` with a KeyError naming it
OPERATION_IDS = {
    "/api/records.json": "listRecords",
    "/api/records/{id}.json": "getRecord",
    "/api/announcements.json": "listAnnouncements",
    "/api/check-index.json": "getCheckIndex",
    "/api/changes/index.json": "getChangeIndex",
    "/api/changes/{date}.json": "listChangesOnDate",
    "/feeds/calendar.ics": "getCalendar",
    "/feeds/records/{id}.ics": "getRecordCalendar",
    "/announcements/{announcement}/{file}": "getAnnouncementOriginal",
}


def license_info(lic: License) -> dict[str, str]:
    """`info.license` (OpenAPI 3.1): the SPDX `identifier` or the `url`, never both."""
    out = {"name": lic.name}
    if lic.id:
        out["identifier"] = lic.id
    elif lic.url:
        out["url"] = lic.url
    return out


def _with_operation_ids(paths: dict[str, Any]) -> dict[str, Any]:
    for path, item in paths.items():
        for op in item.values():
            op["operationId"] = OPERATION_IDS[path]
    return paths


def openapi(site_url: str | None, lic: License = DEFAULT_LICENSE) -> dict[str, Any]:
    """OpenAPI 3.1 for the static files; components reuse the response schemas; `lic` is the
    data licence of registry.yaml."""
    schemas = {name.split(".")[0]: schema for name, schema in response_schemas().items()}
    for schema in schemas.values():
        schema.pop("$schema", None)

    def get(summary: str, ref: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {
            "summary": summary,
            "responses": {
                "200": {
                    "description": "成功",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}
                    },
                }
            },
        }
        if params:
            op["parameters"] = params
        return {"get": op}

    id_param = {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "记录编号，例如 BMT-2026-001",
        "schema": {"type": "string", "pattern": union_pattern(*(s.ids for s in SPECS))},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "生物医学新技术公示库 API",
            "version": SCHEMA_VERSION,
            "description": "静态 JSON 文件，随网站生成。每个文件都带 schema_version、data_version、generated_at、as_of 以及数据许可 license 和使用条款 terms。",
            "license": license_info(lic),
        },
        "servers": [{"url": (site_url or "/").rstrip("/") + "/"}],
        "paths": _with_operation_ids(
            {
                "/api/records.json": get("全部已公示记录的摘要", "records"),
                "/api/records/{id}.json": get(
                    "单条记录：全部字段、公告时间线和修订记录", "record", [id_param]
                ),
                "/api/announcements.json": get("全部已发布公告", "announcements"),
                "/api/check-index.json": get(
                    "机构自查页面使用的索引（预先算好的结论）", "check-index"
                ),
                **extra.paths(get, id_param),
            }
        ),
        "components": {"schemas": schemas},
    }


def openapi_files(site_url: str | None, lic: License = DEFAULT_LICENSE) -> list[tuple[str, bytes]]:
    def dump(obj: Any) -> bytes:
        return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()

    files = [("api/openapi.json", dump(openapi(site_url, lic)))]
    files += [(f"api/schemas/{name}", dump(schema)) for name, schema in response_schemas().items()]
    return files
