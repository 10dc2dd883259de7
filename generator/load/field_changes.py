"""What changed between two versions of a data file, field by field (`Change`), and the short Chinese summary a revision shows (never the commit message)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.domain.vocabulary import FIELD_LABELS
from generator.load.documents import Path_, dotted

ZERO = "0" * 40

NOT_A_MAPPING = object()  # marker: a version that exists but does not parse into a mapping


@dataclass(frozen=True, slots=True)
class Change:
    """One field that changed: `path` like `aliases[1]` or `conditions.operating_spec`.

    `old` is None for an added field or list item, `new` None for a removed one. `loc` is the same
    path as a tuple (for positions in a file); it is not part of the published output.
    """

    path: str
    old: Any
    new: Any
    loc: Path_ = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new}


def make_change(loc: Path_, old: Any, new: Any) -> Change:
    return Change(dotted(loc), old, new, loc)


# one encoder for every key: json.dumps with options builds a new one per call (a third of the
# time of the history's embargo filter at 10,000 records)
_KEY = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def item_key(item: Any) -> str:
    return _KEY(item)


def field_changes(
    old: dict[str, Any] | None, new: dict[str, Any] | None, prefix: Path_ = ()
) -> list[Change]:
    """Field-level difference between two versions of a record file (None: the file is absent).

    A created file lists each of its top-level fields with `old` None (a deleted one the reverse).
    Mappings are compared key by key (new keys in file order, then removed keys). In lists, items
    that were added or removed are reported one by one (`aliases[2]`: index in the new list for an
    addition, in the old list for a removal); an item replaced in place is compared recursively
    (`references[0].title`); a list whose items were only reordered is reported as a whole.
    """
    if old is None and new is None:
        return []
    if old is None:
        return [make_change((*prefix, k), None, v) for k, v in new.items()]  # type: ignore[union-attr]
    if new is None:
        return [make_change((*prefix, k), v, None) for k, v in old.items()]
    out: list[Change] = []
    _diff(old, new, prefix, out)
    return out


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type all the way down (True == 1 in Python, not in YAML)."""
    if a != b or type(a) is not type(b):
        return False
    return not isinstance(a, dict | list) or item_key(a) == item_key(b)


def _diff(old: Any, new: Any, loc: Path_, out: list[Change]) -> None:
    if _same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for k, v in new.items():
            if k in old:
                _diff(old[k], v, (*loc, k), out)
            else:
                out.append(make_change((*loc, k), None, v))
        out.extend(make_change((*loc, k), v, None) for k, v in old.items() if k not in new)
    elif isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, loc, out)
    else:
        out.append(make_change(loc, old, new))


def _diff_list(old: list[Any], new: list[Any], loc: Path_, out: list[Change]) -> None:
    a, b = [item_key(x) for x in old], [item_key(x) for x in new]
    if sorted(a) == sorted(b):  # same items, another order
        out.append(make_change(loc, old, new))
        return
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                _diff(old[i], new[j], (*loc, j), out)
            continue
        out.extend(make_change((*loc, i), old[i], None) for i in range(i1, i2))
        out.extend(make_change((*loc, j), None, new[j]) for j in range(j1, j2))


def field_label(loc: Path_) -> str:
    """`("conditions", "personnel", 2)` → 技术条件·人员条件; a whole file → 整个文件."""
    parts = [p for p in loc if isinstance(p, str)]
    if not parts:
        return "整个文件"
    if parts[0] == "conditions":
        rest = parts[1:2]
        return "技术条件" + ("·" + FIELD_LABELS.get(rest[0], rest[0]) if rest else "")
    return FIELD_LABELS.get(parts[0], parts[0])


def summarise(changes: Iterable[Change], created: bool) -> str:
    """The public message of a revision, generated from its field changes, in Chinese.

    Commit messages are free text written by whoever made the commit: they could name an
    announcement still under embargo, so the site never shows them (issue 13, class 7).
    """
    if created:
        return "新建记录"
    labels = list(dict.fromkeys(field_label(c.loc) for c in changes))
    if not labels:
        return "只改动了注释或格式"
    shown = "、".join(labels[:8]) + (f" 等 {len(labels)} 项" if len(labels) > 8 else "")
    return f"修改 {shown}"
