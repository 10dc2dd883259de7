"""Every status change of a record as one stream of events, typed and derived alike.

A record's status changes in three ways, and every output that reports changes (record and bans
feeds, `/changes/`, calendars, counts, the record's timeline, the announcement page) reads them
from here, never from the announcement actions alone:

- `act`: an action of an announcement names the record and changes its status (list, approve,
  suspend, ban …);
- `derived`: an announcement changes the record's status without naming it: a direct delisting of
  a guidance entry ends the approved technologies grown from it (界定指导原则 二(二)2(1):
  不再按照《条例》有关规定开展临床研究和临床转化应用). The announcement is its cause, not its act;
- `time`: no announcement at all: the 限定期 ends and the technology opens to other qualified
  institutions (规范 第二十条第二款), or an emergency use reaches its `until` (规范 第十九条);
- `report`: a filed research project's own event (filed, completed, terminated, continued after a
  new ethics review), reported by its institution (status/research.py).

The changes are the boundaries of the status intervals (status/intervals.py), so the stream and
"status on any date" can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.status.intervals import Interval
from generator.status.states import Event

DERIVED_BASIS = "界定指导原则 二（二）2（1）"


@dataclass(frozen=True)
class StatusChange:
    """One change of one record's status: from `before` (None: the record's first status) to
    `after`, on `after.start`."""

    record: str
    before: Interval | None
    after: Interval
    cause: str  # "act" | "derived" | "time" | "report"
    event: Event | None = None  # the action (act) or the derived event; None for time

    @property
    def day(self) -> date:
        return self.after.start

    @property
    def announcement(self) -> str | None:
        """The announcement that made (act) or caused (derived) the change; None for time and
        for what a research project reports (no announcement)."""
        return (self.event.announcement or None) if self.event is not None else None

    @property
    def emergency_ended(self) -> bool:
        return (
            self.before is not None
            and self.before.emergency is not None
            and self.after.emergency is None
        )

    @property
    def code(self) -> str:
        return self.after.status.code


def _cause(iv: Interval, timeline: list[Event]) -> tuple[str, Event | None]:
    same_day = [e for e in timeline if e.date == iv.start and e.action != "amend"]
    if iv.status.derived:
        derived = next((e for e in same_day if e.announcement == iv.status.announcement), None)
        return "derived", derived
    typed = [e for e in same_day if "derived_from" not in e.fields]
    if typed and typed[-1].announcement:
        return "act", typed[-1]
    if typed:
        return "report", typed[-1]  # a research project's own event: its institution reports it
    return "time", None


def status_changes(
    rid: str, intervals: list[Interval], timeline: list[Event]
) -> list[StatusChange]:
    """The changes of record `rid`, oldest first (later ones than the as-of date are scheduled)."""
    out = []
    for i, iv in enumerate(intervals):
        before = intervals[i - 1] if i else None
        cause, event = _cause(iv, timeline)
        out.append(StatusChange(rid, before, iv, cause, event))
    return out
