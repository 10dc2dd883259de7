"""Record pages for people (issue 26): the plain summary first, the legal reasoning folded below it,
本页内容 whose every link has its section, the operating specification's headings below its own
heading, no CLI command on the page, and a citation with the page's absolute address."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml
from sitekit import AS_OF, ROOT

from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site
from generator.render.pages import site_pages

SITE_URL = "https://registry.example.org/"


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(check_registry(ROOT / "data", AS_OF), site_url=SITE_URL)


@pytest.fixture(scope="module")
def records(site: Site) -> dict[str, str]:
    """Every record page of the sample, rendered, by record id."""
    out = {}
    for p in site_pages(site):
        m = re.fullmatch(r"[a-z-]+/([A-Z]+-[\d-]+)\.md", p.src_uri)
        if m and m.group(1) in site.records:
            out[m.group(1)] = p.render()
    return out


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_summary_comes_first_and_the_legal_reasoning_follows_folded(
    site: Site, records: dict[str, str]
) -> None:
    assert set(records) == set(site.records)
    for rid, html in records.items():
        order = [
            html.index(m)
            for m in (
                'class="reg-summary',
                'class="reg-page-nav"',
                '<details class="reg-legal"',
                'class="reg-status-box',
            )
        ]
        assert order == sorted(order), rid
        assert html.index("<h1") < order[0], rid
        summary = html[order[0] : order[1]]
        assert 'class="reg-plain-status"' in summary and "12320" in summary, rid


def test_every_section_link_has_its_section(records: dict[str, str]) -> None:
    for rid, html in records.items():
        nav = html[html.index('class="reg-page-nav"') : html.index("</nav>")]
        links = re.findall(r'href="#([^"]+)"', nav)
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        assert len(links) >= 6 and set(links) <= ids, (rid, set(links) - ids)
        headed = set(re.findall(r'<h2 id="([^"]+)"', html)) - {
            "overview-title",
            "status-on-date-title",
        }
        assert headed <= set(links), (rid, headed - set(links))  # every section is listed


def test_the_specification_headings_sit_below_its_own_heading(records: dict[str, str]) -> None:
    html = records["BMT-2026-001"]
    start = html.index('<h3 id="spec">')
    spec = html[start + 1 : html.index("<h3 id=", start + 1)]
    assert "<h4>" in spec and not re.search(r"<h[1-3][ >]", spec)
    # a superseded version's full text, under its h4 heading: the specification at h5 and below
    for body in re.findall(r"<h4>临床应用操作规范</h4>(.*?)</div>", html, flags=re.S):
        assert not re.search(r"<h[1-4][ >]", body)


def test_no_cli_command_and_no_you_institution_on_a_record_page(records: dict[str, str]) -> None:
    for rid, html in records.items():
        assert "registry check" not in html and "<code>" not in html, rid
        summary = html[html.index('class="reg-summary') : html.index('class="reg-page-nav"')]
        assert "贵机构" not in summary, rid


def test_the_citation_carries_the_absolute_address_and_the_data_version(
    site: Site, records: dict[str, str]
) -> None:
    html = records["BMT-2026-001"]
    line = html[html.index('<p class="reg-citation"') :]
    line = line[: line.index("</p>")]
    text = _text(line.replace("复制引用", ""))
    url = f"{SITE_URL}approved/BMT-2026-001/"
    assert f"数据版本 {site.data_version}, {url}, 访问于 {AS_OF.isoformat()}" in text
    assert "data-reg-copy hidden" in line  # the text works without a script; the button enhances


def test_print_js_is_linked_on_every_page() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "assets/print.js" in config["extra_javascript"]
    assert (ROOT / "site_src/assets/print.js").is_file()
    css = Path(ROOT / "site_src/assets/record.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".reg-record-body" in css
