"""Browser tests of `/check/` (lookup) and `/check/delineation/` (self-check), issue 6.

The expected verdict of every lookup is computed in Python by `generator.publish.lookup` on the sample data
(as-of 2026-11-23), so these tests check that the page shows exactly the verdict Python derived from
the legal status. (Named test_browser_check.py: tests/publish/test_check.py already owns the module name.)
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import AS_OF, DATA, Tab, approvals, cn_date, open_tab, squash
from playwright.sync_api import Browser, Page, expect

from generator.domain.delineation import OUTCOMES, STEPS
from generator.publish.pipeline import check_registry
from generator.publish.verdict import not_found_verdict, verdict
from generator.publish.views import Site, build_site

pytestmark = pytest.mark.browser

# guidance entry → the published approval grown from it: one technology, answered by the approval's
# card with the entry as its research facet (issue 22); never a card of its own
GROWN = approvals()


@pytest.fixture(scope="module")
def sample() -> Site:
    reg = check_registry(DATA, AS_OF)
    assert not reg.problems
    return build_site(reg)


def own_errors(t: Tab) -> list[str]:
    """JavaScript errors, and failed requests for what these pages load (the site-wide 404 check
    is test_browser_hygiene's job)."""
    mine = ("/check/", "/assets/check.js", "/api/check-index.json")
    errors = list(t.page_errors)
    errors += [e for e in t.console_errors if not e.startswith("Failed to load resource")]
    return errors + [f for f in t.failed if any(m in f for m in mine)]


def lookup(page: Page, query: str, institution: str = "") -> None:
    page.wait_for_selector("#reg-check[data-ready=true]")
    page.fill("#reg-check-q", query)
    page.fill("#reg-check-inst", institution)
    page.click("#reg-check-form button[type=submit]")
    page.wait_for_selector("#reg-check-results article.reg-verdict")


def card_ids(page: Page) -> list[str | None]:
    return page.locator("#reg-check-results article.reg-verdict").evaluate_all(
        "els => els.map(e => e.getAttribute('data-record'))"
    )


def first_card(page: Page) -> dict[str, Any]:
    card = page.locator("#reg-check-results article.reg-verdict").first
    return {
        "record": card.get_attribute("data-record"),
        "answer": card.locator(".reg-answer-chip").inner_text(),
        "headline": card.locator(".reg-verdict-headline").inner_text(),
        "text": card.inner_text(),
        "research": card.locator("p.reg-research").all_inner_texts(),
        "research_links": card.locator("p.reg-research a").evaluate_all(
            "els => els.map(e => new URL(e.href).pathname)"
        ),
        "links": card.locator(".reg-verdict-links a").evaluate_all(
            "els => els.map(e => new URL(e.href).pathname + new URL(e.href).hash)"
        ),
    }


LOOKUPS = [
    # (query, institution, expected first record or None for not found)
    ("BMT-2026-001", "", "BMT-2026-001"),  # id: restricted
    ("bmt 2026 003", "", "BMT-2026-003"),  # id, lower case and spaces: restricted, amended
    ("ＢＭＴ－２０２６－００４", "", "BMT-2026-004"),  # full-width id: suspended
    ("脐带MSC治疗肝硬化", "", "BMT-2026-005"),  # alias: banned after re-evaluation
    ("FMT", "示例省人民医院", "BMT-2026-002"),  # alias + participating institution
    ("ｆｍｔ", "示例市骨科医院", "BMT-2026-002"),  # full-width alias + another institution
    ("CAR T", "", "BMT-2026-001"),  # spacing instead of a hyphen
    ("噬菌体", "", "GL-0015"),  # part of a name: listed with emergency use
    ("AAV基因治疗视网膜病变", "", "GL-0005"),  # alias: delisted after review
    ("人脐带间充质干细胞治疗失代偿期肝硬化技术", "", "BMT-2026-005"),  # full name (also GL-0002's)
    ("GL-0002", "", "BMT-2026-005"),  # id of a delisted entry grown into a banned approval
    ("GL-0003", "示例省人民医院", "BMT-2026-001"),  # id of a listed entry: its approval answers
    ("菌群移植治疗艰难梭菌感染", "", "BMT-2026-002"),  # GL-0008's alias only
    ("基因编辑婴儿", "", "BAN-0001"),  # alias: banned outright
    ("GL-0010", "", "GL-0010"),  # id: retained on the list after review
    (
        "组织工程皮肤",
        "示例市第一人民医院",
        "BMT-2026-003",
    ),  # start of a name: restricted, another institution
    (
        "  自体 间充质干细胞 ",
        "示例市骨科医院",
        "BMT-2026-006",
    ),  # partial, spaces: restricted, resumed
    ("噬\u200b菌体", "", "GL-0015"),  # pasted with a zero-width space
    ("FMT", "示例省人民\u200b医院", "BMT-2026-002"),  # an institution pasted the same way: listed
    ("Treg细胞治疗", "", None),  # listed only on 2026-12-15: embargoed, so not found
    ("量子纠缠疗法", "", None),  # unknown
]


@pytest.mark.parametrize(("query", "institution", "expected"), LOOKUPS)
def test_lookup_shows_the_python_verdict(
    tab: Tab, sample: Site, query: str, institution: str, expected: str | None
) -> None:
    page = tab.goto("/check/")
    lookup(page, query, institution)
    got = first_card(page)
    if expected is None:
        v = not_found_verdict(sample)
        assert got["record"] is None
        assert "/check/delineation/" in got["links"]
        expect(page.locator("#reg-check-status")).to_contain_text("没有找到")
    else:
        r = sample.records[expected]
        v = verdict(r, sample, institution or None)
        assert got["record"] == expected
        assert r.url in got["links"]  # every answer links to its record …
        if r.status.announcement:
            assert f"/announcements/{r.status.announcement}/" in got["links"]  # … and announcement
    assert (got["answer"], got["headline"]) == (v.answer, v.headline)
    for paragraph in v.explanation:
        assert paragraph in got["text"]
    assert v.basis in got["text"]
    assert cn_date(AS_OF) in got["text"]  # valid as of
    assert "不构成行政决定" in got["text"]
    # one technology, one card: a guidance entry with a published approval is the approval's
    # research facet, shown inside its card with a link to the entry, never a card of its own
    assert not set(card_ids(page)) & GROWN.keys(), card_ids(page)
    if v.research is None:
        assert got["research"] == []
    else:
        assert [squash(t) for t in got["research"]] == [
            squash(v.research_sentence + " 查看清单条目")
        ]
        assert got["research_links"] == [v.research.record.url]
    if institution and expected and expected.startswith("BMT"):
        listed = "不在参与研究机构名单内" if not v.institution_listed else "在参与研究机构名单内"
        assert listed in got["text"]
    assert own_errors(tab) == []
    assert not tab.foreign_requests()


def test_a_technology_with_an_approval_is_one_card(tab: Tab) -> None:
    """「CAR-T」 names both GL-0003 and BMT-2026-001, grown from it: one card, the approval's, with
    the entry's research stage inside (issue 22: two cards contradicted each other)."""
    assert GROWN["GL-0003"] == "BMT-2026-001"
    page = tab.goto("/check/")
    for query in ("CAR-T", "GL-0003"):
        lookup(page, query)
        assert card_ids(page) == ["BMT-2026-001"], query
        research = page.locator("#reg-check-results article.reg-verdict p.reg-research")
        expect(research).to_have_count(1)
        expect(research).to_contain_text("GL-0003")
        link = research.get_by_role("link").evaluate("a => new URL(a.href).pathname")
        assert link == "/guidance-list/GL-0003/", link


def test_participating_institution_is_marked(tab: Tab) -> None:
    page = tab.goto("/check/?q=BMT-2026-001&institution=" + "示例省人民医院")
    page.wait_for_selector("#reg-check-results article.reg-verdict")
    mine = page.locator("#reg-check-results .reg-inst-mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("示例省人民医院")
    expect(page.locator(".reg-answer-chip").first).to_have_text("可以开展（须符合条件）")


def test_query_in_the_url_is_answered_and_kept(tab: Tab) -> None:
    page = tab.goto("/check/?q=FMT")
    page.wait_for_selector("#reg-check-results article.reg-verdict")
    assert page.input_value("#reg-check-q") == "FMT"
    lookup(page, "噬菌体")
    assert "q=%E5%99%AC%E8%8F%8C%E4%BD%93" in page.url


def test_only_the_same_origin_index_is_fetched(tab: Tab) -> None:
    page = tab.goto("/check/")
    lookup(page, "FMT")
    fetched = [u for u in tab.requests if "/api/" in u]
    assert [u.split("?")[0] for u in fetched] == [tab.origin + "/api/check-index.json"]
    assert not tab.foreign_requests() and own_errors(tab) == []


# --- keyboard only ---------------------------------------------------------------------------------


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_lookup_with_the_keyboard_alone(tab: Tab) -> None:
    page = tab.goto("/check/")
    page.wait_for_selector("#reg-check[data-ready=true]")
    tab_to(page, "#reg-check-q")
    page.keyboard.type("ＦＭＴ")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "reg-check-inst"
    page.keyboard.type("示例省人民医院")
    page.keyboard.press("Escape")  # close the suggestion list, if any
    page.keyboard.press("Enter")
    page.wait_for_selector("#reg-check-results article.reg-verdict")
    expect(page.locator(".reg-answer-chip").first).to_have_text("可以开展（须符合条件）")
    tab_to(page, "#reg-check-results .reg-verdict-links a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/approved/BMT-2026-002/")


def test_self_check_with_the_keyboard_alone(tab: Tab) -> None:
    page = tab.goto("/check/delineation/")
    expect(page.locator("#q-device")).to_be_visible()
    expect(page.locator("#q-drug")).to_be_hidden()
    tab_to(page, "#q-device a.reg-answer[data-next=q-drug]")
    page.keyboard.press("Enter")
    expect(page.locator("#q-drug")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "q-drug-h"  # focus follows the step
    tab_to(page, "#q-drug a.reg-answer[data-next=out-drug]")
    page.keyboard.press("Enter")
    expect(page.locator("#out-drug")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "out-drug-h"
    tab_to(page, "#out-drug button.reg-back")
    page.keyboard.press("Enter")
    expect(page.locator("#q-drug")).to_be_visible()
    expect(page.locator("#out-drug")).to_be_hidden()
    assert own_errors(tab) == []


# --- the self-check --------------------------------------------------------------------------------

PATHS = {
    "device": ["q-device:out-device"],
    "drug": ["q-device:q-drug", "q-drug:out-drug"],
    "research": [
        "q-device:q-drug",
        "q-drug:q-scope",
        "q-scope:q-list",
        "q-list:q-done",
        "q-done:out-research",
    ],
    "translation": [
        "q-device:q-drug",
        "q-drug:q-scope",
        "q-scope:q-list",
        "q-list:q-done",
        "q-done:q-personal",
        "q-personal:q-rare",
        "q-rare:out-translation",
    ],
}


@pytest.mark.parametrize("route", sorted(PATHS))
def test_self_check_reaches_each_route(phone_tab: Tab, route: str) -> None:
    page = phone_tab.goto("/check/delineation/")
    clauses = {s.id: s.clause for s in STEPS}
    for hop in PATHS[route]:
        step, target = hop.split(":")
        page.locator(f"#{step} a.reg-answer[data-next={target}]").click()
        expect(page.locator(f"#{target}")).to_be_visible()
    outcome = next(o for o in OUTCOMES if o.id == PATHS[route][-1].split(":")[1])
    assert outcome.route == route
    visible = page.locator("section[data-step]:visible, section[data-outcome]:visible")
    expect(visible).to_have_count(1)
    trail = page.locator("#reg-trail")
    expect(trail).to_be_visible()
    for hop in PATHS[route]:  # every answered step is listed with its clause
        expect(trail).to_contain_text(clauses[hop.split(":")[0]])
    expect(page.locator(f"#{outcome.id}")).to_contain_text(outcome.clause)
    expect(page.locator("#reg-step-status")).to_have_text("自查结论：" + outcome.title)
    # browser Back returns to the last question
    page.go_back()
    expect(page.locator("#" + PATHS[route][-1].split(":")[0])).to_be_visible()
    assert own_errors(phone_tab) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_self_check_works_without_javascript(browser: Browser, origin: str) -> None:
    with open_tab(browser, origin, java_script_enabled=False) as t:
        page = t.goto("/check/delineation/")
        for s in STEPS:
            expect(page.locator(f"#{s.id}")).to_be_visible()
        page.locator("#q-device a.reg-answer[data-next=out-device]").click()
        assert page.url.endswith("#out-device")
        expect(page.locator("#out-device")).to_be_in_viewport()


# --- phone, errors and accessibility ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/check/", "/check/?q=FMT&institution=示例省人民医院", "/check/delineation/"]
)
def test_phone_layout_without_errors(phone_tab: Tab, path: str) -> None:
    page = phone_tab.goto(path)
    if "q=" in path:
        page.wait_for_selector("#reg-check-results article.reg-verdict")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert own_errors(phone_tab) == []


def serious(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/check/",
        "/check/?q=CAR-T&institution=示例省人民医院",
        "/check/?q=量子纠缠疗法",
        "/check/delineation/",
        "/approved/BMT-2026-001/",
    ],
)
def test_axe_no_serious_violations(tab: Tab, path: str) -> None:
    page = tab.goto(path)
    if "q=" in path:
        page.wait_for_selector("#reg-check-results article.reg-verdict")
    assert serious(page) == []


def test_axe_on_a_finished_self_check(phone_tab: Tab) -> None:
    page = phone_tab.goto("/check/delineation/")
    for hop in PATHS["translation"]:
        step, target = hop.split(":")
        page.locator(f"#{step} a.reg-answer[data-next={target}]").click()
    assert serious(page) == []


# typos, traditional characters, extra words, none; 𠀀 (U+20000, two UTF-16 units) counts as one
# character in both, or the browser would ask for a longer run than Python
SUGGESTED = [
    "粪菌移值",
    "干细抱",
    "幹細抱",
    "干细胞美容",
    "间充质干细胞治疗膝关节炎",
    "cart疗法",
    "量子纠缠疗法",
    "𠀀干细抱",
]


def test_suggestions_are_the_same_in_the_browser_and_registry_check(tab: Tab, sample: Site) -> None:
    """What /check/ offers under 您是否指 for a query that matched nothing is what `registry check`
    offers (publish/lookup.py `suggest`, assets/names.js `suggest`), in the same order."""
    from generator.publish.lookup import find, suggest

    page = tab.goto("/check/")
    offered = {}
    for query in SUGGESTED:
        assert not find(sample, query), query
        lookup(page, query)
        texts = page.locator("#reg-check-results .reg-check-suggest-button").all_inner_texts()
        offered[query] = [t.split("（")[-1].split("，")[0] for t in texts]
    python = {q: [r.id for r in suggest(sample, q)] for q in SUGGESTED}
    assert offered == python
    assert python["量子纠缠疗法"] == [] and python["粪菌移值"][0] == "BMT-2026-002"
    assert python["幹細抱"] == python["干细抱"] != []
    assert python["𠀀干细抱"] != []
    assert own_errors(tab) == []


TYPED_INSTITUTIONS = [
    "示例第一医院",
    "人民医院",
    "ｓ示例省人民医院",
    "示例省医院",
    "某某医院",
    "𠀀示例省人民医院",
]


def test_institution_suggestions_are_the_same_in_the_browser_and_registry_check(
    tab: Tab, sample: Site
) -> None:
    """An institution typed unlike every listed one: /check/ and `registry check` offer the same
    names in the same order (publish/lookup.py `suggest_institutions`, assets/names.js)."""
    from generator.publish.lookup import suggest_institutions

    page = tab.goto("/check/")
    offered = {}
    for typed in TYPED_INSTITUTIONS:
        lookup(page, "CAR-T", typed)
        offered[typed] = page.locator(
            "#reg-check-results .reg-check-suggest-button"
        ).all_inner_texts()
    python = {t: suggest_institutions(sample, t) for t in TYPED_INSTITUTIONS}
    assert offered == python
    assert python["示例第一医院"][0] == "示例大学附属第一医院" and python["某某医院"] == []
    assert python["𠀀示例省人民医院"][0] == "示例省人民医院"
    assert own_errors(tab) == []


# (keys, query) pairs: exact, prefix, inside, too short to match inside; 𠀀 (U+20000) is one
# character to Python and two UTF-16 units to JavaScript, which must count it as Python does
SCORED = [
    (["bmt-2026-001", "car-t疗法"], "bmt-2026-001"),
    (["bmt-2026-001", "car-t疗法"], "car"),
    (["bmt-2026-001", "car-t疗法"], "t疗"),
    (["x", "甲𠀀乙"], "𠀀"),
    (["x", "甲𠀀乙"], "𠀀乙"),
    (["x", "甲𠀀乙"], "乙"),
]
PAIRS = [
    ("干细抱", "间充质干细胞"),
    ("𠀀干细抱", "干细胞𠀀"),
    ("示例第一医院", "示例大学附属第一医院"),
]


def test_the_browser_matcher_counts_as_python_does(tab: Tab) -> None:
    """assets/names.js and Python agree on every rule they share, astral characters included."""
    from generator.domain.names import common_subsequence, longest_run, typos
    from generator.publish.lookup import MIN_PARTIAL, match_score

    page = tab.goto("/check/")
    page.wait_for_selector("#reg-check[data-ready=true]")
    js = page.evaluate(
        """([scored, pairs, minPartial]) => ({
          score: scored.map(([keys, q]) => RegNames.score(keys, q, minPartial)),
          typos: pairs.map(([a, b]) => RegNames.typos(a, b)),
          run: pairs.map(([a, b]) => RegNames.longestRun(a, b)),
        })""",
        [SCORED, PAIRS, MIN_PARTIAL],
    )
    python_score = [match_score(keys, q) for keys, q in SCORED]
    assert js["score"] == [-1 if s is None else s for s in python_score]
    assert python_score[3] is None  # one character: no match inside a name
    assert js["typos"] == [typos(a, b) for a, b in PAIRS]
    assert js["run"] == [longest_run(a, b) for a, b in PAIRS]
    common = page.evaluate(
        "pairs => pairs.map(([a, b]) => RegNames.commonSubsequence(a, b))", PAIRS
    )
    assert common == [common_subsequence(a, b) for a, b in PAIRS]
