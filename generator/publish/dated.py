"""What the registry says about a record on a given date: its status intervals, told with the
sentences of the verdict modules (publish/sentences.py: what each status means on a day).

`status/intervals.py` computes the intervals; this module composes every sentence that the record
page's date field, `/check/`'s date field and `api/records/<id>.json` show for them, so that the
browser only picks the interval whose [from, to] holds the date and applies no legal rule
(`site_src/assets/dated.js`). Each sentence cites its article of
《生物医学新技术临床转化应用审批工作规范（试行）》 (规范) or
《生物医学新技术与药品、医疗器械界定指导原则（暂行）》 (界定指导原则), as `verdict.py` does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from generator.domain.kinds import spec
from generator.domain.vocabulary import GROUND_LABELS, PERIOD_TERM, ROUTE_LABELS
from generator.publish.sentences import (
    DELISTED,
    DERIVED_BAN,
    EMERGENCY,
    EMERGENCY_ONLY,
    MEANING,
    NO_CLINICAL_USE,
    NO_SPEC,
    NOT_BY_TIME,
)
from generator.publish.views import RecordView, Site
from generator.status.intervals import Interval, next_change
from generator.status.states import Event, Status
from generator.status.stream import StatusChange

NONE_LABEL = "本库没有该日的状态"
# the heading of an approved technology's research stage on a day: its guidance entry's status
RESEARCH_LABEL = "临床研究阶段（界定指导原则 二）：备案指导清单条目 "
BEFORE_ANY = (
    "所选日期早于本库中该记录的第一个状态（第一份涉及它的公告，或项目的备案日期；见记录页的时间线）："
    "本库没有它在该日的状态，"
    "不能视为可以开展。未经批准临床转化应用的生物医学新技术，任何机构和个人不得应用于临床"
    "（规范 第二十条第三款）。"
)


def _spec_in_force(r: RecordView, day: date) -> bool:
    """Whether a published conditions version (with its 临床应用操作规范) is in force on `day`."""
    return any(v.version.effective <= day for v in r.conditions_versions)


def _cause(r: RecordView, status: Status) -> Event | None:
    """The action behind a delisted, suspended or banned status (its route and ground)."""
    wanted = {"delisted": "delist", "suspended": "suspend", "banned": "ban"}.get(status.code)
    if wanted is None:
        return None
    return next(
        (
            e
            for e in reversed(r.timeline)
            if e.action == wanted
            and e.announcement == status.announcement
            and e.date == status.since
        ),
        None,
    )


def reason(ev: Event | None) -> dict[str, str] | None:
    """Route and ground of an action, codes and Chinese labels (`ground` of a ban is free text)."""
    if ev is None or "ground" not in ev.fields:
        return None
    ground = ev.fields["ground"]
    out = {"ground": ground, "ground_label": GROUND_LABELS.get(ground, ground)}
    if "route" in ev.fields:
        out |= {"route": ev.fields["route"], "route_label": ROUTE_LABELS[ev.fields["route"]]}
    if ev.fields.get("note"):
        out["note"] = ev.fields["note"]
    return out


def _number(r: RecordView, aid: str | None) -> str | None:
    return next((e.number for e in r.timeline if e.announcement == aid), aid)


def _span(iv: Interval) -> str:
    start = iv.start.isoformat()
    return f"{start} 至 {iv.end.isoformat()}" if iv.end is not None else f"{start} 起"


def current_reason(r: RecordView) -> dict[str, str] | None:
    """Route and ground of the record's status (delisted, suspended, banned), with labels."""
    return reason(_cause(r, r.status))


def status_label(iv: Interval) -> str:
    label = iv.status.label
    return f"{label}（紧急应用）" if iv.emergency is not None else label


def interval_sentence(r: RecordView, iv: Interval) -> str:
    """The status of `r` throughout `iv`, what it means, why, and on which basis."""
    code = iv.status.code
    cause = _cause(r, iv.status)
    why = reason(cause)
    if code == "delisted":
        route = (cause.fields.get("route") if cause else None) or "after_review"
        meaning = DELISTED[route]
        if iv.emergency is not None:  # a delisting after review ends no running emergency use
            e = iv.emergency
            until = e.fields["until"].isoformat()
            meaning += EMERGENCY_ONLY.format(number=e.number, scope=e.fields["scope"], until=until)
    elif iv.emergency is not None:
        e = iv.emergency
        until = e.fields["until"].isoformat()
        meaning = EMERGENCY.format(number=e.number, scope=e.fields["scope"], until=until)
    elif iv.status.derived and code == "banned":
        meaning = DERIVED_BAN
    else:
        meaning = MEANING[code]
    if code in ("restricted", "open") and not _spec_in_force(r, iv.start):
        meaning += NO_SPEC
    if code == "restricted" and iv.end is None:  # no opening by time: suspended in the period
        meaning += NOT_BY_TIME
    text = f"{_span(iv)}：{status_label(iv)}。{meaning}"
    if why is not None:
        route = f"调出途径：{why['route_label']}；" if "route_label" in why else ""
        text += f"{route}理由：{why['ground_label']}。"
    number = _number(r, iv.status.announcement)
    return text + f"依据：{iv.status.basis}" + (f"；{number}。" if number else "。")


