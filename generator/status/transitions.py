"""The action table of the contract (DESIGN.md, Actions): what each action does to a record's state, and when it is illegal (E401–E407)."""

from __future__ import annotations

from datetime import timedelta

from generator.domain.kinds import ACTION_KINDS, FIRST_ACTION, KIND_LABELS
from generator.domain.vocabulary import GROUND_LABELS, PERIOD_TERM, STATUS_LABELS
from generator.status.states import (
    Ctx,
    Event,
    Issue,
    RecordState,
    ReplayContext,
    States,
    make_issue,
)


def apply_event(
    states: dict[str, RecordState], ctx: ReplayContext, record: str, ev: Event
) -> Issue | None:
    kind = ctx.kinds.get(record)
    if kind is None:
        return make_issue("E305", ev, "record", what="记录", value=record)
    if kind not in ACTION_KINDS[ev.action]:
        allowed = "、".join(KIND_LABELS[k] for k in sorted(ACTION_KINDS[ev.action]))
        hint = f"{ev.action} 只适用于{allowed}"
        return make_issue(
            "E401", ev, "action", action=ev.action, kind=KIND_LABELS[kind], record=record, hint=hint
        )
    st = states[record]
    if st.phase == "banned" and not _allowed_after_ban(st, ev):
        assert st.phase_since is not None and st.phase_event is not None
        return make_issue(
            "E403", ev, record=record, date=st.phase_since, announcement=st.phase_event.number
        )
    if st.phase == "banned":
        st.timeline.append(ev)  # an amend, or the explicit ban of a derived ban: no status change
        return None
    problem = _TRANSITIONS[ev.action](st, record, ev, ctx, states)
    if problem is None:
        st.timeline.append(ev)
    return problem


def _allowed_after_ban(st: RecordState, ev: Event) -> bool:
    """`amend` changes no status and is allowed after a ban (contract, action table); so is an
    explicit `ban` in the very announcement whose direct delisting already banned the technology."""
    if ev.action == "amend":
        return True
    derived = st.ban_kind == "delisting" and st.phase_event is not None
    return derived and ev.action == "ban" and st.phase_event.announcement == ev.announcement


def _enter(st: RecordState, phase: str, ev: Event) -> None:
    st.phase, st.phase_since, st.phase_event = phase, ev.date, ev


def _not_yet(st: RecordState, record: str, ev: Event) -> Issue | None:
    if st.phase is None:
        first = FIRST_ACTION[st.kind]
        needed = {"list": "纳入清单", "approve": "获批准", "ban": "被禁止"}[first]
        return make_issue("E405", ev, record=record, needed=needed, action=ev.action, first=first)
    return None


def _illegal(st: RecordState, record: str, ev: Event, hint: str) -> Issue:
    state = STATUS_LABELS.get(st.phase or "", st.phase or "无")
    if st.phase == "active":
        state = "已批准（未暂停）"
    return make_issue("E402", ev, record=record, state=state, action=ev.action, hint=hint)


