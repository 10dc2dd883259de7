"""Status on any date: each record's status as dated intervals, computed once from the replay.

"Was BMT-x open on 2027-03-01?" An audit or a court asks about a past day, an institution about a
future one. The answer is the status `replay.py` derives on that day; rather than replaying once per
question, one more replay of the published announcements records each record's state at the end of
every date that touches it (`replay(..., watch=…)`), and `RecordState.status_at` tells how that
state reads on the days until the next such date. Between two announcements the status changes only
with the passing of time, at two moments the replay's own state names:

- the day after the 限定期 (`opens_by_time_on`): restricted → open (规范 第二十条第二款);
- the day after an emergency use ends (`until` + 1): the overlay of 规范 第十九条 ends.

Cutting each stretch at those days gives intervals on which the status is constant; adjacent equal
ones are merged. The last interval has no end (`end` None) when nothing in the published
announcements ends it; an interval that starts after the as-of date is a scheduled change that
later announcements may still overtake (the pages say so). Announcements after the as-of date are
embargoed and take no part (contract: they change no status).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from generator.status.replay import replay
from generator.status.states import Event, RecordState, ReplayInput, Status

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Interval:
    """[start, end] (both days included; `end` None: open-ended) with one status throughout."""

    start: date
    end: date | None
    status: Status
    emergency: Event | None = None  # 规范 第十九条: emergency use of a listed entry

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def same_state(self, other: Interval) -> bool:
        return self.status == other.status and self.emergency == other.emergency


Snapshots = dict[str, list[tuple[date, RecordState]]]


def touched(inp: ReplayInput) -> dict[date, set[str]]:
    """Records whose state may change on each date: those an action names, and the approved
    technologies grown from a delisted entry (a direct delisting bans them, 界定指导原则 二(二)2(1)).
    More than needed is harmless: an unchanged state merges into the interval before it."""
    out: dict[date, set[str]] = {}
    for ann in inp.announcements:
        day = out.setdefault(ann.date, set())
        for act in ann.actions:
            day.add(act.record)
            if act.action == "delist":
                day.update(inp.grown.get(act.record, ()))
    return out


Watch = Callable[[date, dict[str, RecordState]], None]


def snapshot_watch(
    inp: ReplayInput,
    keep: Callable[[str], bool] = lambda _rid: True,
    into: Snapshots | None = None,
    days: dict[date, set[str]] | None = None,
) -> tuple[Watch, Snapshots]:
    """A `watch` for `replay(inp, …)` that records the state of each kept record at the end of
    every date that touches it (oldest first), and the snapshots it fills (`into`, when given:
    a resumed replay's snapshots before its start, status/resume.py; `days`: `touched(inp)`,
    when the caller has it)."""
    days = touched(inp) if days is None else days
    out: Snapshots = {} if into is None else into

    def watch(day: date, states: dict[str, RecordState]) -> None:
        for rid in sorted(days.get(day, ())):
            st = states.get(rid)
            if st is not None and st.phase is not None and keep(rid):
                out.setdefault(rid, []).append((day, _snapshot(st)))

    return watch, out


def snapshots(inp: ReplayInput, as_of: date) -> Snapshots:
    """Each record's state at the end of every published date that touches it, oldest first."""
    published = inp.published(as_of)
    watch, out = snapshot_watch(published)
    replay(published, as_of, watch=watch)
    return out


def _snapshot(st: RecordState) -> RecordState:
    """A shallow copy (copy.copy is several times slower): the replay replaces the values it
    changes and only appends to `timeline`, which `status_at` does not read."""
    clone = object.__new__(RecordState)
    clone.__dict__.update(st.__dict__)
    return clone


def _pieces(st: RecordState, start: date, stop: date | None) -> list[tuple[date, date | None]]:
    """Sub-ranges of [start, stop] on which the state reads the same: cut where time alone
    changes the status (the opening day after the 限定期, the day after an emergency use)."""
    moments = [st.opens_by_time_on()]
    if st.emergency is not None:
        moments.append(st.emergency.fields["until"] + DAY)
    cuts = sorted({d for d in moments if d and start < d and (stop is None or d <= stop)})
    points = [start, *cuts]
    return [(p, points[i + 1] - DAY if i + 1 < len(points) else stop) for i, p in enumerate(points)]


def intervals_of(snaps: list[tuple[date, RecordState]]) -> list[Interval]:
    """The intervals of one record from its snapshots (see `snapshots`)."""
    out: list[Interval] = []
    for k, (start, st) in enumerate(snaps):
        stop = snaps[k + 1][0] - DAY if k + 1 < len(snaps) else None
        for first, last in _pieces(st, start, stop):
            status = st.status_at(first)
            if status is None:
                continue
            _append(out, Interval(first, last, status, st.emergency_at(first)))
    return out


def _append(out: list[Interval], iv: Interval) -> None:
    prev = out[-1] if out else None
    adjacent = prev is not None and prev.end is not None and prev.end + DAY == iv.start
    if prev is not None and adjacent and prev.same_state(iv):
        out[-1] = Interval(prev.start, iv.end, prev.status, prev.emergency)
    else:
        out.append(iv)


def record_intervals(inp: ReplayInput, as_of: date) -> dict[str, list[Interval]]:
    """Intervals of every published record, by id, from the input validation replayed
    (status/derive.py `replay_input`); names are left out: they only serve the E408 check, which
    changes no state."""
    snaps = snapshots(replace(inp, names={}), as_of)
    return {rid: intervals_of(s) for rid, s in snaps.items()}


def published_intervals(
    snaps: Snapshots, as_of: date, only: Iterable[str] | None = None
) -> dict[str, list[Interval]]:
    """The same as `record_intervals`, from snapshots validation's replay already recorded over
    every announcement (status/derive.py): the state at the end of a day on or before the as-of
    date is the one a replay of the published announcements reaches, since announcements are
    replayed in date order. Saves the published view its own replay. `only`: these records
    (a resumed replay's, status/resume.py), not every one."""
    out = {}
    for rid in snaps.keys() if only is None else only:
        kept = [(day, st) for day, st in snaps.get(rid, ()) if day <= as_of]
        if kept:
            out[rid] = intervals_of(kept)
    return out


def interval_at(intervals: list[Interval], day: date) -> Interval | None:
    """The interval that holds `day` (None before the first announcement naming the record)."""
    return next((iv for iv in intervals if iv.contains(day)), None)


def next_change(intervals: list[Interval], as_of: date) -> Interval | None:
    """The first interval that starts after `as_of`: the next scheduled change of status."""
    return next((iv for iv in intervals if iv.start > as_of), None)


def boundaries(intervals: list[Interval]) -> list[date]:
    """Every day on which an interval starts or ends (for tests and the change index)."""
    days = {iv.start for iv in intervals} | {iv.end for iv in intervals if iv.end is not None}
    return sorted(days)
