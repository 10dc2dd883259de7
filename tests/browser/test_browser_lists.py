"""List pages: sortable tables and the filter form (assets/registry.js)."""

from __future__ import annotations

import pytest
from browser_helpers import Tab

pytestmark = pytest.mark.browser


def column(tab: Tab, index: int, visible_only: bool = False) -> list[str]:
    """Text of column `index` (0-based) in the list table, in display order."""
    return tab.page.eval_on_selector_all(
        "table[data-reg-table] tbody tr",
        "(rows, [i, vis]) => rows.filter(r => !vis || !r.hidden).map(r => r.cells[i].textContent.trim())",
        [index, visible_only],
    )


def visible_ids(tab: Tab) -> list[str]:
    return column(tab, 0, visible_only=True)


def count_text(tab: Tab) -> str:
    return tab.page.locator("form[data-reg-filter] output.reg-count").inner_text().strip()


def test_approved_table_sorts_by_clicked_header(tab: Tab) -> None:
    tab.goto("/approved/")
    headers = tab.page.eval_on_selector_all(
        "table[data-reg-table] thead th", "ths => ths.map(t => t.textContent.trim())"
    )
    date_col = headers.index("批准日期")
    ids_before = column(tab, 0)
    assert ids_before == sorted(ids_before), "initial order is by id"

    tab.page.get_by_role("button", name="批准日期").click()
    th = tab.page.locator("table[data-reg-table] thead th").nth(date_col)
    assert th.get_attribute("aria-sort") == "ascending"
    dates = column(tab, date_col)
    assert dates == sorted(dates)
    assert column(tab, 0) != ids_before, "sorting by approval date did not change the order"
    assert column(tab, 0)[0] == "BMT-2026-002"  # approved 2026-05-20, the earliest (ANN-2026-002)

    tab.page.get_by_role("button", name="批准日期").click()
    assert th.get_attribute("aria-sort") == "descending"
    dates = column(tab, date_col)
    assert dates == sorted(dates, reverse=True)
    assert column(tab, 0)[-1] == "BMT-2026-002"

    tab.page.get_by_role("button", name="编号").click()
    assert column(tab, 0) == ids_before
    assert not tab.page_errors and not tab.console_errors


def test_approved_filter_form_hides_rows_and_counts(tab: Tab) -> None:
    tab.goto("/approved/")
    form = tab.page.locator("form[data-reg-filter]")
    assert form.is_visible(), "the filter form is revealed by registry.js"
    total = len(column(tab, 0))
    assert total == 6
    assert count_text(tab) == f"显示 {total} / {total} 条"

    form.locator("select[name=status]").select_option(label="再评估暂停")
    assert visible_ids(tab) == [
        "BMT-2026-004"
    ]  # suspended by ANN-2026-008, still under re-evaluation
    assert count_text(tab) == f"显示 1 / {total} 条"
    assert tab.page.locator("tr:has-text('BMT-2026-001')").is_hidden()

    form.locator("select[name=status]").select_option(value="")
    keyword = form.locator("input[name=q]")
    keyword.press_sequentially("干细胞")
    assert visible_ids(tab) == ["BMT-2026-005", "BMT-2026-006"]
    assert count_text(tab) == f"显示 2 / {total} 条"

    form.locator("select[name=status]").select_option(label="限参与研究机构")
    assert visible_ids(tab) == ["BMT-2026-006"]
    assert count_text(tab) == f"显示 1 / {total} 条"

    form.locator("select[name=status]").select_option(value="")
    keyword.fill("")
    keyword.press_sequentially("cd19 car-t")  # case, width and spaces do not matter
    assert visible_ids(tab) == ["BMT-2026-001"]

    keyword.fill("")
    keyword.press_sequentially("没有这样的技术")
    assert visible_ids(tab) == []
    assert count_text(tab) == f"显示 0 / {total} 条"

    keyword.fill("")
    assert len(visible_ids(tab)) == total
    assert count_text(tab) == f"显示 {total} / {total} 条"


def test_guidance_filter_by_emergency_use_and_category(tab: Tab) -> None:
    tab.goto("/guidance-list/")
    form = tab.page.locator("form[data-reg-filter]")
    total = len(column(tab, 0))
    assert total == 15  # GL-0016 is embargoed (ANN-2026-014 is dated 2026-12-15)
    form.locator("select[name=status]").select_option(label="紧急应用")
    assert visible_ids(tab) == ["GL-0015"]
    form.locator("select[name=status]").select_option(label="已调出")
    assert visible_ids(tab) == ["GL-0002", "GL-0005"]
    form.locator("select[name=status]").select_option(value="")
    form.locator("select[name=category]").select_option(label="组织工程")
    assert visible_ids(tab) == ["GL-0006", "GL-0013"]
    assert count_text(tab) == f"显示 2 / {total} 条"


def test_a_banned_approval_shows_no_running_period(tab: Tab) -> None:
    """BMT-2026-005 is banned (ANN-2026-010): its 限定期 no longer runs, and the approved list says
    so instead of showing the date as if it did (issue 22); a running one is shown plainly."""
    tab.goto("/approved/")
    period = tab.page.locator(
        "table[data-reg-table] tbody tr:has(td[data-key='BMT-2026-005']) td[data-label='限定期至']"
    )
    assert period.inner_text().strip().endswith("已不适用"), period.inner_text()
    assert period.locator("s").count() == 1  # the date struck through
    running = tab.page.locator(
        "table[data-reg-table] tbody tr:has(td[data-key='BMT-2026-001']) td[data-label='限定期至']"
    )
    assert "已不适用" not in running.inner_text() and running.locator("s").count() == 0
