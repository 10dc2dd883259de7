"""Record and announcement pages show every field of the YAML, and their links lead where they say."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from browser_helpers import (
    AS_OF,
    Tab,
    announcements_naming,
    categories,
    cn_date,
    conditions_yaml,
    markdown_fragments,
    missing_from,
    record_yaml,
)

pytestmark = pytest.mark.browser

FOLDER = {"GL": "guidance-list", "BMT": "approved", "BAN": "banned", "ANN": "announcements"}
CONDITION_HEADINGS = {
    "institution": "医疗机构条件",
    "personnel": "人员条件",
    "management": "技术管理要求",
    "training_qc": "培训与质量控制",
}


def path_of(record_id: str) -> str:
    return f"/{FOLDER[record_id.split('-')[0]]}/{record_id}/"


def period_last_day(start: date, years: int) -> date:
    """The corresponding day `years` later, 28 February where it does not exist: exclusive_until
    as 民法典 第二百零一条、第二百零二条 count it (the approval day is not counted)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 2, 28)


def actions_on(record_id: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (ann, a)
        for ann in announcements_naming(record_id)
        for a in ann["actions"]
        if a["record"] == record_id
    ]


def descriptive_texts(rec: dict[str, Any]) -> list[str]:
    """Every field a reader should see, straight from the YAML."""
    texts = [rec["id"], rec["name"], categories()[rec["category"]]]
    texts += rec.get("aliases", []) + rec.get("indications", [])
    for key in ("purpose", "mechanism", "description", "scope", "applicant"):
        if key in rec:
            texts.append(rec[key])
    for key in ("filing_requirements", "summary"):
        if key in rec:
            texts += markdown_fragments(rec[key])
    for ref in rec.get("references", []):
        texts.append(ref["title"])
        if "doc_no" in ref:
            texts.append(ref["doc_no"])
    return texts


def check_timeline(tab: Tab, record_id: str) -> None:
    """One timeline entry per published announcement naming the record, linking to it."""
    timeline = tab.page.locator("ol.reg-timeline")
    assert timeline.is_visible()
    entries = timeline.locator(":scope > li")
    naming = announcements_naming(record_id)
    assert entries.count() == sum(1 for _ in actions_on(record_id))
    for ann in naming:
        link = timeline.get_by_role("link", name=ann["number"], exact=True).first
        assert link.is_visible(), f"{record_id}: no timeline link to {ann['id']}"
        href = link.get_attribute("href") or ""
        assert href.rstrip("/").endswith(f"announcements/{ann['id']}"), href
        assert cn_date(ann["date"]) in timeline.inner_text()


def check_common(tab: Tab, record_id: str, expected: list[str]) -> str:
    page = tab.goto(path_of(record_id))
    rec = record_yaml(record_id)
    assert page.locator("h1").inner_text() == rec["name"]
    assert rec["name"] in page.title()
    text = tab.main_text()
    missing = missing_from(text, descriptive_texts(rec) + expected)
    assert not missing, f"{record_id}: not shown on the page: {missing}"
    assert page.get_by_text("示例数据", exact=True).first.is_visible(), (
        f"{record_id}: no 示例数据 label"
    )
    check_timeline(tab, record_id)
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors
    return text


def test_guidance_entry_with_emergency_use(tab: Tab) -> None:
    rid = "GL-0015"
    (listed_ann, _), (emerg_ann, emergency) = actions_on(rid)
    assert emergency["action"] == "emergency_use" and emergency["until"] >= AS_OF
    check_common(
        tab,
        rid,
        [
            "在清单内",
            cn_date(listed_ann["date"]),
            "界定指导原则 二（一）",  # listed by the announcement that first published the list
            "紧急应用",
            emergency["scope"],
            cn_date(emergency["until"]),
            emerg_ann["number"],
        ],
    )
    assert tab.page.locator(".reg-badges").get_by_text("紧急应用", exact=True).is_visible()
    # no approval grew from it: its page is its own search result
    assert tab.page.locator("article.reg-record[data-pagefind-body]").count() == 1


def test_delisted_guidance_entry(tab: Tab) -> None:
    rid = "GL-0002"
    ann, delist = actions_on(rid)[-1]
    assert delist == {
        "action": "delist",
        "record": rid,
        "route": "direct",
        "ground": "major_safety_efficacy_issue",
    }
    text = check_common(
        tab,
        rid,
        [
            "已调出",
            cn_date(ann["date"]),
            "二(二)2(1)",
            "直接调出",
            "安全性、有效性存在重大问题",
        ],
    )
    assert "在清单内" not in tab.page.locator(".reg-badges").inner_text()
    assert "major_safety_efficacy_issue" not in text
    # BMT-2026-005 grew from it: the page stays, but search indexes the approval's page only (one
    # technology, one result: issue 22), so this article is not a search body
    assert record_yaml("BMT-2026-005")["guidance_entry"] == rid
    assert tab.page.locator("article.reg-record[data-pagefind-body]").count() == 0
    assert "BMT-2026-005" in text  # the approval grown from it is named on the page


