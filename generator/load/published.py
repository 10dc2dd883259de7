"""What the revision history may show: only text that is published on the as-of date.

A revision is read from a commit that may never have been published: an intermediate commit of a
pull request, a draft edited before its announcement existed, an embargoed announcement withdrawn
before its date whose ids were later reused. So visibility is decided per version, from what that
version was tied to, never from today's ids alone (issue 23):

- **A record file** (guidance, approved, banned) is shown at a commit only if, in that same commit,
  an announcement file names the record and is, field for field, an announcement published today
  (same id *and* same content: published announcements are immutable, so an earlier draft of one, or
  a withdrawn one whose id was reused, differs from it). Before that the record was a draft: its
  text is shown nowhere, and the history starts where it became tied ("新建记录").
- **A conditions version** is shown only if its content (and, in a `versions` list, its
  announcement) equals a version the published view shows today; the flat one-version shorthand
  counts as one version. A draft that never named its announcement, a flat file edited in place
  before being rewritten as versions, a version of a withdrawn announcement: none equals a published
  version, so none is shown. Keys outside the schema are dropped.
- A version that does not parse is never shown as text, only as a placeholder.

This shows less than git holds (an edit made in place to a published conditions version, which the
guard now refuses as E504, loses its earlier text), never more than the site publishes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.domain.kinds import DATA_FOLDERS
from generator.domain.models import CONTENT_FIELDS
from generator.load.field_changes import (
    NOT_A_MAPPING,
    ZERO,
    Change,
    field_changes,
    item_key,
    make_change,
)

HIDDEN_TEXT = "（无法解析的文件版本，内容不公开显示）"

_LISTS = ("management", "training_qc")


def _content(v: dict[str, Any], effective: Any) -> dict[str, Any]:
    out = {k: v.get(k) for k in CONTENT_FIELDS if k != "effective"}
    for k in _LISTS:  # an empty list and a missing key say the same
        out[k] = out[k] if out[k] is not None else []
    out["effective"] = None if effective is None else str(effective)
    return out


@dataclass
class KeyMemo:
    """The preview's keys of the parsed objects its last published view was made of
    (publish/pipeline.py `Memo`). A file the preview's cache did not read again is the very same
    parsed object (held here, so that its address is not reused), and the same object has the
    same keys: only an edited file's keys are worked out again."""

    last: dict[tuple[int, str | None], tuple[Any, Any]] = field(default_factory=dict)
    now: dict[tuple[int, str | None], tuple[Any, Any]] = field(default_factory=dict)

    def of(self, obj: Any, announcement: str | None, make: Callable[[], Any]) -> Any:
        k = (id(obj), announcement)
        hit = self.last.get(k)
        value = hit[1] if hit is not None and hit[0] is obj else make()
        self.now[k] = (obj, value)
        return value

    def turn(self) -> None:
        """Keep only the keys of the view just made."""
        self.last, self.now = self.now, {}


def _keys(v: dict[str, Any], announcement: str | None) -> set[str]:
    """The keys under which a published version matches: with its own `effective`, and without it
    (a flat file or a version may leave `effective` to default to the announcement's date)."""
    return {
        item_key({"announcement": announcement, **_content(v, eff)})
        for eff in {v.get("effective"), None}
    }


def _id(rid: str, data: dict[str, Any]) -> dict[str, str]:
    """The file's `id`, when it is the technology's own (anything else is draft text)."""
    return {"id": rid} if data.get("id") == rid else {}


def _versions(data: Any) -> list[dict[str, Any]] | None:
    """The versions of a conditions file, or None for the flat shorthand (or no mapping)."""
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        return None
    return [v for v in data["versions"] if isinstance(v, dict)]


@dataclass
class Published:
    """The published view as the history needs it: announcements (id → content key), records,
    and the keys of every conditions version shown today, by technology id."""

    announcements: dict[str, str] = field(default_factory=dict)
    records: frozenset[str] = frozenset()
    versions: dict[str, set[str]] = field(default_factory=dict)  # with announcement
    contents: dict[str, set[str]] = field(default_factory=dict)  # content only (flat files)

    @classmethod
    def of(
        cls,
        announcements: dict[str, Any],
        records: Iterable[str],
        conditions: dict[str, Any],
        memo: KeyMemo | None = None,
    ) -> Published:
        """`announcements`: parsed files of the published announcements; `records`: published
        record ids; `conditions`: parsed conditions files of the published approved records
        (`memo`: the preview's keys of the last view)."""
        keys = memo or KeyMemo()
        pub = cls(
            {
                aid: keys.of(data, None, lambda d=data: item_key(d))
                for aid, data in announcements.items()
            },
            frozenset(records),
        )
        for rid, data in conditions.items():
            versions = _versions(data)
            if versions is None:  # the shorthand: the version of the (published) approval
                pairs = [(None, data)] if isinstance(data, dict) else []
            else:
                pairs = [(v.get("announcement"), v) for v in versions]
                pairs = [(a, v) for a, v in pairs if isinstance(a, str) and a in announcements]
            for aid, v in pairs:
                pub.contents.setdefault(rid, set()).update(
                    keys.of(v, None, lambda v=v: _keys(v, None))
                )
                if aid is not None:
                    made = keys.of(v, aid, lambda v=v, a=aid: _keys(v, a))
                    pub.versions.setdefault(rid, set()).update(made)
        keys.turn()
        return pub

    def answers(self, announcements: Iterable[str], records: Iterable[str]) -> tuple[Any, ...]:
        """Everything this view says about `announcements` and `records`: what a walk that asked
        about those alone read of it."""
        return (
            {aid: self.announcements.get(aid) for aid in announcements},
            {
                rid: (rid in self.records, self.versions.get(rid), self.contents.get(rid))
                for rid in records
            },
        )

    def announcement(self, aid: str, data: Any) -> bool:
        """This version of announcement `aid` is the one published today, field for field."""
        key = self.announcements.get(aid)
        return key is not None and isinstance(data, dict) and item_key(data) == key

    def conditions(self, rid: str, data: Any) -> dict[str, Any] | None:
        """A historical conditions file reduced to its published versions (None: nothing)."""
        versions = _versions(data)
        if versions is None:
            if not isinstance(data, dict):
                return None
            key = item_key({"announcement": None, **_content(data, data.get("effective"))})
            if key not in self.contents.get(rid, ()):
                return None
            return {**_id(rid, data), **{k: data[k] for k in CONTENT_FIELDS if k in data}}
        kept = []
        for v in versions:
            aid = v.get("announcement")
            key = item_key({"announcement": aid, **_content(v, v.get("effective"))})
            if key in self.versions.get(rid, ()):
                kept.append({k: v[k] for k in ("announcement", *CONTENT_FIELDS) if k in v})
        if not kept:
            return None
        return {**_id(rid, data), "versions": kept}


def named_records(data: Any) -> set[str]:
    """The record ids an announcement's actions name (whatever else the file holds)."""
    actions = data.get("actions") if isinstance(data, dict) else None
    if not isinstance(actions, list):
        return set()
    return {
        a["record"] for a in actions if isinstance(a, dict) and isinstance(a.get("record"), str)
    }


def _pair_changes(old: tuple[Any, Any], new: tuple[Any, Any]) -> list[Change]:
    """What changed in what a record shows: its file, then its conditions (`conditions.…`)."""
    out: list[Change] = []
    for i, prefix in ((0, ()), (1, ("conditions",))):
        a, b = old[i], new[i]
        if (a is None or isinstance(a, dict)) and (b is None or isinstance(b, dict)):
            out.extend(field_changes(a, b, prefix))
        elif a != b:  # a version that is not a mapping: the file text as a whole
            out.append(make_change(prefix, a, b))
    return out


ANNOUNCEMENTS = DATA_FOLDERS["announcement"]
CONDITIONS = DATA_FOLDERS["conditions"]


