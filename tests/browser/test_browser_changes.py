"""/changes/ by month with its filters (assets/changes.js), /subscribe/, and a feed opened in the
browser (assets/feed.xsl): what a journalist does to see what changed this month."""

from __future__ import annotations

import pytest
from browser_helpers import Tab

pytestmark = pytest.mark.browser


def visible(tab: Tab, attribute: str) -> list[str]:
    return tab.page.eval_on_selector_all(
        ".reg-item",
        "(els, a) => els.filter(e => e.offsetParent !== null).map(e => e.getAttribute(a))",
        attribute,
    )


def headings(tab: Tab) -> list[tuple[str, int]]:
    """(month title, its count) of every month section shown."""
    rows = tab.page.eval_on_selector_all(
        "section[data-month]",
        "els => els.filter(e => !e.hidden).map(e => [e.querySelector('h2').textContent,"
        " +e.querySelector('[data-count]').textContent])",
    )
    return [(title.split("（")[0].strip(), n) for title, n in rows]


def test_months_are_headed_with_their_counts(tab: Tab) -> None:
    tab.goto("/changes/")
    shown = headings(tab)
    assert shown and shown[0][0] == "2026年11月"  # as-of 2026-11-23: the newest month first
    assert all(n > 0 for _, n in shown)
    assert sum(n for _, n in shown) == len(visible(tab, "data-change"))
    assert not tab.page_errors and not tab.console_errors


def test_filter_by_suspension_shows_only_suspensions_with_a_count(tab: Tab) -> None:
    tab.goto("/changes/")
    tab.page.select_option("select[name=change]", "suspend")
    changes = visible(tab, "data-change")
    assert changes and set(changes) == {"suspend"}
    total = int(tab.page.inner_text("[data-total]"))
    assert total == len(changes) == sum(n for _, n in headings(tab))
    assert "暂停应用（再评估）" in tab.page.inner_text(
        "section[data-month]:not([hidden]) .reg-item"
    )
    assert "change=suspend" in tab.page.url  # the filtered view can be shared
    tab.goto("/changes/?change=suspend")
    assert set(visible(tab, "data-change")) == {"suspend"}


def test_record_kind_filter(tab: Tab) -> None:
    tab.goto("/changes/")
    everything = len(visible(tab, "data-kind"))
    tab.page.select_option("select[name=kind]", "research")
    kinds = visible(tab, "data-kind")
    assert kinds and set(kinds) == {"research"} and len(kinds) < everything
    tab.page.select_option("select[name=change]", "report")
    assert set(visible(tab, "data-change")) == {"report"}
    tab.page.select_option("select[name=kind]", "")
    tab.page.select_option("select[name=change]", "")
    assert len(visible(tab, "data-kind")) == everything


def test_filters_work_from_the_keyboard(tab: Tab) -> None:
    tab.goto("/changes/")
    select = tab.page.locator("select[name=change]")
    select.focus()
    assert tab.page.evaluate("document.activeElement.name") == "change"
    tab.page.keyboard.press("ArrowDown")  # the first value after 全部
    chosen = select.input_value()
    assert chosen
    assert set(visible(tab, "data-change")) == {chosen}
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.name") == "kind"


def test_without_script_every_change_is_shown(browser, origin: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(origin + "/changes/")
        assert page.locator("#reg-change-filter").is_hidden()
        assert page.locator(".reg-item").count() == int(page.inner_text("[data-total]"))
    finally:
        context.close()


def test_a_feed_opens_as_a_readable_chinese_page(tab: Tab) -> None:
    tab.goto("/feeds/changes.xml")
    text = tab.page.inner_text("body")
    assert "这是一个订阅源" in text and "订阅地址" in text
    assert "does not appear to have any style information" not in text
    assert tab.page.locator("ol li").count() > 0  # the entries, listed
    assert tab.page.input_value("#feed-url").endswith("/feeds/changes.xml")
    tab.goto("/feeds/records/BAN-0001.xml")  # two levels down: the same stylesheet
    assert "这是一个订阅源" in tab.page.inner_text("body")
    assert not tab.foreign_requests()


def test_subscribe_page_lists_the_feeds_and_copies(tab: Tab) -> None:
    tab.goto("/changes/")
    tab.page.click("text=全部订阅源及使用方法")
    tab.page.wait_for_load_state("load")  # the click returns once the new page is committed
    assert tab.page.url.endswith("/subscribe/")
    assert tab.page.locator("input[data-copy]").count() >= 4
    assert (
        tab.page.locator("button.reg-copy").count() == tab.page.locator("input[data-copy]").count()
    )
