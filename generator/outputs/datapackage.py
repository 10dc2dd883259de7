"""`downloads/datapackage.json`: the Frictionless Data Package that describes `records.csv` (a Table
Schema for every column: type, Chinese title and description, the 「；」 list delimiter, the primary
key), with the licence, the data version and the sources. The same bytes go on the site beside the
CSV and into the dataset zip (`downloads/`), so that `path` is `records.csv` in both.

Also here: the editors' JSON Schemas of the data files (`registry schema`, outputs/schemas.py),
published as `/schemas/<kind>.schema.json` and in the zip (`schemas/`).
"""

from __future__ import annotations

import json
from typing import Any

from generator.domain.kinds import RECORD_KINDS, SPECS
from generator.outputs.api import CSV_HEADERS
from generator.outputs.schemas import schema_documents
from generator.publish.views import Site

PATH = "downloads/datapackage.json"
LIST_DELIMITER = "；"  # the full-width semicolon the CSV joins aliases and institutions with
STATUSES = list(dict.fromkeys(c for s in SPECS for c in s.statuses))
_TEXT: dict[str, Any] = {"type": "string"}
_DATE: dict[str, Any] = {"type": "date", "format": "default"}
_LIST: dict[str, Any] = {"type": "list", "delimiter": LIST_DELIMITER, "itemType": "string"}

# column key (api.CSV_HEADERS) → (Table Schema type and constraints, Chinese description)
COLUMNS: dict[str, tuple[dict[str, Any], str]] = {
    "id": (
        {**_TEXT, "constraints": {"required": True, "unique": True}},
        "记录编号（主键），例如 GL-0001、BMT-2026-001、BAN-0001、CR-2026-0001",
    ),
    "kind_label": (_TEXT, "记录类型的中文名称"),
    "kind": (
        {**_TEXT, "constraints": {"required": True, "enum": list(RECORD_KINDS)}},
        "记录类型代码：guidance 备案指导清单条目，approved 已批准技术，banned 禁止技术，research 临床研究备案项目",
    ),
    "name": ({**_TEXT, "constraints": {"required": True}}, "技术名称；临床研究备案项目为项目名称"),
    "aliases": (_LIST, "别名，多个时以全角分号「；」分隔"),
    "category_name": (_TEXT, "分类的中文名称"),
    "category": (_TEXT, "分类代码（data/registry.yaml 的 categories）"),
    "status_label": (_TEXT, "截至数据截至日的状态（中文）"),
    "status": ({**_TEXT, "constraints": {"required": True, "enum": STATUSES}}, "状态代码"),
    "status_since": ({**_DATE, "constraints": {"required": True}}, "当前状态的起始日期"),
    "risk_grade_name": (_TEXT, "风险等级的中文名称（仅已批准技术）"),
    "risk_grade": (_TEXT, "风险等级代码（仅已批准技术；data/risk-grades.yaml）"),
    "approved_on": (_DATE, "批准日期（仅已批准技术）"),
    "exclusive_until": (
        _DATE,
        "限定期最后一日（规范 第二十条第二款；仅已批准技术）；此后其他医疗机构也可开展",
    ),
    "institutions": (
        _LIST,
        "参与研究机构（已批准技术）或临床研究机构（临床研究备案项目），以「；」分隔",
    ),
    "emergency_use_until": (_DATE, "紧急应用期限的最后一日"),
    "reason_route": (_TEXT, "调出途径（直接调出或评估后调出）"),
    "reason": (_TEXT, "调出、暂停或禁止的理由（中文）"),
    "reason_code": (_TEXT, "调出、暂停理由的代码；禁止的理由为公告原文，无代码"),
    "guidance_entry": (_TEXT, "临床研究备案项目所依据的备案指导清单条目编号"),
    "sponsor": (_TEXT, "临床研究发起机构"),
    "filed": (_DATE, "备案日期（临床研究备案项目）"),
    "filing_no": (_TEXT, "备案编号（临床研究备案项目）"),
    "sample": (
        {"type": "boolean", "trueValues": ["是"], "falseValues": ["否"]},
        "是否为示例数据（是：虚构的示例，不是真实决定）",
    ),
    "url": (_TEXT, "记录页面的网址"),
}


def table_schema(site: Site) -> dict[str, Any]:
    """The Table Schema of records.csv: one field per column, in the CSV's order."""
    fields = []
    for key, header in CSV_HEADERS.items():
        kind, description = COLUMNS[key]
        field = {"name": header, "title": header, "description": description, **kind}
        if key == "url" and site.site_url:
            field["format"] = "uri"  # absolute only when the site has an address
        fields.append(field)
    return {"fields": fields, "primaryKey": [CSV_HEADERS["id"]], "missingValues": [""]}


def _licence(site: Site) -> dict[str, str]:
    """Data Package asks for an Open Definition id (`name`) and/or a `path`; the default terms
    (attribution, no id) are Open Definition's `other-at`."""
    lic = site.config.license
    out = {"name": lic.id or "other-at", "title": lic.name}
    if lic.url:
        out["path"] = lic.url
    return out


def _sources(site: Site) -> list[dict[str, str]]:
    source = {"title": f"{site.config.authority}公告"}
    if site.site_url:
        source["path"] = site.permalink("/announcements/")
    return [source]


def datapackage(site: Site) -> dict[str, Any]:
    """The Data Package (Frictionless, tabular-data-package) of the dataset."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "bmt-registry",
        "title": site.config.title,
        "description": (
            f"{site.config.authority}发布的生物医学新技术备案指导清单条目、批准临床转化应用的技术、"
            f"禁止的技术和临床研究备案项目，截至 {site.as_of.isoformat()} 已公示的记录；"
            f"状态由公告推导。数据版本 {site.data_version}。"
        ),
        "version": site.data_version,
        "created": f"{site.as_of.isoformat()}T00:00:00+08:00",
        "licenses": [_licence(site)],
        "sources": _sources(site),
        "contributors": [{"title": site.config.authority, "role": "publisher"}],
        "keywords": ["生物医学新技术", "备案指导清单", "临床研究", "开放数据"],
        "resources": [
            {
                "name": "records",
                "path": "records.csv",
                "profile": "tabular-data-resource",
                "title": "记录表",
                "description": "全部已公示记录，每条一行，中文表头；多值单元格以「；」分隔",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",  # the CSV starts with a BOM so that Excel reads UTF-8
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": table_schema(site),
            }
        ],
    }
    if site.site_url:
        package["homepage"] = site.site_url
    return package


def dumps(data: Any) -> bytes:
    """Pretty, sorted and stable: read by people as often as by programs."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def schema_files(site: Site) -> list[tuple[str, bytes]]:
    """`schemas/<kind>.schema.json`: the same documents as `registry schema` writes (schemas/)."""
    docs = schema_documents(site.data_dir)
    return [(f"schemas/{name}", dumps(doc)) for name, doc in docs.items()]


def opendata_files(site: Site) -> list[tuple[str, bytes]]:
    """datapackage.json and the data files' JSON Schemas, for the site and the dataset zip."""
    return [(PATH, dumps(datapackage(site))), *schema_files(site)]
