"""Record pages for people (issue 26): the plain summary in a phone's first screen, printing (the
status sheet, the summary, the current conditions and the operating specification, folded parts
opened, no chrome; /check/ prints its answer only) and the citation's copy button (the absolute
address and the data version on the clipboard)."""

from __future__ import annotations

import pytest
from browser_helpers import Tab, open_tab
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

APPROVED = "/approved/BMT-2026-001/"  # restricted: three participating institutions, conditions v2
SITE_URL = "https://registry.example.org"  # mkdocs.yml site_url
CHROME = (".md-header", ".md-tabs", ".md-footer", ".md-banner", ".reg-page-nav", ".reg-search")


def _print(page: Page) -> None:
    """Print media, and the event a browser fires before it prints (print.js opens <details>)."""
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")


@pytest.mark.parametrize(
    "path",
    ["/guidance-list/GL-0004/", APPROVED, "/banned/BAN-0001/", "/research/CR-2026-0002/"],
)
def test_the_summary_is_in_a_phones_first_screen(phone_tab: Tab, path: str) -> None:
    page = phone_tab.goto(path)
    summary = page.locator("section.reg-summary")
    expect(summary).to_be_visible()
    box = summary.bounding_box()
    assert box is not None and box["y"] < 844 * 0.75, box  # it starts in the first screen
    status = summary.locator(".reg-plain-status")
    sb = status.bounding_box()
    assert sb is not None and sb["y"] + sb["height"] <= 844, sb  # the plain status is read at once
    expect(summary).to_contain_text("12320")  # where to ask or report
    # the legal reasoning follows, folded
    expect(page.locator("details.reg-legal")).not_to_have_attribute("open", "")
    expect(page.locator("details.reg-legal .reg-status-box")).to_be_hidden()


def test_the_restricted_summary_lists_the_institutions_and_the_period_end(tab: Tab) -> None:
    page = tab.goto(APPROVED)
    summary = page.locator("section.reg-summary")
    expect(summary.locator(".reg-plain-status")).to_have_text("仅限名单内的医疗机构开展")
    expect(summary.locator(".reg-badge")).to_have_text("限参与研究机构")  # the legal term, second
    expect(summary.locator("ul.reg-places li")).to_have_count(3)
    expect(summary).to_contain_text("限定期至 2031年6月15日")
    expect(summary).not_to_contain_text("贵机构")
    expect(page.locator("article.reg-record")).not_to_contain_text("registry check")


def test_a_section_link_jumps_to_its_section(tab: Tab) -> None:
    page = tab.goto(APPROVED)
    nav = page.get_by_role("navigation", name="本页内容")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="临床应用操作规范").click()
    page.wait_for_url("**#spec")
    expect(page.locator("#spec")).to_be_in_viewport()
    # the sticky column stays in view further down the page (desktop)
    page.locator("#timeline").scroll_into_view_if_needed()
    expect(nav).to_be_in_viewport()


def test_a_record_prints_its_status_conditions_and_specification_without_chrome(tab: Tab) -> None:
    page = tab.goto(APPROVED)
    _print(page)
    sheet = page.locator(".reg-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("限参与研究机构")  # the status
    expect(sheet).to_contain_text("规范 第二十条第二款")  # and its basis
    expect(sheet).to_contain_text("数据版本")
    expect(sheet).to_contain_text(f"{SITE_URL}{APPROVED}")  # the page's address, absolute
    expect(page.locator("section.reg-summary")).to_be_visible()
    expect(page.locator("#conditions")).to_be_visible()
    expect(page.locator("#spec")).to_be_visible()
    expect(page.locator(".reg-spec").first).to_be_visible()
    expect(page.locator(".reg-legal .reg-status-box")).to_be_visible()  # opened for print
    for selector in CHROME:
        for el in page.locator(selector).all():
            expect(el).to_be_hidden()
    expect(page.locator(".reg-dated-form")).to_be_hidden()
    # after printing the folded part closes again
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    expect(page.locator(".reg-legal .reg-status-box")).to_be_hidden()


def test_a_record_asked_about_a_date_prints_that_answer(tab: Tab) -> None:
    """An audit's date (审计或核查的日期) printed with the sheet: the answer for that day, its
    research stage and the table of changes; never the form."""
    page = tab.goto("/approved/BMT-2026-005/?day=2026-09-01")
    expect(page.locator("#reg-dated-result .reg-dated-head")).to_contain_text("2026-09-01")
    _print(page)
    expect(page.locator("#reg-dated-result")).to_contain_text("再评估暂停")
    expect(page.locator("#reg-dated-research")).to_contain_text("在清单内")
    expect(page.locator(".reg-dated-table")).to_be_visible()
    expect(page.locator(".reg-dated-form")).to_be_hidden()
    expect(page.locator("#status-on-date > .reg-help")).to_be_hidden()
    # an invalid date asks nothing: nothing of the section is printed
    page.emulate_media(media="screen")
    page.locator("#reg-dated-day").fill("")
    page.get_by_role("button", name="查询该日状态").click()
    _print(page)
    expect(page.locator("#status-on-date")).to_be_hidden()


def test_check_prints_the_answer_only(tab: Tab) -> None:
    page = tab.goto("/check/")
    page.locator("#reg-check-q").fill("BMT-2026-001")
    page.locator("#reg-check-form button[type=submit]").click()
    answer = page.locator("#reg-check-results .reg-verdict").first
    expect(answer).to_be_visible()
    _print(page)
    expect(answer).to_be_visible()
    expect(page.locator("#reg-check-form")).to_be_hidden()
    expect(page.locator(".reg-check-legend")).to_be_hidden()
    expect(page.locator(".reg-check h1")).to_be_hidden()
    for selector in CHROME:
        for el in page.locator(selector).all():
            expect(el).to_be_hidden()


def test_the_copy_button_puts_the_citation_with_the_absolute_url_on_the_clipboard(
    browser: Browser, origin: str
) -> None:
    with open_tab(browser, origin) as tab:
        tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        page = tab.goto(APPROVED)
        line = page.locator(".reg-citation [data-reg-cite-text]")
        expect(line).to_contain_text(f"{SITE_URL}{APPROVED}")  # visible text, without a script
        page.get_by_role("button", name="复制引用").click()
        expect(page.locator(".reg-copy-status")).to_have_text("已复制")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert f"{SITE_URL}{APPROVED}" in copied, copied
        assert "BMT-2026-001" in copied and "数据版本 2026-11-23+" in copied, copied
        assert copied == " ".join(line.inner_text().split())
        assert not tab.page_errors and not tab.console_errors