def test_approved_technology_with_conditions(tab: Tab) -> None:
    rid = "BMT-2026-001"
    rec = record_yaml(rid)
    # the version in force on the test date: ANN-2026-007's (ANN-2026-015's is still embargoed)
    (cond,) = [v for v in conditions_yaml(rid)["versions"] if v["announcement"] == "ANN-2026-007"]
    approvals = [(ann, a) for ann, a in actions_on(rid) if a["action"] == "approve"]
    assert len(approvals) == 1
    ann, approve = approvals[0]
    assert approve["risk_grade"] == "high"
    expected = [
        "限参与研究机构",
        cn_date(ann["date"]),
        "第二十条",
        "高风险",
        cn_date(period_last_day(ann["date"], 5)),  # 限定期 until 2031-06-15
        *approve["institutions"],
        rec["guidance_entry"],
        record_yaml(rec["guidance_entry"])["name"],
        cn_date(cond["effective"]),
        *CONDITION_HEADINGS.values(),
    ]
    for key in CONDITION_HEADINGS:
        for item in cond.get(key, []):
            expected += markdown_fragments(item)
    expected += markdown_fragments(cond["operating_spec"])
    check_common(tab, rid, expected)

    headings = tab.page.locator("h3").all_inner_texts()
    for title in CONDITION_HEADINGS.values():
        assert any(title in h for h in headings), f"no condition heading {title!r} in {headings}"
    # The operating specification's tables are real tables (those of the version in force; the
    # earlier version's text is folded away below).
    spec = tab.page.locator("#spec + .reg-spec table")
    assert spec.count() == 2
    assert spec.first.locator("td", has_text="< 0.5 EU/mL").is_visible()
    gl = tab.page.get_by_role("link", name=record_yaml(rec["guidance_entry"])["name"]).first
    assert (
        (gl.get_attribute("href") or "")
        .rstrip("/")
        .endswith(f"guidance-list/{rec['guidance_entry']}")
    )


def test_banned_technology(tab: Tab) -> None:
    rid = "BAN-0001"
    ((ann, ban),) = actions_on(rid)
    assert ban["action"] == "ban"
    check_common(tab, rid, ["已禁止", cn_date(ann["date"]), "第二十条第三款", ban["ground"]])


def test_announcement_page(tab: Tab) -> None:
    ann = record_yaml("ANN-2026-004")
    page = tab.goto("/announcements/ANN-2026-004/")
    assert page.locator("h1").inner_text() == ann["title"]
    assert ann["title"] in page.title()
    expected = [ann["id"], ann["number"], cn_date(ann["date"]), *markdown_fragments(ann["body"])]
    for action in ann["actions"]:
        target = record_yaml(action["record"])
        expected += [action["record"], target["name"], "批准临床转化应用", *action["institutions"]]
    missing = missing_from(tab.main_text(), expected)
    assert not missing, f"ANN-2026-004: not shown: {missing}"
    assert page.get_by_text("示例数据", exact=True).first.is_visible()
    # The record it acts on is one click away.
    page.locator("#actions ~ .reg-table-wrap").get_by_role(
        "link", name=record_yaml("BMT-2026-001")["name"]
    ).click()
    page.wait_for_url("**/approved/BMT-2026-001/")
    assert page.locator("h1").inner_text() == record_yaml("BMT-2026-001")["name"]
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


def test_timeline_link_opens_the_announcement(tab: Tab) -> None:
    page = tab.goto("/approved/BMT-2026-001/")
    ann = record_yaml("ANN-2026-007")
    page.locator("ol.reg-timeline").get_by_role("link", name=ann["number"], exact=True).click()
    page.wait_for_url("**/announcements/ANN-2026-007/")
    assert page.locator("h1").inner_text() == ann["title"]
    assert ann["number"] in tab.main_text()


def test_risk_grade_shown_by_name_in_timeline_and_announcement(tab: Tab) -> None:
    for path in ("/approved/BMT-2026-001/", "/announcements/ANN-2026-004/"):
        tab.goto(path)
        text = tab.main_text()
        assert "风险等级：high" not in text, path
        assert "风险等级：高风险" in text, path
