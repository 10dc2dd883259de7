"""A replay resumed from the last one (the preview's edit of an announcement): the states at the
end of the last date before the first changed announcement are read off the last replay's
snapshots, and only the announcements from that date on are replayed again.

Announcements are replayed in date order (status/replay.py), so nothing dated before the first
change can differ. A record's state changes only on a date that touches it (an action names it,
or a direct delisting of its guidance entry bans it, 界定指导原则 二(二)2(1)), and the snapshots
hold its state at the end of each such date; a record with no snapshot before the change has
never been entered, and an unentered record's state is its initial one (a refused action changes
nothing, status/transitions.py). tests/status/test_replay_resume.py compares every resumed replay
with a replay from the first announcement.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import date

from generator.domain.models import Announcement
from generator.status.intervals import (
    Interval,
    Snapshots,
    published_intervals,
    snapshot_watch,
    touched,
)
from generator.status.replay import Resume, replay
from generator.status.states import RecordState, Replay, ReplayInput


def first_change(old: tuple[Announcement, ...], new: tuple[Announcement, ...]) -> date | None:
    """The earliest date of an announcement added, removed or changed (its old or new date);
    None when both are the same."""
    before = {a.id: a for a in old}
    after = {a.id: a for a in new}
    dates = []
    for aid in before.keys() | after.keys():
        a, b = before.get(aid), after.get(aid)
        if a is b or (a is not None and b is not None and a == b):
            continue
        dates += [x.date for x in (a, b) if x is not None]
    return min(dates, default=None)


def resumed(
    last: Replay,
    snaps: Snapshots,
    old: ReplayInput,
    new: ReplayInput,
    pairs: list[tuple[str, str, str]],
) -> tuple[Replay, Snapshots, set[str]] | None:
    """`new` replayed from the first announcement that differs from `old`'s, given the replay
    of `old` and its snapshots: the replay, the snapshots and the records whose snapshots may
    differ. None when the announcements are the same.

    `old` and `new` must differ in their announcements only, and `pairs` be their
    `collision_pairs` (the caller compares the rest)."""
    start = first_change(old.announcements, new.announcements)
    if start is None:
        return None
    days = touched(new)
    moved = _from(touched(old), start) | _from(days, start)
    states, kept = _states_before(snaps, new.kinds, moved, start)
    watch, _ = snapshot_watch(new, into=kept, days=days)
    resume = Resume(start, states, last, frozenset(moved))
    done = replay(new, last.as_of, watch=watch, resume=resume, pairs=pairs)
    return done, kept, moved


def _from(days: dict[date, set[str]], start: date) -> set[str]:
    """The records touched on `start` or later."""
    return {rid for day, rids in days.items() if day >= start for rid in rids}


def _states_before(
    snaps: Snapshots, kinds: dict[str, str], moved: set[str], start: date
) -> tuple[dict[str, RecordState], Snapshots]:
    """Each record's state at the end of the last date before `start`, and the snapshots up to
    then. A record the replay from `start` touches gets copies with its own timeline (the last
    replay's states and snapshots are never changed: the last published view reads them)."""
    states: dict[str, RecordState] = {}
    kept: Snapshots = {}
    for rid, kind in kinds.items():
        history = snaps.get(rid)
        if rid not in moved:  # nothing after `start` touched it: its last state is the one
            states[rid] = history[-1][1] if history else RecordState(kind)
            if history:
                kept[rid] = history
            continue
        before = history[: bisect_left(history, start, key=lambda h: h[0])] if history else []
        if not before:
            states[rid] = RecordState(kind)
            continue
        last = before[-1][1]
        timeline = [ev for ev in last.timeline if ev.date < start]
        states[rid] = replace(last, timeline=timeline)
        kept[rid] = [(day, replace(st, timeline=timeline)) for day, st in before]
    return states, kept


def dated_again(
    dated: dict[str, list[Interval]], snaps: Snapshots, moved: set[str], as_of: date
) -> dict[str, list[Interval]]:
    """The published intervals (status/intervals.py `published_intervals`) after a resumed
    replay: only the records whose snapshots may differ are worked out again."""
    again = published_intervals(snaps, as_of, only=moved)
    out = dict(dated)
    for rid in moved:  # in place: a record keeps its position in `dated`
        if rid in again:
            out[rid] = again[rid]
        else:
            out.pop(rid, None)
    return out
