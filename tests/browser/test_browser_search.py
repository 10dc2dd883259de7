"""Search like a person: open the header search, type, read the results, narrow them with filters.

Every expectation below was checked against the YAML in data/ (see `test_expectations_match_the_data`,
which re-checks each one so that a change to the sample data shows up as a clear failure here).
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass

import pytest
from browser_helpers import (
    AS_OF,
    DATA,
    Tab,
    announcements_naming,
    approvals,
    categories,
    record_yaml,
)
from playwright.sync_api import Route

pytestmark = pytest.mark.browser


def url(record_id: str) -> str:
    folder = {
        "GL": "guidance-list",
        "BMT": "approved",
        "BAN": "banned",
        "ANN": "announcements",
        "CR": "research",
    }
    return f"/{folder[record_id.split('-')[0]]}/{record_id}/"


@dataclass(frozen=True)
class Case:
    query: str
    expect: tuple[str, ...]  # record ids that must be among the results
    first: str | None = None  # record id that must be the top result
    absent: tuple[str, ...] = ()  # record ids that must not be among the results
    same_as: str | None = None  # an earlier query of the group that must give the same results
    why: str = ""  # where the words are in the data


# A guidance entry from which a published approval grew (`guidance_entry`) is that technology's
# research stage, not a result of its own (issue 22): its id, name and aliases find the approval's
# card. `GROWN` maps such entries to their approvals; no search may list one of them.
GROWN = approvals()

# Grouped by theme: one fresh page per group, several queries typed one after another into the modal.
GROUPS: dict[str, list[Case]] = {
    "stem-cells": [
        Case(
            "干细胞",
            ("BMT-2026-006", "BMT-2026-005", "GL-0011"),
            absent=("GL-0001", "GL-0002"),
            why="inside 间充质干细胞 (BMT-006/005, grown from GL-0001/0002) and 多能干细胞 (GL-0011 "
            "mechanism)",
        ),
        Case(
            "间充质干细胞",
            ("BMT-2026-005", "BMT-2026-006"),
            absent=("GL-0011", "GL-0001", "GL-0002"),
            why="names of BMT-005/006 (and of their entries GL-0002/0001); GL-0011 is iPSC",
        ),
        Case("骨关节炎", ("BMT-2026-006",), absent=("GL-0001",), why="name (膝骨关节炎)"),
        Case("自体MSC", ("BMT-2026-006",), absent=("GL-0001",), why="aliases 自体MSC关节腔注射…"),
    ],
    "gene-editing": [
        Case(
            "基因编辑",
            ("GL-0004", "BAN-0001"),
            why="GL-0004 mechanism 本技术属于基因编辑技术; BAN-0001 name and category",
        ),
        # the announcement amending GL-0004 (ANN-2026-007, same words in its title) may rank first
        Case("碱基编辑", ("GL-0004",), why="GL-0004 name"),
        Case(
            "地中海贫血",
            ("GL-0004",),
            first="GL-0004",
            why="GL-0004 name 碱基编辑治疗β-地中海贫血技术",
        ),
        Case(
            "胚胎",
            ("BAN-0001", "BAN-0003", "GL-0007"),
            why="BAN-0001/0003 names, GL-0007 name 胚胎植入前…",
        ),
        Case("生殖系基因编辑", ("BAN-0001",), first="BAN-0001", why="BAN-0001 alias"),
    ],
    "cell-therapy": [
        Case(
            "细胞治疗",
            ("BMT-2026-001", "GL-0010", "BMT-2026-005", "BMT-2026-006"),
            absent=("GL-0003", "GL-0002", "GL-0001"),
            why="category 细胞治疗 of BMT-001 and GL-0010; alias CD19 CAR-T细胞治疗 of GL-0003 "
            "(BMT-001); names …干细胞治疗… of BMT-005/006 and their entries GL-0002/0001",
        ),
        Case("CAR-T", ("BMT-2026-001",), absent=("GL-0003",), why="names and aliases"),
        Case(
            "car-t",
            ("BMT-2026-001",),
            absent=("GL-0003",),
            same_as="CAR-T",
            why="case-insensitive",
        ),
        Case(
            "CD19 CAR-T",
            ("BMT-2026-001",),
            absent=("GL-0003",),
            why="aliases (Latin and digits with a space)",
        ),
    ],
    "ids": [
        Case(
            "GL-0003",
            ("BMT-2026-001",),
            first="BMT-2026-001",
            absent=("GL-0003",),
            why="the id of BMT-001's entry",
        ),
        Case("BMT-2026-001", ("BMT-2026-001",), first="BMT-2026-001", why="the id"),
        Case("BAN-0001", ("BAN-0001",), first="BAN-0001", why="the id"),
        Case(
            "GL-0010", ("GL-0010",), first="GL-0010", why="an entry with no approval: its own card"
        ),
    ],
    "entry-names": [
        # words only the guidance entry's name or alias holds, not the approval's own
        Case(
            "晚期实体瘤",
            ("BMT-2026-004",),
            first="BMT-2026-004",
            absent=("GL-0009",),
            why="GL-0009 name 肿瘤浸润淋巴细胞（TIL）治疗晚期实体瘤技术; BMT-004 says 黑色素瘤",
        ),
        Case(
            "菌群移植治疗艰难梭菌感染",
            ("BMT-2026-002",),
            first="BMT-2026-002",
            absent=("GL-0008",),
            why="GL-0008 alias",
        ),
    ],
    "others": [
        Case("粪菌移植", ("BMT-2026-002",), absent=("GL-0008",), why="names"),
        Case("FMT", ("BMT-2026-002",), absent=("GL-0008",), why="aliases"),
        Case(
            "紧急应用", ("GL-0015",), why="GL-0015 status overlay from ANN-2026-012 (emergency_use)"
        ),
        Case("噬菌体", ("GL-0015",), first="GL-0015", why="GL-0015 name"),
        Case("组织工程皮肤", ("BMT-2026-003",), absent=("GL-0006",), why="names"),
    ],
}
CASES = [case for group in GROUPS.values() for case in group]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _names(rid: str) -> list[str]:
    rec = record_yaml(rid)
    return [rid, rec["name"], *rec.get("aliases", [])]


def _haystack(rid: str) -> str:
    """Where a query may find record `rid`: its own data and category, and for an approval the id,
    name and aliases of the guidance entry it grew from (its search tokens, issue 22)."""
    rec = record_yaml(rid)
    words = [str(v) for v in rec.values()] + [categories()[rec["category"]], rid]
    if rid.startswith("BMT") and rec.get("guidance_entry") in GROWN:
        words += _names(rec["guidance_entry"])
    return _norm(" ".join(words))


def test_expectations_match_the_data() -> None:
    """Each expected record exists, is published, is a technology's one answer (never a guidance
    entry grown into a published approval) and carries the query in its data or its entry's names;
    a grown entry whose names hold the query has its approval expected and itself absent."""
    assert len(CASES) >= 15
    assert {"GL-0001", "GL-0002", "GL-0003"} <= GROWN.keys(), GROWN
    for case in CASES:
        expected = case.expect + ((case.first,) if case.first else ())
        for rid in expected:
            assert rid not in GROWN, f"{case.query}: expect {GROWN[rid]} (its approval), not {rid}"
            naming = announcements_naming(rid)
            assert naming, f"{case.query}: {rid} is named by no published announcement (embargoed?)"
            if case.query == "紧急应用":
                overlay = [
                    a
                    for ann in naming
                    for a in ann["actions"]
                    if a["record"] == rid and a["action"] == "emergency_use" and a["until"] >= AS_OF
                ]
                assert overlay, f"{rid} has no emergency use in force on {AS_OF}"
                continue
            assert _norm(case.query) in _haystack(rid), (
                f"{case.query}: {rid} does not contain the query"
            )
        for gl, bmt in GROWN.items():
            if any(_norm(case.query) in _norm(n) for n in _names(gl)):
                assert bmt in case.expect and gl in case.absent, (
                    f"{case.query}: {gl}'s names hold the query: expect {bmt}, {gl} absent"
                )


def check_case(tab: Tab, case: Case, seen: dict[str, list[str]]) -> list[str]:
    """Search `case.query`; returns what is wrong (empty when all is well)."""
    urls = tab.search(case.query)
    seen[case.query] = urls
    problems = []
    if not urls or len(urls) != tab.result_count():
        problems.append(f"{len(urls)} results listed, summary says {tab.result_count()}")
    missing = [rid for rid in case.expect if url(rid) not in urls]
    if missing:
        problems.append(f"{missing} not among the results")
    if case.first and (not urls or urls[0] != url(case.first)):
        problems.append(f"top result {urls[:1]}, expected {case.first}")
    unwanted = [rid for rid in case.absent if url(rid) in urls]
    if unwanted:
        problems.append(f"{unwanted} should not match ({case.why})")
    grown = [gl for gl in GROWN if url(gl) in urls]
    if grown:
        problems.append(f"{grown} listed: their approvals {[GROWN[g] for g in grown]} answer")
    if case.same_as and sorted(urls) != sorted(seen[case.same_as]):
        problems.append(f"differs from {case.same_as!r}: {seen[case.same_as]}")
    # Results are links a person can follow, titled with the records' names.
    for rid in case.expect:
        if rid.startswith(("GL", "BMT", "BAN")) and url(rid) in urls:
            title = tab.page.locator(
                f'pagefind-modal a.pf-result-link[href="{url(rid)}"]'
            ).first.inner_text()
            if title.strip() != record_yaml(rid)["name"]:
                problems.append(f"result {rid} titled {title!r}")
    return [f"search {case.query!r}: {p} -> {urls}" for p in problems]


@pytest.mark.parametrize("cases", GROUPS.values(), ids=GROUPS.keys())
def test_search_finds_expected_records(tab: Tab, cases: list[Case]) -> None:
    tab.goto("/")
    seen: dict[str, list[str]] = {}
    problems = [p for case in cases for p in check_case(tab, case, seen)]
    assert not problems, "\n".join(problems)
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


def test_nonsense_and_embargoed_queries_find_nothing(tab: Tab) -> None:
    """A random Latin string finds nothing; GL-0016 is named only by ANN-2026-014 (2026-12-15, after the
    as-of date), so neither its words nor its announcement are indexed."""
    gl16 = (DATA / "guidance-list" / "GL-0016.yaml").read_text(encoding="utf-8")
    assert "系统性红斑狼疮" in gl16 and "Treg" in gl16 and announcements_naming("GL-0016") == []
    tab.goto("/")
    assert tab.search("qxzvbnmwkj") == []
    assert tab.result_count() == 0
    assert "未找到" in tab.page.locator("pagefind-modal pagefind-summary").inner_text()
    assert tab.search("系统性红斑狼疮") == []
    urls = tab.search("Treg")
    assert url("GL-0016") not in urls and url("ANN-2026-014") not in urls


def test_search_result_opens_the_record(tab: Tab) -> None:
    tab.goto("/approved/")
    tab.search("碱基编辑")
    tab.page.locator(f'pagefind-modal a.pf-result-link[href="{url("GL-0004")}"]').click()
    tab.page.wait_for_url(f"**{url('GL-0004')}")
    assert tab.page.locator("h1").inner_text() == record_yaml("GL-0004")["name"]


def test_search_finds_an_announcement_by_the_technology_it_concerns(tab: Tab) -> None:
    assert "地中海贫血" in record_yaml("GL-0004")["name"]
    assert "GL-0004" in {a["record"] for a in record_yaml("ANN-2026-007")["actions"]}
    tab.goto("/")
    assert url("ANN-2026-007") in tab.search("地中海贫血")


def test_a_query_typed_while_search_loads_is_ranked_like_any_other(tab: Tab) -> None:
    """Pagefind's loader stores its instance and then awaits the filter files; a query typed in that
    window must still go through our search (records above the announcements naming them), not
    Pagefind's own ranking. Slow filter files keep the window open long enough to type into."""

    def slow(route: Route) -> None:
        time.sleep(0.4)  # each request waits in turn: eight filter files, 3.2 s at most
        route.continue_()

    tab.context.route("**/pagefind/filter/*", slow)
    tab.goto("/")
    # Pagefind's own ranking puts ANN-2026-004 (CAR-T in its title) above BMT-2026-001; "GL-0003"
    # no longer tells the two apart (its one record is the approval, first in both rankings).
    first = tab.search("CAR-T")
    assert first[:1] == [url("BMT-2026-001")], first
    tab.context.unroute("**/pagefind/filter/*")
    assert tab.search("GL-0003")  # another query, then the first again: the same list
    assert tab.search("CAR-T") == first


