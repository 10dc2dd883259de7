"""Dataset releases: the zip verifies, the workbook opens, both are reproducible."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sitekit import build_sample

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


def test_xlsx_has_one_sheet_per_kind_and_one_row_per_record(site: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO((site / "downloads/records.xlsx").read_bytes()))
    assert book.sheetnames == ["备案指导清单", "已批准技术", "禁止技术"]
    records = json.loads((site / "api/records.json").read_text(encoding="utf-8"))["records"]
    kinds = {"备案指导清单": "guidance", "已批准技术": "approved", "禁止技术": "banned"}
    for sheet_name, kind in kinds.items():
        rows = list(book[sheet_name].iter_rows(values_only=True))
        assert rows[0][:2] == ("编号", "名称")
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
