"""The announcements of a change in `registry diff`: each one added, changed or removed, with what
it does (history/diff_acts.py), and the warning at the top of the summary when a new announcement
is dated before the newest one BASE already publishes.

Back-dating: the site states each record's status on every past day from the announcements
published by then. An announcement dated before the newest one already published rewrites what
the site has said about the days between: legitimate when an old announcement is entered late
(back-filling), dangerous when the date is a typing mistake (2025 for 2026). Only a date strictly
before the newest published one is warned about: several announcements of one day are common and
are entered one pull request at a time, and adding another of the newest day rewrites no day the
site has already reported as settled (the status section shows that day's change as always).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from generator.domain.vocabulary import ACTION_LABELS
from generator.history.diff_acts import Acts
from generator.history.diff_text import change_line, code, date_of, file_diff, md_escape, parse_yaml
from generator.publish.checked import Checked
from generator.status.intervals import DAY, Interval, interval_at, intervals_of


class _Report(Protocol):
    """What this module reads of history/diff.py's report (no import back: no circle)."""

    base: Checked
    head: Checked
    base_files: dict
    head_files: dict
    acts: Acts
    projects: tuple[dict[str, list[Interval]], dict[str, list[Interval]]]

    def announcement_rels(self) -> list[str]: ...
    def ref(self, rid: str) -> str: ...
    def name(self, rid: str) -> str: ...
    def number(self, aid: str) -> str: ...


def announcements_section(report: _Report, as_of: date) -> list[str]:
    rels = report.announcement_rels()
    if not rels:
        return []
    out = ["", f"### 公告（{len(rels)}）", ""]
    for rel in rels:
        aid = rel.split("/", 1)[1][: -len(".yaml")]
        old, new = report.base_files.get(rel), report.head_files.get(rel)
        if old is None:
            out.append(_added_line(report, aid, new, as_of))
            out += report.acts.lines(aid)
        elif new is None:
            out.append(f"- 删除 {code(aid)} {report.number(aid)}")
        else:
            out.append(f"- 修改 {report.ref(aid)} {report.number(aid)}")
            changes = file_diff(old, new)
            if not changes:
                out.append("  - 只改动了注释或格式，内容不变")
            out += [f"  - {change_line(c)}" for c in changes]
            if changes:
                out += report.acts.lines(aid)
    return out


def _added_line(report: _Report, aid: str, new: bytes | None, as_of: date) -> str:
    data = parse_yaml(new)
    data = data if isinstance(data, dict) else {}
    when = date_of(new)
    line = (
        f"- 新增 {report.ref(aid)} {md_escape(str(data.get('number', '')))}"
        f"《{md_escape(str(data.get('title', '')))}》，{md_escape(str(data.get('date', '')))}"
    )
    if when is not None and when > as_of:
        line += f"（尚未公示，{when.isoformat()} 起自动公示）"
    return line


# --- back-dating ----------------------------------------------------------------------------------


def newest_published(report: _Report, as_of: date) -> tuple[date, str] | None:
    """(date, id) of the newest announcement BASE publishes on `as_of` (None when it has none)."""
    found = [
        (e.model.date, aid) for aid, e in report.base.announcements.items() if e.model.date <= as_of
    ]
    return max(found) if found else None


def backdated(report: _Report, as_of: date) -> list[tuple[str, date]]:
    """(id, date) of each announcement that is new, or whose date changed, and that is dated
    strictly before the newest announcement BASE publishes (see the module's note on the day)."""
    newest = newest_published(report, as_of)
    if newest is None:
        return []
    out = []
    for rel in report.announcement_rels():
        old, new = report.base_files.get(rel), report.head_files.get(rel)
        when = date_of(new)
        if when is None or (old is not None and date_of(old) == when):
            continue
        if when < newest[0]:
            out.append((rel.split("/", 1)[1][: -len(".yaml")], when))
    return out


def backdating_warning(report: _Report, as_of: date) -> list[str]:
    """A GitHub alert (`> [!WARNING]`) naming each back-dated announcement, its date, the newest
    published date, its actions and the records whose status on the days between changes."""
    found = backdated(report, as_of)
    newest = newest_published(report, as_of)
    if not found or newest is None:
        return []
    last, last_id = newest
    out = ["> [!WARNING]"]
    for aid, when in found:
        out += [
            f"> **公告日期早于已公示的最新公告**：{report.ref(aid)} {report.number(aid)} 的日期是 "
            f"{when.isoformat()}，早于 BASE 已公示的最新公告 {report.ref(last_id)} "
            f"{report.number(last_id)} 的日期 {last.isoformat()}。合并后，网站对 {when.isoformat()} "
            f"至 {last.isoformat()} 之间各日的说法会被改写。",
            ">",
        ]
        out += [f"> - {line}" for line in _what_it_changes(report, aid, when, last)]
        out.append(">")
    out.append("> 补录旧公告时这是应有的；如果日期写错了，请改正后再合并。")
    return [*out, ""]


def _what_it_changes(report: _Report, aid: str, since: date, until: date) -> list[str]:
    """Its actions, then each record whose status differs between BASE and HEAD on a day from
    `since` to `until`, with the first such day. Read from each side's intervals (no replay per
    day: a back-filled announcement years old spans hundreds of announcement dates)."""
    entry = report.head.announcements.get(aid)
    out = [
        f"{ACTION_LABELS[act.action]} {report.ref(act.record)} {report.name(act.record)}".rstrip()
        for act in (entry.model.actions if entry is not None else [])
    ]
    before, after = (
        _intervals(report.base, report.projects[0]),
        _intervals(report.head, report.projects[1]),
    )
    for rid in sorted({*before, *after}):
        found = _first_difference(before.get(rid, []), after.get(rid, []), since, until)
        if found is not None:
            day, was, now = found
            out.append(
                f"{report.ref(rid)} {report.name(rid)}：{day.isoformat()} 的状态由“{was}”改为“{now}”"
            )
    return out


def _intervals(reg: Checked, projects: dict[str, list[Interval]]) -> dict[str, list[Interval]]:
    """Every record's statuses through time: the replay's snapshots, and the projects'."""
    out = {rid: intervals_of(history) for rid, history in reg.derived.snapshots.items()}
    return {**out, **projects}


def _first_difference(
    a: list[Interval], b: list[Interval], since: date, until: date
) -> tuple[date, str, str] | None:
    """(first day in [since, until] on which the two status histories differ, its label in each).
    A status is constant between interval boundaries, so only those days are compared."""
    edges = {iv.start for iv in (*a, *b)} | {iv.end + DAY for iv in (*a, *b) if iv.end}
    for day in sorted({since} | {d for d in edges if since <= d <= until}):
        x, y = interval_at(a, day), interval_at(b, day)
        if (x.status.code if x else None) != (y.status.code if y else None):
            return day, _label(x), _label(y)
    return None


def _label(iv: Interval | None) -> str:
    return iv.status.label if iv is not None else "未公示"
