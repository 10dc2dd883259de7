"""Terms and reasons (issue 17): licence and terms in every API file, the zip and the downloads
page; a citation line per record; delist, ban and suspend grounds with Chinese labels in the API,
CSV, Excel and feeds."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import openpyxl

from generator.domain.models import DEFAULT_LICENSE, DEFAULT_TERMS
from generator.load.documents import load_file
from generator.publish.pipeline import check_registry

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_file(ROOT / "data/registry.yaml").data


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_api_file_carries_licence_and_terms(sample_site: Path) -> None:
    files = [
        *sample_site.glob("api/*.json"),
        *sample_site.glob("api/records/*.json"),
        *sample_site.glob("api/changes/*.json"),
    ]
    assert len(files) > 40
    for path in files:
        if path.name == "openapi.json":
            continue
        data = _json(path)
        assert data["license"] == CONFIG["license"], path
        assert data["terms"] == CONFIG["terms"], path


def test_zip_and_downloads_page_carry_them(sample_site: Path) -> None:
    (path,) = (sample_site / "downloads").glob("registry-*.zip")
    with zipfile.ZipFile(path) as archive:
        prefix = archive.namelist()[0].split("/")[0] + "/"
        text = archive.read(prefix + "LICENSE.txt").decode()
    assert CONFIG["license"]["name"] in text and CONFIG["license"]["url"] in text
    assert CONFIG["terms"] in text and "免责声明" in text
    html = (sample_site / "downloads/index.html").read_text(encoding="utf-8")
    assert CONFIG["license"]["name"] in html and CONFIG["terms"] in html
    assert f'href="{CONFIG["license"]["url"]}"' in html


def test_citation_line_on_the_page_and_in_the_api(sample_site: Path) -> None:
    record = _json(sample_site / "api/records/BMT-2026-001.json")
    version = record["data_version"]
    url = "https://registry.example.org/approved/BMT-2026-001/"  # issue 26: the absolute address
    want = f"国家卫生健康委员会（示例） 生物医学新技术公示库, BMT-2026-001, 数据版本 {version}, {url}, 访问于 2026-11-23"
    assert record["citation"] == want
    html = (sample_site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    assert "引用本条" in html
    assert want.removesuffix("2026-11-23") in html and "data-reg-accessed" in html


def test_defaults_when_registry_yaml_says_nothing(kit: SimpleNamespace, tmp_path: Path) -> None:
    reg = check_registry(kit.make_registry(tmp_path / "data"), date(2026, 11, 23))
    assert reg.problems == [] and "license" not in kit.BASE["registry.yaml"]
    assert reg.config.license == DEFAULT_LICENSE and reg.config.terms == DEFAULT_TERMS
    bad = kit.BASE["registry.yaml"] + "license:\n  name: x\n  url: ftp://x\nterms: ''\n"
    reg = check_registry(
        kit.make_registry(tmp_path / "bad", {"registry.yaml": bad}), date(2026, 11, 23)
    )
    assert sorted(p.code for p in reg.problems) == ["E206", "E208"]


def test_reasons_with_chinese_labels_in_api_csv_and_xlsx(sample_site: Path) -> None:
    summary = {r["id"]: r for r in _json(sample_site / "api/records.json")["records"]}
    assert summary["GL-0002"]["delisting"]["route_label"] == "直接调出"
    assert summary["GL-0002"]["status_reason"]["ground_label"] == "安全性、有效性存在重大问题"
    assert summary["BMT-2026-004"]["status_reason"] == {
        "ground": "serious_adverse_reaction",
        "ground_label": "发生严重不良反应或出现不可控制的风险",
        "note": "临床应用中报告 2 例治疗相关严重不良反应，暂停应用并组织再评估（示例）",
    }
    assert summary["BAN-0001"]["status_reason"]["ground"].startswith("存在重大伦理问题")
    raw = (sample_site / "downloads/records.csv").read_bytes().decode("utf-8-sig")
    rows = {r["编号"]: r for r in csv.DictReader(io.StringIO(raw))}
    assert (rows["GL-0005"]["调出途径"], rows["GL-0005"]["理由"], rows["GL-0005"]["理由代码"]) == (
        "论证后调出",
        "适应症、机制原理基本相同的药品已批准上市",
        "drug_approved",
    )
    assert rows["BMT-2026-006"]["理由"] == ""  # resumed: no reason in force
    book = openpyxl.load_workbook(io.BytesIO((sample_site / "downloads/records.xlsx").read_bytes()))
    sheet = list(book["已批准技术"].iter_rows(values_only=True))
    head = sheet[0]
    row = next(r for r in sheet if r[0] == "BMT-2026-005")
    assert row[head.index("理由")].startswith("再评估不能保证安全、有效")
    detail = _json(sample_site / "api/records/GL-0005.json")
    (delist,) = [e for e in detail["timeline"] if e["action"] == "delist"]
    assert delist["route_label"] == "论证后调出" and delist["ground_label"].startswith("适应症")


def test_reasons_in_the_feeds(sample_site: Path) -> None:
    feed = (sample_site / "feeds/announcements.xml").read_text(encoding="utf-8")
    assert "调出途径：直接调出" in feed and "理由：安全性、有效性存在重大问题" in feed
    watch = (sample_site / "feeds/bans-suspensions.xml").read_text(encoding="utf-8")
    assert "理由：发生严重不良反应或出现不可控制的风险" in watch
    assert "serious_adverse_reaction" not in watch  # the label, not the code