# --------------------------------------------------------------------------- filters


def _narrow(tab: Tab, query: str, name: str, value: str) -> tuple[list[str], list[str], int]:
    tab.goto("/")
    before = tab.search(query)
    advertised = tab.choose_filter(name, value)
    tab.wait_for_results(query, previous=len(before))
    after = tab.result_urls()
    assert len(after) == tab.result_count() == advertised, (
        f"{name}={value}: option said {advertised}, summary {tab.result_count()}, list {len(after)}"
    )
    assert 0 < len(after) < len(before), f"{name}={value} did not narrow {len(before)} results"
    assert set(after) <= set(before)
    return before, after, advertised


@pytest.mark.parametrize("query", ["干细胞", "间充质干细胞", "肝硬化"])
def test_technologies_come_before_filed_projects_and_announcements(tab: Tab, query: str) -> None:
    """What the authority listed, approved or banned answers first; the research projects that
    institutions filed come after (their long titles repeat the words), announcements last."""
    tab.goto("/")
    urls = tab.search(query)
    tiers = [
        2 if u.startswith("/announcements/") else 1 if u.startswith("/research/") else 0
        for u in urls
    ]
    assert 0 in tiers and 1 in tiers, urls  # the query finds both kinds in the sample
    assert tiers == sorted(tiers), urls


