"""Integration tests: build the sample site and check the contract's outputs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sitekit import build_sample

from generator.domain.kinds import FOLDERS
from generator.outputs.api import CSV_HEADERS

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
EMBARGOED = ("GL-0016", "ANN-2026-014")  # named only by / dated 2026-12-15


@pytest.fixture
def site(sample_site: Path) -> Path:
    return sample_site


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_contract_pages_exist(site: Path) -> None:
    for page in ("", "announcements/", "risk-grades/", *(f"{f}/" for f in FOLDERS.values())):
        assert (site / page / "index.html").is_file(), page
    assert (site / "404.html").is_file()
    assert (site / "sitemap.xml").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    records = json.loads((site / "api/records.json").read_text(encoding="utf-8"))["records"]
    for r in records:
        assert r["url"] == f"/{FOLDERS[r['kind']]}/{r['id']}/"
        assert (site / r["url"].strip("/") / "index.html").is_file()
        assert (site / "api/records" / f"{r['id']}.json").is_file()


def test_records_json_follows_the_contract(site: Path) -> None:
    data = json.loads((site / "api/records.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-11-23"
    by_id = {r["id"]: r for r in data["records"]}
    base = {"id", "kind", "name", "aliases", "category", "status", "status_since", "url"}
    for r in by_id.values():
        assert base <= r.keys()
    approved = by_id["BMT-2026-001"]
    assert approved["kind"] == "approved"
    assert approved["status"] == "restricted"
    assert approved["risk_grade"] == "high"
    assert approved["approved_on"] == "2026-06-15"
    assert approved["exclusive_until"] == "2031-06-15"  # 民法典 第二百零二条: the corresponding day
    assert approved["institutions"]
    assert by_id["GL-0015"]["emergency_use"] == {
        "scope": by_id["GL-0015"]["emergency_use"]["scope"],
        "until": "2027-03-31",
    }
    assert "emergency_use" not in by_id["GL-0001"]
    assert by_id["BMT-2026-003"]["status"] == "restricted"  # no early `open` (第二十条第二款)
    assert by_id["BMT-2026-004"]["status"] == "suspended"
    assert by_id["BMT-2026-005"]["status"] == "banned"
    assert by_id["GL-0002"]["status"] == "delisted"
    assert {r["status"] for r in by_id.values() if r["kind"] == "banned"} == {"banned"}


def test_record_detail_has_timeline_and_revisions(site: Path) -> None:
    detail = json.loads((site / "api/records/BMT-2026-005.json").read_text(encoding="utf-8"))
    assert [e["action"] for e in detail["timeline"]] == ["approve", "suspend", "ban"]
    assert all({"date", "action", "announcement"} <= e.keys() for e in detail["timeline"])
    assert "revisions" in detail
    assert detail["conditions"]["operating_spec"]


def test_announcements_json_and_csv(site: Path) -> None:
    anns = json.loads((site / "api/announcements.json").read_text(encoding="utf-8"))[
        "announcements"
    ]
    assert [a["id"] for a in anns] == sorted((a["id"] for a in anns), reverse=True)
    raw = (site / "downloads/records.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    records = json.loads((site / "api/records.json").read_text(encoding="utf-8"))["records"]
    assert [r["编号"] for r in rows] == [r["id"] for r in records]
    # Chinese headers for people; each names its API key on the API page
    assert list(rows[0]) == list(CSV_HEADERS.values())
    assert all(h in (ROOT / "site_src/api.md").read_text(encoding="utf-8") for h in rows[0])
    by_id = {r["编号"]: r for r in rows}
    assert by_id["BMT-2026-001"]["风险等级"] == "高风险"
    assert by_id["BMT-2026-001"]["风险等级代码"] == "high"
    assert by_id["BMT-2026-001"]["类型"] == "已批准技术"


def test_embargoed_data_appears_nowhere(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".ics"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in EMBARGOED:
                assert marker not in text, f"{marker} leaked into {path.relative_to(site)}"


def test_no_request_to_another_origin(site: Path) -> None:
    # what a browser fetches by itself: sources of embedded elements and resource <link>s
    # (rel=canonical or alternate is a reference, not a request)
    embedded = re.compile(
        r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=["']([^"']+)"""
    )
    resource = re.compile(
        r"""<link\b(?=[^>]*\brel=["'](?:stylesheet|preload|modulepreload|icon|manifest|prefetch|preconnect|dns-prefetch)["'])[^>]*\bhref=["']([^"']+)"""
    )
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in embedded.findall(text) + resource.findall(text):
            assert not re.match(r"^(https?:)?//", url), f"{page.relative_to(site)} loads {url}"
    for css in site.rglob("*.css"):
        assert not re.search(
            r"@import\s+url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")
        )
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def test_record_pages_stay_out_of_the_nav(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary") :]
    nav = nav[: nav.index("</nav>")]
    assert "GL-0001" not in nav and "BMT-2026-001" not in nav
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/approved/BMT-2026-001/" in sitemap


def test_text_is_escaped_and_sample_is_labelled(site: Path) -> None:
    html = (site / "guidance-list/GL-0003/index.html").read_text(encoding="utf-8")
    assert "&gt; 80%" in html or "&gt;80%" in html
    assert "示例数据" in html
    assert "<script>" not in html.split("</header>")[1].split("<script")[0]


def test_record_page_shows_status_basis_and_timeline(site: Path) -> None:
    html = (site / "approved/BMT-2026-006/index.html").read_text(encoding="utf-8")
    assert "限参与研究机构" in html
    assert "规范 第二十条第二款" in html
    assert "2029年6月30日" in html  # exclusive_until of a medium-risk approval of 2026-06-30
    # suspended inside the period: no opening by time (规范 第二十条第二款)
    assert "期满后其他医疗机构只有在再评估证实获益远大于风险时方可开展" in html
    for aid in ("ANN-2026-005", "ANN-2026-008", "ANN-2026-010"):
        assert f"announcements/{aid}/" in html


def test_links_are_relative_so_the_site_works_under_a_sub_path(site: Path) -> None:
    html = (site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    assert 'href="../../announcements/ANN-2026-004/"' in html
    assert 'href="/announcements/' not in html


def test_builds_are_reproducible(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_sample(again)
    assert tree_digest(again) == tree_digest(site)


def test_failed_build_leaves_site_untouched(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = tree_digest(out)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    bad = data / "approved" / "BMT-2026-001.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("category:", "categroy:"), encoding="utf-8"
    )
    cmd = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--data",
        str(data),
        "--site-dir",
        str(out),
        "--as-of",
        "2026-11-23",
    ]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "E201" in result.stdout and "BMT-2026-001.yaml" in result.stdout
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_as_of_moves_time_based_status(tmp_path: Path) -> None:
    from generator.publish.pipeline import check_registry
    from generator.publish.views import build_site

    # low risk, approved 2026-05-20: the period's last day is 2027-05-20, open from the next day
    later = build_site(check_registry(ROOT / "data", date(2027, 5, 21)))
    before = build_site(check_registry(ROOT / "data", date(2027, 5, 20)))
    assert before.records["BMT-2026-002"].status.code == "restricted"
    assert later.records["BMT-2026-002"].status.code == "open"
    assert later.records["BMT-2026-002"].status.since == date(2027, 5, 21)
    assert (
        "GL-0016" in later.records
    )  # the embargoed announcement of 2026-12-15 is published by then


def test_site_info_fills_the_footer_and_meta(tmp_path: Path) -> None:
    """政府网站发展指引: 主办单位, 网站标识码, ICP/公安备案号 and contact from registry.yaml, escaped."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    info = (
        "site_info:\n  organizer: 示例单位<b>\n  site_code: bm01000001\n"
        "  icp: 京ICP备12345678号-1\n  police: 京公网安备11010502000001号\n"
        "  contact: 电话 010-00000000\n  conac_id: AB0123456789\n"
    )
    with (data / "registry.yaml").open("a", encoding="utf-8") as f:
        f.write(info)
    site = build_sample(tmp_path / "site", data)
    html = (site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    footer = html.split('class="reg-site-info"')[1].split("</p>")[0]
    for text in (
        "主办单位：示例单位&lt;b&gt;",
        "网站标识码：bm01000001",
        "京ICP备12345678号-1",
        "京公网安备11010502000001号",
        "联系方式：电话 010-00000000",
    ):
        assert text in footer, text
    # the filing numbers link where a government site links them; 党政机关网站标识 (issue 27)
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">京ICP备' in footer
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=11010502000001" in footer
    assert "https://bszs.conac.cn/sitename?method=show&amp;id=AB0123456789" in footer
    assert "党政机关网站" in footer
    assert '<meta name="SiteIDCode" content="bm01000001">' in html
    assert '<meta name="ContentSource" content="示例单位&lt;b&gt;">' in html
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in not_found and "bm01000001" in not_found


def _tree(path: Path, label: str, files: int = 50) -> Path:
    for i in range(files):
        (path / f"d{i % 5}").mkdir(parents=True, exist_ok=True)
        (path / f"d{i % 5}" / f"{i}.html").write_text(label, encoding="utf-8")
    return path


def _settled(parent: Path, timeout: float = 30.0) -> list[str]:
    """The names in `parent` once no detached remover is left working there."""
    deadline = time.monotonic() + timeout
    while any(p.name.startswith(".site.old-") for p in parent.iterdir()):
        assert time.monotonic() < deadline, "the previous site was never removed"
        time.sleep(0.05)
    return sorted(p.name for p in parent.iterdir())


def test_a_rebuild_leaves_removing_the_previous_site_to_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.shells import build as build_mod

    handed: list[bool] = []
    real = build_mod.remove_later
    monkeypatch.setattr(build_mod, "remove_later", lambda *a: handed.append(real(*a)) or handed[-1])
    site = _tree(tmp_path / "site", "old")
    new = _tree(tmp_path / ".site.building-1", "new")
    build_mod.swap_in(new, site, later=True)
    assert handed == [True]  # handed over, not deleted here
    assert (site / "d0" / "0.html").read_text(encoding="utf-8") == "new"  # in place at once
    assert _settled(tmp_path) == ["site"]


def test_when_the_tree_cannot_be_handed_over_it_is_removed_at_once(tmp_path: Path) -> None:
    from generator.shells.build import remove_later

    gone = tmp_path / ".site.building-2"  # nothing there to rename: the caller deletes instead
    assert remove_later(gone, tmp_path / "site") is False
    assert list(tmp_path.iterdir()) == []


def test_a_remover_that_died_at_once_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.shells import build as build_mod

    class _Gone:
        def write(self, _data: bytes) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def close(self) -> None:
            pass

    class _Dead:
        pid, stdin = 4_000_000, _Gone()

    monkeypatch.setattr(build_mod.subprocess, "Popen", lambda *a, **k: _Dead())
    old = _tree(tmp_path / ".site.building-3", "old")
    assert build_mod.remove_later(old, tmp_path / "site") is True  # handled: deleted here
    assert list(tmp_path.iterdir()) == []
