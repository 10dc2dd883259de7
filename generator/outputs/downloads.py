"""Dataset releases: a versioned zip (YAML source, JSON, CSV, SHA256SUMS) and an Excel workbook.

The YAML in the zip is re-serialised from the published view, not copied from data/.
Both are byte-for-byte reproducible: zip entries carry a fixed timestamp (SOURCE_DATE_EPOCH, else the
as-of date) and fixed permissions, and the workbook's creation date is fixed the same way. Only the
published view goes in: embargoed records and announcements are not in any download.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
import yaml

from generator.domain.checkpoint import checkpoint
from generator.domain.dates import SHANGHAI, build_time
from generator.domain.fields import CELL_JOIN, CELL_LIMIT
from generator.domain.kinds import FOLDERS, KIND_LABELS, RESEARCH
from generator.outputs.api import formula_risk, published_record, reason_columns, record_summary
from generator.outputs.datapackage import PATH as DATAPACKAGE
from generator.outputs.datapackage import opendata_files
from generator.outputs.jsonld import dataset_script
from generator.outputs.originals import zip_members
from generator.outputs.schemas import schema_documents
from generator.outputs.writer import OutputError
from generator.publish.terms import license_text
from generator.publish.views import RecordView, Site
from generator.render.jinja import render
from generator.render.page import GeneratedPage, relativize
from generator.status.conditions import public_file

XLSX_COLUMNS: list[tuple[str, str]] = [
    ("id", "编号"),
    ("name", "名称"),
    ("aliases", "别名"),
    ("category_name", "分类"),
    ("status_label", "状态"),
    ("status_since", "状态日期"),
    ("status_basis", "依据"),
    ("risk_grade_name", "风险等级"),
    ("approved_on", "批准日期"),
    ("exclusive_until", "限定期至"),
    ("institutions", "参与研究机构"),
    ("emergency_use_until", "紧急应用期限"),
    ("reason_route", "调出途径"),
    ("reason", "理由"),
    ("reason_code", "理由代码"),
    ("sample", "示例数据"),
    ("url", "网址"),
]
# a research project's sheet (临床研究备案项目, 界定指导原则 二): who filed what under which entry
RESEARCH_COLUMNS: list[tuple[str, str]] = [
    ("id", "编号"),
    ("name", "项目名称"),
    ("guidance_entry", "备案指导清单条目"),
    ("sponsor", "临床研究发起机构"),
    ("institutions", "临床研究机构"),
    ("filed", "备案日期"),
    ("filing_no", "备案编号"),
    ("status_label", "状态"),
    ("status_since", "状态日期"),
    ("status_basis", "依据"),
    ("sample", "示例数据"),
    ("url", "网址"),
]
_APPROVED_ONLY = {"risk_grade_name", "approved_on", "exclusive_until", "institutions"}


def sheet_columns(kind: str) -> list[tuple[str, str]]:
    """(summary key, Chinese header) of the sheet of `kind`."""
    if kind == RESEARCH.kind:
        return RESEARCH_COLUMNS
    return [(k, h) for k, h in XLSX_COLUMNS if kind == "approved" or k not in _APPROVED_ONLY]


@dataclass(frozen=True)
class Download:
    path: str  # under site/, e.g. downloads/records.xlsx
    content: bytes
    title: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _stamp(site: Site) -> datetime:
    """Fixed timestamp for archive entries: SOURCE_DATE_EPOCH when set, else the as-of day."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return build_time()
    return datetime(site.as_of.year, site.as_of.month, site.as_of.day, tzinfo=SHANGHAI)


def _row(site: Site, rid: str) -> dict[str, str]:
    r = site.records[rid]
    row = record_summary(r)
    row["aliases"] = CELL_JOIN.join(row["aliases"])
    row["institutions"] = CELL_JOIN.join(row.get("institutions", []))
    row["emergency_use_until"] = row.get("emergency_use", {}).get("until", "")
    row |= reason_columns(row)  # delist, suspend, ban grounds in Chinese (issue 17)
    row["sample"] = "是" if r.sample else "否"
    row["risk_grade_name"] = r.risk_grade.name if r.risk_grade else ""  # 高风险, not the code high
    row["url"] = site.permalink(r.url)  # absolute on site_url: a spreadsheet has no base address
    columns = sheet_columns(r.kind)
    return {key: "" if row.get(key) is None else str(row[key]) for key, _ in columns}


