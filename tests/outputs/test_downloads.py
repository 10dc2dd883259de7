"""Dataset releases: the zip verifies, the workbook opens, both are reproducible."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
import yaml
from research_kit import (
    AS_OF,
    COMPLETED,
    EMBARGOED,
    EMBARGOED_TITLE,
    ETHICS,
    LATE_NOTE,
    TERMINATED,
    TERMINATION_NOTE,
    research_registry,
)
from sitekit import build_sample

from generator.outputs.api import api_files
from generator.outputs.downloads import download_files
from generator.publish.pipeline import check_registry
from generator.publish.views import build_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(sample_site: Path) -> Path:
    return sample_site


def _zip(site: Path) -> Path:
    (path,) = (site / "downloads").glob("registry-*.zip")
    return path


def test_zip_is_named_by_data_version_and_sha256sums_verify(site: Path) -> None:
    records = json.loads((site / "api/records.json").read_text(encoding="utf-8"))
    path = _zip(site)
    assert path.name == f"registry-{records['data_version']}.zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        prefix = names[0].split("/")[0] + "/"
        sums = archive.read(prefix + "SHA256SUMS").decode()
        checked = 0
        for line in sums.splitlines():
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(archive.read(prefix + name)).hexdigest() == digest, name
            checked += 1
    assert checked == len(names) - 1
    assert prefix + "data/registry.yaml" in names
    assert prefix + "api/records.json" in names
    assert prefix + "downloads/records.xlsx" in names
    assert not any("GL-0016" in n or "ANN-2026-014" in n for n in names)  # embargoed


SHEETS = {
    "备案指导清单": "guidance",
    "已批准技术": "approved",
    "禁止技术": "banned",
    "临床研究备案项目": "research",
}


def test_xlsx_has_one_sheet_per_kind_and_one_row_per_record(site: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO((site / "downloads/records.xlsx").read_bytes()))
    assert book.sheetnames == list(SHEETS)
    records = json.loads((site / "api/records.json").read_text(encoding="utf-8"))["records"]
    for sheet_name, kind in SHEETS.items():
        rows = list(book[sheet_name].iter_rows(values_only=True))
        assert rows[0][:2] == (("编号", "项目名称") if kind == "research" else ("编号", "名称"))
        ids = [r[0] for r in rows[1:]]
        assert ids == [r["id"] for r in records if r["kind"] == kind]
    approved = list(book["已批准技术"].iter_rows(values_only=True))
    assert "限定期至" in approved[0]


def test_downloads_page_lists_sizes_and_checksums(site: Path) -> None:
    html = (site / "downloads/index.html").read_text(encoding="utf-8")
    for name in ("records.xlsx", "records.csv", _zip(site).name):
        assert name in html
    assert hashlib.sha256((site / "downloads/records.xlsx").read_bytes()).hexdigest() in html


def test_zip_and_xlsx_are_byte_identical_across_builds(site: Path, tmp_path: Path) -> None:
    again = build_sample(tmp_path / "again")
    assert _zip(again).read_bytes() == _zip(site).read_bytes()
    assert (again / "downloads/records.xlsx").read_bytes() == (
        site / "downloads/records.xlsx"
    ).read_bytes()


# --- research projects (临床研究备案项目): a scenario registry with every kind of change ----------


@pytest.fixture
def research(tmp_path: Path, kit: SimpleNamespace) -> SimpleNamespace:
    """The research scenario's downloads, made as the build makes them (API first)."""
    root = research_registry(tmp_path / "data", kit)
    reg = check_registry(root, AS_OF)
    assert not reg.problems, [p.text() for p in reg.problems]
    site = build_site(reg, "2026-11-23+abcdef0")
    api = dict(api_files(site))
    files = dict(download_files(site, root, api))
    (zip_name,) = [k for k in files if k.endswith(".zip")]
    return SimpleNamespace(site=site, api=api, files=files, zip=files[zip_name], root=root)


RESEARCH_HEADERS = (
    "编号",
    "项目名称",
    "备案指导清单条目",
    "临床研究发起机构",
    "临床研究机构",
    "备案日期",
    "备案编号",
    "状态",
    "状态日期",
    "依据",
    "示例数据",
    "网址",
)


