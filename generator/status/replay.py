"""Replay announcements into per-record timelines and statuses.

The rules are those of the contract's action table (`../shared/DESIGN.md`), taken from
《生物医学新技术临床转化应用审批工作规范（试行）》 (规范) and
《生物医学新技术与药品、医疗器械界定指导原则（暂行）》 (界定指导原则). Announcements are replayed in
date order, ties broken by announcement id. Illegal actions are reported as `Issue`s and otherwise
ignored, so one mistake does not hide the next.

One pass serves both uses: actions dated on or before `as_of` make the published status; later
(embargoed) actions are still checked for legality but change nothing that is published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from generator.domain.models import Announcement

STATUS_LABELS = {
    "listed": "在清单内",
    "delisted": "已调出",
    "restricted": "限参与研究机构",
    "open": "符合条件的机构可参照限制类技术备案",
    "suspended": "再评估暂停",
    "banned": "已禁止",
    "emergency_use": "紧急应用",
}
KIND_LABELS = {"guidance": "备案指导清单", "approved": "已批准技术", "banned": "禁止技术"}
ACTION_LABELS = {
    "list": "纳入清单",
    "delist": "调出清单",
    "retain": "论证后保留",
    "emergency_use": "紧急应用",
    "approve": "批准临床转化应用",
    "open": "开放应用",
    "suspend": "暂停应用（再评估）",
    "resume": "恢复应用",
    "ban": "禁止临床应用",
    "amend": "修订",
}
GROUND_LABELS = {
    "prohibited_by_law": "法律、行政法规和国家有关规定明令禁止",
    "major_ethics_issue": "存在重大伦理问题",
    "major_safety_efficacy_issue": "安全性、有效性存在重大问题",
    "uncontrollable_risk": "临床研究过程中出现不可控制风险或产生重大社会不良影响",
    "drug_approved": "适应症、机制原理基本相同的药品已批准上市",
    "device_approved": "适应症、机制原理基本相同的医疗器械已批准上市",
    "technology_approved": "已作为医疗技术获批临床转化应用",
    "new_understanding": "对安全性、有效性有认识上的改变",
    "serious_adverse_reaction": "发生严重不良反应或出现不可控制的风险",
    "social_stability": "造成重大社会稳定风险或发生影响社会稳定重大事件",
    "other": "国家卫生健康委规定的其他情形",
}
ROUTE_LABELS = {"direct": "直接调出", "after_review": "论证后调出"}

# Which record kinds each action applies to (contract action table).
ACTION_KINDS: dict[str, frozenset[str]] = {
    "list": frozenset({"guidance"}),
    "delist": frozenset({"guidance"}),
    "retain": frozenset({"guidance"}),
    "emergency_use": frozenset({"guidance"}),
    "approve": frozenset({"approved"}),
    "open": frozenset({"approved"}),
    "suspend": frozenset({"approved"}),
    "resume": frozenset({"approved"}),
    "ban": frozenset({"approved", "banned"}),
    "amend": frozenset({"guidance", "approved", "banned"}),
}
FIRST_ACTION = {"guidance": "list", "approved": "approve", "banned": "ban"}


PERIOD_TERM = (
    "限定期"  # 规范 第二十条第二款: 批准后N年内仅限在参与该技术临床研究且符合条件的医疗机构内开展
)
LEGAL_YEARS = {"high": 5, "medium": 3, "low": 1}  # 规范 第二十条第二款: law, not data


def period_end(start: date, years: int) -> date:
    """Last day of a period of `years` years from `start` (民法典 第二百零一条、第二百零二条).

    The start day is not counted (第二百零一条第一款), and the period ends on the day of the last
    year that corresponds to the start day, or on the last day of that month (28 February) where
    the corresponding day does not exist (第二百零二条). The holiday extension of 第二百零三条 does
    not apply: the period restricts use, it is no deadline for an act.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return date(start.year + years, 2, 28)


BAN_BASIS = {
    "reevaluation": "规范 第二十三条第四款",
    "announcement": "国家卫生健康委禁止临床应用公告",
    "delisting": "界定指导原则 二（二）2（1）（来源清单条目直接调出）",
    "outright": "规范 第二十条第三款；界定指导原则 二(一)1",
}


@dataclass(frozen=True)
class Event:
    """One action of one announcement, as it appears on a record's legal timeline."""

    date: date
    action: str
    announcement: str
    number: str
    title: str
    index: int  # position of the action in the announcement, for error positions
    fields: dict[str, Any]


