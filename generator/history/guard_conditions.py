"""E504 of the guard (history/guard.py): a conditions version published at the base (its
announcement dated on or before today) was changed or removed. Versions are compared after
expanding the one-version shorthand (a flat file is the version of the `approve` announcement),
with an absent `effective` read as the announcement's date and absent lists as empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.errors import Problem, problem
from generator.load.documents import Document, dotted, load_bytes, load_file
from generator.load.field_changes import field_changes


def announcement_data(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rel, raw in files.items():
        if rel.startswith("announcements/"):
            data = load_bytes(raw, "").data
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                out[data["id"]] = data
    return out


def _day(data: dict[str, Any] | None) -> date | None:
    try:
        return date.fromisoformat(str((data or {}).get("date")))
    except ValueError:
        return None


def _approval(rid: str, anns: dict[str, dict[str, Any]]) -> str | None:
    """Id of the announcement that approves `rid` (first by date, then id)."""
    found = []
    for aid, data in anns.items():
        actions = data.get("actions")
        if not isinstance(actions, list):
            continue
        for act in actions:
            if (
                isinstance(act, dict)
                and act.get("action") == "approve"
                and act.get("record") == rid
            ):
                found.append((str(_day(data)), aid))
    return min(found)[1] if found else None


_CONTENT = ("institution", "personnel", "management", "training_qc", "operating_spec", "effective")


def expanded_versions(
    rid: str, data: Any, anns: dict[str, dict[str, Any]]
) -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    """announcement id -> (location in the file, normalised content) of each version."""
    if not isinstance(data, dict):
        return {}
    if "versions" in data:
        raw = data["versions"] if isinstance(data["versions"], list) else []
        items = [(("versions", i), v) for i, v in enumerate(raw) if isinstance(v, dict)]
        pairs = [(v.get("announcement"), loc, v) for loc, v in items]
    else:
        pairs = [(_approval(rid, anns), (), data)]
    out: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    for aid, loc, v in pairs:
        if not isinstance(aid, str) or aid in out:
            continue
        content = {k: v.get(k) for k in _CONTENT}
        for k in ("management", "training_qc"):
            content[k] = content[k] if content[k] is not None else []
        if content["effective"] is None and (d := _day(anns.get(aid))) is not None:
            content["effective"] = d.isoformat()
        content["effective"] = str(content["effective"])
        out[aid] = (loc, content)
    return out


def conditions_problems(
    base_files: dict[str, bytes],
    head_files: dict[str, bytes],
    head_root: Path,
    base: str,
    today: date,
    shown: str,
    base_announcements: Callable[[], dict[str, dict[str, Any]]],
) -> list[Problem]:
    changed = [
        rel
        for rel, raw in base_files.items()  # a deleted conditions file is E501
        if rel.startswith("conditions/") and rel in head_files and head_files[rel] != raw
    ]
    if not changed:
        return []  # the usual case: no announcement needs parsing
    base_anns = base_announcements()
    # the announcements a changed version may name: the base's, with the files that differ now
    edited = {rel: raw for rel, raw in head_files.items() if base_files.get(rel) != raw}
    anns = {**base_anns, **announcement_data(edited)}
    out: list[Problem] = []
    for rel in changed:
        rid = Path(rel).stem
        old = expanded_versions(rid, load_bytes(base_files[rel], "").data, base_anns)
        doc = load_file(head_root / rel, f"{shown}/{rel}")
        if doc.problems:  # it does not parse: its own error says so, not one E504 per version
            continue
        new = expanded_versions(rid, doc.data, anns)
        for aid, (_loc, content) in old.items():
            day = _day(base_anns.get(aid))
            if day is None or day > today:
                continue  # never published: may still change
            kw = {"value": rid, "announcement": aid, "base": base}
            if aid not in new:
                line, col = _removed_at(doc, aid, list(old), new)
                out.append(problem("E504", doc.file, line, col, what="该版本被删除", **kw))
                continue
            loc, now = new[aid]
            for change in field_changes(content, now):
                line, col = doc.where((*loc, *change.loc))
                where = dotted((*loc, *change.loc))
                out.append(
                    problem("E504", doc.file, line, col, where, what=f"{where} 被修改", **kw)
                )
    return out


def _removed_at(
    doc: Document,
    aid: str,
    base_order: list[str],
    new: dict[str, tuple[tuple[Any, ...], dict[str, Any]]],
) -> tuple[int, int]:
    """Where a removed version stood, in the working file (the one the editor opens; a line of
    the base file would point into unrelated text there): at the first later version that is
    still there (the removed one stood just before it), else at `versions` (it was the last)."""
    for later in base_order[base_order.index(aid) + 1 :]:
        if later in new and new[later][0]:
            return doc.where(new[later][0])
    return doc.where(("versions",), key=True)