def records_xlsx(site: Site) -> bytes:
    """One sheet per kind, Chinese headers, one row per published record."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    )
    book.set_properties(
        {"title": site.config.title, "author": site.config.authority, "created": _stamp(site)}
    )
    bold = book.add_format({"bold": True})
    # A cell that would read as a formula gets Excel's quote prefix (the ' shown only in the
    # formula bar): it stays text even when someone edits it and presses Enter (OWASP).
    quoted = book.add_format({"quote_prefix": True})
    for kind, sheet_name in KIND_LABELS.items():
        sheet = book.add_worksheet(sheet_name)
        columns = sheet_columns(kind)
        sheet.write_row(0, 0, [h for _, h in columns], bold)
        sheet.freeze_panes(1, 0)
        rows = [_row(site, r.id) for r in site.by_kind(kind)]
        for i, row in enumerate(rows, start=1):
            checkpoint()
            # write_string: record text is never interpreted as a formula or a number
            for j, (key, _) in enumerate(columns):
                value = row[key]
                if len(value) > CELL_LIMIT:  # validation refuses such text (E217): never cut it
                    raise OutputError(f"{row['id']} 的 {key} 超过 Excel 单元格上限，未写入数据表")
                if formula_risk(value):
                    sheet.write_string(i, j, value, quoted)
                else:
                    sheet.write_string(i, j, value)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 40)
    book.close()
    return buf.getvalue()


_YAML_HEAD = (
    "# 由 registry build 从已公示数据重新生成（不含注释和未公示内容）；原始文件见数据仓库\n"
)


# libyaml's emitter when PyYAML has it: the same text as the pure-Python one (checked on 3,046
# files) in a sixth of the time (the zip's YAML took 9 s of a 10,000-record build)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _yaml(data: Any) -> bytes:
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return (_YAML_HEAD + text).encode()


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def _source_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The YAML of everything published, re-serialised from the published view.

    Not the raw files: a comment, a redirect to an embargoed record or a conditions version of
    an embargoed announcement in a raw file would publish it before its date (issue 13, class 7).
    Every file validates as a registry of its own at the same as-of date.
    """
    config = _dump(site.config)
    config["redirects"] = {
        old: rid for old, rid in site.config.redirects.items() if rid in site.records
    }
    if not config["redirects"]:
        del config["redirects"]
    yield "data/registry.yaml", _yaml(config)
    yield "data/risk-grades.yaml", _yaml({"grades": [_dump(g) for g in site.grades.values()]})
    for rid, r in site.records.items():
        checkpoint()
        # a research project's events reported after the as-of date are left out
        yield f"data/{FOLDERS[r.kind]}/{rid}.yaml", _yaml(published_record(r, site.as_of))
        if r.conditions_versions:
            # rewritten with the published versions only: the file in data/ may hold a version
            # published by an embargoed announcement, which must not leave the building
            yield f"data/conditions/{rid}.yaml", public_conditions_yaml(r)
    for a in site.announcements:
        yield f"data/announcements/{a.id}.yaml", _yaml(_dump(a))


def public_conditions_yaml(r: RecordView) -> bytes:
    """A conditions file with its published versions only (the versions form, DESIGN.md)."""
    return _yaml(public_file(r.id, r.sample, r.conditions_versions))


def release_zip(site: Site, data_dir: Path, exports: dict[str, bytes]) -> bytes:
    """registry-<data version>.zip: source YAML, exports, and SHA256SUMS over all of them."""
    members = dict(sorted([*_source_files(site), *exports.items(), *zip_members(site, data_dir)]))
    members["LICENSE.txt"] = license_text(site)  # licence and terms of registry.yaml
    sums = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in members.items()
    )
    members["SHA256SUMS"] = sums.encode()
    stamp = _stamp(site)
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    buf = io.BytesIO()
    # compresslevel 1: a third of the time of the default level for a few per cent more bytes
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in members.items():
            checkpoint()
            info = zipfile.ZipInfo(f"registry-{site.data_version}/{name}", date_time=date_time)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=1)
    return buf.getvalue()


def _specs(site: Site) -> list[tuple[str, str]]:
    """(path under site/, description) of each file listed on /downloads/."""
    return [
        (
            f"downloads/registry-{site.data_version}.zip",
            "完整数据集（YAML 源文件、公告原件、JSON、CSV、Excel、LICENSE.txt 和 SHA256SUMS）",
        ),
        ("downloads/records.xlsx", "记录表（Excel，每类一个工作表，中文表头）"),
        ("downloads/records.csv", "记录表（CSV，UTF-8 带 BOM）"),
        (
            DATAPACKAGE,
            "数据包描述（Frictionless Data Package：记录表每一列的类型、说明、主键和许可）",
        ),
        ("api/records.json", "记录摘要（JSON）"),
        ("api/announcements.json", "公告（JSON）"),
        ("api/changes/index.json", "变更索引（JSON，供镜像只取变化的记录）"),
        ("feeds/calendar.ics", "状态变化日程（iCalendar，可订阅）"),
        *((f"schemas/{name}", f"JSON Schema：{doc['title']}") for name, doc in _schemas(site)),
    ]


def _schemas(site: Site) -> list[tuple[str, dict[str, Any]]]:
    """The data files' JSON Schemas (name, document), as `schema_files` publishes them."""
    return list(schema_documents(site.data_dir).items())


def download_files(site: Site, data_dir: Path, api: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """The release zip, the workbook, datapackage.json and the data files' JSON Schemas (the CSV
    and JSON come from `api.summary_files`)."""
    xlsx = records_xlsx(site)
    opendata = opendata_files(site)
    exports = {
        "api/records.json": api["api/records.json"],
        "api/announcements.json": api["api/announcements.json"],
        "downloads/records.csv": api["downloads/records.csv"],
        "downloads/records.xlsx": xlsx,
        **dict(opendata),
    }
    archive = release_zip(site, data_dir, exports)
    return [(_specs(site)[0][0], archive), ("downloads/records.xlsx", xlsx), *opendata]


MARKER = "<!-- registry:downloads-table -->"


def downloads_page(site: Site) -> GeneratedPage:
    """/downloads/ with a marker where `fill_downloads_page` puts the table of files: the files are
    written by a second process while MkDocs renders, so sizes and checksums come after."""

    def _render() -> str:
        # schema.org Dataset for dataset search engines (outputs/jsonld.py)
        return render("downloads.html", site=site, marker=MARKER) + dataset_script(site)

    return GeneratedPage("downloads/index.md", "数据下载", _render)


def fill_downloads_page(site: Site, site_dir: Path) -> None:
    """Replace the marker in the built /downloads/ page by the table of files, sizes and SHA-256."""
    items = [Download(path, (site_dir / path).read_bytes(), title) for path, title in _specs(site)]
    table = relativize(render("downloads_table.html", items=items), 1)
    page = site_dir / "downloads" / "index.html"
    html = page.read_text(encoding="utf-8")
    if MARKER not in html:
        raise OutputError("downloads/index.html 中缺少文件表的占位标记")
    page.write_text(html.replace(MARKER, table, 1), encoding="utf-8")
