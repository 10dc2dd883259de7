"""The record before and after each revision, replayed from the revisions' field changes (a
revision holds only what changed; to say what a new conditions version changed, the 修订记录
needs the version before it: render/history_view.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.load.revisions import Revision

Loc = tuple[Any, ...]


def replay(revisions: Sequence[Revision]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(record before, record after) for each revision, oldest first, its conditions under
    `conditions`. Values are shared with the revisions, never changed: each level a change
    reaches is copied. A history that starts late (shallow) starts from an empty record."""
    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    state: dict[str, Any] = {}
    for rev in revisions:
        after = _apply(state, [(c.loc, c.old, c.new) for c in rev.changes])
        after = after if isinstance(after, dict) else {}
        out.append((state, after))
        state = after
    return out


def _apply(node: Any, items: list[tuple[Loc, Any, Any]]) -> Any:
    if not items:  # a revision that changed nothing shown (a file moved, a comment edited)
        return node
    whole = [new for loc, _old, new in items if loc == ()]
    if whole:  # the value itself was replaced
        return whole[-1]
    if isinstance(items[0][0][0], int):
        return _apply_list(node, items)
    out = dict(node) if isinstance(node, dict) else {}
    for key, sub in _by_head(items).items():
        if any(loc == () and new is None for loc, _old, new in sub):
            out.pop(key, None)
        else:
            out[key] = _apply(out.get(key), sub)
    return out


def _apply_list(node: Any, items: list[tuple[Loc, Any, Any]]) -> list[Any]:
    """field_changes' list changes: removals at old indices, additions at new indices, in-place
    changes at new indices. Removing first (from the end), then inserting (from the start), puts
    every kept item at its new index."""
    out = list(node) if isinstance(node, list) else []
    single = [(loc[0], old, new) for loc, old, new in items if len(loc) == 1]
    for i in sorted({i for i, old, new in single if new is None and old is not None}, reverse=True):
        if i < len(out):
            del out[i]
    for j, old, new in single:
        if old is None and new is not None:
            out.insert(min(j, len(out)), new)
    inplace = [
        (loc, o, n) for loc, o, n in items if len(loc) > 1 or (o is not None and n is not None)
    ]
    for j, sub in _by_head(inplace).items():
        if j < len(out):
            out[j] = _apply(out[j], sub)
    return out


def _by_head(items: list[tuple[Loc, Any, Any]]) -> dict[Any, list[tuple[Loc, Any, Any]]]:
    groups: dict[Any, list[tuple[Loc, Any, Any]]] = {}
    for loc, old, new in items:
        groups.setdefault(loc[0], []).append((loc[1:], old, new))
    return groups