def test_filter_by_kind_narrows_to_approved(tab: Tab) -> None:
    before, after, _ = _narrow(tab, "细胞", "类型", "已批准技术")
    assert all(u.startswith("/approved/") for u in after), after
    assert sorted(after) == sorted(u for u in before if u.startswith("/approved/"))
    # Clearing the filter brings the other kinds back.
    tab.clear_filter("类型")
    tab.wait_for_results("细胞", previous=len(after))
    assert sorted(tab.result_urls()) == sorted(before)


def test_filter_by_status(tab: Tab) -> None:
    banned = {
        url(r) for r in ("BAN-0001", "BAN-0002", "BAN-0003", "BMT-2026-005")
    }  # ban actions ≤ as-of
    before, after, _ = _narrow(tab, "细胞", "状态", "已禁止")
    assert set(after) <= banned, after
    assert {url("BAN-0002"), url("BMT-2026-005")} <= set(after)  # 异种细胞, 间充质干细胞
    # Another status instead: the only technology suspended on 2026-11-23 (ANN-2026-008).
    tab.clear_filter("状态")
    tab.wait_for_results("细胞", previous=len(after))
    assert len(tab.result_urls()) == len(before)
    tab.choose_filter("状态", "再评估暂停")
    tab.wait_for_results("细胞", previous=len(before))
    assert tab.result_urls() == [url("BMT-2026-004")]


