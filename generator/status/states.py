"""What the replay works on and produces: an `Event` (one action of one announcement), a record's `RecordState` through time, its `Status` on a day, an `Issue` (an action the rules forbid), and the period counting of 规范 第二十条 by 民法典 第二百零一、二百零二条 (`period_end`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from generator.domain.models import Announcement
from generator.domain.vocabulary import DERIVED_BAN_LABEL, STATUS_LABELS


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
    "delisting": "界定指导原则 二（二）2（1）（来源清单条目直接调出：不再按照《条例》有关规定开展临床研究和临床转化应用）",
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
    derived: bool = False  # a `banned` that no ban made: a direct delisting of the source entry

    @property
    def label(self) -> str:
        return (
            DERIVED_BAN_LABEL
            if self.derived and self.code == "banned"
            else STATUS_LABELS[self.code]
        )


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
            return Status("banned", self.phase_since, basis, ann, self.ban_kind == "delisting")
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
            basis = "规范 第二十条第二款（限定期届满；公示的公告中期内无暂停应用）"
            if self.phase_since > opens:
                return Status("open", self.phase_since, basis, ann)
            return Status("open", opens, basis)
        return Status("restricted", self.phase_since, "规范 第二十条第二款", ann)

    def emergency_at(self, day: date) -> Event | None:
        """Emergency use (规范 第十九条) is an overlay on a guidance entry while day ≤ until: granted
        while listed, it survives a delisting after review (a direct delisting clears it)."""
        e = self.emergency
        if e is None or self.phase not in ("listed", "delisted") or day > e.fields["until"]:
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
    # (date, how many issues were found by the end of it): where a resumed replay cuts the
    # issues (status/resume.py)
    marks: list[tuple[date, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ReplayInput:
    """What a replay works on, built once (status/derive.py `replay_input`) and used by
    validation, the published view's intervals, research checks and `registry diff` alike."""

    announcements: tuple[Announcement, ...]
    kinds: dict[str, str]  # record id -> kind, for the kinds announcements act on
    grades: dict[str, int]  # risk grade -> years of the period (规范 第二十条第二款)
    # approved id -> the guidance entry it grew out of: a direct delisting of the entry bans it
    # (界定指导原则 二(二)2(1)), and the entry must be listed on the approval date (规范 第三条)
    sources: dict[str, str] = field(default_factory=dict)
    # each record's folded name and aliases, for 二(一)1 (a banned name is never allowed too)
    names: dict[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def grown(self) -> dict[str, list[str]]:
        """Guidance entry -> the approved technologies grown out of it (built once)."""
        out: dict[str, list[str]] = {}
        for bmt, gl in sorted(self.sources.items()):
            out.setdefault(gl, []).append(bmt)
        return out

    def published(self, as_of: date) -> ReplayInput:
        """The same input with only the announcements dated on or before `as_of`."""
        kept = tuple(a for a in self.announcements if a.date <= as_of)
        return ReplayInput(kept, self.kinds, self.grades, self.sources, self.names)


@dataclass
class ReplayContext:
    kinds: dict[str, str]
    grades: dict[str, int]
    sources: dict[str, str]  # approved id -> guidance entry id
    grown: dict[str, list[str]]  # guidance entry id -> approved ids
    issues: list[Issue] = field(default_factory=list)


def event_order(ev: Event) -> tuple[date, str, int]:
    return (ev.date, ev.announcement, ev.index)


def copy_state(state: RecordState) -> RecordState:
    clone = RecordState(**{k: getattr(state, k) for k in state.__dataclass_fields__})
    clone.timeline = list(state.timeline)
    return clone


def make_issue(code: str, event: Event, fld: str = "action", **kw: Any) -> Issue:
    return Issue(code, event.announcement, event.index, fld, kw)


Ctx = ReplayContext

States = dict[str, RecordState]
