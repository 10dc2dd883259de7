"""The generator proposes, `status/` decides: each candidate action is replayed on the records'
`RecordState`s with `status/transitions.apply_event` (the action table of the contract), and each
date is checked at its end with `status/across.DayEnd` (the rules across records: an approval
needs its guidance entry listed, 规范 第三条). What they refuse is not written: a refused step
becomes an `amend` when that is accepted, or is left out; an approval whose entry the day's end
refuses is offered again with another entry. No rule is spelled here, so a change to the rules in
`status/` changes what synth writes, never whether it validates.

The states also give what the rest of the generator needs: the guidance entries listed at each
moment (an approved technology grows out of one), and each entry's snapshots at the end of every
date that touches it (`status/intervals.py` turns them into the intervals a research project's
filing is checked against, synth/research.py).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from generator.status.across import DayEnd
from generator.status.states import Event, RecordState, ReplayContext, copy_state
from generator.status.transitions import apply_event
from generator.synth.plan import Rec, action_fields, calendar, place_steps
from generator.synth.text import pick_institutions

Placed = list[tuple[Rec, dict]]  # one announcement: (record, action fields), in order


class Judge:
    """The records' states as `status/` replays the accepted actions, date by date."""

    def __init__(self, recs: list[Rec], grades: dict[str, int]) -> None:
        announced = [r for r in recs if r.plan]
        self.states = {r.key: RecordState(r.kind) for r in announced}
        self.ctx = ReplayContext({r.key: r.kind for r in announced}, grades, {}, {})
        self.day_end = DayEnd(self.states, self.ctx, [])  # names collide in no kind: no pairs
        self.entries = [r for r in announced if r.kind == "guidance"]
        self.history: dict[str, list[tuple[date, RecordState]]] = {}
        self._saved: dict[str, RecordState] = {}

    def state(self, rec: Rec) -> RecordState:
        return self.states[rec.key]

    def offer(self, rec: Rec, ev: Event) -> bool:
        """Apply `ev` to `rec` when status/ allows it (a refused action changes no state)."""
        for key in (rec.key, *self.ctx.grown.get(rec.key, ())):  # a delisting may ban these
            self._saved.setdefault(key, copy_state(self.states[key]))
        return apply_event(self.states, self.ctx, rec.key, ev) is None

    def close_day(self, day: date, touched: list[Rec]) -> list[tuple[int, int]]:
        """The day's end (status/across.py): the (announcement, position) of each action it
        refuses; when there are none, the day is kept and the entries' snapshots are taken."""
        self.day_end.check(day)
        refused = [(int(i.announcement), i.index) for i in self.ctx.issues]
        self.ctx.issues.clear()
        if refused:
            return refused
        for rec in touched:
            if rec.kind == "guidance":
                self.history.setdefault(rec.key, []).append((day, copy_state(self.state(rec))))
        self._saved.clear()
        return []

    def undo_day(self, approvals: list[Rec]) -> None:
        """Back to the states before the day (its accepted actions are offered again)."""
        self.states.update(self._saved)
        self._saved.clear()
        for rec in approvals:
            entry = self.ctx.sources.pop(rec.key, None)
            if entry is not None:
                self.ctx.grown[entry].remove(rec.key)

    def grow(self, rec: Rec, entry: Rec, ev: Event) -> None:
        """`rec` was approved as grown out of `entry` (its `guidance_entry`)."""
        self.ctx.sources[rec.key] = entry.key
        self.ctx.grown.setdefault(entry.key, []).append(rec.key)
        self.day_end.approvals.append((rec.key, ev))


def schedule(
    rng: random.Random, recs: list[Rec], grades: dict[str, int]
) -> tuple[list[Placed], list[date], Judge]:
    """Place every candidate step into announcements (plan.py), date them, and keep what status/
    accepts; returns the announcements (none empty), their dates and the judge's final states."""
    steps = place_steps(rng, recs)
    dates = calendar(len(steps))
    judge = Judge(recs, grades)
    anns: list[Placed] = []
    postponed: list[Rec] = []
    k = 0
    while k < len(steps):
        day = dates[k]
        last = k
        while last + 1 < len(steps) and dates[last + 1] == day:
            last += 1
        anns += _one_day(rng, judge, steps[k : last + 1], day, k, postponed)
        k = last + 1
    _late_opens(rng, judge, postponed, anns, dates)
    return _compact(recs, anns, dates), dates, judge


