"""Filed clinical research projects (临床研究备案项目, issue 24) as a sponsor, a research hospital
and a patient meet them: the /research/ list and its filters, a project's page and what it must do
now (界定指导原则 二(二)2), the header search, /check/ by project id, and the projects on their
guidance entry's page.

The sample as of 2026-11-23: GL-0002 was delisted directly on 2026-10-15 (ANN-2026-010), so
CR-2026-0002 应当终止 and CR-2026-0006 (terminated 2026-10-28) 已终止; GL-0005 was delisted after
review on 2026-09-25 (ANN-2026-009), so CR-2026-0003 须重新伦理审查 and CR-2026-0004 进行中 again
after its new ethics review (2026-11-06). Each test fails on the code before the research pages:
/research/ and the project pages did not exist, and the entry pages listed no projects.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import Tab, open_tab, record_yaml
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

TERMINATE = "CR-2026-0002"  # under GL-0002, delisted directly
REVIEW = "CR-2026-0003"  # under GL-0005, delisted after review
CONTINUED = "CR-2026-0004"  # under GL-0005, ethics_continued


def project_url(rid: str) -> str:
    return f"/research/{rid}/"


def clean(tab: Tab) -> None:
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors
    assert not tab.failed, tab.failed


def visible_ids(tab: Tab) -> list[str]:
    rows = tab.page.locator("table[data-reg-table] tbody tr:not([hidden])")
    return rows.locator("td:first-child").all_inner_texts()


def test_the_research_list_filters_by_status_and_opens_a_project(tab: Tab) -> None:
    page = tab.goto("/research/")
    expect(page.locator("h1")).to_have_text("临床研究备案项目")
    count = page.locator("form[data-reg-filter] output.reg-count")
    expect(count).to_have_text("显示 6 / 6 条")
    page.locator('select[name="status"]').select_option(label="应当终止")
    expect(count).to_have_text("显示 1 / 6 条")
    assert visible_ids(tab) == [TERMINATE]
    page.locator('select[name="status"]').select_option(value="")
    page.locator('select[name="entry"]').select_option(value="GL-0005")
    expect(count).to_have_text("显示 2 / 6 条")
    assert sorted(visible_ids(tab)) == [REVIEW, CONTINUED]
    page.locator('select[name="entry"]').select_option(value="")
    page.locator('input[name="q"]').fill(record_yaml(TERMINATE)["filing_no"])  # 备案编号
    expect(count).to_have_text("显示 1 / 6 条")
    page.get_by_role("link", name=record_yaml(TERMINATE)["title"]).click()
    page.wait_for_url(f"**{project_url(TERMINATE)}")
    expect(page.locator(".reg-status-box")).to_contain_text("应当及时终止研究")
    clean(tab)


def test_a_project_to_terminate_says_so_with_its_basis_and_entry(tab: Tab) -> None:
    data = record_yaml(TERMINATE)
    page = tab.goto(project_url(TERMINATE))
    expect(page.locator("h1")).to_have_text(data["title"])
    expect(page.locator("p.reg-badges .reg-badge")).to_have_text("应当终止")
    box = page.locator(".reg-status-box")
    expect(box).to_contain_text("当前状态：应当终止，自 2026年10月15日 起")
    expect(box.locator(".reg-verdict-headline")).to_contain_text(
        "应当及时终止研究，并妥善保障已开展研究受试者的权益"
    )
    expect(box).to_contain_text("界定指导原则 二（二）2（1）")
    fields = page.locator("dl.reg-fields")
    expect(fields).to_contain_text(data["sponsor"])
    expect(fields).to_contain_text(data["filing_no"])
    history = page.locator("ol.reg-timeline > li")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("后果")
    expect(history.nth(1)).to_contain_text("国家卫生健康委公告 2026年第10号")
    page.locator("p.reg-counterpart").get_by_role("link").click()
    page.wait_for_url("**/guidance-list/GL-0002/")
    clean(tab)


def test_search_finds_a_project_by_title_and_filing_number(tab: Tab) -> None:
    data = record_yaml(REVIEW)
    tab.goto("/")
    for query in (data["title"][:12], data["filing_no"]):
        urls = tab.search(query)
        assert urls[:1] == [project_url(REVIEW)], (query, urls)
    card = tab.page.locator("pagefind-modal pagefind-results li.reg-result").first
    expect(card.locator(".reg-result-kind")).to_have_text(f"临床研究备案项目 · {REVIEW}")
    expect(card.locator(".reg-badge").first).to_have_text("须重新伦理审查")
    expect(card.locator(".reg-research")).to_have_text("备案所依据的清单条目：GL-0005 已调出")
    clean(tab)


def test_search_filters_projects_by_kind_and_status(tab: Tab) -> None:
    tab.goto("/")
    tab.search("示例省人民医院")  # a sponsor and a research institution of several projects
    before = tab.result_count()
    advertised = tab.choose_filter("类型", "临床研究备案项目")
    tab.wait_for_results("示例省人民医院", before)
    assert advertised == tab.result_count() >= 2
    assert all(u.startswith("/research/") for u in tab.result_urls()), tab.result_urls()
    with_kind = tab.result_count()
    tab.choose_filter("状态", "已终止")
    tab.wait_for_results("示例省人民医院", with_kind)
    assert tab.result_urls() == [project_url("CR-2026-0006")]
    clean(tab)


def test_check_answers_a_project_id_with_its_verdict(tab: Tab) -> None:
    page = tab.goto("/check/")
    page.wait_for_selector("#reg-check[data-ready=true]")
    page.locator("#reg-check-q").click()
    page.keyboard.type(TERMINATE)
    page.get_by_role("button", name="查询").click()
    cards = page.locator("#reg-check-results article.reg-verdict")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_have_attribute("data-record", TERMINATE)
    expect(card.locator(".reg-answer-chip")).to_have_text("应当终止")
    expect(card).to_contain_text("应当及时终止研究，并妥善保障已开展研究受试者的权益")
    expect(card.locator(".reg-verdict-inst")).to_have_count(0)  # no institution facet
    clean(tab)


def test_the_entry_page_lists_its_projects_with_their_statuses(tab: Tab) -> None:
    page = tab.goto("/guidance-list/GL-0005/")
    heading = page.locator("h2#research")
    expect(heading).to_have_text("按本条目备案的临床研究项目")
    rows = page.locator("table.reg-projects tbody tr")
    expect(rows).to_have_count(2)
    statuses = {
        rows.nth(i).locator("td").first.inner_text(): rows.nth(i).locator(".reg-badge").inner_text()
        for i in range(2)
    }
    assert statuses == {CONTINUED: "进行中", REVIEW: "须重新伦理审查"}
    rows.filter(has_text=REVIEW).get_by_role("link").click()
    page.wait_for_url(f"**{project_url(REVIEW)}")
    expect(page.locator(".reg-status-box")).to_contain_text("应重新进行伦理审查评估")
    clean(tab)


@pytest.mark.parametrize("width", [390, 1280])
def test_project_page_screenshot(browser: Browser, origin: str, tmp_path: Path, width: int) -> None:
    """The page a patient opens from a link: nothing wider than the screen, the verdict on the
    first screen. The PNGs (under the test's tmp dir) are for looking at."""
    phone = width < 600
    with open_tab(
        browser, origin, viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone
    ) as tab:
        page = tab.goto(project_url(TERMINATE))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px wider than the screen at {width}"
        top = page.locator(".reg-summary .reg-plain-status").bounding_box()  # issue 26: the summary
        assert top is not None and top["y"] + top["height"] < (844 if phone else 900)
        for rid in (TERMINATE, CONTINUED):
            tab.goto(project_url(rid))
            page.screenshot(path=str(tmp_path / f"research-{rid}-{width}.png"), full_page=True)
        clean(tab)
