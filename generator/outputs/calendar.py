"""iCalendar feeds of upcoming transitions: `feeds/calendar.ics` and `feeds/records/<id>.ics`.

A hospital's compliance office plans around three kinds of dates, all known in advance from the
published announcements:

- 限定期届满: the last day of the period of 规范 第二十条第二款 (`exclusive_until`), after which the
  technology opens to other qualified institutions, unless it was suspended inside the period;
- 紧急应用期满: the last day of an emergency use (规范 第十九条, `until`);
- 条件施行: the day a new version of the conditions and operating specification takes effect
  (规范 第十七条, `effective`).

Events are all-day (`DTSTART;VALUE=DATE`, `DTEND` the next day, as calendar apps expect), from the
as-of date on. Everything in a file comes from the data, never from the clock: UIDs name the record
and the act (`period-end-BMT-2026-001@host`), `DTSTAMP` is the date of the announcement the event
comes from, and no sentence names the as-of date, so a file changes only when its events do.
Every calendar holds the Asia/Shanghai VTIMEZONE, so that a record with no upcoming event still
has a valid file to subscribe to (RFC 5545 wants at least one component). Built with the
`icalendar` library (escaping, line folding, CRLF).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlparse

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vText

from generator.domain.checkpoint import checkpoint
from generator.domain.dates import SHANGHAI
from generator.domain.kinds import spec
from generator.domain.vocabulary import PERIOD_TERM
from generator.publish.views import RecordView, Site, record_calendar

CALENDAR = "feeds/calendar.ics"
DAY = timedelta(days=1)
UNDER = "按现已公示的公告推算；此后发布的公告（如暂停、禁止）可能改变，以公告原文为准。"


@dataclass(frozen=True)
class Transition:
    """One upcoming all-day event of one record."""

    uid: str  # without the host
    day: date
    category: str
    summary: str
    description: str
    announced: date  # the announcement it comes from: DTSTAMP
    record: RecordView


def _period_end(r: RecordView) -> Transition | None:
    if r.exclusive_until is None or r.status.code == "banned" or r.risk_grade is None:
        return None
    approve = next(e for e in r.timeline if e.action == "approve")
    text = (
        f"{PERIOD_TERM}最后一日：批准后 {r.risk_grade.exclusive_years} 年内仅限在参与该技术临床研究且"
        "符合条件的医疗机构内开展（规范 第二十条第二款；按民法典 第二百零一条、第二百零二条计算，"
        f"批准当日不计入；{approve.number}）。"
    )
    if r.opens_by_time_on is not None:
        text += (
            f"期满未出现规范 第二十三条第一款情形的，自 {r.opens_by_time_on.isoformat()} 起其他符合条件的"
            "医疗机构参照限制类医疗技术备案后可以开展。"
        )
    else:
        text += (
            f"{PERIOD_TERM}内曾暂停应用（规范 第二十三条第一款）：期满后，其他医疗机构只有在再评估证实获益远大于"
            "风险时方可开展（规范 第二十条第二款）。"
        )
    summary = f"{PERIOD_TERM}届满：{r.name}（{r.id}）"
    return Transition(
        f"period-end-{r.id}", r.exclusive_until, "限定期届满", summary, text, approve.date, r
    )


def _emergency_end(r: RecordView) -> Transition | None:
    e = r.emergency
    if e is None:
        return None
    until = e.fields["until"]
    text = (
        f"紧急应用期限至 {until.isoformat()}（规范 第十九条；{e.number}），"
        f"自 {(until + DAY).isoformat()} 起不得再据此应用于临床。范围：{e.fields['scope']}。"
    )
    summary = f"紧急应用期满：{r.name}（{r.id}）"
    uid = f"emergency-end-{r.id}-{e.announcement}"
    return Transition(uid, until, "紧急应用期满", summary, text, e.date, r)


def _conditions(r: RecordView) -> list[Transition]:
    now = r.conditions_in_force
    out = []
    for vv in r.conditions_upcoming:
        v = vv.version
        text = (
            f"{v.announcement_number}公布的第 {v.number} 版医疗机构和人员条件及临床应用操作规范"
            f"自 {v.effective.isoformat()} 起施行（规范 第十七条）"
            + (f"，取代第 {now.version.number} 版。" if now is not None else "。")
        )
        summary = f"第 {v.number} 版技术条件施行：{r.name}（{r.id}）"
        uid = f"conditions-{r.id}-{v.announcement}"
        out.append(Transition(uid, v.effective, "条件施行", summary, text, v.announced_on, r))
    return out


def _derived(r: RecordView) -> list[Transition]:
    """Status changes an announcement caused without naming the record (status/stream.py): a
    direct delisting of the entry ends the approved technology (界定指导原则 二(二)2(1)). Not a
    filed research project's: the seeds give 及时终止研究 and the new ethics review (二(二)2) no
    date to plan for, so its calendar stays empty (its feed and /changes/ have the change)."""
    if not spec(r.kind).announced:
        return []
    out = []
    for c in r.changes:
        if c.cause != "derived" or c.event is None:
            continue
        text = (
            f"来源清单条目 {c.event.fields.get('derived_from', '')} 被直接调出《备案指导清单》（{c.event.number}），"
            "该技术自当日起不再按照《条例》有关规定开展临床研究和临床转化应用（界定指导原则 二（二）2（1））。"
        )
        summary = f"不再按《条例》开展：{r.name}（{r.id}）"
        out.append(
            Transition(
                f"derived-{r.id}-{c.event.announcement}", c.day, "状态变化", summary, text, c.day, r
            )
        )
    return out


def transitions(r: RecordView, as_of: date) -> list[Transition]:
    """The record's events on or after `as_of`, by date."""
    found = [t for t in (_period_end(r), _emergency_end(r)) if t is not None]
    found += _conditions(r) + _derived(r)
    return sorted((t for t in found if t.day >= as_of), key=lambda t: (t.day, t.uid))


