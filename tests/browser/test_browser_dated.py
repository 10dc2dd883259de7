"""Browser tests of the date fields (issue 17): a record page and /check/.

The expected texts come from Python (`generator.publish.dated` on the sample data, as-of
2026-11-23): the page must show exactly the sentence of the interval that holds the chosen date,
so the browser applies no legal rule of its own. A date input is filled the way Playwright
documents for `<input type="date">` (the widget's segment order follows the machine's locale),
after clicking into it; everything else is clicked and typed.
"""

from __future__ import annotations

from datetime import date

import pytest
from browser_helpers import AS_OF, DATA, Tab
from playwright.sync_api import Page, expect

from generator.publish.dated import dated
from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site
from generator.status.intervals import interval_at

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample() -> Site:
    reg = check_registry(DATA, AS_OF)
    assert not reg.problems
    return build_site(reg)


def expected(sample: Site, rid: str, day: date) -> tuple[str, str]:
    """(heading, sentence) that Python wrote for `rid` on `day`."""
    r = sample.records[rid]
    data = dated(r, sample)
    iv = interval_at(r.intervals, day)
    if iv is None:
        return f"{day.isoformat()}：{data['none_label']}", data["before"]
    entry = data["intervals"][r.intervals.index(iv)]
    return f"{day.isoformat()}：{entry['status_label']}", entry["sentence"]


def choose(page: Page, selector: str, day: date) -> None:
    field = page.locator(selector)
    field.click()
    field.fill(day.isoformat())


def errors(t: Tab) -> list[str]:
    return [*t.page_errors, *t.console_errors, *t.failed]


CASES = [
    ("BMT-2026-005", "/approved/BMT-2026-005/", date(2026, 9, 1)),  # suspended then
    ("BMT-2026-005", "/approved/BMT-2026-005/", date(2026, 7, 20)),  # restricted then
    ("BMT-2026-001", "/approved/BMT-2026-001/", date(2031, 6, 16)),  # opens by time (future)
    ("GL-0015", "/guidance-list/GL-0015/", date(2027, 3, 31)),  # last day of emergency use
    ("GL-0002", "/guidance-list/GL-0002/", date(2026, 5, 1)),  # before it was listed
]


@pytest.mark.parametrize(("rid", "path", "day"), CASES)
def test_record_page_date_field(tab: Tab, sample: Site, rid: str, path: str, day: date) -> None:
    page = tab.goto(path)
    form = page.locator("form.reg-dated-form")
    expect(form).to_be_visible()  # shown by the script; the table is there without it
    expect(page.locator("#reg-dated-day")).to_have_value(AS_OF.isoformat())
    choose(page, "#reg-dated-day", day)
    page.get_by_role("button", name="查询该日状态").click()
    head, sentence = expected(sample, rid, day)
    result = page.locator("#reg-dated-result")
    expect(result.locator(".reg-dated-head")).to_have_text(head)
    expect(result.locator(".reg-dated-sentence")).to_have_text(sentence)
    note = result.locator(".reg-dated-note")
    if day > AS_OF:
        expect(note).to_contain_text("晚于数据截至日 2026-11-23")
    else:
        expect(note).to_have_count(0)
    assert f"day={day.isoformat()}" in page.url  # a link to this answer can be shared
    assert errors(tab) == [] and not tab.foreign_requests()


def test_record_page_date_field_answers_the_research_stage(tab: Tab, sample: Site) -> None:
    """An approval's page asked about a day also says its guidance entry's status that day:
    BMT-2026-005's entry GL-0002 was listed on 2026-09-01 and delisted from 2026-10-15."""
    page = tab.goto("/approved/BMT-2026-005/?day=2026-09-01")
    research = page.locator("#reg-dated-research")
    expect(research.locator(".reg-dated-facet")).to_have_text(
        "临床研究阶段（界定指导原则 二）：备案指导清单条目 GL-0002"
    )
    for day in (date(2026, 9, 1), date(2026, 10, 15), date(2026, 5, 1)):
        choose(page, "#reg-dated-day", day)
        page.get_by_role("button", name="查询该日状态").click()
        head, sentence = expected(sample, "GL-0002", day)
        expect(research.locator(".reg-dated-head")).to_have_text(head)
        expect(research.locator(".reg-dated-sentence")).to_have_text(sentence)
        own, _ = expected(sample, "BMT-2026-005", day)
        expect(page.locator("#reg-dated-result .reg-dated-head")).to_have_text(own)
    # a ban and a guidance entry have no research part of their own
    for path in ("/banned/BAN-0001/", "/guidance-list/GL-0002/"):
        tab.goto(path)
        expect(page.locator("#reg-dated-research")).to_have_count(0)
    assert errors(tab) == [] and not tab.foreign_requests()


def test_a_shared_link_opens_with_the_date(tab: Tab, sample: Site) -> None:
    page = tab.goto("/approved/BMT-2026-004/?day=2026-08-19")
    head, sentence = expected(sample, "BMT-2026-004", date(2026, 8, 19))
    expect(page.locator("#reg-dated-result .reg-dated-head")).to_have_text(head)
    assert "限参与研究机构" in head  # the day before the suspension
    expect(page.locator("#reg-dated-day")).to_have_value("2026-08-19")
    choose(page, "#reg-dated-day", date(2026, 8, 20))
    page.locator("#reg-dated-day").press("Enter")
    head, _ = expected(sample, "BMT-2026-004", date(2026, 8, 20))
    expect(page.locator("#reg-dated-result .reg-dated-head")).to_have_text(head)
    assert errors(tab) == []