@dataclass(frozen=True)
class Status:
    code: str
    since: date
    basis: str
    announcement: str | None = None  # None when the status came from the passing of time

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


@dataclass(frozen=True)
class Issue:
    """An illegal action found during replay; validation turns it into a positioned Problem."""

    code: str
    announcement: str
    index: int
    field: str
    kwargs: dict[str, Any]


@dataclass
class RecordState:
    """What the announcements say about one record."""

    kind: str
    timeline: list[Event] = field(default_factory=list)
    phase: str | None = None  # listed, delisted, active, suspended, banned
    phase_since: date | None = None
    phase_event: Event | None = None
    approved_on: date | None = None
    risk_grade: str | None = None
    years: int = 0
    institutions: tuple[str, ...] = ()
    suspended_in_period: bool = False
    opened_by_action: Event | None = None
    emergency: Event | None = None
    # how a `banned` status came about: "reevaluation" (banned while suspended for re-evaluation,
    # 规范 第二十三条第四款), "announcement" (banned by an announcement that shows no
    # re-evaluation), "delisting" (derived from a direct delisting of its guidance entry,
    # 界定指导原则 二(二)2(1)), "outright" (a BAN record)
    ban_kind: str | None = None
    approve_event: Event | None = None
    entered_event: Event | None = None  # the act that made the record allowed (list, approve)
    listed_at_publication: bool = False  # listed by the announcement that first published the list

    @property
    def exclusive_until(self) -> date | None:
        """Last day of the 限定期 (规范 第二十条第二款), counted as 民法典 第二百零一、二百零二条 do."""
        if self.approved_on is None:
            return None
        return period_end(self.approved_on, self.years)

    def opens_by_time_on(self) -> date | None:
        """Day the technology opens by the passing of time, or None when only an `open` can open it."""
        if self.approved_on is None or self.suspended_in_period:
            return None
        return period_end(self.approved_on, self.years) + timedelta(days=1)

    def status_at(self, day: date) -> Status | None:
        """Status on `day`, given that only actions dated on or before `day` were applied."""
        ev = self.phase_event
        if self.phase is None or ev is None or self.phase_since is None:
            return None  # named only by embargoed announcements: not published
        ann = ev.announcement
        if self.phase == "listed":
            # in the list since the listing; a later `retain` keeps it there (界定指导原则 二(二)2(2))
            listing = self.entered_event or ev
            basis = (
                "界定指导原则 二（一）（制定清单）"
                if self.listed_at_publication
                else "界定指导原则 二（二）1（增加调入）"
            )
            if ev.action == "retain":
                basis += "；二（二）2（2）论证后继续保留"
            return Status("listed", listing.date, basis, listing.announcement)
        if self.phase == "delisted":
            route = ev.fields.get("route")
            basis = (
                "界定指导原则 二(二)2(1) 直接调出"
                if route == "direct"
                else "界定指导原则 二(二)2(2) 论证后调出"
            )
            return Status("delisted", self.phase_since, basis, ann)
        if self.phase == "banned":
            basis = BAN_BASIS[self.ban_kind or "announcement"]
            return Status("banned", self.phase_since, basis, ann)
        if self.phase == "suspended":
            return Status("suspended", self.phase_since, "规范 第二十三条第一款", ann)
        # Open since the later of the opening and the last resume: a suspension in between ends it.
        if self.opened_by_action is not None:
            oa = self.opened_by_action
            basis = "规范 第二十条第二款（再评估证实获益远大于风险）"
            if self.phase_since > oa.date:
                return Status("open", self.phase_since, basis, ann)
            return Status("open", oa.date, basis, oa.announcement)
        opens = self.opens_by_time_on()
        if opens is not None and day >= opens:
            basis = "规范 第二十条第二款（期满未出现第二十三条第一款情形）"
            if self.phase_since > opens:
                return Status("open", self.phase_since, basis, ann)
            return Status("open", opens, basis)
        return Status("restricted", self.phase_since, "规范 第二十条第二款", ann)

    def emergency_at(self, day: date) -> Event | None:
        """Emergency use (规范 第十九条) is an overlay on a listed entry while day ≤ until."""
        e = self.emergency
        if e is None or self.phase != "listed" or day > e.fields["until"]:
            return None
        return e


