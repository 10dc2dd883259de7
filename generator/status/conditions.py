"""Conditions versioned by announcement (DESIGN.md, Data: conditions; 规范 第十七条).

The conditions and operating specification of an approved technology are published content: the
`approve` announcement publishes them (规范 第十七条：公布……应当具备的条件以及临床应用操作规范), and
an `amend` announcement may publish a new version. A version is never edited in place. This
module resolves a conditions file into its versions, checks them against the announcements, and
says which version is in force, upcoming or superseded on a date. A version whose announcement is
embargoed is left out of everything published (`published_versions`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.domain.errors import Problem
from generator.domain.models import CONTENT_FIELDS, Announcement, Conditions, ConditionsContent
from generator.domain.vocabulary import FIELD_LABELS as MODEL_LABELS
from generator.load.documents import Path_
from generator.validate.entries import Entry, Registry, problem_at

STATE_LABELS = {"in_force": "现行", "upcoming": "即将施行", "superseded": "已被取代"}
FIELD_LABELS = {k: MODEL_LABELS[k] for k in (*CONTENT_FIELDS, "effective")}


@dataclass(frozen=True)
class Version:
    """One version of a technology's conditions, with the announcement that publishes it."""

    number: int  # 1-based position in the file
    announcement: str
    announcement_number: str
    announced_on: date
    effective: date
    content: ConditionsContent
    loc: Path_  # where the version is in the file: ("versions", i) or () for the shorthand

    def fields(self) -> dict[str, Any]:
        """The version's content as JSON-ready data, without its own `effective` (given apart)."""
        fields = set(CONTENT_FIELDS) - {"effective"}
        return self.content.model_dump(mode="json", include=fields)


@dataclass(frozen=True)
class VersionView:
    version: Version
    state: str  # in_force | upcoming | superseded

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def raw_versions(model: Any) -> list[tuple[Path_, ConditionsContent, str | None]]:
    """(location, content, announcement id or None for the shorthand) of each version in a file."""
    if isinstance(model, Conditions):
        return [((), model, None)]
    return [(("versions", i), v, v.announcement) for i, v in enumerate(model.versions)]


def _approve_of(anns: Iterable[Announcement]) -> dict[str, Announcement]:
    """The announcement that approves each technology (the first one, in replay order)."""
    out: dict[str, Announcement] = {}
    for a in sorted(anns, key=lambda a: (a.date, a.id)):
        for act in a.actions:
            if act.action == "approve":
                out.setdefault(act.record, a)
    return out


def _names(a: Announcement, rid: str) -> bool:
    return any(act.record == rid and act.action in ("approve", "amend") for act in a.actions)


def resolve(reg: Registry) -> tuple[dict[str, list[Version]], list[Problem]]:
    """Every technology's conditions versions (by approved id), and the problems of every
    conditions file."""
    anns = {aid: e.model for aid, e in reg.announcements.items()}
    partial = any(kind == "announcement" for kind, _ in reg.unreadable)
    approvals = _approve_of(anns.values())
    problems: list[Problem] = []
    out: dict[str, list[Version]] = {}
    for rid, entry in sorted(reg.conditions.items()):
        versions, errs = _resolve_file(rid, entry, anns, approvals.get(rid), partial, problem_at)
        problems += errs
        out[rid] = versions
    return out, problems


def _resolve_file(
    rid: str,
    entry: Entry,
    anns: dict[str, Announcement],
    approval: Announcement | None,
    partial: bool,
    at: Any,
) -> tuple[list[Version], list[Problem]]:
    out: list[Version] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, (loc, content, aid) in enumerate(raw_versions(entry.model), start=1):
        spot = functools.partial(at, entry)
        ann = _publishing(rid, n, loc, aid, anns, approval, partial, seen, spot, problems)
        if ann is None:
            continue
        effective = content.effective or ann.date
        problems += _dates_problems(loc, ann, effective, out[-1] if out else None, spot)
        out.append(Version(n, ann.id, ann.number, ann.date, effective, content, loc))
    return out, problems


