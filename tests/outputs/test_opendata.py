"""Open data by the conventions re-users expect (issue 27, point 1): datapackage.json validated by
the reference library (frictionless), the data files' JSON Schemas on the site and in the zip, the
schema.org Dataset JSON-LD on the home and downloads pages, absolute URLs in the CSV and workbook."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
import yaml
from frictionless import Package

from generator.outputs.api import records_csv
from generator.outputs.datapackage import LIST_DELIMITER, datapackage
from generator.outputs.downloads import records_xlsx
from generator.outputs.jsonld import dataset_script
from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://registry.example.org/"  # mkdocs.yml's site_url
AS_OF = "2026-11-23"


def _zip(site: Path) -> zipfile.ZipFile:
    (path,) = (site / "downloads").glob("registry-*.zip")
    return zipfile.ZipFile(path)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    (full,) = [n for n in archive.namelist() if n.split("/", 1)[1] == name]
    return archive.read(full)


def _csv_rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


# --- datapackage.json -----------------------------------------------------------------------


def test_the_datapackage_validates_with_frictionless(sample_site: Path) -> None:
    package = Package(str(sample_site / "downloads" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    (task,) = report.tasks
    rows = _csv_rows((sample_site / "downloads" / "records.csv").read_bytes())
    assert task.stats["rows"] == len(rows) > 0  # every row was read and checked


def test_the_datapackage_describes_every_column(sample_site: Path) -> None:
    data = json.loads((sample_site / "downloads" / "datapackage.json").read_text("utf-8"))
    (resource,) = data["resources"]
    schema = resource["schema"]
    header = next(
        csv.reader(io.StringIO((sample_site / "downloads/records.csv").read_text("utf-8-sig")))
    )
    assert [f["name"] for f in schema["fields"]] == header
    assert all(f["title"] and f["description"] and f["type"] for f in schema["fields"])
    assert schema["primaryKey"] == ["编号"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert (
        fields["别名"]["delimiter"] == fields["参与研究机构"]["delimiter"] == LIST_DELIMITER == "；"
    )
    assert fields["状态日期"]["type"] == "date" and fields["示例数据"]["type"] == "boolean"
    config = yaml.safe_load((ROOT / "data" / "registry.yaml").read_text("utf-8"))
    (licence,) = data["licenses"]
    assert licence == {
        "name": config["license"]["id"],
        "title": config["license"]["name"],
        "path": config["license"]["url"],
    }
    assert data["version"].startswith(f"{AS_OF}+")
    assert data["sources"][0]["path"] == BASE + "announcements/"


def test_frictionless_rejects_a_package_that_does_not_match(
    sample_site: Path, tmp_path: Path
) -> None:
    """The check above can fail: a column declared with the wrong type is an error."""
    shutil.copy(sample_site / "downloads/records.csv", tmp_path / "records.csv")
    data = json.loads((sample_site / "downloads/datapackage.json").read_text("utf-8"))
    data["resources"][0]["schema"]["fields"][0]["type"] = "integer"  # 编号 is BAN-0001 …
    (tmp_path / "datapackage.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


def test_the_zip_carries_the_datapackage_and_the_schemas(sample_site: Path) -> None:
    with _zip(sample_site) as archive:
        site_package = (sample_site / "downloads/datapackage.json").read_bytes()
        assert _member(archive, "downloads/datapackage.json") == site_package
        # beside the CSV in the zip too: `path` is records.csv in both places
        assert _member(archive, "downloads/records.csv")
        sums = _member(archive, "SHA256SUMS").decode()
        for schema in sorted((ROOT / "schemas").glob("*.schema.json")):
            assert _member(archive, f"schemas/{schema.name}") == schema.read_bytes()
            assert f"  schemas/{schema.name}\n" in sums
        assert "  downloads/datapackage.json\n" in sums


# --- JSON Schemas of the data files ---------------------------------------------------------


def test_the_committed_schemas_are_published(sample_site: Path) -> None:
    committed = {p.name: p.read_bytes() for p in (ROOT / "schemas").glob("*.schema.json")}
    published = {p.name: p.read_bytes() for p in (sample_site / "schemas").glob("*.json")}
    assert committed and published == committed
    page = (sample_site / "downloads/index.html").read_text("utf-8")
    for name in committed:
        assert f'href="../schemas/{name}"' in page
    assert 'href="../downloads/datapackage.json"' in page


# --- schema.org Dataset ---------------------------------------------------------------------

_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _dataset(html: str) -> dict:
    (text,) = _SCRIPT.findall(html)
    return json.loads(text)


@pytest.mark.parametrize("page", ["index.html", "downloads/index.html"])
def test_home_and_downloads_carry_the_dataset_json_ld(sample_site: Path, page: str) -> None:
    data = _dataset((sample_site / page).read_text("utf-8"))
    config = yaml.safe_load((ROOT / "data" / "registry.yaml").read_text("utf-8"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] == config["title"] and len(data["description"]) >= 50
    assert data["license"] == config["license"]["url"]
    assert (
        data["creator"]
        == data["publisher"]
        == {
            "@type": "GovernmentOrganization",
            "name": config["authority"],
        }
    )
    assert data["dateModified"] == AS_OF and data["temporalCoverage"].endswith(f"/{AS_OF}")
    assert data["inLanguage"] == "zh-CN" and data["isAccessibleForFree"] is True
    formats = {d["encodingFormat"] for d in data["distribution"]}
    assert {"text/csv", "application/zip", "application/json"} <= formats
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in formats
    for item in data["distribution"]:
        assert item["@type"] == "DataDownload" and item["contentUrl"].startswith(BASE)
        assert (sample_site / item["contentUrl"].removeprefix(BASE)).is_file()


@pytest.fixture
def tiny(tmp_path: Path, kit: SimpleNamespace) -> Site:
    """The minimal registry, titled so as to try to close the script element."""
    config = kit.BASE["registry.yaml"].replace(
        "title: 生物医学新技术公示库（测试）", "title: 公示库</script><b>x</b> & co"
    )
    root = kit.make_registry(tmp_path / "data", {"registry.yaml": config})
    reg = check_registry(root, kit.AS_OF)
    assert not reg.problems, [p.text() for p in reg.problems]
    return build_site(reg, "2026-11-23+abcdef0")


def test_no_text_closes_the_json_ld_script(tiny: Site) -> None:
    script = dataset_script(tiny)
    assert script.count("<") == 2 and script.endswith("</script>")  # its own two tags only
    assert _dataset(script)["name"] == "公示库</script><b>x</b> & co"


def test_without_site_url_the_addresses_stay_site_absolute(tiny: Site) -> None:
    data = _dataset(dataset_script(tiny))
    assert {d["contentUrl"] for d in data["distribution"]} >= {"/downloads/records.csv"}
    assert datapackage(tiny)["sources"] == [{"title": "测试机关公告"}]
    assert datapackage(tiny)["licenses"][0]["name"] == "other-at"  # the default terms


# --- absolute URLs in the CSV and the workbook ----------------------------------------------


def test_the_csv_and_the_workbook_give_absolute_urls(sample_site: Path) -> None:
    rows = _csv_rows((sample_site / "downloads/records.csv").read_bytes())
    assert rows and all(r["网址"].startswith(BASE) for r in rows)
    book = openpyxl.load_workbook(sample_site / "downloads/records.xlsx", read_only=True)
    for sheet in book.worksheets:
        header, *cells = list(sheet.values)
        column = header.index("网址")
        assert all(str(row[column]).startswith(BASE) for row in cells)


def test_without_site_url_the_csv_and_the_workbook_stay_relative(tiny: Site) -> None:
    rows = _csv_rows(records_csv(tiny))
    assert {r["网址"] for r in rows} >= {"/approved/BMT-2026-001/"}
    with_url = replace(tiny, site_url="https://example.org/sub/")
    rows = _csv_rows(records_csv(with_url))
    assert {r["网址"] for r in rows} >= {"https://example.org/sub/approved/BMT-2026-001/"}
    book = openpyxl.load_workbook(io.BytesIO(records_xlsx(with_url)), read_only=True)
    urls = [row[-1] for sheet in book.worksheets for row in list(sheet.values)[1:]]
    assert urls and all(u.startswith("https://example.org/sub/") for u in urls)
