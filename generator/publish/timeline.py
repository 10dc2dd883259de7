"""A record's legal timeline for people: the acts of the announcements that name it, and the
status changes that no action names (status/stream.py), each shown as what it is.

A derived change (a direct delisting ending the approved technologies grown from the entry,
界定指导原则 二(二)2(1)) is a consequence of the delisting announcement, never an act of it; a change
by time (the 限定期 ends, 规范 第二十条第二款; an emergency use runs out, 规范 第十九条) has no
announcement at all. Record pages, announcement pages, `/changes/` and the feeds say them with the
sentences below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.domain.kinds import spec
from generator.domain.vocabulary import ACTION_LABELS, CONSEQUENCE_LABELS, RESEARCH_EVENT_LABELS
from generator.publish.views import RecordView, Site
from generator.status.states import Event
from generator.status.stream import StatusChange


def change_title(c: StatusChange) -> str:
    """What a change that no action names is, in a few words."""
    if c.cause == "derived":
        return CONSEQUENCE_LABELS.get(c.code, CONSEQUENCE_LABELS["derived"])
    if c.emergency_ended:
        return CONSEQUENCE_LABELS["emergency_ended"]
    if c.code == "open":
        return CONSEQUENCE_LABELS["opened"]
    return f"状态变为“{c.after.status.label}”"


def consequence_text(site: Site, c: StatusChange) -> str:
    """One sentence for a change no action names, with its basis."""
    r = site.records[c.record]
    day = c.day.isoformat()
    if c.cause == "derived" and c.event is not None and r.kind == "research":
        return _research_consequence(r, c)
    if c.cause == "derived" and c.event is not None:
        entry = c.event.fields.get("derived_from", "")
        return (
            f"{r.name}（{r.id}）：来源清单条目 {entry} 被直接调出《备案指导清单》，该技术自 {day} 起"
            "不再按照《条例》有关规定开展临床研究和临床转化应用（界定指导原则 二（二）2（1））。"
            "这是调出的后果，公告没有对该技术作出单独的行为。"
        )
    if c.emergency_ended and c.before is not None and c.before.emergency is not None:
        until = c.before.emergency.fields["until"].isoformat()
        return (
            f"{r.name}（{r.id}）：紧急应用期限至 {until} 届满，自 {day} 起不得再据此应用于临床"
            "（规范 第十九条）。"
        )
    if c.code == "open":
        return (
            f"{r.name}（{r.id}）：限定期届满，自 {day} 起其他符合条件的医疗机构方可开展临床应用，"
            f"参照限制类医疗技术进行备案（{c.after.status.basis}）。没有公告作出这一变化：它随限定期届满发生。"
        )
    return (
        f"{r.name}（{r.id}）：自 {day} 起状态为“{c.after.status.label}”（{c.after.status.basis}）。"
    )


def _research_consequence(r: RecordView, c: StatusChange) -> str:
    """A filed project after its entry left the list (界定指导原则 二(二)2), in the seeds' words."""
    assert c.event is not None
    entry, day = r.model.guidance_entry, c.day.isoformat()
    if c.code == "terminate_required":
        return (
            f"{r.name}（{r.id}）：所依据的清单条目 {entry} 于 {day} 被直接调出《备案指导清单》（{c.event.number}）；"
            "对于调出前已备案开展的临床研究项目，应当及时终止研究，并妥善保障已开展研究受试者的权益"
            "（界定指导原则 二（二）2（1））。这是调出的后果，公告没有点名本项目。"
        )
    return (
        f"{r.name}（{r.id}）：所依据的清单条目 {entry} 于 {day} 经论证后调出《备案指导清单》（{c.event.number}）；"
        "调出前已备案开展的临床研究，应重新进行伦理审查评估后，根据伦理审查意见，可继续实施至研究结束，或根据"
        "实际情况终止研究（界定指导原则 二（二）2（2））。这是调出的后果，公告没有点名本项目。"
    )


@dataclass(frozen=True)
class TimelineItem:
    """One line of a record's legal timeline: an act (`event`) or a consequence (`change`)."""

    day: date
    label: str
    event: Event | None = None  # an act of an announcement naming the record
    change: StatusChange | None = None  # a change no action names
    text: str = ""  # the consequence's sentence

    @property
    def announcement(self) -> str | None:
        if self.event is not None:
            return self.event.announcement
        return self.change.announcement if self.change is not None else None


def _acts(r: RecordView) -> list[Event]:
    """The events that name `r`: the actions of announcements, or for a research project (named
    by no announcement) what its institution reported. A delisting that changed a project's
    status is its cause, shown as a consequence, not as an act."""
    if spec(r.kind).announced:
        return [ev for ev in r.timeline if "derived_from" not in ev.fields]
    return [ev for ev in r.timeline if not ev.announcement]


def _label(r: RecordView, ev: Event) -> str:
    return ACTION_LABELS[ev.action] if spec(r.kind).announced else RESEARCH_EVENT_LABELS[ev.action]


def timeline_items(site: Site, r: RecordView) -> list[TimelineItem]:
    """Acts and consequences of `r` up to the as-of date, oldest first (acts first on a day)."""
    items = [TimelineItem(ev.date, _label(r, ev), event=ev) for ev in _acts(r)]
    items += [
        TimelineItem(c.day, change_title(c), change=c, text=consequence_text(site, c))
        for c in r.changes_until(site.as_of)
        if c.cause in ("derived", "time")
    ]
    return sorted(items, key=lambda i: (i.day, i.change is not None))
