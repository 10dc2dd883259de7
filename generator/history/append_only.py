"""What "append-only" allows inside a published file: whole new items after the registered ones.

Two lists are published content that only grows: an announcement's `attachments` (公告原件, the
original attached later: validate/attachments.py) and a research project's `events` (研究进展,
DESIGN.md, Data). Every item present at the base revision must stay exactly the same value in its
place: a key added to it, removed or changed, another item put in its place, or the item removed,
is a change to what was published. Items are compared by position, not aligned by a diff (as
`field_changes` aligns lists for people), so that nothing can pass as an addition.
"""

from __future__ import annotations

from typing import Any

from generator.load.documents import Path_
from generator.load.field_changes import Change, field_changes, make_change


def registered_changes(loc: Path_, before: Any, after: Any, key: str | None = None) -> list[Change]:
    """Changes to the items of the published list `before` (at `loc`) in `after`; whole items
    appended after them are none. An item still the same one (both mappings, and the same `key`
    value when `key` is given: an attachment's `file`) is reported field by field, any other as a
    whole. A value that is not a list on either side is one change of the whole list."""
    before, after = _items(before), _items(after)
    if not isinstance(before, list) or not isinstance(after, list):
        return [make_change(loc, before, after)] if not identical(before, after) else []
    out: list[Change] = []
    for i, item in enumerate(before):
        now = after[i] if i < len(after) else None
        if i >= len(after) or not identical(item, now):
            out += _item_changes((*loc, i), item, now, key)
    return out


def _items(value: Any) -> Any:
    return [] if value is None else value  # absent or empty: no item registered


def _item_changes(loc: Path_, item: Any, now: Any, key: str | None) -> list[Change]:
    same = isinstance(item, dict) and isinstance(now, dict)
    if same and (key is None or identical(item.get(key), now.get(key))):
        return field_changes(item, now, loc) or [make_change(loc, item, now)]
    return [make_change(loc, item, now)]


def identical(a: Any, b: Any) -> bool:
    """Same value and same YAML type all the way down (`1` is not `true`, `"1"` not `1`)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
