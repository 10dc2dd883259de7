"""Scaffold placeholders left in a record (E214): the fields that hold one are reported once and left out of every other check."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from generator.domain.errors import Problem, problem
from generator.domain.fields import Strict
from generator.load.documents import Document, Path_, dotted
from generator.validate.scaffolds import MARK, placeholders

if TYPE_CHECKING:
    pass
from generator.validate.entries import Entry, Registry, category_choices, grade_choices
from generator.validate.schema import (
    action_adapter,
    is_readable,
    loader_paths,
    schema_adapter,
    walk_path,
)


def placeholder_paths(doc: Document) -> dict[Path_, str]:
    """Paths of the values that are still a `registry new` placeholder (请填写…)."""
    found: dict[Path_, str] = {}
    known = placeholders()
    stack: list[tuple[Path_, Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if MARK in value and value.strip() in known:
                found[path] = value.strip()
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
    return found


_PLACEHOLDER_HINTS = {
    "category": lambda reg: "可选：" + category_choices(reg, ""),
    "risk_grade": lambda reg: "可选：" + grade_choices(reg, ""),
    "guidance_entry": lambda reg: "写来源的备案指导清单条目编号，例如 GL-0001",
    "record": lambda reg: "写记录编号，例如 GL-0001、BMT-2026-001、BAN-0001",
}


def placeholder_problems(reg: Registry, doc: Document, held: dict[Path_, str]) -> list[Problem]:
    if not held:
        return []
    out = []
    for path, text in sorted(held.items(), key=lambda kv: doc.where(kv[0])):
        line, col = doc.where(path)
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
        hint = _PLACEHOLDER_HINTS.get(field_name)
        extra = f"；{hint(reg)}" if hint else ""
        out.append(problem("E214", doc.file, line, col, dotted(path), value=text, hint=extra))
    return out


def without_placeholder_fields(
    errors: list[Any], doc: Document, held: dict[Path_, str]
) -> list[Problem]:
    """Schema problems, except those of a value that is a scaffold placeholder (E214 says it)."""
    out = []
    for item in errors:
        if isinstance(item, Problem):
            out.append(item)
            continue
        err, prob = item
        where = walk_path(doc.data, tuple(err["loc"]))
        if not any(where[: len(p)] == p for p in held):
            out.append(prob)
    return out


def partial_entry(
    kind: str, doc: Document, model: type[Strict], obj: Any, held: dict[Path_, str]
) -> Entry:
    refused = {re.split(r"[.\[]", p, maxsplit=1)[0] or "*" for p in loader_paths(doc)}
    if obj is not None:  # complete but for its id (E301, checked by the caller), placeholders
        bad = {str(p[0]) for p in held} | refused  # or a value the loader refused
        index = tuple(range(len(obj.actions))) if kind == "announcement" else ()
        return Entry(kind, obj, doc, frozenset(bad), index)
    data = doc.data if is_readable(doc) else None
    if data is None:
        return Entry(kind, model.model_construct(), doc, frozenset({"*"}))
    try:
        model.model_validate(data)
        errors: list[Any] = []
    except ValidationError as exc:
        errors = exc.errors()
    bad = {str(e["loc"][0]) for e in errors if e["loc"]} | {str(p[0]) for p in held}
    bad |= refused
    values: dict[str, Any] = {}
    index: tuple[int, ...] = ()
    for name in model.model_fields:
        if name == "actions" and isinstance(data.get(name), list):
            values[name], index = _good_actions(data[name], held)
        elif name in data and name not in bad:
            try:
                values[name] = schema_adapter(model, name).validate_python(data[name])
            except Exception:  # noqa: BLE001 - e.g. a rule across fields: then not usable alone
                bad.add(name)
    if any(not e["loc"] for e in errors):
        bad.add("*")  # a problem with the file as a whole: nothing of it is trusted
    return Entry(kind, model.model_construct(**values), doc, frozenset(bad), index)


def _good_actions(items: list[Any], held: dict[Path_, str]) -> tuple[list[Any], tuple[int, ...]]:
    """The actions of an announcement that validate on their own, and their indices."""
    adapter = action_adapter()
    good, index = [], []
    for i, item in enumerate(items):
        if any(p[:2] == ("actions", i) for p in held):
            continue
        try:
            good.append(adapter.validate_python(item))
        except ValidationError:
            continue
        index.append(i)
    return good, tuple(index)
