"""Status rules (DESIGN.md, Data: action table and statuses), replayed from Announcement models."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

import pytest

from generator.models import Announcement
from generator.status import Replay, anniversary, replay

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
    return replay(anns, KINDS, GRADES, date.fromisoformat(as_of))


def status(anns: list[Announcement], as_of: str, record: str = BMT) -> str | None:
    st = run(anns, as_of).statuses[record]
    return None if st is None else st.code


def codes(anns: list[Announcement], as_of: str = "2040-01-01") -> list[str]:
    return [i.code for i in run(anns, as_of).issues]


def approved(day: str = "2026-03-01", grade: str = "low") -> Announcement:
    return ann(day, act("approve", BMT, risk_grade=grade))


D = date.fromisoformat


# --- exclusive period ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "until", "opens"),
    [
        ("high", "2031-02-28", "2031-03-01"),
        ("medium", "2029-02-28", "2029-03-01"),
        ("low", "2027-02-28", "2027-03-01"),
    ],
)
def test_risk_grades_set_the_exclusive_period(grade: str, until: str, opens: str) -> None:
    anns = [approved("2026-03-01", grade)]
    r = run(anns, until)
    state = r.states[BMT]
    assert (state.risk_grade, state.years) == (grade, GRADES[grade])
    assert state.approved_on == D("2026-03-01")
    assert state.exclusive_until == D(until)
    assert r.statuses[BMT].code == "restricted"
    assert r.statuses[BMT].since == D("2026-03-01")
    after = run(anns, opens).statuses[BMT]
    assert (after.code, after.since, after.announcement) == ("open", D(opens), None)
    assert run(anns, opens).states[BMT].exclusive_until == D(until)


def test_restricted_on_exclusive_until_and_open_on_the_anniversary() -> None:
    anns = [approved("2026-06-15", "low")]
    assert status(anns, "2026-06-15") == "restricted"  # the approval day itself
    assert status(anns, "2026-06-14") is None  # before the approval: not yet published
    assert status(anns, "2027-06-14") == "restricted"  # exclusive_until
    assert status(anns, "2027-06-15") == "open"  # anniversary
    assert run(anns, "2027-06-15").states[BMT].exclusive_until == D("2027-06-14")


def test_29_february_approval_opens_on_1_march() -> None:
    anns = [approved("2028-02-29", "low")]
    assert anniversary(D("2028-02-29"), 1) == D("2029-03-01")
    assert run(anns, "2028-03-01").states[BMT].exclusive_until == D("2029-02-28")
    assert status(anns, "2029-02-28") == "restricted"
    st = run(anns, "2029-03-01").statuses[BMT]
    assert (st.code, st.since) == ("open", D("2029-03-01"))


def test_29_february_to_a_leap_year_keeps_the_day() -> None:
    assert anniversary(D("2028-02-29"), 4) == D("2032-02-29")
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
    r = run(anns, "2027-06-01")  # well after the anniversary 2027-03-01
    assert r.statuses[BMT].code == "restricted"
    assert r.statuses[BMT].since == D("2026-09-01")
    assert r.states[BMT].exclusive_until == D("2027-02-28")  # nominal end, unchanged
    assert r.issues == []
    anns.append(ann("2027-07-01", act("open", BMT)))  # legal after the anniversary here
    r = run(anns, "2027-07-01")
    assert r.issues == []
    assert (r.statuses[BMT].code, r.statuses[BMT].since) == ("open", D("2027-07-01"))
    assert r.statuses[BMT].announcement == anns[-1].id
    assert status(anns, "2027-06-30") == "restricted"


def test_suspension_on_the_last_day_of_the_period_counts() -> None:
    anns = [
        approved("2026-03-01"),
        ann("2027-02-28", act("suspend", BMT)),
        ann("2027-04-01", act("resume", BMT)),
    ]
    assert status(anns, "2027-05-01") == "restricted"


def test_suspension_after_the_period_then_resume_is_open_again() -> None:
    anns = [approved("2026-03-01"), ann("2027-03-01", act("suspend", BMT))]  # on the anniversary
    assert status(anns, "2027-03-01") == "suspended"
    anns.append(ann("2027-08-01", act("resume", BMT)))
    r = run(anns, "2027-09-01")
    assert r.issues == []
    st = r.statuses[BMT]
    assert st.code == "open"
    assert st.since == D("2027-08-01")  # open again since the resume, not since the anniversary
    assert st.announcement == anns[-1].id
    assert status(anns, "2027-07-31") == "suspended"


def test_open_before_the_period_ends() -> None:
    anns = [approved("2026-03-01", "high"), ann("2027-01-10", act("open", BMT))]
    assert status(anns, "2027-01-09") == "restricted"
    r = run(anns, "2027-01-10")
    assert r.issues == []
    assert (r.statuses[BMT].code, r.statuses[BMT].since) == ("open", D("2027-01-10"))
    assert r.statuses[BMT].announcement == anns[1].id
    assert r.states[BMT].exclusive_until == D("2031-02-28")


def test_open_then_suspend_then_resume_is_open_since_the_resume() -> None:
    anns = [
        approved("2026-03-01", "high"),
        ann("2027-01-10", act("open", BMT)),
        ann("2027-05-01", act("suspend", BMT)),
        ann("2027-06-01", act("resume", BMT)),
    ]
    r = run(anns, "2027-07-01")
    assert r.issues == []
    assert (r.statuses[BMT].code, r.statuses[BMT].since) == ("open", D("2027-06-01"))


def test_open_on_the_last_day_of_the_period_is_legal() -> None:
    assert codes([approved("2026-03-01"), ann("2027-02-28", act("open", BMT))]) == []


@pytest.mark.parametrize("day", ["2027-03-01", "2028-01-01"])
def test_open_on_or_after_the_anniversary_is_illegal(day: str) -> None:
    anns = [approved("2026-03-01"), ann(day, act("open", BMT))]
    assert codes(anns) == ["E402"]
    st = run(anns, day).statuses[BMT]
    assert (st.code, st.since, st.announcement) == ("open", D("2027-03-01"), None)


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


def test_delist_ends_emergency_use() -> None:
    anns = [
        ann("2026-01-10", act("list", GL)),
        ann("2026-02-01", act("emergency_use", GL, until="2026-12-31")),
        ann("2026-03-01", act("delist", GL, route="after_review", ground="drug_approved")),
    ]
    r = run(anns, "2026-06-01")
    assert r.emergencies[GL] is None
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
OPENED = [APPROVED, ann("2026-04-01", act("open", BMT))]
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
        # after ban
        (BANNED_BMT, act("open", BMT), "E403"),
        (BANNED_BMT, act("suspend", BMT), "E403"),
        (BANNED_BMT, act("resume", BMT), "E403"),
        (BANNED_BMT, act("amend", BMT), "E403"),
        (BANNED_BMT, act("ban", BMT), "E403"),
        (BANNED_BMT, act("approve", BMT), "E403"),
        (BANNED, act("ban", BAN), "E403"),
        (BANNED, act("amend", BAN), "E403"),
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
        ([APPROVED], act("open", BMT)),
        ([APPROVED], act("suspend", BMT)),
        (OPENED, act("suspend", BMT)),
        (SUSPENDED, act("resume", BMT)),
        (SUSPENDED, act("ban", BMT)),
        (SUSPENDED, act("amend", BMT)),
        ([APPROVED], act("ban", BMT)),
        ([], act("ban", BAN)),
    ],
)
def test_legal_transition(history: Any, action: dict[str, Any]) -> None:
    flat = [a for h in history for a in (h if isinstance(h, list) else [h])]
    assert codes([*flat, ann("2026-06-01", action)]) == []
