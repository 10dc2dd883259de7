"""The two histories on the site: the 修订记录 section of each record page, and `/changes/`.

A record has two histories, kept apart everywhere: its legal timeline (the announcements, dated by
the announcement, authoritative) and its editorial revision history (git commits to its files,
dated by commit, which change no status). `/changes/` interleaves both, newest first, 50 entries a
page (`/changes/`, `/changes/page/2/`, …); the Atom feeds (feeds.py) are built from the same entries.

Besides announcements and commits, every status change that no announcement names is an entry of
its own (status/stream.py): a change by time (`status`), and what a filed research project's
institutions report (cause `report`: its filing, 研究结束, 终止研究, 经重新伦理审查继续实施; a
filing by institutions, named by no announcement, 界定指导原则 二). A change an announcement caused
without naming the record (the delisting of an entry ending the approved technologies grown from
it, or changing what its filed projects must do, 界定指导原则 二(二)2) is a consequence listed under
that announcement's entry (`Site.consequences`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from generator.domain.dates import SHANGHAI
from generator.domain.models import Announcement
from generator.domain.vocabulary import RESEARCH_EVENT_LABELS
from generator.load.revisions import History, Revision
from generator.publish.timeline import change_title
from generator.publish.views import RecordView, Site
from generator.status.stream import StatusChange

MAX_RECORDS = 20  # records listed per change-log entry before "等 N 条"


def local_time(iso: str) -> datetime:
    """A commit date (ISO 8601 with offset) in Beijing time."""
    return datetime.fromisoformat(iso).astimezone(SHANGHAI)


@dataclass(frozen=True)
class ChangeEntry:
    """One entry of `/changes/` and of the feeds: an announcement or a commit."""

    kind: str  # "announcement" | "revision" | "status" (a change no announcement made)
    key: str  # announcement id, full commit hash, or `<date>:<record>` of a status change
    when: datetime  # aware; an announcement counts from 00:00 Beijing time on its date
    title: str
    records: tuple[RecordView, ...]
    announcement: Announcement | None = None
    revisions: tuple[tuple[RecordView, Revision], ...] = ()
    sample: bool = False
    # status changes the announcement caused without naming the record (status/stream.py), or
    # the one change by time or by report of a "status" entry
    consequences: tuple[StatusChange, ...] = ()
    text: str = ""  # the sentence of a reported change (`report_text`); others are worded later

    @property
    def reported(self) -> bool:
        """A research project's own event, reported by its institutions (cause `report`)."""
        return self.kind == "status" and any(c.cause == "report" for c in self.consequences)

    @property
    def anchor(self) -> str:
        if self.kind == "status":  # the whole key: a date and a record id
            return "status-" + self.key.replace(":", "-")
        return f"{self.kind}-{self.key[:12]}"

    @property
    def short(self) -> str:
        return self.key[:7]

    @property
    def label(self) -> str:
        if self.reported:
            return "机构报告"
        return {"announcement": "公告", "revision": "修订", "status": "状态变化"}[self.kind]


def change_entries(site: Site, history: History) -> list[ChangeEntry]:
    """Published announcements and the commits that changed published records, newest first."""
    entries: list[ChangeEntry] = []
    for a in site.announcements:
        named = dict.fromkeys(act.record for act in a.actions)  # in order, once each
        derived = tuple(site.consequences.get(a.id, ()))
        named.update(dict.fromkeys(c.record for c in derived))  # what it ended without naming
        records = tuple(site.records[rid] for rid in named if rid in site.records)
        entries.append(
            ChangeEntry(
                kind="announcement",
                key=a.id,
                when=datetime.combine(a.date, time(0, 0), SHANGHAI),
                title=a.title,
                records=records,
                announcement=a,
                sample=bool(a.sample),
                consequences=derived,
            )
        )
    entries += [_status_entry(site, c) for c in site.time_changes()]
    entries += [_report_entry(site, c) for c in reported_changes(site)]
    for c in history.commits:
        records = tuple(site.records[rid] for rid in c.records if rid in site.records)
        if not records:
            continue  # only embargoed records: nothing public to show
        per_record = tuple(
            (r, next(v for v in history.revisions(r.id) if v.commit == c.commit)) for r in records
        )
        # The title is generated from what changed in the published records only.
        title = per_record[0][1].message if len(per_record) == 1 else f"修订 {len(records)} 条记录"
        entries.append(
            ChangeEntry(
                kind="revision",
                key=c.commit,
                when=local_time(c.date),
                title=title,
                records=records,
                revisions=per_record,
                sample=all(r.sample for r in records),
            )
        )
    order = {"announcement": 0, "status": 1, "revision": 2}
    entries.sort(key=lambda e: (e.when, -order[e.kind], e.key), reverse=True)
    return entries


def _status_entry(site: Site, c: StatusChange) -> ChangeEntry:
    """A change by the passing of time: the 限定期 ends (规范 第二十条第二款) or an emergency use
    reaches its `until` (规范 第十九条). No announcement made it; every output still shows it."""
    return _own_entry(site, c, f"{change_title(c)}：{site.records[c.record].name}")


def _own_entry(site: Site, c: StatusChange, title: str, text: str = "") -> ChangeEntry:
    """A status change that is an entry of its own (no announcement names it), on its day."""
    r = site.records[c.record]
    return ChangeEntry(
        kind="status",
        key=f"{c.day.isoformat()}:{c.record}",
        when=datetime.combine(c.day, time(0, 0), SHANGHAI),
        title=title,
        records=(r,),
        sample=r.sample,
        consequences=(c,),
        text=text,
    )


def reported_changes(site: Site) -> list[StatusChange]:
    """The changes research projects' institutions reported, by the as-of date."""
    found = [
        c for r in site.records.values() for c in r.changes_until(site.as_of) if c.cause == "report"
    ]
    return sorted(found, key=lambda c: (c.day, c.record))


def report_text(site: Site, c: StatusChange) -> str:
    """One sentence for a reported change: who reported what, and the status it gives, with its
    basis (the filing: 界定指导原则 二; a review after a delisting: 二(二)2(2); an end: the report)."""
    r = site.records[c.record]
    assert c.event is not None
    p, day, action = r.model, c.day.isoformat(), c.event.action
    if action == "filed":
        entry = site.records.get(p.guidance_entry)
        named = f"{entry.name}（{entry.id}）" if entry is not None else p.guidance_entry
        number = f"，备案编号 {p.filing_no}" if p.filing_no else ""
        head = f"{p.sponsor} 于 {day} 参照《备案指导清单》条目 {named} 备案{number}"
    else:
        head = f"备案机构报告{RESEARCH_EVENT_LABELS[action]}（{day}）"
    note = f"；说明：{c.event.fields['note']}" if c.event.fields.get("note") else ""
    status = c.after.status
    return f"{r.name}（{r.id}）：{head}{note}。状态为“{status.label}”（依据：{status.basis}）。"


def _report_entry(site: Site, c: StatusChange) -> ChangeEntry:
    """What a filed research project's institutions reported: its own entry, as a change by time
    has (no announcement names a project)."""
    assert c.event is not None
    title = f"{site.records[c.record].name}（{RESEARCH_EVENT_LABELS[c.event.action]}）"
    return _own_entry(site, c, title, report_text(site, c))
