"""Hostile text in the data is shown as text: in titles, headings, lists, Markdown fields and search."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_helpers import AS_OF, DATA, ROOT, Tab, build_site, open_tab, serve
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

TARGET = "GL-0013"
NAME = "<script>window.__xss=1</script>注射技术"
ALIAS = '<img src=x onerror="window.__xss=2">'
RAW_HTML_MD = '\n<img src=x onerror="window.__xss=4">\n\n<script>window.__xss=5</script>\n\n- 正常条目 & <b>粗体</b>\n'
JS_LINK_MD = "\n- [点我](javascript:window.__xss=3)\n"


def hostile_copy(dest: Path, filing_extra: str) -> Path:
    """A copy of data/ whose GL-0013 carries the payloads (written with a YAML dumper, so quoting is right)."""
    shutil.copytree(DATA, dest)
    path = dest / "guidance-list" / f"{TARGET}.yaml"
    rec = yaml.safe_load(path.read_text(encoding="utf-8"))
    rec["name"] = NAME
    rec["aliases"] = [*rec.get("aliases", []), ALIAS]
    rec["filing_requirements"] = rec["filing_requirements"] + filing_extra
    path.write_text(yaml.safe_dump(rec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def registry_cli() -> list[str]:
    script = Path(sys.executable).with_name("registry")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


@pytest.fixture(scope="module")
def hostile_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("xss")
    site = build_site(hostile_copy(root / "data", RAW_HTML_MD), root / "site")
    with serve(site) as url:
        yield url


@pytest.fixture
def hostile_tab(browser: Browser, hostile_origin: str) -> Iterator[Tab]:
    with open_tab(browser, hostile_origin) as t:
        yield t


def assert_inert(tab: Tab) -> None:
    page = tab.page
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)  # let any onerror handler of a broken image run
    assert page.evaluate("typeof window.__xss") == "undefined", (
        f"payload ran: {page.evaluate('window.__xss')}"
    )
    assert page.locator("img[src=x]").count() == 0, "an <img src=x> from the data reached the DOM"
    assert not page.evaluate("[...document.scripts].some(s => s.textContent.includes('__xss'))")
    assert tab.page_errors == [], tab.page_errors


def test_javascript_link_in_markdown_fails_the_build(tmp_path: Path) -> None:
    data = hostile_copy(tmp_path / "data", JS_LINK_MD)
    site = tmp_path / "site"
    proc = subprocess.run(
        [
            *registry_cli(),
            "build",
            "--data",
            str(data),
            "--site-dir",
            str(site),
            "--as-of",
            AS_OF.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, f"exit {proc.returncode}\n{output}"
    assert "E209" in output and f"{TARGET}.yaml" in output, output
    assert not site.exists(), "a failed build must not leave a site behind"


def test_record_page_shows_payloads_as_text(hostile_tab: Tab) -> None:
    page = hostile_tab.goto(f"/guidance-list/{TARGET}/")
    assert page.locator("h1").inner_text() == NAME
    assert "<script>" in page.title() and NAME in page.title()
    text = hostile_tab.main_text()
    assert ALIAS in text
    assert '<img src=x onerror="window.__xss=4">' in text
    assert "<script>window.__xss=5</script>" in text
    assert page.locator("article b", has_text="粗体").count() == 0, (
        "raw <b> in Markdown was rendered"
    )
    assert "<b>粗体</b>" in text
    assert_inert(hostile_tab)


def test_list_page_shows_payloads_as_text(hostile_tab: Tab) -> None:
    page = hostile_tab.goto("/guidance-list/")
    row = page.locator("table[data-reg-table] tbody tr", has_text=TARGET)
    assert NAME in row.inner_text()
    # The keyword filter matches the literal text, too.
    page.locator("form[data-reg-filter] input[name=q]").press_sequentially("<script>")
    ids = page.eval_on_selector_all(
        "table[data-reg-table] tbody tr:not([hidden])",
        "rows => rows.map(r => r.cells[0].textContent.trim())",
    )
    assert ids == [TARGET]
    assert_inert(hostile_tab)


def test_search_shows_payloads_as_text(hostile_tab: Tab) -> None:
    hostile_tab.goto("/")
    urls = hostile_tab.search("注射技术")
    assert f"/guidance-list/{TARGET}/" in urls
    link = hostile_tab.page.locator(
        f'pagefind-modal a.pf-result-link[href="/guidance-list/{TARGET}/"]'
    )
    assert "<script>" in link.inner_text()
    assert_inert(hostile_tab)
    hostile_tab.search("MACI")  # the original alias, to see the record's excerpt and sub-results
    assert_inert(hostile_tab)
    link = hostile_tab.page.locator(
        f'pagefind-modal a.pf-result-link[href="/guidance-list/{TARGET}/"]'
    )
    link.click()
    hostile_tab.page.wait_for_url(f"**/guidance-list/{TARGET}/")
    assert_inert(hostile_tab)