@dataclass
class Replay:
    """Result of replaying all announcements as of one day."""

    as_of: date
    states: dict[str, RecordState]
    statuses: dict[str, Status | None]
    emergencies: dict[str, Event | None]
    issues: list[Issue]
    published: list[Announcement]


def _events(announcements: list[Announcement]) -> list[tuple[Announcement, int, Any]]:
    ordered = sorted(announcements, key=lambda a: (a.date, a.id))
    return [(a, i, act) for a in ordered for i, act in enumerate(a.actions)]


def replay(
    announcements: list[Announcement],
    kinds: dict[str, str],
    grades: dict[str, int],
    as_of: date,
    sources: dict[str, str] | None = None,
    names: dict[str, frozenset[str]] | None = None,
    watch: Callable[[date, dict[str, RecordState]], None] | None = None,
) -> Replay:
    """Replay every announcement; statuses are frozen at `as_of`, legality is checked for all.

    `sources` maps an approved technology to the guidance entry it grew out of (`guidance_entry`):
    a direct delisting of that entry bans it (界定指导原则 二(二)2(1)), and the entry must be listed
    on the approval date (规范 第三条). `names` holds each record's folded name and aliases, for the
    rule that a technology banned outright is never allowed at the same time (二(一)1).
    The status on a date is the one after all of that date's announcements, so the rules across
    records are checked at the end of each date. `watch(day, states)`, when given, is called at the
    end of each date with the live states (status/intervals.py copies what it needs).
    """
    states: dict[str, RecordState] = {rid: RecordState(kind) for rid, kind in kinds.items()}
    ctx = _Context(kinds, grades, sources or {}, _grown(sources or {}))
    day_end = _DayEnd(states, ctx, _collision_pairs(kinds, names or {}))
    frozen: dict[str, RecordState] | None = None
    events = _events(announcements)
    first_list = next((a.id for a, _, act in events if act.action == "list"), None)
    day: date | None = None
    for ann, index, act in events:
        if day is not None and ann.date != day:
            day_end.check(day)
            if watch is not None:
                watch(day, states)
        day = ann.date
        if frozen is None and ann.date > as_of:
            frozen = {rid: _copy(s) for rid, s in states.items()}
        fields = act.model_dump(exclude={"action", "record"}, exclude_none=True)
        event = Event(ann.date, act.action, ann.id, ann.number, ann.title, index, fields)
        problem = _apply(states, ctx, act.record, event)
        if problem is not None:
            ctx.issues.append(problem)
        elif act.action == "list":
            states[act.record].listed_at_publication = ann.id == first_list
        elif act.action == "approve":
            day_end.approvals.append((act.record, event))
    if day is not None:
        day_end.check(day)
        if watch is not None:
            watch(day, states)
    final = frozen if frozen is not None else states
    return Replay(
        as_of=as_of,
        states=final,
        statuses={rid: s.status_at(as_of) for rid, s in final.items()},
        emergencies={rid: s.emergency_at(as_of) for rid, s in final.items()},
        issues=ctx.issues,
        published=sorted(
            (a for a in announcements if a.date <= as_of), key=lambda a: (a.date, a.id)
        ),
    )


@dataclass
class _Context:
    kinds: dict[str, str]
    grades: dict[str, int]
    sources: dict[str, str]  # approved id -> guidance entry id
    grown: dict[str, list[str]]  # guidance entry id -> approved ids
    issues: list[Issue] = field(default_factory=list)