def test_filter_by_risk_grade(tab: Tab) -> None:
    high = {url(r) for r in ("BMT-2026-001", "BMT-2026-004", "BMT-2026-005")}  # risk_grade: high
    _, after, _ = _narrow(tab, "细胞", "风险等级", "高风险")
    assert set(after) == high, after


def test_filter_by_category(tab: Tab) -> None:
    _, after, _ = _narrow(tab, "编辑", "分类", "基因编辑")
    assert set(after) == {url("GL-0004"), url("BAN-0001")}, after


# --------------------------------------------------------------------------- queries as typed

# What people type that is not in the data as written (issue 26): Latin variants, traditional
# characters, a typo, extra words. Each finds the technology, ranked above any announcement, and
# the technologies found are the ones /check/ answers or suggests for the same query.
FORGIVING = [
    Case("CART", ("BMT-2026-001",), first="BMT-2026-001", why="CAR-T folded"),
    Case("CAR T", ("BMT-2026-001",), first="BMT-2026-001", why="announcements say CAR-T too"),
    Case("CAR-T疗法", ("BMT-2026-001",), first="BMT-2026-001", why="an extra word"),
    Case("幹細胞", ("BMT-2026-005", "BMT-2026-006"), same_as="干细胞", why="traditional"),
    Case("干细抱", ("BMT-2026-005", "BMT-2026-006"), why="one wrong character"),
    Case("干细胞美容", ("BMT-2026-005", "BMT-2026-006"), why="an extra word"),
]


def _check_answers(tab: Tab, query: str) -> list[str]:
    """The records /check/ answers, or else suggests, for `query`, in its order."""
    page = tab.goto("/check/")
    page.wait_for_selector("#reg-check[data-ready=true]")
    page.fill("#reg-check-q", query)
    page.click("#reg-check-form button[type=submit]")
    page.wait_for_selector("#reg-check-results article")
    found = page.eval_on_selector_all(
        "#reg-check-results article[data-record]", "els => els.map(e => e.dataset.record)"
    )
    suggested = page.eval_on_selector_all(
        "#reg-check-results .reg-check-suggest-button", "els => els.map(e => e.textContent)"
    )
    return found or [re.search(r"（([A-Z]+-[\d-]+)，", s).group(1) for s in suggested]


def test_search_forgives_what_people_type_as_check_does(tab: Tab) -> None:
    tab.goto("/")
    seen = {"干细胞": tab.search("干细胞")}
    problems = [p for case in FORGIVING for p in check_case(tab, case, seen)]
    for case in FORGIVING:
        urls = seen[case.query]
        technologies = [u for u in urls if not u.startswith("/announcements/")]
        assert urls[: len(technologies)] == technologies, f"{case.query}: announcement first {urls}"
    for case in FORGIVING:
        if case.same_as:
            continue
        answers = [url(rid) for rid in _check_answers(tab, case.query)]
        techs = [u for u in seen[case.query] if not u.startswith("/announcements/")]
        if techs[: len(answers)] != answers:
            problems.append(f"{case.query}: search {techs}, /check/ {answers}")
    assert not problems, "\n".join(problems)
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors
