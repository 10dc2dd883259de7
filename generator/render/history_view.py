"""The 修订记录 of a record page said for people (issue 26): what changed, in words and rendered
text, grouped by date and, within a revision, by the announcement a conditions version belongs to.

Each revision (load/revisions.py, field by field) becomes sentences: a field by its Chinese label
(`domain/kinds.labels_for`, the one declaration), a list change as 新增/删除 items, a changed text
with its words marked (render/history_marks.py: Markdown rendered by the one safe path, never
raw), a new conditions version as 发布第 N 版 with what changed against the version before it.
No commit hash and no field path appear: both stay in the API (`revisions` in `api/records/`).

To say what a new version changed, the version before it must be known, and a revision holds only
what changed: so the revisions are replayed from the first (`replay`), each applied to the record
as it stood before, giving the record before and after every revision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, get_args

from markupsafe import Markup, escape

from generator.domain.dates import cn_date
from generator.domain.fields import Markdown
from generator.domain.kinds import CONDITIONS, id_kind, labels_for, spec
from generator.domain.models import CONTENT_FIELDS, Announcement
from generator.history.changes import local_time
from generator.load.field_changes import Change, field_changes
from generator.load.revisions import History, Revision
from generator.publish.views import announcement_url
from generator.render.history_marks import marked_markdown, marked_text, rendered
from generator.render.history_replay import replay
from generator.render.jinja import render

Loc = tuple[Any, ...]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a date, said as 2026年7月31日


# --- sentences --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One thing that changed: `what` in words (新增别名), the value as people read it (`body`,
    escaped or rendered and marked; `block` when it holds paragraphs), and sub-lines (what a new
    conditions version changed)."""

    what: str
    body: Markup = Markup("")
    block: bool = False
    removed: bool = False  # the body is text that was deleted (shown struck through)
    sub: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Group:
    """The lines of one revision that belong together: a conditions version's announcement
    (`href` to its page), the technology's conditions, or the record itself."""

    title: str
    href: str = ""
    lines: list[Line] = field(default_factory=list)


def _is_markdown(annotation: Any) -> bool:
    """Whether a field's type is `Markdown` (domain/fields.py) or holds it (a list of it)."""
    meta = Markdown.__metadata__
    if any(m in meta for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_is_markdown(a) for a in get_args(annotation))


@cache  # one per record kind and file model
def markdown_fields(model: type | None) -> frozenset[str]:
    """The fields of `model` that hold Markdown, read from the model's own types."""
    fields = getattr(model, "model_fields", {})
    meta = Markdown.__metadata__
    return frozenset(
        k
        for k, f in fields.items()
        if _is_markdown(f.annotation) or any(m in meta for m in f.metadata)
    )


@dataclass(frozen=True)
class Vocab:
    """How one file's fields are said: labels and which fields are Markdown."""

    labels: dict[str, str]
    markdown: frozenset[str]

    @staticmethod
    def of(model: type | None) -> Vocab:
        return Vocab(labels_for(model), markdown_fields(model))

    def label(self, key: Any) -> str:
        return self.labels.get(str(key), str(key))


def plain(value: Any, vocab: Vocab) -> str:
    """A value that is not text, said in words: 是/否, items joined by 、, a mapping's fields."""
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(plain(v, vocab) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{vocab.label(k)}：{plain(v, vocab)}" for k, v in value.items())
    return _day(value) if _ISO_DAY.fullmatch(str(value)) else str(value)


def shown(value: Any, key: str, vocab: Vocab, item: bool) -> tuple[Markup, bool]:
    """(HTML of a value, whether it is block-level): Markdown rendered as record pages render it
    (a list item as one inline paragraph), anything else escaped."""
    if isinstance(value, str) and key in vocab.markdown:
        return rendered(value, inline=item), not item
    return Markup(escape(plain(value, vocab))), False


def marked(old: Any, new: Any, key: str, vocab: Vocab, item: bool) -> tuple[Markup, bool]:
    """`new` with the words changed from `old` marked."""
    if isinstance(old, str) and isinstance(new, str):
        if key in vocab.markdown:
            return marked_markdown(old, new, inline=item), not item
        return marked_text(old, new), False
    return marked_text(plain(old, vocab), plain(new, vocab)), False


def change_line(c: Change, vocab: Vocab, prefix: str = "") -> Line:
    """One field change in words. `c.loc` is relative to the file (or the version) `vocab` says."""
    names = [k for k in c.loc if isinstance(k, str)]
    key = names[-1] if names else ""
    name = prefix + (vocab.label(names[0]) if names else "整个文件")
    index = next((k for k in c.loc if isinstance(k, int)), None)
    if index is not None and c.loc.index(index) == len(c.loc) - 1 and len(names) == 1:
        return _item_line(c, name, key, index, vocab)
    if index is not None:  # a field inside a list item: 参考文献第 1 项的网址
        name = f"{name}第 {index + 1} 项的{vocab.label(key)}"
    if c.old is None:
        return Line(f"新增{name}", *shown(c.new, key, vocab, False))
    if c.new is None:
        return Line(f"删除{name}", *shown(c.old, key, vocab, False), removed=True)
    if isinstance(c.old, list) and isinstance(c.new, list) and _same_items(c.old, c.new):
        return Line(f"调整{name}的顺序", *shown(c.new, key, vocab, False))
    return Line(f"修改{name}", *marked(c.old, c.new, key, vocab, False))


def _same_items(a: list[Any], b: list[Any]) -> bool:
    return sorted(map(repr, a)) == sorted(map(repr, b))


def _item_line(c: Change, name: str, key: str, index: int, vocab: Vocab) -> Line:
    if c.old is None:
        return Line(f"新增{name}", *shown(c.new, key, vocab, True))
    if c.new is None:
        return Line(f"删除{name}", *shown(c.old, key, vocab, True), removed=True)
    return Line(f"修改{name}第 {index + 1} 项", *marked(c.old, c.new, key, vocab, True))


# --- conditions versions ----------------------------------------------------------------------

COND = Vocab.of(CONDITIONS.model)


def _versions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    cond = doc.get("conditions")
    vs = cond.get("versions") if isinstance(cond, dict) else None
    return [v if isinstance(v, dict) else {} for v in vs] if isinstance(vs, list) else []


def _content(v: Any) -> dict[str, Any]:
    """A version's (or a flat file's) conditions, without its announcement: what people read."""
    if not isinstance(v, dict):
        return {}
    return {k: v[k] for k in CONTENT_FIELDS if v.get(k) not in (None, [])}


def _day(value: Any) -> str:
    try:
        return cn_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _when(v: dict[str, Any]) -> str:
    eff = v.get("effective")
    return f"{COND.label('effective')} {_day(eff)}" if eff else "自公告之日起施行"


def _version_line(what: str, i: int, new_vs: list[dict[str, Any]], prev: Any = None) -> Line:
    """`what` happened to version `i`, with what changed against the version before it (or
    `prev`, the flat file it replaced); a first version has nothing to compare with."""
    if prev is None:
        if i == 0:
            return Line(what)
        prev, before = new_vs[i - 1], f"第 {i} 版"
    else:
        before = "原技术条件"
    changes = field_changes(_content(prev), _content(new_vs[i]))
    if not changes:
        return Line(what, Markup(escape(f"内容与{before}相同")))
    sub = tuple(change_line(c, COND) for c in changes)
    return Line(what, Markup(escape(f"与{before}相比：")), sub=sub)


def _from_flat(new_vs: list[dict[str, Any]], flat: dict[str, Any]) -> list[Line]:
    """A flat conditions file rewritten as versions. The flat file was the text in force: the
    version that holds its text (else the last one) is said to be it, compared with the version
    before it (else with the flat text); the versions before it are recorded afterwards (补记),
    the ones after it published now."""
    same = [i for i, v in enumerate(new_vs) if flat and not field_changes(flat, _content(v))]
    k = same[-1] if same else len(new_vs) - 1
    lines = []
    for i, v in enumerate(new_vs):
        if i < k:
            lines.append(_version_line(f"补记第 {i + 1} 版技术条件（{_when(v)}）", i, new_vs))
        elif i > k:
            lines.append(_version_line(f"发布第 {i + 1} 版技术条件（{_when(v)}）", i, new_vs))
        else:
            what = f"技术条件改为按公告分版本记录，现行文本为第 {i + 1} 版（{_when(v)}）"
            prev = flat if flat and not same else None
            lines.append(_version_line(what, i, new_vs, prev))
    return lines


def _version_lines(
    changes: list[Change], before: dict[str, Any], after: dict[str, Any]
) -> list[tuple[str, Line]]:
    """(announcement id, line) for each conditions version this revision added, removed or
    edited; the versions of one announcement are grouped under it."""
    old_vs, new_vs = _versions(before), _versions(after)
    ann = [str(v.get("announcement", "")) for v in new_vs]
    if not old_vs and new_vs:
        flat = _content(before.get("conditions"))
        return list(zip(ann, _from_flat(new_vs, flat), strict=True))
    out: list[tuple[str, Line]] = []
    for i in sorted({c.loc[2] for c in changes if len(c.loc) == 3 and c.old is None}):
        if i < len(new_vs):
            what = f"发布第 {i + 1} 版技术条件（{_when(new_vs[i])}）"
            out.append((ann[i], _version_line(what, i, new_vs)))
    for c in changes:
        if len(c.loc) == 3 and c.new is None and isinstance(c.old, dict):
            aid = str(c.old.get("announcement", ""))
            out.append((aid, Line(f"撤下第 {c.loc[2] + 1} 版技术条件")))
    edited: dict[int, list[Line]] = {}
    for c in changes:
        if len(c.loc) > 3:
            sub = Change(c.path, c.old, c.new, c.loc[3:])
            edited.setdefault(c.loc[2], []).append(change_line(sub, COND))
    for i, lines in edited.items():
        aid = ann[i] if i < len(ann) else ""
        out.append((aid, Line(f"修改第 {i + 1} 版技术条件", sub=tuple(lines))))
    return out


# --- one revision, one page section -------------------------------------------------------------


@dataclass(frozen=True)
class RevisionView:
    """One revision as the page shows it: its day (Beijing) and its groups of lines."""

    date: str  # ISO 8601 with offset, for <time datetime>
    day: str  # 2026年11月24日
    created: bool
    groups: list[Group]
    link: str = (
        ""  # the commit on the code host, when `repo_url` is set (the hash only in the href)
    )


def _announcement_title(aid: str, anns: Mapping[str, Announcement]) -> str:
    a = anns.get(aid)
    return f"随公告 {a.number}《{a.title}》" if a is not None else f"随公告 {aid}"


def groups(
    rev: Revision,
    before: dict[str, Any],
    after: dict[str, Any],
    vocab: Vocab,
    anns: Mapping[str, Announcement],
) -> list[Group]:
    """The lines of one revision, grouped: the record, its conditions, each announcement."""
    record, conditions = Group("记录内容"), Group("技术条件")
    by_ann: dict[str, Group] = {}
    versioned = [c for c in rev.changes if c.loc[:2] == ("conditions", "versions")]
    from_flat = bool(versioned) and not _versions(before) and bool(_versions(after))
    for aid, line in _version_lines(versioned, before, after) if versioned else ():
        href = announcement_url(aid) if aid else ""
        by_ann.setdefault(aid, Group(_announcement_title(aid, anns), href)).lines.append(line)
    for c in rev.changes:
        if c.loc[:1] != ("conditions",):
            record.lines.append(change_line(c, vocab))
        elif c.loc[:2] == ("conditions", "versions") and (len(c.loc) > 2 or from_flat):
            continue  # said by version above
        elif from_flat and c.new is None and c.loc[1] in CONTENT_FIELDS:
            continue  # the flat file's text went into the versions, said there
        elif c.loc[1:] != ("id",):
            sub = Change(c.path, c.old, c.new, c.loc[1:])
            conditions.lines.append(change_line(sub, COND))
    return [g for g in (record, conditions, *by_ann.values()) if g.lines]


def revision_views(
    revisions: Sequence[Revision],
    vocab: Vocab,
    anns: Mapping[str, Announcement] | None = None,
    repo_url: str = "",
) -> list[RevisionView]:
    out = []
    for rev, (before, after) in zip(revisions, replay(revisions), strict=True):
        found = [] if rev.created else groups(rev, before, after, vocab, anns or {})
        link = f"{repo_url}/commit/{rev.commit}" if repo_url else ""
        out.append(RevisionView(rev.date, cn_date(local_time(rev.date)), rev.created, found, link))
    return out


def revisions_html(
    history: History,
    rid: str,
    repo_url: str | None = None,
    announcements: Mapping[str, Announcement] | None = None,
) -> Markup:
    """The 修订记录 section of one record page (record.html `revisions_html`)."""
    kind = id_kind(rid)
    vocab = Vocab.of(spec(kind).model if kind else None)
    repo = (repo_url or "").rstrip("/")
    views = revision_views(history.revisions(rid), vocab, announcements, repo)
    return Markup(render("revision_history.html", history=history, revisions=views))
