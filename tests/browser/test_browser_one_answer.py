"""Issue 22, as a person meets it: one technology, one answer.

GL-0003 (a guidance entry, listed) is the research stage of BMT-2026-001 (approved from it,
`guidance_entry: GL-0003`). A hospital searching 「CAR-T」 or 「GL-0003」 must see one card, the
approval's, with the research stage inside; `/check/` must answer once, never adding a card that
says 「不得用于临床应用」 next to one that allows use. `/banned/` holds every banned record, approved
technologies included. A ban that follows from a direct delisting of the entry (界定指导原则
二（二）2（1）) is shown on the record's timeline as a consequence of the announcement, not as a
「禁止临床应用」 act the announcement does not contain: the sample data has no such ban (BMT-2026-005
is banned by name in the very announcement that delists GL-0002), so that test builds a scenario
registry of its own on the minimal registry of tests/conftest.py.

Each test fails on the code before commit 3f02422: there, GL-0003 was a search result and a
`/check/` card of its own (「仅可开展临床研究……不得用于临床应用」), cards had no research line,
`/banned/` listed only BAN-* records, and the derived ban was a 「禁止临床应用」 act on the timeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_helpers import Tab, build_site, open_tab, record_yaml, serve
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

GL, BMT = "GL-0003", "BMT-2026-001"
GL_URL, BMT_URL = f"/guidance-list/{GL}/", f"/approved/{BMT}/"


def api_records(tab: Tab) -> dict[str, dict[str, Any]]:
    """api/records.json as the site serves it, by id."""
    response = tab.context.request.get(tab.origin + "/api/records.json")
    assert response.ok
    return {r["id"]: r for r in response.json()["records"]}


def technology_cards(tab: Tab) -> list[dict[str, str]]:
    """The search result cards of the CAR-T technology: its approval's page or its entry's."""
    return tab.page.eval_on_selector_all(
        "pagefind-modal pagefind-results li.reg-result",
        """(els, urls) => els
          .map(li => ({
            href: li.querySelector('a.pf-result-link').getAttribute('href'),
            research: [...li.querySelectorAll('.reg-research')].map(p => p.textContent.trim()),
          }))
          .filter(c => urls.includes(c.href))""",
        [GL_URL, BMT_URL],
    )


# --- (a) the header search ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["CAR-T", "GL-0003"])
def test_search_shows_one_card_for_the_technology(tab: Tab, query: str) -> None:
    assert record_yaml(BMT)["guidance_entry"] == GL
    assert query in {GL, *record_yaml(GL)["aliases"]}  # the entry's id or alias
    records = api_records(tab)
    assert records[GL]["status_label"] == "在清单内" and records[BMT]["status"] == "restricted"
    tab.goto("/")
    urls = tab.search(query)
    assert urls[:1] == [BMT_URL], urls  # the approval leads
    assert GL_URL not in urls, urls
    cards = technology_cards(tab)
    assert [c["href"] for c in cards] == [BMT_URL], cards
    assert cards[0]["research"] == [f"临床研究阶段：备案指导清单 {GL} 在清单内"], cards
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


# --- (b) /check/ -------------------------------------------------------------------------------


def ask(page: Page, query: str, institution: str) -> None:
    """Type into the two fields and press the button, as a person does."""
    page.wait_for_selector("#reg-check[data-ready=true]")
    page.locator("#reg-check-q").click()
    page.keyboard.type(query)
    page.locator("#reg-check-inst").click()
    page.keyboard.type(institution)
    page.keyboard.press("Escape")  # close the suggestion list, if any
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("#reg-check-results article.reg-verdict")


def test_check_gives_one_answer_with_the_research_stage(tab: Tab) -> None:
    institution = api_records(tab)[BMT]["institutions"][0]  # a participating institution
    page = tab.goto("/check/")
    ask(page, "CAR-T", institution)
    cards = page.locator("#reg-check-results article.reg-verdict")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_have_attribute("data-record", BMT)
    expect(card.locator(".reg-answer-chip")).to_have_text("可以开展（须符合条件）")
    expect(card.locator(".reg-verdict-inst")).to_contain_text("在参与研究机构名单内")
    research = card.locator("p.reg-research")
    expect(research).to_have_count(1)
    expect(research).to_contain_text(f"临床研究阶段（备案指导清单 {GL}：在清单内）")
    # no card (there is only one) and no sentence in the answer denies the clinical use it allows
    answers = page.locator("#reg-check-results").inner_text()
    assert "不得用于临床应用" not in answers, answers
    # the research stage links to the guidance entry's own page
    research.get_by_role("link", name="查看清单条目").click()
    page.wait_for_url(f"**{GL_URL}")
    assert page.locator("h1").inner_text() == record_yaml(GL)["name"]
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


# --- (c) /banned/ ------------------------------------------------------------------------------


def test_banned_list_holds_every_banned_record(tab: Tab) -> None:
    banned = sorted(rid for rid, r in api_records(tab).items() if r["status"] == "banned")
    # BMT-2026-005 is banned by ANN-2026-010: an approved technology on the list
    assert any(rid.startswith("BMT") for rid in banned), banned
    page = tab.goto("/")
    card = page.locator("a.reg-card", has_text="禁止技术")
    assert int(card.locator(".reg-card-total").inner_text()) == len(banned)
    card.click()
    page.wait_for_url("**/banned/")
    rows = page.locator("table[data-reg-table] tbody tr")
    ids = sorted(rows.locator("td:first-child").all_inner_texts())
    assert ids == banned
    expect(page.locator("p.reg-asof")).to_contain_text(f"共 {len(banned)} 条")
    count = page.locator("form[data-reg-filter] output.reg-count")
    expect(count).to_have_text(f"显示 {len(banned)} / {len(banned)} 条")
    for rid in banned:
        row = rows.filter(has=page.locator(f'td[data-key="{rid}"]'))
        expect(row.locator(".reg-badge")).to_have_text("已禁止")
        if rid.startswith("BMT"):  # an approved technology on this list says what it is
            expect(row.locator(".reg-kind-note")).to_have_text("（已批准技术）")
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


# --- (d) a derived ban on the record's timeline --------------------------------------------------

# The minimal registry of tests/conftest.py: GL-0001 listed 2026-01-10, BMT-2026-001 approved from
# it 2026-03-01. ANN-2026-003 delists GL-0001 directly and names nothing else.
DELIST = {
    "id": "ANN-2026-003",
    "number": "国家卫生健康委公告 2026年第3号",
    "title": "关于调出备案指导清单条目的公告",
    "date": date(2026, 6, 1),
    "body": "正文。\n",
    "actions": [
        {"action": "delist", "record": "GL-0001", "route": "direct", "ground": "major_ethics_issue"}
    ],
}


@pytest.fixture
def derived_ban_site(tmp_path: Path, kit: Any, browser: Browser) -> Iterator[Tab]:
    data = kit.make_registry(
        tmp_path / "data",
        {
            "announcements/ANN-2026-003.yaml": yaml.safe_dump(
                DELIST, allow_unicode=True, sort_keys=False
            )
        },
    )
    assert kit.BASE["approved/BMT-2026-001.yaml"].count("guidance_entry: GL-0001") == 1
    site = build_site(data, tmp_path / "site")
    with serve(site) as origin, open_tab(browser, origin) as t:
        yield t


def test_derived_ban_is_a_consequence_on_the_timeline(derived_ban_site: Tab) -> None:
    tab = derived_ban_site
    page = tab.goto("/approved/BMT-2026-001/")
    timeline = page.locator("ol.reg-timeline")
    entries = timeline.locator(":scope > li")
    expect(entries).to_have_count(2)  # the approval (an act), then the ban (a consequence)
    act, consequence = entries.nth(0), entries.nth(1)
    expect(act.locator("strong")).to_have_text("批准临床转化应用")
    expect(consequence).to_have_class(re.compile(r"\breg-consequence\b"))
    expect(consequence.locator(".reg-consequence-tag")).to_have_text("后果")
    expect(consequence.locator("time")).to_have_attribute("datetime", "2026-06-01")
    expect(consequence).to_contain_text("界定指导原则 二（二）2（1）")
    # no act the announcement does not contain
    assert "禁止临床应用" not in timeline.locator("strong").all_inner_texts()
    # its cause is one click away, and lists it as a consequence too
    consequence.get_by_role("link", name=DELIST["number"]).click()
    page.wait_for_url("**/announcements/ANN-2026-003/")
    listed = page.locator("#consequences ~ ul.reg-consequences li")
    expect(listed).to_have_count(1)
    expect(listed.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"approved/BMT-2026-001/$")
    )
    # and /banned/ holds it
    page = tab.goto("/banned/")
    ids = page.locator("table[data-reg-table] tbody td:first-child").all_inner_texts()
    assert sorted(ids) == ["BAN-0001", "BMT-2026-001"], ids
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors
