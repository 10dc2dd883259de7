"""Rules across records, checked on the state after all announcements of a date: a banned name may not be allowed elsewhere (界定指导原则 二(一)1, E408), an approval needs its guidance entry listed (规范 第三条, E409)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from generator.domain.kinds import ALLOWING_KINDS, KIND_LABELS
from generator.domain.vocabulary import STATUS_LABELS
from generator.status.states import Event, RecordState, ReplayContext, event_order, make_issue


def collision_pairs(
    kinds: dict[str, str], names: dict[str, frozenset[str]]
) -> list[tuple[str, str, str]]:
    """(BAN id, other id, shared name) for every BAN record and guidance entry or approved
    technology that share a folded name or alias: the only pairs the 二(一)1 rule can break."""
    owners: dict[str, list[str]] = {}
    for rid, keys in names.items():
        if kinds.get(rid) in ALLOWING_KINDS:
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


def broken_pairs(
    states: dict[str, RecordState], pairs: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The pairs whose BAN record is banned while the other is allowed: 界定指导原则 二(一)1,
    二(二)2(1), a technology banned outright is never allowed as well."""
    out = []
    for ban_id, other, name in pairs:
        b, o = states[ban_id], states[other]
        allowed = o.phase == "listed" if o.kind == "guidance" else o.phase not in (None, "banned")
        if b.phase == "banned" and allowed:
            out.append((ban_id, other, name))
    return out


@dataclass
class DayEnd:
    """Rules across records, checked on the state after all announcements of a date."""

    states: dict[str, RecordState]
    ctx: ReplayContext
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
                    make_issue(
                        "E409", ev, "record", record=record, date=ev.date, source=entry, state=state
                    )
                )
        self.approvals.clear()

    def _collisions(self) -> None:
        now: set[tuple[str, str]] = set()
        for ban_id, other, name in broken_pairs(self.states, self.pairs):
            b, o = self.states[ban_id], self.states[other]
            now.add((ban_id, other))
            if (ban_id, other) in self.broken:
                continue
            cause = max(
                (e for e in (b.phase_event, o.entered_event) if e is not None), key=event_order
            )
            self.ctx.issues.append(
                make_issue(
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
