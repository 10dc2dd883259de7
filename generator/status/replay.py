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

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.domain.models import Announcement
from generator.status.across import DayEnd, broken_pairs, collision_pairs
from generator.status.states import (
    Event,
    Issue,
    RecordState,
    Replay,
    ReplayContext,
    ReplayInput,
    States,
    Status,
    copy_state,
)
from generator.status.transitions import apply_event


def _events(announcements: list[Announcement]) -> list[tuple[Announcement, int, Any]]:
    ordered = sorted(announcements, key=lambda a: (a.date, a.id))
    return [(a, i, act) for a in ordered for i, act in enumerate(a.actions)]


@dataclass
class Resume:
    """Where a replay starts again (status/resume.py): every record's state at the end of the
    last date before `start`, the replay resumed (as of the same date), and the records whose
    state may differ from its. The issues, the marks, the broken pairs and the frozen states at
    `start` follow from those (`_begin`). A replay resumed here and a replay from the first
    announcement end the same, when no announcement dated before `start` differs."""

    start: date
    states: dict[str, RecordState]
    last: Replay
    moved: frozenset[str]


def replay(
    inp: ReplayInput,
    as_of: date,
    watch: Callable[[date, dict[str, RecordState]], None] | None = None,
    resume: Resume | None = None,
    pairs: list[tuple[str, str, str]] | None = None,
) -> Replay:
    """Replay every announcement of `inp` (from `resume.start` on, when given); statuses are
    frozen at `as_of`, legality is checked for all. The status on a date is the one after all of
    that date's announcements, so the rules across records (status/across.py) are checked at the
    end of each date. `watch(day, states)`, when given, is called at the end of each date with the
    live states (status/intervals.py copies what it needs). `pairs`: `collision_pairs` of the
    input, when the caller has them already."""
    pairs = collision_pairs(inp.kinds, inp.names) if pairs is None else pairs
    states, issues, marks, frozen = _begin(inp, as_of, resume)
    ctx = ReplayContext(inp.kinds, inp.grades, inp.sources, inp.grown, issues)
    broken = {(ban, other) for ban, other, _ in broken_pairs(states, pairs)}
    day_end = DayEnd(states, ctx, pairs, broken=broken)
    events = _events(list(inp.announcements))
    first_list = next((a.id for a, _, act in events if act.action == "list"), None)
    start = resume.start if resume is not None else date.min
    events = events[bisect_left(events, start, key=lambda e: e[0].date) :]

    def end_of(day: date) -> None:
        day_end.check(day)
        marks.append((day, len(ctx.issues)))
        if watch is not None:
            watch(day, states)

    day: date | None = None
    for k, (ann, index, act) in enumerate(events):
        if day is not None and ann.date != day:
            end_of(day)
        day = ann.date
        if frozen is None and ann.date > as_of:
            frozen = _frozen(states, events[k:], inp.grown)
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
        end_of(day)
    final = frozen if frozen is not None else states
    statuses, emergencies = _at(final, as_of, resume)
    return Replay(
        as_of=as_of,
        states=final,
        statuses=statuses,
        emergencies=emergencies,
        issues=ctx.issues,
        published=sorted(
            (a for a in inp.announcements if a.date <= as_of), key=lambda a: (a.date, a.id)
        ),
        marks=marks,
    )


def _begin(
    inp: ReplayInput, as_of: date, resume: Resume | None
) -> tuple[dict[str, RecordState], list[Issue], list[tuple[date, int]], States | None]:
    """The states, issues, marks and frozen states a replay starts from: the initial ones, or
    those of `resume.last` at the end of the last date before `resume.start` (its states frozen
    at the as-of date are the same when that date lies before the start)."""
    if resume is None:
        return {rid: RecordState(kind) for rid, kind in inp.kinds.items()}, [], [], None
    last = resume.last
    marks = last.marks[: bisect_left(last.marks, resume.start, key=lambda m: m[0])]
    issues = last.issues[: marks[-1][1]] if marks else []
    return resume.states, issues, marks, last.states if as_of < resume.start else None


def _frozen(
    states: dict[str, RecordState],
    rest: list[tuple[Announcement, int, Any]],
    grown: dict[str, list[str]],
) -> dict[str, RecordState]:
    """The states at the as-of date, before the embargoed announcements `rest` are replayed:
    a copy of each record they can change (those they name, and the approved technologies grown
    from an entry they delist, status/transitions.py `_ban_grown`); any other state stays as it
    is to the end."""
    later = set()
    for _, _, act in rest:
        later.add(act.record)
        if act.action == "delist":
            later.update(grown.get(act.record, ()))
    return {rid: copy_state(s) if rid in later else s for rid, s in states.items()}


def _at(
    final: dict[str, RecordState], as_of: date, resume: Resume | None
) -> tuple[dict[str, Status | None], dict[str, Event | None]]:
    """Each record's status and emergency use on the as-of date; a resumed replay works them out
    again only for the records it can have changed (`resume.moved`)."""
    if resume is None:
        return (
            {rid: s.status_at(as_of) for rid, s in final.items()},
            {rid: s.emergency_at(as_of) for rid, s in final.items()},
        )
    statuses, emergencies = dict(resume.last.statuses), dict(resume.last.emergencies)
    for rid in resume.moved & final.keys():  # an action may name no record (E305)
        statuses[rid] = final[rid].status_at(as_of)
        emergencies[rid] = final[rid].emergency_at(as_of)
    return statuses, emergencies