def next_change_sentence(r: RecordView, before: Interval | None, nxt: Interval) -> str:
    """The next scheduled change, e.g. 将于 2031-06-16 起开放 (from the published announcements)."""
    day = nxt.start.isoformat()
    # no as-of date in it: the API file must not change with every daily build (outputs/sync.py)
    tail = "按现已公示的公告推算；此后发布的公告（如暂停、禁止）可能改变。"
    if nxt.status.code == "open":  # only time opens in the future: later acts are embargoed
        return (
            f"将于 {day} 起开放：{PERIOD_TERM}届满，其他符合条件的医疗机构参照限制类医疗技术备案后可以开展"
            f"（{nxt.status.basis}）。{tail}"
        )
    if before is not None and before.emergency is not None and nxt.emergency is None:
        until = before.emergency.fields["until"].isoformat()
        return f"紧急应用期限至 {until}，将于 {day} 起期满，不得再据此应用于临床（规范 第十九条）。{tail}"
    return f"将于 {day} 起变为“{status_label(nxt)}”（{nxt.status.basis}）。{tail}"


def before_sentence(r: RecordView) -> str:
    """For a date before the first announcement that names the record (a research project: before
    its filing date)."""
    first = r.intervals[0] if r.intervals else None
    if first is None:
        return NO_CLINICAL_USE
    if not spec(r.kind).announced:
        return (
            f"所选日期早于该项目的备案日期（{first.start.isoformat()}）：本库没有它在该日的状态。"
        )
    number = _number(r, first.status.announcement)
    return (
        f"所选日期早于本库第一份涉及该记录的公告（{first.start.isoformat()}"
        + (f"，{number}" if number else "")
        + f"）：本库没有它在该日的状态，不能视为可以开展。{NO_CLINICAL_USE}"
    )


def after_as_of_sentence(site: Site) -> str:
    return (
        f"所选日期晚于数据截至日 {site.as_of.isoformat()}：结论按截至该日已公示的公告推算，"
        "此后发布的公告（如暂停、禁止、开放或新的技术条件）可能改变结论；以公告原文为准。"
    )


def interval_entry(r: RecordView, iv: Interval) -> dict[str, Any]:
    """One interval as JSON (API, record page, /check/ index)."""
    entry: dict[str, Any] = {
        "from": iv.start.isoformat(),
        "to": iv.end.isoformat() if iv.end is not None else None,
        "status": iv.status.code,
        "status_label": status_label(iv),
        "basis": iv.status.basis,
        "announcement": iv.status.announcement,
        "announcement_number": _number(r, iv.status.announcement),
        "reason": reason(_cause(r, iv.status)),
        "emergency_use": None,
        "sentence": interval_sentence(r, iv),
    }
    if iv.emergency is not None:
        e = iv.emergency
        entry["emergency_use"] = {
            "scope": e.fields["scope"],
            "until": e.fields["until"].isoformat(),
            "announcement": e.announcement,
        }
    return entry


def next_change_entry(r: RecordView, as_of: date) -> dict[str, Any] | None:
    nxt = next_change(r.intervals, as_of)
    if nxt is None:
        return None
    i = r.intervals.index(nxt)
    before = r.intervals[i - 1] if i > 0 else None
    return {
        "date": nxt.start.isoformat(),
        "status": nxt.status.code,
        "status_label": status_label(nxt),
        "sentence": next_change_sentence(r, before, nxt),
    }


def change_entry(c: StatusChange) -> dict[str, Any]:
    """One status change as JSON: `cause` act (an action names the record), derived (an
    announcement caused it without naming it) or time (no announcement: a period ran out)."""
    return {
        "date": c.day.isoformat(),
        "status": c.code,
        "status_label": status_label(c.after),
        "cause": c.cause,
        "announcement": c.announcement,
        "basis": c.after.status.basis,
    }


def dated_fields(r: RecordView, site: Site) -> dict[str, Any]:
    """`status_intervals`, `status_changes` and `next_change` of `api/records/<id>.json`."""
    return {
        "status_intervals": [interval_entry(r, iv) for iv in r.intervals],
        "status_changes": [change_entry(c) for c in r.changes],
        "next_change": next_change_entry(r, site.as_of),
    }


def dated(r: RecordView, site: Site) -> dict[str, Any]:
    """Everything a date field needs for one record; the page script only picks an interval.
    An approval grown from a guidance entry carries the entry's intervals too (`research`)."""
    data: dict[str, Any] = {
        "as_of": site.as_of.isoformat(),
        "intervals": [interval_entry(r, iv) for iv in r.intervals],
        "next_change": next_change_entry(r, site.as_of),
        "before": before_sentence(r),
        "after_as_of": after_as_of_sentence(site),
        "none_label": NONE_LABEL,
        "invalid_date": "请输入有效日期（年-月-日）。",
    }
    entry = site.research_entry(r)
    if entry is not None:
        data["research"] = {
            "label": RESEARCH_LABEL + entry.id,
            "intervals": [interval_entry(entry, iv) for iv in entry.intervals],
            "before": before_sentence(entry),
        }
    return data


def with_dated(index: dict[str, Any], site: Site) -> dict[str, Any]:
    """The /check/ index with the texts its date field needs. The intervals themselves are not
    copied into it (at 10,000 records they would make the index two thirds larger): for a chosen
    date the page reads `status_intervals` from the few `api/records/<id>.json` it shows."""
    index["dated"] = {
        "before": BEFORE_ANY,
        "after_as_of": after_as_of_sentence(site),
        "current": f"以下为按数据截至日 {site.as_of.isoformat()} 作出的当前结论。",
        "none_label": NONE_LABEL,
        "loading": "正在读取该日的状态……",
        "research": RESEARCH_LABEL,
        "failed": "该日的状态读取失败，请刷新页面重试，或打开记录页按日期查询。",
        "records": "api/records/",
    }
    return index