def _grown(sources: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for bmt, gl in sorted(sources.items()):
        out.setdefault(gl, []).append(bmt)
    return out


def _collision_pairs(
    kinds: dict[str, str], names: dict[str, frozenset[str]]
) -> list[tuple[str, str, str]]:
    """(BAN id, other id, shared name) for every BAN record and guidance entry or approved
    technology that share a folded name or alias: the only pairs the 二(一)1 rule can break."""
    owners: dict[str, list[str]] = {}
    for rid, keys in names.items():
        if kinds.get(rid) in ("guidance", "approved"):
            for k in keys:
                owners.setdefault(k, []).append(rid)
    pairs = []
    for rid in sorted(names):
        if kinds.get(rid) != "banned":
            continue
        seen: set[str] = set()
        for k in sorted(names[rid]):
            for other in sorted(owners.get(k, [])):
                if other not in seen:
                    seen.add(other)
                    pairs.append((rid, other, k))
    return pairs


def _order(ev: Event) -> tuple[date, str, int]:
    return (ev.date, ev.announcement, ev.index)


@dataclass
class _DayEnd:
    """Rules across records, checked on the state after all announcements of a date."""

    states: dict[str, RecordState]
    ctx: _Context
    pairs: list[tuple[str, str, str]]
    approvals: list[tuple[str, Event]] = field(default_factory=list)
    broken: set[tuple[str, str]] = field(default_factory=set)

    def check(self, day: date) -> None:
        self._approvals()
        self._collisions()

    def _approvals(self) -> None:
        # 规范 第三条: only technologies on the 备案指导清单 enter approval, on the approval date
        for record, ev in self.approvals:
            entry = self.ctx.sources.get(record)
            gst = self.states.get(entry) if entry else None
            if gst is None or gst.kind != "guidance":
                continue  # missing or dangling guidance_entry: reported by the schema / E305
            if gst.phase != "listed":
                state = STATUS_LABELS.get(gst.phase or "", "尚未纳入清单")
                self.ctx.issues.append(
                    _issue(
                        "E409", ev, "record", record=record, date=ev.date, source=entry, state=state
                    )
                )
        self.approvals.clear()

    def _collisions(self) -> None:
        # 界定指导原则 二(一)1, 二(二)2(1): a technology banned outright is never allowed as well
        now: set[tuple[str, str]] = set()
        for ban_id, other, name in self.pairs:
            b, o = self.states[ban_id], self.states[other]
            allowed = (
                o.phase == "listed" if o.kind == "guidance" else o.phase not in (None, "banned")
            )
            if b.phase != "banned" or not allowed:
                continue
            now.add((ban_id, other))
            if (ban_id, other) in self.broken:
                continue
            cause = max((e for e in (b.phase_event, o.entered_event) if e is not None), key=_order)
            self.ctx.issues.append(
                _issue(
                    "E408",
                    cause,
                    "record",
                    ban=ban_id,
                    other=f"{KIND_LABELS[o.kind]} {other}",
                    name=name,
                    state=STATUS_LABELS["listed"] if o.kind == "guidance" else "已批准",
                )
            )
        self.broken = now


def _copy(state: RecordState) -> RecordState:
    clone = RecordState(**{k: getattr(state, k) for k in state.__dataclass_fields__})
    clone.timeline = list(state.timeline)
    return clone


def _issue(code: str, event: Event, fld: str = "action", **kw: Any) -> Issue:
    return Issue(code, event.announcement, event.index, fld, kw)


def _apply(states: dict[str, RecordState], ctx: _Context, record: str, ev: Event) -> Issue | None:
    kind = ctx.kinds.get(record)
    if kind is None:
        return _issue("E305", ev, "record", what="记录", value=record)
    if kind not in ACTION_KINDS[ev.action]:
        allowed = "、".join(KIND_LABELS[k] for k in sorted(ACTION_KINDS[ev.action]))
        hint = f"{ev.action} 只适用于{allowed}"
        return _issue(
            "E401", ev, "action", action=ev.action, kind=KIND_LABELS[kind], record=record, hint=hint
        )
    st = states[record]
    if st.phase == "banned" and not _allowed_after_ban(st, ev):
        assert st.phase_since is not None and st.phase_event is not None
        return _issue(
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
        return _issue("E405", ev, record=record, needed=needed, action=ev.action, first=first)
    return None


def _illegal(st: RecordState, record: str, ev: Event, hint: str) -> Issue:
    state = STATUS_LABELS.get(st.phase or "", st.phase or "无")
    if st.phase == "active":
        state = "已批准（未暂停）"
    return _issue("E402", ev, record=record, state=state, action=ev.action, hint=hint)


Ctx = _Context
States = dict[str, RecordState]


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
    st.emergency = None
    if ev.fields.get("route") == "direct":
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
        return _issue("E407", ev, "until", detail=detail)
    st.emergency = ev  # 规范 第十九条: within a scope and a period
    return None


def _t_approve(st: RecordState, record: str, ev: Event, ctx: Ctx, _s: States) -> Issue | None:
    if st.phase is not None:
        assert st.approved_on is not None and st.phase_event is not None
        first = next(e for e in st.timeline if e.action == "approve")
        return _issue("E404", ev, record=record, date=st.approved_on, announcement=first.number)
    grade = ev.fields["risk_grade"]
    if grade not in ctx.grades:
        allowed = ", ".join(ctx.grades)
        return _issue("E304", ev, "risk_grade", value=grade, allowed=allowed)
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
