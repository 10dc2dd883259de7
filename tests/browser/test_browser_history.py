"""The 修订记录 of a record page as a reader sees it (issue 26.2): a record with two revisions in a
real git repository, built and opened in Chromium at 1280 and 390 px. The section says what
changed in words (修改技术解读, 新增别名), shows Markdown rendered (bold, never `**`), marks the
changed words (<ins>/<del>), and shows no commit hash and no field path (both stay in the API).
Fails on the old section, which printed `aliases[1]`, the 7-hex short hash and raw `**`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from browser_helpers import build_site, open_tab, serve
from gitkit import GitRepo, base_files
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

PAGE = "/approved/BMT-2026-001/"
HEX = re.compile(r"\b[0-9a-f]{7,40}\b")


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("history-browser")
    repo = GitRepo(root / "repo")
    for rel, text in base_files().items():
        repo.write(rel, text)
    first = repo.commit("导入", "2026-01-05T10:00:00+08:00")
    rel = "approved/BMT-2026-001.yaml"
    repo.replace(rel, "  技术解读。", "  **技术**解读，经专家复核后修订。")
    repo.replace(rel, "aliases: [CD19 CAR-T]", "aliases: [CD19 CAR-T, 嵌合抗原受体T细胞]")
    second = repo.commit("修订解读", "2026-02-01T09:30:00+08:00")
    site = build_site(repo.data, root / "site")
    with serve(site) as origin:
        yield SimpleNamespace(site=site, origin=origin, hashes=(first, second))


def _section_text(browser: Browser, origin: str, shot: Path | None, **ctx: object) -> str:
    with open_tab(browser, origin, **ctx) as tab:
        page = tab.goto(PAGE)
        box = page.locator(".reg-revisions-box")
        if shot is not None:
            box.screenshot(path=str(shot))
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.evaluate("window.innerWidth")
        assert width <= viewport, f"horizontal scroll: {width} > {viewport}"
        assert box.locator("strong", has_text="技术").count() >= 1  # bold rendered
        assert box.locator("ins").count() >= 1 and box.locator("del").count() >= 0
        return box.inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_history_says_what_changed_in_words(
    browser: Browser, history_site: SimpleNamespace, width: int, tmp_path: Path
) -> None:
    ctx = {"viewport": {"width": width, "height": 900}}
    text = _section_text(browser, history_site.origin, tmp_path / f"history-{width}.png", **ctx)
    assert "修改技术解读" in text
    assert "新增别名" in text and "嵌合抗原受体T细胞" in text
    assert "经专家复核后修订" in text  # the inserted words, marked
    assert "**" not in text
    assert "aliases" not in text and "summary" not in text and "[1]" not in text
    assert not HEX.search(text), HEX.search(text)
    for h in history_site.hashes:
        assert h[:7] not in text


def test_marked_words_are_ins_and_said_to_screen_readers(
    browser: Browser, history_site: SimpleNamespace
) -> None:
    with open_tab(browser, history_site.origin) as tab:
        page = tab.goto(PAGE)
        ins = page.locator(".reg-revisions-box ins").first
        assert (
            "经专家复核后修订" in ins.inner_text()
            or page.locator(".reg-revisions-box ins", has_text="经专家复核后修订").count()
        )
        label = ins.locator(".reg-sr-only").first
        assert "新增" in label.text_content()
        box = label.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1  # visually hidden
        style = ins.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "underline" in style  # readable without colour


def test_the_api_keeps_hashes_and_paths(history_site: SimpleNamespace) -> None:
    data = json.loads((history_site.site / "api/records/BMT-2026-001.json").read_text("utf-8"))
    last = data["revisions"][-1]
    assert last["commit"] == history_site.hashes[1]
    assert {c["path"] for c in last["changes"]} == {"summary", "aliases[1]"}
