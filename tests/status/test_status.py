"""Status rules (DESIGN.md, Data: action table and statuses), replayed from Announcement models."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

import pytest

from generator.domain.models import Announcement
from generator.status.replay import replay
from generator.status.states import Replay, ReplayInput, period_end

GL, BMT, BAN = "GL-0001", "BMT-2026-001", "BAN-0001"
KINDS = {GL: "guidance", BMT: "approved", BAN: "banned"}
GRADES = {"high": 5, "medium": 3, "low": 1}
_serial = count(1)


def act(action: str, record: str, **fields: Any) -> dict[str, Any]:
    defaults: dict[str, dict[str, Any]] = {
        "approve": {"risk_grade": "low", "institutions": ["某某医院"]},
        "delist": {"route": "direct", "ground": "major_ethics_issue"},
        "suspend": {"ground": "serious_adverse_reaction"},
        "ban": {"ground": "不能保证安全、有效"},
        "emergency_use": {"scope": "突发公共卫生事件", "until": "2026-12-31"},
    }
    return {"action": action, "record": record, **defaults.get(action, {}), **fields}


def ann(day: str, *actions: dict[str, Any], aid: str | None = None) -> Announcement:
    n = next(_serial)
    return Announcement.model_validate(
        {
            "id": aid or f"ANN-{day[:4]}-{n:03d}",
            "number": f"国家卫生健康委公告 第{n}号",
            "title": "公告",
            "date": day,
            "body": "正文。",
            "actions": list(actions),
        }
    )


def run(anns: list[Announcement], as_of: str) -> Replay:
    return replay(ReplayInput(tuple(anns), KINDS, GRADES), date.fromisoformat(as_of))


def status(anns: list[Announcement], as_of: str, record: str = BMT) -> str | None:
    st = run(anns, as_of).statuses[record]
    return None if st is None else st.code


def codes(anns: list[Announcement], as_of: str = "2040-01-01") -> list[str]:
    return [i.code for i in run(anns, as_of).issues]


def approved(day: str = "2026-03-01", grade: str = "low") -> Announcement:
    return ann(day, act("approve", BMT, risk_grade=grade))


D = date.fromisoformat


# --- 限定期 (规范 第二十条第二款), counted as 民法典 第二百零一条、第二百零二条 ---------------------


@pytest.mark.parametrize(
    ("grade", "approved_on", "until"),
    [
        # the contract's examples
        ("high", "2026-06-15", "2031-06-15"),
        ("low", "2028-02-29", "2029-02-28"),  # 29 February, common year: the month's last day
        ("low", "2027-02-28", "2028-02-28"),  # 28 February into a leap year: still the 28th
        # every grade
        ("medium", "2026-06-15", "2029-06-15"),
        ("low", "2026-06-15", "2027-06-15"),
        # month ends
        ("high", "2026-01-31", "2031-01-31"),
        ("medium", "2026-04-30", "2029-04-30"),
        ("low", "2026-12-31", "2027-12-31"),
        ("high", "2028-02-29", "2033-02-28"),
        ("medium", "2028-02-29", "2031-02-28"),
        ("high", "2027-02-28", "2032-02-28"),  # 2032 is a leap year: the 28th, not the 29th
    ],
)
def test_period_ends_on_the_corresponding_day(grade: str, approved_on: str, until: str) -> None:
    anns = [approved(approved_on, grade)]
    r = run(anns, until)  # the last day of the period
    state = r.states[BMT]
    assert (state.risk_grade, state.years) == (grade, GRADES[grade])
    assert state.approved_on == D(approved_on)
    assert state.exclusive_until == D(until)
    assert r.statuses[BMT].code == "restricted"
    assert r.statuses[BMT].since == D(approved_on)
    opens = D(until) + timedelta(days=1)  # open from the next day
    assert state.opens_by_time_on() == opens
    after = run(anns, opens.isoformat()).statuses[BMT]
    assert (after.code, after.since, after.announcement) == ("open", opens, None)
    assert run(anns, opens.isoformat()).states[BMT].exclusive_until == D(until)


def test_period_end_examples() -> None:
    assert period_end(D("2026-06-15"), 5) == D("2031-06-15")
    assert period_end(D("2028-02-29"), 1) == D("2029-02-28")
    assert period_end(D("2028-02-29"), 4) == D("2032-02-29")  # the day exists: kept
    assert period_end(D("2027-02-28"), 1) == D("2028-02-28")


def test_restricted_on_the_last_day_and_open_the_day_after() -> None:
    anns = [approved("2026-06-15", "low")]
    assert status(anns, "2026-06-15") == "restricted"  # the approval day itself
    assert status(anns, "2026-06-14") is None  # before the approval: not yet published
    assert status(anns, "2027-06-15") == "restricted"  # exclusive_until, the corresponding day
    assert status(anns, "2027-06-16") == "open"  # the day after
    assert run(anns, "2027-06-16").states[BMT].exclusive_until == D("2027-06-15")


def test_29_february_approval_opens_on_1_march() -> None:
    anns = [approved("2028-02-29", "low")]
    assert run(anns, "2028-03-01").states[BMT].exclusive_until == D("2029-02-28")
    assert status(anns, "2029-02-28") == "restricted"
    st = run(anns, "2029-03-01").statuses[BMT]
    assert (st.code, st.since) == ("open", D("2029-03-01"))


def test_29_february_to_a_leap_year_keeps_the_day() -> None:
    anns = [approved("2028-02-29", "high")]  # 5 years: 2033 is a common year
    assert run(anns, "2030-01-01").states[BMT].exclusive_until == D("2033-02-28")
    assert status(anns, "2033-02-28") == "restricted"
    assert status(anns, "2033-03-01") == "open"


def test_suspension_inside_the_period_then_resume_stays_restricted_until_open() -> None:
    anns = [
        approved("2026-03-01", "low"),
        ann("2026-06-01", act("suspend", BMT)),
        ann("2026-09-01", act("resume", BMT)),
    ]
    assert status(anns, "2026-07-01") == "suspended"
    r = run(anns, "2027-06-01")  # well after the period (last day 2027-03-01)
    assert r.statuses[BMT].code == "restricted"
    assert r.statuses[BMT].since == D("2026-09-01")
    assert r.states[BMT].exclusive_until == D("2027-03-01")  # nominal end, unchanged
    assert r.issues == []
    anns.append(ann("2027-07-01", act("open", BMT)))  # legal after the period here
    r = run(anns, "2027-07-01")
    assert r.issues == []
    assert (r.statuses[BMT].code, r.statuses[BMT].since) == ("open", D("2027-07-01"))
    assert r.statuses[BMT].announcement == anns[-1].id
    assert status(anns, "2027-06-30") == "restricted"


def test_suspension_on_the_last_day_of_the_period_counts() -> None:
    anns = [
        approved("2026-03-01"),
        ann("2027-03-01", act("suspend", BMT)),  # the last day of the period
        ann("2027-04-01", act("resume", BMT)),
    ]
    assert status(anns, "2027-05-01") == "restricted"


def test_suspension_after_the_period_then_resume_is_open_again() -> None:
    anns = [approved("2026-03-01"), ann("2027-03-02", act("suspend", BMT))]  # the day after
    assert status(anns, "2027-03-02") == "suspended"
    anns.append(ann("2027-08-01", act("resume", BMT)))
    r = run(anns, "2027-09-01")
    assert r.issues == []
    st = r.statuses[BMT]
    assert st.code == "open"
    assert st.since == D("2027-08-01")  # open again since the resume, not since the period's end
    assert st.announcement == anns[-1].id
    assert status(anns, "2027-07-31") == "suspended"


@pytest.mark.parametrize(
    ("grade", "approved_on", "last_day"),
    [
        ("high", "2026-03-01", "2031-03-01"),
        ("medium", "2026-03-01", "2029-03-01"),
        ("low", "2026-03-01", "2027-03-01"),
        ("low", "2028-02-29", "2029-02-28"),
    ],
)
def test_open_inside_the_period_is_an_error(grade: str, approved_on: str, last_day: str) -> None:
    # 规范 第二十条第二款: within the period use is 仅限 the participating institutions
    for day in (approved_on, last_day):
        anns = [approved(approved_on, grade), ann(day, act("open", BMT))]
        assert codes(anns) == ["E402"], day
        assert status(anns, day) == "restricted"  # the illegal open changes nothing


def test_open_the_day_after_the_period_needs_a_suspension_in_it() -> None:
    # after a suspension inside the period (then resume), `open` is legal from the day after
    anns = [
        approved("2026-03-01", "low"),
        ann("2026-06-01", act("suspend", BMT)),
        ann("2026-09-01", act("resume", BMT)),
        ann("2027-03-02", act("open", BMT)),
    ]
    assert codes(anns) == []
    st = run(anns, "2027-03-02").statuses[BMT]
    assert (st.code, st.since, st.announcement) == ("open", D("2027-03-02"), anns[-1].id)


def test_open_then_suspend_then_resume_is_open_since_the_resume() -> None:
    anns = [
        approved("2026-03-01", "low"),
        ann("2026-04-01", act("suspend", BMT)),
        ann("2026-05-01", act("resume", BMT)),
        ann("2027-04-10", act("open", BMT)),
        ann("2027-05-01", act("suspend", BMT)),
        ann("2027-06-01", act("resume", BMT)),
    ]
    r = run(anns, "2027-07-01")
    assert r.issues == []
    assert (r.statuses[BMT].code, r.statuses[BMT].since) == ("open", D("2027-06-01"))


@pytest.mark.parametrize("day", ["2027-03-02", "2028-01-01"])
def test_open_of_a_technology_that_opened_by_itself_is_an_error(day: str) -> None:
    anns = [approved("2026-03-01"), ann(day, act("open", BMT))]
    assert codes(anns) == ["E402"]
    st = run(anns, day).statuses[BMT]
    assert (st.code, st.since, st.announcement) == ("open", D("2027-03-02"), None)


# --- guidance list and emergency use ----------------------------------------------------------


def test_emergency_use_overlay_before_on_and_after_until() -> None:
    anns = [
        ann("2026-01-10", act("list", GL)),
        ann("2026-02-01", act("emergency_use", GL, scope="疫情防控", until="2026-03-31")),
    ]
    assert run(anns, "2026-01-31").emergencies[GL] is None
    for day in ("2026-02-01", "2026-03-31"):
        r = run(anns, day)
        assert r.emergencies[GL] is not None
        assert r.emergencies[GL].fields == {"scope": "疫情防控", "until": D("2026-03-31")}
        assert r.statuses[GL].code == "listed"
    r = run(anns, "2026-04-01")
    assert r.emergencies[GL] is None
    assert r.statuses[GL].code == "listed"


def test_emergency_use_until_its_own_date_is_legal() -> None:
    anns = [
        ann("2026-01-10", act("list", GL)),
        ann("2026-02-01", act("emergency_use", GL, until="2026-02-01")),
    ]
    assert codes(anns) == []
    assert run(anns, "2026-02-01").emergencies[GL] is not None


def test_delisting_after_review_keeps_emergency_use_a_direct_one_ends_it() -> None:
    """The seeds end nothing but new filings on a delisting after review (界定指导原则 二(二)2(2));
    the contract ends emergency use (规范 第十九条) only on a direct delisting or at its `until`."""
    anns = [
        ann("2026-01-10", act("list", GL)),
        ann("2026-02-01", act("emergency_use", GL, until="2026-12-31")),
        ann("2026-03-01", act("delist", GL, route="after_review", ground="drug_approved")),
    ]
    r = run(anns, "2026-06-01")
    assert r.emergencies[GL] is not None
    assert run(anns, "2026-12-31").emergencies[GL] is not None  # the last day of the period
    assert run(anns, "2027-01-01").emergencies[GL] is None  # the day after
    direct = [
        *anns[:2],
        ann("2026-03-01", act("delist", GL, route="direct", ground="uncontrollable_risk")),
    ]
    assert run(direct, "2026-03-01").emergencies[GL] is None
    assert run(direct, "2026-02-28").emergencies[GL] is not None
    st = r.statuses[GL]
    assert (st.code, st.since, st.announcement) == ("delisted", D("2026-03-01"), anns[2].id)
    assert r.states[GL].phase_event.fields == {"route": "after_review", "ground": "drug_approved"}


def test_retain_keeps_listed_and_relisting_after_delist_is_legal() -> None:
    anns = [
        ann("2026-01-10", act("list", GL)),
        ann("2026-02-01", act("retain", GL, note="论证后继续保留")),
        ann("2026-03-01", act("delist", GL)),
        ann("2026-04-01", act("list", GL)),
    ]
    assert codes(anns) == []
    assert status(anns, "2026-02-15", GL) == "listed"
    assert status(anns, "2026-03-15", GL) == "delisted"
    assert (run(anns, "2026-04-01").statuses[GL].since) == D("2026-04-01")


def test_banned_record_and_banned_approved_technology() -> None:
    anns = [approved("2026-03-01"), ann("2026-05-01", act("ban", BAN), act("ban", BMT))]
    r = run(anns, "2026-05-01")
    assert r.issues == []
    assert (r.statuses[BAN].code, r.statuses[BAN].since) == ("banned", D("2026-05-01"))
    assert r.statuses[BMT].code == "banned"
    assert status(anns, "2026-04-30", BAN) is None


def test_amend_changes_no_status() -> None:
    anns = [approved("2026-03-01"), ann("2026-05-01", act("amend", BMT, note="修订技术条件"))]
    r = run(anns, "2026-06-01")
    assert r.issues == []
    assert (r.statuses[BMT].code, r.statuses[BMT].since) == ("restricted", D("2026-03-01"))
    assert [e.action for e in r.states[BMT].timeline] == ["approve", "amend"]


# --- embargo and ordering ----------------------------------------------------------------------


def test_embargoed_announcements_change_nothing() -> None:
    anns = [approved("2026-03-01"), ann("2026-12-01", act("suspend", BMT))]
    r = run(anns, "2026-11-30")
    assert r.statuses[BMT].code == "restricted"
    assert [e.action for e in r.states[BMT].timeline] == ["approve"]
    assert [a.id for a in r.published] == [anns[0].id]
    assert run(anns, "2026-12-01").statuses[BMT].code == "suspended"


def test_record_named_only_by_embargoed_announcements_has_no_status() -> None:
    anns = [ann("2027-01-01", act("list", GL), act("ban", BAN))]
    r = run(anns, "2026-11-23")
    assert r.statuses[GL] is None and r.statuses[BAN] is None
    assert r.emergencies[GL] is None
    assert r.published == []
    assert r.issues == []


def test_illegal_transitions_in_embargoed_announcements_are_reported() -> None:
    anns = [approved("2026-03-01"), ann("2027-01-01", act("resume", BMT))]
    r = run(anns, "2026-11-23")
    assert [(i.code, i.announcement) for i in r.issues] == [("E402", anns[1].id)]
    assert r.statuses[BMT].code == "restricted"


def test_same_day_ties_are_ordered_by_announcement_id() -> None:
    approve = ann("2026-03-01", act("approve", BMT), aid="ANN-2026-001")
    suspend = ann("2026-03-01", act("suspend", BMT), aid="ANN-2026-002")
    r = run([suspend, approve], "2026-03-01")  # list order does not matter
    assert r.issues == []
    assert r.statuses[BMT].code == "suspended"
    # Swap the ids: the suspension now comes first and is illegal.
    suspend = ann("2026-03-01", act("suspend", BMT), aid="ANN-2026-001")
    approve = ann("2026-03-01", act("approve", BMT), aid="ANN-2026-002")
    r = run([approve, suspend], "2026-03-01")
    assert [(i.code, i.announcement) for i in r.issues] == [("E405", "ANN-2026-001")]
    assert r.statuses[BMT].code == "restricted"


def test_actions_within_one_announcement_apply_in_order() -> None:
    anns = [ann("2026-03-01", act("approve", BMT), act("suspend", BMT), act("resume", BMT))]
    r = run(anns, "2026-03-01")
    assert r.issues == []
    assert [e.index for e in r.states[BMT].timeline] == [0, 1, 2]
    assert r.statuses[BMT].code == "restricted"


def test_issue_points_at_the_action() -> None:
    anns = [approved("2026-03-01"), ann("2026-04-01", act("list", GL), act("resume", BMT))]
    (issue,) = run(anns, "2026-05-01").issues
    assert (issue.code, issue.announcement, issue.index, issue.field) == (
        "E402",
        anns[1].id,
        1,
        "action",
    )
    (issue,) = run([ann("2026-04-01", act("list", "GL-0999"))], "2026-05-01").issues
    assert (issue.code, issue.index, issue.field) == ("E305", 0, "record")


def test_illegal_actions_are_ignored() -> None:
    anns = [approved("2026-03-01"), ann("2026-04-01", act("approve", BMT, risk_grade="high"))]
    r = run(anns, "2026-05-01")
    assert [i.code for i in r.issues] == ["E404"]
    assert r.states[BMT].risk_grade == "low"
    assert [e.action for e in r.states[BMT].timeline] == ["approve"]


# --- every illegal transition ------------------------------------------------------------------

LISTED = ann("2026-01-10", act("list", GL))
DELISTED = [LISTED, ann("2026-01-20", act("delist", GL))]
APPROVED = approved("2026-03-01")
SUSPENDED = [APPROVED, ann("2026-04-01", act("suspend", BMT))]
# opened by an `open` after the period, which a suspension inside it kept from opening by itself
OPENED = [
    ann("2025-01-10", act("approve", BMT, risk_grade="low")),
    ann("2025-02-01", act("suspend", BMT)),
    ann("2025-03-01", act("resume", BMT)),
    ann("2026-01-20", act("open", BMT)),
]
BANNED_BMT = [APPROVED, ann("2026-04-01", act("ban", BMT))]
BANNED = [ann("2026-01-10", act("ban", BAN))]


@pytest.mark.parametrize(
    ("history", "action", "code"),
    [
        # unknown record
        ([], act("list", "GL-0999"), "E305"),
        ([], act("approve", "BMT-2026-999"), "E305"),
        # wrong kind
        ([], act("list", BMT), "E401"),
        ([APPROVED], act("delist", BMT), "E401"),
        ([APPROVED], act("retain", BMT), "E401"),
        ([APPROVED], act("emergency_use", BMT), "E401"),
        ([LISTED], act("approve", GL), "E401"),
        ([LISTED], act("open", GL), "E401"),
        ([LISTED], act("suspend", GL), "E401"),
        ([LISTED], act("resume", GL), "E401"),
        ([LISTED], act("ban", GL), "E401"),
        (BANNED, act("approve", BAN), "E401"),
        (BANNED, act("list", BAN), "E401"),
        (BANNED, act("suspend", BAN), "E401"),
        # not allowed in the current state
        ([LISTED], act("list", GL), "E402"),
        (DELISTED, act("delist", GL), "E402"),
        (DELISTED, act("retain", GL), "E402"),
        (DELISTED, act("emergency_use", GL), "E402"),
        ([APPROVED], act("resume", BMT), "E402"),
        (OPENED, act("resume", BMT), "E402"),
        (SUSPENDED, act("suspend", BMT), "E402"),
        (SUSPENDED, act("open", BMT), "E402"),
        (OPENED, act("open", BMT), "E402"),
        ([APPROVED], act("open", BMT), "E402"),  # inside the period (规范 第二十条第二款)
        # after ban
        (BANNED_BMT, act("open", BMT), "E403"),
        (BANNED_BMT, act("suspend", BMT), "E403"),
        (BANNED_BMT, act("resume", BMT), "E403"),
        (BANNED_BMT, act("ban", BMT), "E403"),
        (BANNED_BMT, act("approve", BMT), "E403"),
        (BANNED, act("ban", BAN), "E403"),
        # approve twice
        ([APPROVED], act("approve", BMT), "E404"),
        (SUSPENDED, act("approve", BMT), "E404"),
        # before the record exists
        ([], act("delist", GL), "E405"),
        ([], act("retain", GL), "E405"),
        ([], act("emergency_use", GL), "E405"),
        ([], act("amend", GL), "E405"),
        ([], act("open", BMT), "E405"),
        ([], act("suspend", BMT), "E405"),
        ([], act("resume", BMT), "E405"),
        ([], act("ban", BMT), "E405"),
        ([], act("amend", BMT), "E405"),
        ([], act("amend", BAN), "E405"),
        # unknown risk grade; emergency period ending before the notice
        ([], act("approve", BMT, risk_grade="extreme"), "E304"),
        ([LISTED], act("emergency_use", GL, until="2026-05-31"), "E407"),
    ],
)
def test_illegal_transition(history: Any, action: dict[str, Any], code: str) -> None:
    flat = [a for h in history for a in (h if isinstance(h, list) else [h])]
    anns = [*flat, ann("2026-06-01", action)]
    r = run(anns, "2026-06-01")
    assert [(i.code, i.announcement) for i in r.issues] == [(code, anns[-1].id)]


@pytest.mark.parametrize(
    ("history", "action"),
    [
        ([], act("list", GL)),
        ([LISTED], act("delist", GL)),
        ([LISTED], act("retain", GL)),
        ([LISTED], act("emergency_use", GL)),
        ([LISTED], act("amend", GL)),
        (DELISTED, act("list", GL)),
        (DELISTED, act("amend", GL)),
        ([], act("approve", BMT)),
        ([APPROVED], act("suspend", BMT)),
        (OPENED, act("suspend", BMT)),
        (SUSPENDED, act("resume", BMT)),
        (SUSPENDED, act("ban", BMT)),
        (SUSPENDED, act("amend", BMT)),
        ([APPROVED], act("ban", BMT)),
        ([], act("ban", BAN)),
        (BANNED_BMT, act("amend", BMT)),  # amend changes no status: allowed after a ban
        (BANNED, act("amend", BAN)),
    ],
)
def test_legal_transition(history: Any, action: dict[str, Any]) -> None:
    flat = [a for h in history for a in (h if isinstance(h, list) else [h])]
    assert codes([*flat, ann("2026-06-01", action)]) == []


# --- rules across records (DESIGN.md, "Rules across records") ---------------------------------

SOURCES = {BMT: GL}


def run_x(anns: list[Announcement], as_of: str, names: dict[str, frozenset[str]] | None = None):
    return replay(ReplayInput(tuple(anns), KINDS, GRADES, SOURCES, names or {}), D(as_of))


def codes_x(anns: list[Announcement], names: dict[str, frozenset[str]] | None = None) -> list:
    return [(i.code, i.announcement, i.index) for i in run_x(anns, "2040-01-01", names).issues]


def test_direct_delisting_bans_the_approved_technology_grown_from_the_entry() -> None:
    listing = ann("2026-01-10", act("list", GL))
    anns = [
        listing,
        approved("2026-03-01", "high"),
        ann("2026-05-01", act("delist", GL, route="direct", ground="major_safety_efficacy_issue")),
    ]
    assert codes_x(anns) == []
    assert run_x(anns, "2026-04-30").statuses[BMT].code == "restricted"  # the day before
    r = run_x(anns, "2026-05-01")  # from the delisting date
    st = r.statuses[BMT]
    assert (st.code, st.since, st.announcement) == ("banned", D("2026-05-01"), anns[2].id)
    assert "二（二）2（1）" in st.basis
    assert r.states[BMT].ban_kind == "delisting"
    assert r.states[BMT].timeline[-1].fields["derived_from"] == GL
    # without the source map (no guidance_entry known) nothing is derived: the rule needs it
    done = replay(ReplayInput(tuple(anns), KINDS, GRADES), D("2026-05-01"))
    assert done.statuses[BMT].code == "restricted"


def test_delisting_after_review_does_not_touch_approved_technologies() -> None:
    anns = [
        ann("2026-01-10", act("list", GL)),
        approved("2026-03-01", "high"),
        ann("2026-05-01", act("delist", GL, route="after_review", ground="technology_approved")),
    ]
    assert codes_x(anns) == []
    assert run_x(anns, "2026-05-01").statuses[BMT].code == "restricted"


def test_explicit_ban_in_the_delisting_announcement_is_allowed_and_changes_nothing() -> None:
    delist = act("delist", GL, route="direct", ground="major_ethics_issue")
    for actions in ((delist, act("ban", BMT)), (act("ban", BMT), delist)):
        anns = [
            ann("2026-01-10", act("list", GL)),
            approved("2026-03-01"),
            ann("2026-05-01", *actions),
        ]
        assert codes_x(anns) == []
        st = run_x(anns, "2026-05-01").statuses[BMT]
        assert (st.code, st.since) == ("banned", D("2026-05-01"))


def test_actions_after_a_derived_ban_are_errors_but_amend_is_allowed() -> None:
    base = [
        ann("2026-01-10", act("list", GL)),
        approved("2026-03-01"),
        ann("2026-05-01", act("delist", GL, route="direct", ground="major_ethics_issue")),
    ]
    for action in ("suspend", "resume", "open", "ban"):
        later = ann("2026-05-02", act(action, BMT))
        assert codes_x([*base, later]) == [("E403", later.id, 0)], action
    assert codes_x([*base, ann("2026-05-02", act("amend", BMT))]) == []
    # an explicit ban in another announcement of the same day is a later action, too
    same_day = ann("2026-05-01", act("ban", BMT), aid="ANN-2026-999")
    assert codes_x([*base, same_day]) == [("E403", "ANN-2026-999", 0)]


def test_direct_delisting_ends_emergency_use() -> None:
    anns = [
        ann("2026-01-10", act("list", GL)),
        ann("2026-02-01", act("emergency_use", GL, until="2026-12-31")),
        ann("2026-03-01", act("delist", GL, route="direct", ground="uncontrollable_risk")),
    ]
    assert run_x(anns, "2026-02-28").emergencies[GL] is not None
    assert run_x(anns, "2026-03-01").emergencies[GL] is None


def test_approval_needs_the_entry_listed_on_the_approval_date() -> None:
    # 规范 第三条. Not listed at all:
    anns = [approved("2026-03-01")]
    assert [c for c, _, _ in codes_x(anns)] == ["E409"]
    # listed later the same day (another announcement): listed on the approval date, legal
    approve = ann("2026-03-01", act("approve", BMT), aid="ANN-2026-001")
    listing = ann("2026-03-01", act("list", GL), aid="ANN-2026-002")
    assert codes_x([approve, listing]) == []
    # listed the day after: an error at the approve action
    listing = ann("2026-03-02", act("list", GL), aid="ANN-2026-002")
    assert codes_x([approve, listing]) == [("E409", "ANN-2026-001", 0)]
    # delisted later on the approval date: not listed "on the approval date"
    anns = [
        ann("2026-01-10", act("list", GL), aid="ANN-2026-010"),
        ann("2026-03-01", act("approve", BMT), aid="ANN-2026-011"),
        ann(
            "2026-03-01",
            act("delist", GL, route="after_review", ground="drug_approved"),
            aid="ANN-2026-012",
        ),
    ]
    assert codes_x(anns) == [("E409", "ANN-2026-011", 0)]
    # delisted the day after: legal (after review touches no approval)
    anns[2] = ann("2026-03-02", act("delist", GL, route="after_review", ground="drug_approved"))
    assert codes_x(anns) == []


NAMES = {GL: frozenset({"x技术"}), BMT: frozenset({"y技术"}), BAN: frozenset({"x技术", "z"})}


def test_a_banned_name_cannot_be_listed_from_the_ban_date_on() -> None:
    # 界定指导原则 二(一)1: the guidance entry shares a name with a BAN record
    ban = ann("2026-01-10", act("ban", BAN))
    listing = ann("2026-02-01", act("list", GL))
    assert codes_x([ban, listing], NAMES) == [("E408", listing.id, 0)]  # the listing breaks it
    # listed first, banned later: the ban breaks it (the line of the action that does)
    listing = ann("2026-01-10", act("list", GL))
    ban = ann("2026-02-01", act("ban", BAN))
    assert codes_x([listing, ban], NAMES) == [("E408", ban.id, 0)]
    # delisted the day before the ban: legal; delisted on the ban date (after all that date's
    # announcements) also legal
    delist = ann("2026-01-31", act("delist", GL, route="direct", ground="prohibited_by_law"))
    assert codes_x([listing, delist, ban], NAMES) == []
    delist = ann(
        "2026-02-01",
        act("delist", GL, route="direct", ground="prohibited_by_law"),
        aid="ANN-2026-998",
    )
    assert codes_x([listing, ban, delist], NAMES) == []
    # relisting after the ban breaks it again
    relist = ann("2026-06-01", act("list", GL))
    assert codes_x([listing, ban, delist, relist], NAMES) == [("E408", relist.id, 0)]


def test_a_banned_name_cannot_be_an_approved_technology_that_is_not_banned() -> None:
    names = {GL: frozenset({"a"}), BMT: frozenset({"z"}), BAN: frozenset({"z"})}
    anns = [
        ann("2026-01-10", act("list", GL)),
        approved("2026-03-01"),
        ann("2026-05-01", act("ban", BAN)),
    ]
    assert codes_x(anns, names) == [("E408", anns[2].id, 0)]
    # the approved technology is banned the same day: never allowed together
    anns[2] = ann("2026-05-01", act("ban", BAN), act("ban", BMT))
    assert codes_x(anns, names) == []


def test_ban_basis_says_re_evaluation_only_after_a_suspension() -> None:
    listed = ann("2026-01-10", act("list", GL))
    direct = [listed, approved("2026-03-01"), ann("2026-05-01", act("ban", BMT))]
    st = run_x(direct, "2026-05-01").statuses[BMT]
    assert "再评估" not in st.basis and st.announcement == direct[2].id
    after = [
        listed,
        approved("2026-03-01"),
        ann("2026-04-01", act("suspend", BMT)),
        ann("2026-05-01", act("ban", BMT)),
    ]
    assert "第二十三条第四款" in run_x(after, "2026-05-01").statuses[BMT].basis


def test_listing_basis_first_publication_and_later_additions() -> None:
    first = ann("2026-01-10", act("list", GL), aid="ANN-2026-001")
    assert "二（一）" in run(run_first := [first], "2026-01-10").statuses[GL].basis
    kinds = {GL: "guidance", "GL-0002": "guidance"}
    later = ann("2026-03-01", act("list", "GL-0002"), aid="ANN-2026-002")
    r = replay(ReplayInput((*run_first, later), kinds, GRADES), D("2026-03-01"))
    assert "二（一）" in r.statuses[GL].basis
    assert "二（二）1" in r.statuses["GL-0002"].basis


def test_retained_entry_is_listed_since_its_listing() -> None:
    anns = [ann("2026-01-10", act("list", GL)), ann("2026-05-01", act("retain", GL))]
    st = run(anns, "2026-06-01").statuses[GL]
    assert (st.code, st.since, st.announcement) == ("listed", D("2026-01-10"), anns[0].id)
    assert "二（二）2（2）" in st.basis
