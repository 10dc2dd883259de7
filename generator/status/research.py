"""The status of a filed clinical research project (临床研究备案项目), derived from its own events
and from the status of the guidance entry it was filed under (界定指导原则 二).

A project is a filing by institutions, not an act of an announcement: it is `ongoing` 进行中 from
its `filed` date, on which its entry must be listed (参照清单备案, 界定指导原则 二: E410). Then:

- a **direct** delisting of the entry (二(二)2(1)): 对于调出《备案指导清单》之前已备案开展的临床研究
  项目，应当及时终止研究，并妥善保障已开展研究受试者的权益 → `terminate_required` 应当终止, until
  the project reports `terminated` (or `completed`);
- a delisting **after review** (二(二)2(2)): 应重新进行伦理审查评估后，根据伦理审查意见，可继续实施
  至研究结束，或根据实际情况终止研究 → `ethics_review_required` 须重新伦理审查, until the project
  reports `ethics_continued` (→ `ongoing`, on that basis) or `terminated`;
- its own events: `completed` 已结束, `terminated` 已终止 end it; `ethics_continued` is valid only
  while `ethics_review_required`; events lie on or after `filed`, in date order, and none follows
  the end (E411).

A project completed or terminated before the delisting is not affected; an approval grown from
the entry does not affect research (the seeds tie research to the list, not to approvals). A
delisting changes the project's status without naming it: a derived change, with the delisting
announcement as its cause (status/stream.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.domain.models import ResearchProject
from generator.domain.vocabulary import RESEARCH_EVENT_LABELS, STATUS_LABELS
from generator.status.intervals import Interval, interval_at
from generator.status.states import Event, Status

FILED_BASIS = "界定指导原则 二（参照《备案指导清单》备案后开展临床研究）"
BASIS = {
    "terminate_required": "界定指导原则 二（二）2（1）（来源清单条目直接调出：调出前已备案开展的临床研究项目应当及时终止研究）",
    "ethics_review_required": "界定指导原则 二（二）2（2）（来源清单条目论证后调出：应重新进行伦理审查评估）",
    "ethics_continued": "界定指导原则 二（二）2（2）（经重新伦理审查评估，继续实施至研究结束）",
    "completed": "备案机构报告研究结束",
    "terminated": "备案机构报告终止研究",
}
ENDED = ("completed", "terminated")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class ResearchIssue:
    """An E410/E411 of one project: the field it is at (`events`, i, …) and its message values."""

    code: str
    path: tuple[str | int, ...]
    kwargs: dict[str, str]


@dataclass
class ResearchStatus:
    """A project's statuses through time, the events behind them, and what the rules forbid."""

    intervals: list[Interval] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    issues: list[ResearchIssue] = field(default_factory=list)


def _event(day: date, action: str, index: int, **fields: object) -> Event:
    """A project's own event (no announcement: the filing institution reports it)."""
    return Event(day, action, "", "", "", index, dict(fields))


def _delistings(entry_events: list[Event], after: date) -> list[Event]:
    return [e for e in entry_events if e.action == "delist" and e.date > after]


def project_status(
    p: ResearchProject, entry_intervals: list[Interval], entry_events: list[Event], upto: date
) -> ResearchStatus:
    """Replay project `p` against its entry's intervals and delist events, up to `upto`."""
    out = ResearchStatus()
    filed_on = interval_at(entry_intervals, p.filed)
    if filed_on is None or filed_on.status.code != "listed":
        state = filed_on.status.label if filed_on is not None else "尚未纳入清单"
        out.issues.append(
            ResearchIssue(
                "E410",
                ("filed",),
                {"source": p.guidance_entry, "date": str(p.filed), "state": state},
            )
        )
    steps: list[tuple[date, int, Event]] = [
        (e.date, 0, e) for e in _delistings(entry_events, p.filed) if e.date <= upto
    ]
    steps += [
        (ev.date, 1, _event(ev.date, ev.event, i, **({"note": ev.note} if ev.note else {})))
        for i, ev in enumerate(p.events)
    ]
    _check_order(p, out)
    code, since, basis, ann = "ongoing", p.filed, FILED_BASIS, None
    out.timeline.append(_event(p.filed, "filed", -1))
    points: list[tuple[date, Status]] = [(p.filed, Status(code, since, basis, ann))]
    for day, _order, ev in sorted(steps, key=lambda s: (s[0], s[1], s[2].index)):
        nxt = _step(code, ev, p, out)
        if nxt is None:
            continue
        if day > upto:
            continue  # reported later than the as-of date: not published yet
        code, basis, ann, derived = nxt
        out.timeline.append(ev)
        points.append((day, Status(code, day, basis, ann, derived)))
    out.intervals = _intervals(points)
    return out


def _step(
    code: str, ev: Event, p: ResearchProject, out: ResearchStatus
) -> tuple[str, str, str | None, bool] | None:
    """(new status, basis, announcement, derived) after `ev`, or None when it changes nothing."""
    if ev.action == "delist":
        if code in ENDED:
            return None  # completed or terminated before the delisting: not affected
        route = ev.fields.get("route")
        if route == "direct":
            return "terminate_required", BASIS["terminate_required"], ev.announcement, True
        if code == "ongoing":
            return "ethics_review_required", BASIS["ethics_review_required"], ev.announcement, True
        return None
    if code in ENDED:
        return None  # E411 reported by _check_order
    if ev.action == "ethics_continued":
        if code != "ethics_review_required":
            where = ("events", ev.index, "event")
            out.issues.append(ResearchIssue("E411", where, {"detail": _not_required(code)}))
            return None
        return "ongoing", BASIS["ethics_continued"], None, False
    return ev.action, BASIS[ev.action], None, False


def _not_required(code: str) -> str:
    return (
        "ethics_continued（经重新伦理审查继续实施）只适用于须重新伦理审查的项目（来源清单条目论证后调出，"
        f"界定指导原则 二（二）2（2））；此时项目状态为“{STATUS_LABELS[code]}”。请删除该事件或改正日期"
    )


def _check_order(p: ResearchProject, out: ResearchStatus) -> None:
    """Events on or after `filed`, in date order, and none after the project ended (E411)."""
    previous, ended = p.filed, None
    for i, ev in enumerate(p.events):
        where = ("events", i, "date")
        if ev.date < p.filed:
            detail = f"事件日期 {ev.date} 早于备案日期 {p.filed}；请改正日期"
            out.issues.append(ResearchIssue("E411", where, {"detail": detail}))
        elif ev.date < previous:
            detail = f"事件日期 {ev.date} 早于上一个事件（{previous}）；事件按日期顺序只追加"
            out.issues.append(ResearchIssue("E411", where, {"detail": detail}))
        if ended is not None:
            what = f"{RESEARCH_EVENT_LABELS[ended.event]}（{ended.event}）"
            detail = f"项目已于 {ended.date} {what}，之后不能再有事件；请删除该事件"
            out.issues.append(ResearchIssue("E411", ("events", i, "event"), {"detail": detail}))
        if ev.event in ENDED and ended is None:
            ended = ev
        previous = max(previous, ev.date)


def _intervals(points: list[tuple[date, Status]]) -> list[Interval]:
    out: list[Interval] = []
    for k, (start, status) in enumerate(points):
        end = points[k + 1][0] - DAY if k + 1 < len(points) else None
        if out and out[-1].start == start:  # two changes on one day: the later one holds
            out[-1] = Interval(start, end, status)
            continue
        if out and out[-1].end is not None and out[-1].end < out[-1].start:
            out.pop()
        out.append(Interval(start, end, status))
    return [iv for iv in out if iv.end is None or iv.end >= iv.start]