def test_the_research_sheet_has_its_own_columns(research: SimpleNamespace) -> None:
    book = openpyxl.load_workbook(io.BytesIO(research.files["downloads/records.xlsx"]))
    assert book.sheetnames == list(SHEETS)
    rows = list(book["临床研究备案项目"].iter_rows(values_only=True))
    assert rows[0] == RESEARCH_HEADERS
    by_id = {r[0]: dict(zip(RESEARCH_HEADERS, r, strict=True)) for r in rows[1:]}
    assert list(by_id) == [ETHICS, TERMINATED, COMPLETED]  # the embargoed one is not there
    ethics = by_id[ETHICS]
    assert ethics["项目名称"] == "自体CAR-T细胞治疗复发难治淋巴瘤的多中心临床研究"
    assert (ethics["备案指导清单条目"], ethics["备案日期"]) == ("GL-0001", "2026-02-01")
    assert ethics["临床研究机构"] == "某某医院；某某大学附属医院"
    assert (ethics["备案编号"], by_id[TERMINATED]["备案编号"]) == ("备案-2026-0001", "")
    assert (ethics["状态"], ethics["状态日期"]) == ("进行中", "2026-07-01")
    assert "二（二）2（2）" in ethics["依据"]
    assert by_id[TERMINATED]["状态"] == "已终止" and by_id[COMPLETED]["状态"] == "已结束"
    # a title that reads as a formula stays text (quote prefix), as in every other sheet
    cell = next(c for c in book["临床研究备案项目"]["B"] if str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix
    # the other sheets keep their columns: no research column leaks into them
    assert "临床研究发起机构" not in next(book["备案指导清单"].iter_rows(values_only=True))


def test_the_csv_has_the_research_columns(research: SimpleNamespace) -> None:
    text = research.api["downloads/records.csv"].decode("utf-8-sig")
    rows = {r["编号"]: r for r in csv.DictReader(io.StringIO(text))}
    row = rows[ETHICS]
    assert (row["类型"], row["类型代码"], row["名称"]) == (
        "临床研究备案项目",
        "research",
        "自体CAR-T细胞治疗复发难治淋巴瘤的多中心临床研究",
    )
    assert row["备案指导清单条目"] == "GL-0001" and row["备案日期"] == "2026-02-01"
    assert row["临床研究发起机构"].endswith("发起医院") and row["备案编号"] == "备案-2026-0001"
    assert row["参与研究机构"] == "某某医院；某某大学附属医院"
    assert rows[TERMINATED]["备案编号"] == ""
    assert rows[COMPLETED]["名称"].startswith("'=")  # OWASP: the formula start is quoted
    assert rows["BMT-2026-001"]["备案指导清单条目"] == ""  # a research column only
    assert EMBARGOED not in rows


def test_the_zip_holds_the_published_projects_and_validates(
    research: SimpleNamespace, tmp_path: Path
) -> None:
    with zipfile.ZipFile(io.BytesIO(research.zip)) as archive:
        prefix = archive.namelist()[0].split("/")[0] + "/"
        names = [n.removeprefix(prefix) for n in archive.namelist()]
        archive.extractall(tmp_path / "x")
    assert sorted(n for n in names if n.startswith("data/research/")) == [
        f"data/research/{rid}.yaml" for rid in (ETHICS, TERMINATED, COMPLETED)
    ]
    data = tmp_path / "x" / prefix / "data"
    ethics = yaml.safe_load((data / f"research/{ETHICS}.yaml").read_text(encoding="utf-8"))
    # the completion reported after the as-of date is not published yet
    assert [e["event"] for e in ethics["events"]] == ["ethics_continued"]
    again = check_registry(data, AS_OF)
    assert again.problems == []
    statuses = {rid: r.status.code for rid, r in build_site(again).records.items()}
    assert statuses == {rid: r.status.code for rid, r in research.site.records.items()}


def test_an_embargoed_project_and_a_later_event_are_in_no_download(
    research: SimpleNamespace,
) -> None:
    with zipfile.ZipFile(io.BytesIO(research.zip)) as archive:
        texts = [archive.read(n) for n in archive.namelist()]
    book = openpyxl.load_workbook(io.BytesIO(research.files["downloads/records.xlsx"]))
    cells = [str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r]
    texts += [research.api[p] for p in research.api] + ["\n".join(cells).encode()]
    for secret in (EMBARGOED, EMBARGOED_TITLE, "备案-2026-秘密", LATE_NOTE, "2026-12-15"):
        assert not any(secret.encode() in t for t in texts), secret
    assert any(TERMINATION_NOTE.encode() in t for t in texts)  # a published note is there


def test_research_downloads_are_byte_identical_across_builds(
    research: SimpleNamespace, tmp_path: Path, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    made = []
    for n in range(2):
        root = research_registry(tmp_path / f"d{n}", kit)
        site = build_site(check_registry(root, AS_OF), "2026-11-23+abcdef0")
        made.append(dict(download_files(site, root, dict(api_files(site)))))
    assert made[0] == made[1]
    book = openpyxl.load_workbook(io.BytesIO(made[0]["downloads/records.xlsx"]))
    assert next(book["临床研究备案项目"].iter_rows(values_only=True)) == RESEARCH_HEADERS