@dataclass
class Walk:
    """The branch's files replayed oldest first, and what each record shows at each point: all of
    it without `published`, else only what `published.py` allows."""

    blobs: dict[str, bytes]
    parsed: dict[str, Any]
    published: Published | None
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # folder kind → id → blob
    ties: dict[str, set[str]] = field(default_factory=dict)  # record → published anns naming it
    # what was asked of `published`: the walk is a function of the branch and of these answers
    # (publish/pipeline.py reuses a history while they stay the same: `Published.answers`)
    asked_announcements: set[str] = field(default_factory=set)
    asked_records: set[str] = field(default_factory=set)

    def blob(self, folder: str, fid: str) -> str | None:
        return self.files.get(_kind(folder), {}).get(fid)

    def put(self, folder: str, fid: str, blob: str) -> None:
        """`blob` (ZERO: deleted) at folder/fid; a published announcement ties its records."""
        slot = self.files.setdefault(_kind(folder), {})
        old = slot.pop(fid, ZERO)
        if blob != ZERO:
            slot[fid] = blob
        if folder != ANNOUNCEMENTS or self.published is None:
            return
        self.asked_announcements.add(fid)
        for sha, add in ((old, False), (blob, True)):
            data = self.parsed.get(sha) if sha != ZERO else None
            if not self.published.announcement(fid, data):
                continue
            for rid in named_records(data):
                ties = self.ties.setdefault(rid, set())
                ties.add(fid) if add else ties.discard(fid)

    def _value(self, sha: str | None) -> Any:
        if sha is None:
            return None
        data = self.parsed.get(sha)
        if data is NOT_A_MAPPING:
            if self.published is not None:
                return HIDDEN_TEXT
            return self.blobs.get(sha, b"").decode("utf-8", "replace")
        return data

    def view(self, rid: str) -> tuple[Any, Any]:
        """(record file, conditions file) as shown for `rid` now; (None, None): nothing."""
        rec = self._value(self.files.get("record", {}).get(rid))
        cond = self._value(self.files.get(CONDITIONS, {}).get(rid))
        pub = self.published
        if pub is None:
            return rec, cond
        self.asked_records.add(rid)
        if rec is None or rid not in pub.records or not self.ties.get(rid):
            return None, None  # a draft: not (yet) tied to an announcement published today
        return rec, pub.conditions(rid, cond)

    def step(self, changed: Iterable[Any]) -> tuple[dict[str, list[Change]], set[str]]:
        """One commit's changes by record id (what each record shows before and after it), and the
        records it created (first shown)."""
        files = [(f, *_folder_id(f.path)) for f in changed]
        touched: set[str] = set()
        edited: set[str] = set()  # records whose own file changed (a comment-only edit counts)
        for f, folder, fid in files:
            if self.blob(folder, fid) is None and f.old_blob != ZERO:
                # first seen after a shallow boundary: start from the version it replaces
                self.put(folder, fid, f.old_blob)
            if folder == ANNOUNCEMENTS:
                for sha in (f.old_blob, f.new_blob):
                    touched |= named_records(self.parsed.get(sha))
            else:
                touched.add(fid)
                edited |= {fid} if folder != CONDITIONS else set()
        before = {rid: self.view(rid) for rid in touched}
        for f, folder, fid in files:
            self.put(folder, fid, f.new_blob)
        per_record: dict[str, list[Change]] = {}
        created: set[str] = set()
        for rid in sorted(touched):
            old, new = before[rid], self.view(rid)
            changes = _pair_changes(old, new)
            if changes or (rid in edited and new[0] is not None):
                per_record[rid] = changes
                if old[0] is None and new[0] is not None:
                    created.add(rid)
        return per_record, created


def _kind(folder: str) -> str:
    return folder if folder in (ANNOUNCEMENTS, CONDITIONS) else "record"


def _folder_id(path: str) -> tuple[str, str]:
    folder, _, name = path.partition("/")
    return folder, name[: -len(".yaml")]
