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
from datetime import date
from typing import Any

from generator.domain.models import Announcement
from generator.status.across import DayEnd, collision_pairs
from generator.status.states import (
    Event,
    RecordState,
    Replay,
    ReplayContext,
    ReplayInput,
    copy_state,
)
from generator.status.transitions import apply_event


def _events(announcements: list[Announcement]) -> list[tuple[Announcement, int, Any]]:
    ordered = sorted(announcements, key=lambda a: (a.date, a.id))
    return [(a, i, act) for a in ordered for i, act in enumerate(a.actions)]


def replay(
    inp: ReplayInput,
    as_of: date,
    watch: Callable[[date, dict[str, RecordState]], None] | None = None,
) -> Replay:
    """Replay every announcement of `inp`; statuses are frozen at `as_of`, legality is checked for
    all. The status on a date is the one after all of that date's announcements, so the rules
    across records (status/across.py) are checked at the end of each date. `watch(day, states)`,
    when given, is called at the end of each date with the live states (status/intervals.py
    copies what it needs)."""
    kinds, grades, sources, names = inp.kinds, inp.grades, inp.sources, inp.names
    announcements = list(inp.announcements)
    states: dict[str, RecordState] = {rid: RecordState(kind) for rid, kind in kinds.items()}
    ctx = ReplayContext(kinds, grades, sources, inp.grown)
    day_end = DayEnd(states, ctx, collision_pairs(kinds, names))
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
            frozen = {rid: copy_state(s) for rid, s in states.items()}
        fields = act.model_dump(exclude={"action", "record"}, exclude_none=True)
        event = Event(ann.date, act.action, ann.id, ann.number, ann.title, index, fields)
        problem = apply_event(states, ctx, act.record, event)
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