def test_check_page_date_field(tab: Tab, sample: Site) -> None:
    page = tab.goto("/check/")
    page.wait_for_selector("#reg-check[data-ready=true]")
    page.locator("#reg-check-q").click()
    page.keyboard.type("BMT-2026-006")
    choose(page, "#reg-check-day", date(2026, 9, 1))
    page.get_by_role("button", name="查询").click()
    card = page.locator("#reg-check-results article.reg-verdict").first
    expect(card).to_have_attribute("data-record", "BMT-2026-006")
    head, sentence = expected(sample, "BMT-2026-006", date(2026, 9, 1))
    main = card.locator(".reg-check-dated .reg-dated-result:not(.reg-dated-research)")
    expect(main.locator(".reg-dated-head")).to_have_text(head)
    expect(main.locator(".reg-dated-sentence")).to_have_text(sentence)
    assert "再评估暂停" in head
    # today's verdict is still there, below, and says so
    expect(card.locator(".reg-check-dated")).to_contain_text("当前结论")
    expect(card.locator(".reg-verdict-headline")).to_be_visible()
    assert "day=2026-09-01" in page.url
    # without a date: no dated block
    page.locator("#reg-check-day").fill("")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#reg-check-results .reg-check-dated")).to_have_count(0)
    assert errors(tab) == [] and not tab.foreign_requests()


def test_check_page_date_answers_the_research_stage_on_that_day(tab: Tab, sample: Site) -> None:
    """BMT-2026-005 grew from GL-0002, delisted on 2026-10-15. On 2026-09-01 the entry was still
    listed: a study could be filed then, though today's facet (below) says it can no longer."""
    page = tab.goto("/check/?q=BMT-2026-005&day=2026-09-01")
    card = page.locator("#reg-check-results article.reg-verdict").first
    expect(card).to_have_attribute("data-record", "BMT-2026-005")
    research = card.locator(".reg-check-dated .reg-dated-research")
    expect(research.locator(".reg-dated-facet")).to_have_text(
        "临床研究阶段（界定指导原则 二）：备案指导清单条目 GL-0002"
    )
    head, sentence = expected(sample, "GL-0002", date(2026, 9, 1))
    expect(research.locator(".reg-dated-head")).to_have_text(head)
    expect(research.locator(".reg-dated-sentence")).to_have_text(sentence)
    assert "在清单内" in head
    assert sample.records["GL-0002"].status.code == "delisted"  # today's facet differs
    expect(card.locator("p.reg-research")).to_contain_text("调出")
    # the day after the delisting, the research stage says so; a date after the as-of date is
    # noted once, under the approval's own answer
    page.goto(page.url.split("?")[0] + "?q=BMT-2026-005&day=2026-12-01")
    head, sentence = expected(sample, "GL-0002", date(2026, 12, 1))
    expect(research.locator(".reg-dated-sentence")).to_have_text(sentence)
    assert "调出" in head
    expect(card.locator(".reg-dated-note")).to_have_count(1)
    # a technology with no guidance entry (a ban) has no research part
    page.goto(page.url.split("?")[0] + "?q=BAN-0001&day=2026-09-01")
    expect(card.locator(".reg-check-dated .reg-dated-head")).to_have_count(1)
    expect(card.locator(".reg-dated-research")).to_have_count(0)
    assert errors(tab) == [] and not tab.foreign_requests()


def test_check_page_future_date_and_several_hits(tab: Tab, sample: Site) -> None:
    page = tab.goto("/check/?q=%E5%99%AC%E8%8F%8C%E4%BD%93&day=2027-04-01")  # 噬菌体
    page.wait_for_selector("#reg-check-results article.reg-verdict")
    card = page.locator("#reg-check-results article.reg-verdict").first
    head, sentence = expected(sample, "GL-0015", date(2027, 4, 1))
    expect(card.locator(".reg-dated-head")).to_have_text(head)
    expect(card.locator(".reg-dated-sentence")).to_have_text(sentence)
    expect(card.locator(".reg-dated-note")).to_contain_text("晚于数据截至日")
    assert "紧急应用" not in head  # ended on 2027-03-31
    assert errors(tab) == []


def test_check_page_date_before_the_first_announcement(tab: Tab) -> None:
    from generator.publish.dated import BEFORE_ANY, NONE_LABEL

    page = tab.goto("/check/?q=GL-0002&day=2026-05-01")
    card = page.locator("#reg-check-results article.reg-verdict").first
    # GL-0002's technology is answered by BMT-2026-005, grown from it (issue 22); both were first
    # named after 2026-05-01 (listed 2026-05-15, approved 2026-07-10)
    expect(card).to_have_attribute("data-record", "BMT-2026-005")
    # neither the approval nor its research stage (GL-0002) had a status on that day
    expect(card.locator(".reg-dated-head")).to_have_text([f"2026-05-01：{NONE_LABEL}"] * 2)
    expect(card.locator(".reg-dated-sentence")).to_have_text([BEFORE_ANY] * 2)
    assert errors(tab) == []