def _one_day(
    rng: random.Random,
    judge: Judge,
    steps: list[list[tuple[Rec, str]]],
    day: date,
    first: int,
    postponed: list[Rec],
) -> list[Placed]:
    """One date's announcements (indexes `first`…): offered until the day's end accepts them."""
    dropped: set[tuple[int, int]] = set()
    while True:
        state = rng.getstate()
        anns, late = [], []
        for j, items in enumerate(steps):
            keep = [
                (rec, s) for pos, (rec, s) in enumerate(items) if (first + j, pos) not in dropped
            ]
            anns.append(_announcement(rng, judge, keep, day, first + j, late))
        touched = [rec for ann in anns for rec, _ in ann]
        refused = judge.close_day(day, touched)
        if not refused:
            postponed += late
            return anns
        approvals = [rec for ann in anns for rec, act in ann if act["action"] == "approve"]
        judge.undo_day(approvals)
        rng.setstate(state)
        for k, pos in refused:
            if k < first:
                raise RuntimeError(f"status/ refused an action of an earlier date ({k}, {pos})")
            rec, act = anns[k - first][pos]
            if act["action"] == "approve" and rec.source is not None:
                rec.avoid.add(rec.source.index)  # another entry next time
            else:  # each record has one step in an announcement (plan.py)
                step = next(p for p, (r, _) in enumerate(steps[k - first]) if r is rec)
                dropped.add((k, step))


def _announcement(
    rng: random.Random,
    judge: Judge,
    items: list[tuple[Rec, str]],
    day: date,
    k: int,
    late: list[Rec],
) -> Placed:
    """Offer each step; a refused one becomes an `amend` when that is accepted. An `open` refused
    inside the 限定期 of a technology suspended in it waits for the last announcement, so that
    opening by announcement (规范 第二十条第二款) occurs too."""
    out: Placed = []
    for rec, step in items:
        act = _offer(rng, judge, rec, step, day, k, len(out))
        if act is None and step == "open" and _waits_for_period(judge.state(rec)):
            late.append(rec)
            continue
        if act is None and step not in ("amend", "approve"):
            act = _offer(rng, judge, rec, "amend", day, k, len(out))
        if act is not None:
            out.append((rec, act))
    return out


def _waits_for_period(st: RecordState) -> bool:
    return st.phase == "active" and st.suspended_in_period and st.opened_by_action is None


def _offer(
    rng: random.Random, judge: Judge, rec: Rec, step: str, day: date, k: int, pos: int
) -> dict | None:
    """The action's fields when status/ accepts it on `day`, else None."""
    act = action_fields(rng, step, day)
    if act["action"] == "approve":
        act["risk_grade"] = rec.grade
        act["institutions"] = rec.institutions = pick_institutions(rng, rng.randint(1, 4))
        entry = _listed_entry(rng, judge, rec)
        if entry is None:
            return None
        rec.source = entry
    fields = {key: value for key, value in act.items() if key != "action"}
    ev = Event(day, act["action"], str(k), "", "", pos, fields)
    if not judge.offer(rec, ev):
        return None
    if act["action"] == "approve":
        assert rec.source is not None
        judge.grow(rec, rec.source, ev)
    return act


def _listed_entry(rng: random.Random, judge: Judge, rec: Rec) -> Rec | None:
    """A guidance entry listed now (the state status/ gives it), one `rec` was not refused with:
    drawn at random, then by scanning (most entries are listed, so the draw nearly always hits)."""
    entries = judge.entries

    def fits(e: Rec) -> bool:
        return judge.states[e.key].phase == "listed" and e.index not in rec.avoid

    for _ in range(min(20, len(entries))):
        e = entries[rng.randrange(len(entries))]
        if fits(e):
            return e
    return next((e for e in entries if fits(e)), None)


def _late_opens(
    rng: random.Random, judge: Judge, late: list[Rec], anns: list[Placed], dates: list[date]
) -> None:
    """One last announcement, the day after the latest 限定期 of the postponed opens."""
    once = {r.index: r for r in late}.values()
    waiting = [r for r in once if _waits_for_period(judge.state(r))]
    if not waiting:
        return
    ends = [judge.state(r).exclusive_until for r in waiting]
    day = max(d for d in ends if d is not None) + timedelta(days=1)
    day = max(day, dates[-1])
    k = len(anns)
    out: Placed = []
    for rec in waiting:
        act = _offer(rng, judge, rec, "open", day, k, len(out))
        if act is not None:
            out.append((rec, act))
    judge.close_day(day, [])
    anns.append(out)
    dates.append(day)


def _compact(recs: list[Rec], anns: list[Placed], dates: list[date]) -> list[Placed]:
    """Drop announcements left empty, and record each accepted action on its record."""
    kept = [k for k, ann in enumerate(anns) if ann]
    dates[:] = [dates[k] for k in kept]
    out = [anns[k] for k in kept]
    for k, ann in enumerate(out):
        for pos, (rec, act) in enumerate(ann):
            rec.events.append((k, act, pos))
    return out