def _timezone() -> Timezone:
    """Asia/Shanghai: UTC+8 without daylight saving since 1991."""
    tz = Timezone()
    tz.add("tzid", "Asia/Shanghai")
    std = TimezoneStandard()
    std.add("dtstart", datetime(1991, 9, 15, 2, 0))
    std.add("tzoffsetfrom", timedelta(hours=8))
    std.add("tzoffsetto", timedelta(hours=8))
    std.add("tzname", "CST")
    tz.add_component(std)
    return tz


def _event(t: Transition, site: Site, host: str) -> Event:
    """One all-day VEVENT."""
    ev = Event()
    sample = "（示例数据）" if t.record.sample else ""
    ev.add("uid", f"{t.uid}@{host}")
    stamp = datetime.combine(t.announced, time(0, 0), SHANGHAI).astimezone(UTC)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", t.day)
    ev.add("dtend", t.day + DAY)
    ev.add("summary", t.summary + sample)
    url = site.permalink(t.record.url)
    note = "本条为示例数据，不是真实决定。" if t.record.sample else ""
    ev.add("description", f"{t.description}{UNDER}{note}\n{url}")
    ev.add("url", url)
    ev.add("categories", [t.category])
    ev.add("transp", "TRANSPARENT")
    ev.add("class", "PUBLIC")
    return ev


def _lines(component: Calendar | Event | Timezone) -> bytes:
    """The content lines inside a component, without its BEGIN and END lines."""
    text = component.to_ical()
    return text[text.index(b"\r\n") + 2 : text.rindex(b"END:")]


class _Writer:
    """Calendar files from components serialised once each: an event appears in the registry's
    calendar and in its record's, and the header and VTIMEZONE are the same in every file
    (icalendar folds line by line in Python: 10,000 calendars took 4 s, serialised whole)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.host = urlparse(site.site_url or "").hostname or "registry.invalid"
        head = Calendar()
        head.add("prodid", "-//bmt-registry//生物医学新技术公示库//ZH")
        head.add("version", "2.0")
        head.add("calscale", "GREGORIAN")
        head.add("method", "PUBLISH")
        head.add("x-wr-timezone", "Asia/Shanghai")
        head.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
        self.head = _lines(head)
        self.zone = _timezone().to_ical()
        self.events: dict[str, bytes] = {}

    def event(self, t: Transition) -> bytes:
        if t.uid not in self.events:
            self.events[t.uid] = _event(t, self.site, self.host).to_ical()
        return self.events[t.uid]

    def calendar(self, name: str, events: list[Transition]) -> bytes:
        names = Calendar()
        # vText: calendar-level properties are not escaped by type (a name may hold a line break)
        names.add("name", vText(name))  # RFC 7986
        names.add("x-wr-calname", vText(name))
        body = b"".join(self.event(t) for t in events)
        return (
            b"BEGIN:VCALENDAR\r\n"
            + self.head
            + _lines(names)
            + self.zone
            + body
            + b"END:VCALENDAR\r\n"
        )


def calendar_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """(path under site/, bytes) of the registry's calendar and one per record."""
    per_record = {}
    for rid, r in site.records.items():
        checkpoint()
        per_record[rid] = transitions(r, site.as_of)
    everything = sorted((t for ts in per_record.values() for t in ts), key=lambda t: (t.day, t.uid))
    out = _Writer(site)
    yield CALENDAR, out.calendar(f"{site.config.title}：状态变化日程", everything)
    for rid, events in per_record.items():
        r = site.records[rid]
        yield record_calendar(rid), out.calendar(f"{r.name}（{rid}）：日程", events)