def _publishing(
    rid: str,
    n: int,
    loc: Path_,
    aid: str | None,
    anns: dict[str, Announcement],
    approval: Announcement | None,
    partial: bool,
    seen: dict[str, int],
    spot: Any,
    problems: list[Problem],
) -> Announcement | None:
    """The announcement that publishes version `n` (None when it cannot be one; the problem is
    appended): the approval for the shorthand, else one that approves or amends `rid`."""
    if aid is None:  # shorthand: published by the approve announcement
        return approval  # no approval at all: E308 / E405 say so
    ann = anns.get(aid)
    if ann is None:
        if not partial:
            problems.append(spot((*loc, "announcement"), "E305", what="公告", value=aid))
        return None
    if not _names(ann, rid):
        detail = (
            f"公告 {aid} 没有以 approve 或 amend 提及 {rid}；发布条件版本的公告须在 actions 中"
            f"写明 approve 或 amend {rid}（规范 第十七条）"
        )
        problems.append(spot((*loc, "announcement"), "E317", detail=detail))
        return None
    if n == 1 and approval is not None and aid != approval.id:
        detail = (
            f"第一个条件版本应由批准公告 {approval.id} 发布（规范 第十七条：批准公告公布条件"
            f"和临床应用操作规范），这里是 {aid}；请把批准时公布的条件写成第一个版本"
        )
        problems.append(spot((*loc, "announcement"), "E317", detail=detail))
    if aid in seen:
        problems.append(spot((*loc, "announcement"), "E318", value=aid, first=seen[aid]))
        return None
    seen[aid] = n
    return ann


def _dates_problems(
    loc: Path_, ann: Announcement, effective: date, prev: Version | None, spot: Any
) -> list[Problem]:
    """E407: a version takes effect on or after its announcement, and versions follow each other
    in announcement order with effective dates that do not go back."""
    out: list[Problem] = []
    if effective < ann.date:
        detail = (
            f"施行日期 effective（{effective}）早于发布它的公告 {ann.id} 的日期 {ann.date}；"
            "条件自公告发布之日或其后施行，请改正 effective"
        )
        out.append(spot((*loc, "effective"), "E407", detail=detail))
    if prev is None:
        return out
    if (ann.date, ann.id) <= (prev.announced_on, prev.announcement):
        detail = (
            f"条件版本应按发布公告的日期和编号排列：本版本的公告 {ann.id}（{ann.date}）"
            f"不在上一版本的公告 {prev.announcement}（{prev.announced_on}）之后；请调整顺序"
        )
        out.append(spot((*loc, "announcement"), "E407", detail=detail))
    elif effective < prev.effective:
        detail = (
            f"施行日期 effective（{effective}）早于上一版本的施行日期 {prev.effective}；"
            "后一版本自其施行日期起取代此前各版本，施行日期不能倒退"
        )
        out.append(spot((*loc, "effective"), "E407", detail=detail))
    return out


def published_versions(versions: list[Version], as_of: date) -> list[VersionView]:
    """The versions the public may see on `as_of`, each with its state; embargoed ones left out.

    In force: the last published version whose `effective` ≤ as_of; later published versions are
    upcoming (将于…起施行), earlier ones superseded."""
    published = [v for v in versions if v.announced_on <= as_of]
    current = next((v for v in reversed(published) if v.effective <= as_of), None)
    out = []
    seen_current = False
    for v in published:
        if v is current:
            out.append(VersionView(v, "in_force"))
            seen_current = True
        elif current is None or seen_current:
            out.append(VersionView(v, "upcoming"))
        else:
            out.append(VersionView(v, "superseded"))
    return out


def changes(old: Version, new: Version) -> list[tuple[str, list[str], list[str]]]:
    """What an amendment changed, field by field: (field label, items removed, items added).

    List fields compare item by item (each item a paragraph of Markdown); the operating
    specification line by line (its non-blank lines that were removed or added, as plain text);
    the effective date as a whole."""
    out = []
    for name in CONTENT_FIELDS:
        if name == "effective":
            a, b = [cn(old.effective)], [cn(new.effective)]
        elif name == "operating_spec":
            a = [x.strip() for x in old.content.operating_spec.splitlines() if x.strip()]
            b = [x.strip() for x in new.content.operating_spec.splitlines() if x.strip()]
        else:
            a, b = getattr(old.content, name), getattr(new.content, name)
        if a == b:
            continue
        removed = [x for x in a if x not in b]
        added = [x for x in b if x not in a]
        if not removed and not added:
            removed = added = ["（条目顺序调整）"]
        out.append((FIELD_LABELS[name], removed, added))
    return out


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def public_file(rid: str, sample: bool, views: list[VersionView]) -> dict[str, Any]:
    """The conditions file as the public may see it: published versions only (for downloads)."""
    versions = []
    for vv in views:
        v = vv.version
        versions.append(
            {"announcement": v.announcement, "effective": v.effective.isoformat(), **v.fields()}
        )
    data: dict[str, Any] = {"id": rid}
    if sample:
        data["sample"] = True
    data["versions"] = versions
    return data