def _t_list(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if st.phase == "listed":
        return _illegal(st, record, ev, "该条目已在清单内；如需说明请用 amend 或 retain")
    _enter(st, "listed", ev)  # 界定指导原则 二（一） 制定 / 二（二）1 增加调入
    st.entered_event = ev
    return None


def _t_delist(st: RecordState, record: str, ev: Event, ctx: Ctx, states: States) -> Issue | None:
    if (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.phase != "listed":
        return _illegal(st, record, ev, "只有在清单内的条目才能调出")
    _enter(st, "delisted", ev)  # 界定指导原则 二(二)2
    if ev.fields.get("route") == "direct":
        # 二(二)2(1): 不再按照《条例》有关规定开展临床研究和临床转化应用, an emergency use included.
        # A delisting after review (二(二)2(2)) ends only new filings: a running emergency use
        # (规范 第十九条) runs on to its `until`.
        st.emergency = None
        _ban_grown(record, ev, ctx, states)
    return None


def _ban_grown(entry: str, ev: Event, ctx: Ctx, states: States) -> None:
    """界定指导原则 二(二)2(1): 调出《备案指导清单》的生物医学新技术，不再按照《条例》有关规定开展
    临床研究和临床转化应用. Every approved technology grown from the entry is banned from the
    delisting date, with the delisting announcement as its basis (derived, not typed in)."""
    ground = GROUND_LABELS.get(ev.fields.get("ground", ""), "")
    for bmt in ctx.grown.get(entry, []):
        st = states.get(bmt)
        if st is None or st.phase in (None, "banned"):
            continue
        derived = Event(
            ev.date,
            "ban",
            ev.announcement,
            ev.number,
            ev.title,
            ev.index,
            {
                "ground": f"来源清单条目 {entry} 被直接调出备案指导清单：{ground}",
                "derived_from": entry,
            },
        )
        _enter(st, "banned", derived)
        st.ban_kind = "delisting"
        st.emergency = None
        st.timeline.append(derived)


def _t_retain(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.phase != "listed":
        return _illegal(st, record, ev, "已调出的条目不能“论证后保留”；重新纳入请用 list")
    _enter(st, "listed", ev)  # 界定指导原则 二(二)2(2) 论证后继续保留
    return None


def _t_emergency(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.phase != "listed":
        return _illegal(
            st, record, ev, "紧急应用只适用于正在开展临床研究（在清单内）的技术（规范 第十九条）"
        )
    if ev.fields["until"] < ev.date:
        detail = f"紧急应用期限 until（{ev.fields['until']}）早于公告日期 {ev.date}；请改正期限"
        return make_issue("E407", ev, "until", detail=detail)
    st.emergency = ev  # 规范 第十九条: within a scope and a period
    return None


def _t_approve(st: RecordState, record: str, ev: Event, ctx: Ctx, _s: States) -> Issue | None:
    if st.phase is not None:
        assert st.approved_on is not None and st.phase_event is not None
        first = next(e for e in st.timeline if e.action == "approve")
        return make_issue("E404", ev, record=record, date=st.approved_on, announcement=first.number)
    grade = ev.fields["risk_grade"]
    if grade not in ctx.grades:
        allowed = ", ".join(ctx.grades)
        return make_issue("E304", ev, "risk_grade", value=grade, allowed=allowed)
    # 规范 第十七条 (decision and announcement), 第二十条第二款 (限定期 by grade)
    st.approved_on, st.risk_grade, st.years = ev.date, grade, ctx.grades[grade]
    st.institutions = tuple(ev.fields["institutions"])
    st.approve_event = st.entered_event = ev
    _enter(st, "active", ev)
    return None


def _t_open(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.phase != "active":
        return _illegal(st, record, ev, "再评估期间不能开放；先发布 resume，或直接 ban")
    if st.opened_by_action is not None:
        return _illegal(st, record, ev, f"已于 {st.opened_by_action.date} 开放，无需重复 open")
    until = st.exclusive_until
    if until is not None and ev.date <= until:
        # 规范 第二十条第二款: 批准后N年内仅限在参与该技术临床研究且符合条件的医疗机构内开展
        return _illegal(
            st,
            record,
            ev,
            f"{PERIOD_TERM}至 {until}，其间仅限参与该技术临床研究且符合条件的医疗机构开展"
            f"（规范 第二十条第二款），不能提前开放；open 最早只能在 {until + timedelta(days=1)} 发布",
        )
    opens = st.opens_by_time_on()
    if opens is not None:
        return _illegal(
            st,
            record,
            ev,
            f"{PERIOD_TERM}已于 {until} 届满且期间未暂停，{opens} 起已自动开放，无需 open",
        )
    st.opened_by_action = ev  # 规范 第二十条第二款: 再评估证实获益远大于风险
    st.phase_event = ev
    return None


def _t_suspend(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.phase != "active":
        return _illegal(st, record, ev, "该技术已在再评估暂停中")
    exclusive_until = st.exclusive_until
    if exclusive_until is not None and ev.date <= exclusive_until and st.opened_by_action is None:
        # 规范 第二十条第二款: a 第二十三条第一款 situation inside the period stops automatic opening
        st.suspended_in_period = True
    _enter(st, "suspended", ev)  # 规范 第二十三条第一款: 再评估期间暂停应用
    return None


def _t_resume(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.phase != "suspended":
        return _illegal(st, record, ev, "只有再评估暂停中的技术才能 resume")
    _enter(st, "active", ev)
    return None


def _t_ban(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    if st.kind == "approved" and (p := _not_yet(st, record, ev)) is not None:
        return p
    if st.kind == "banned":
        st.ban_kind = "outright"  # 规范 第二十条第三款；界定指导原则 二(一)1
    elif st.phase == "suspended":
        st.ban_kind = "reevaluation"  # 规范 第二十三条第四款: 经评估不能保证安全、有效的，禁止
    else:
        st.ban_kind = "announcement"  # no re-evaluation shown: the ban announcement is the basis
    _enter(st, "banned", ev)
    st.emergency = None
    return None


def _t_amend(st: RecordState, record: str, ev: Event, _c: Ctx, _s: States) -> Issue | None:
    return _not_yet(st, record, ev)  # changes no status


_TRANSITIONS = {
    "list": _t_list,
    "delist": _t_delist,
    "retain": _t_retain,
    "emergency_use": _t_emergency,
    "approve": _t_approve,
    "open": _t_open,
    "suspend": _t_suspend,
    "resume": _t_resume,
    "ban": _t_ban,
    "amend": _t_amend,
}
