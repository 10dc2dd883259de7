"""Research projects' statuses through time, for `registry diff` (history/diff.py): a project's
status comes from its own events and every delisting of its entry (status/research.py), so the
diff compares it on the same dates as the records that announcements name."""

from __future__ import annotations

from datetime import date

from generator.publish.checked import Checked
from generator.status.intervals import Interval, interval_at, intervals_of, snapshots
from generator.status.research import project_status
from generator.status.states import Status

FAR = date(9999, 12, 31)  # every announcement: the whole history of each project's entry


def project_intervals(reg: Checked) -> dict[str, list[Interval]]:
    """Each research project's statuses through time, from its own events and every delisting of
    its entry (status/research.py); a project whose entry is not a known guidance entry has none
    (validation reports it)."""
    projects = [(rid, e.model) for rid, e in reg.records.items() if e.kind == "research"]
    if not projects:
        return {}
    snaps = snapshots(reg.derived.input, FAR)
    out: dict[str, list[Interval]] = {}
    for rid, p in projects:
        history = snaps.get(p.guidance_entry)
        if history and reg.derived.input.kinds.get(p.guidance_entry) == "guidance":
            events = history[-1][1].timeline
            out[rid] = project_status(p, intervals_of(history), events, FAR).intervals
    return out


def statuses_on(intervals: dict[str, list[Interval]], day: date) -> dict[str, Status | None]:
    """Each project's status on `day` (None before its filing date: not published then)."""
    return {
        rid: iv.status if (iv := interval_at(ivs, day)) is not None else None
        for rid, ivs in intervals.items()
    }
