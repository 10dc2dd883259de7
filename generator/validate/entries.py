"""What validation works on: a record file (`Entry`) and the whole data directory (`Registry`)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.errors import Problem, problem
from generator.domain.kinds import RECORD_KINDS, file_spec
from generator.domain.models import RegistryConfig, RiskGrades
from generator.domain.names import fold
from generator.load.documents import Document, Path_, dotted


@dataclass
class Entry:
    """A record file: its kind, model and where it came from.

    An entry in `Registry.records`, `conditions` or `announcements` passed its schema. An entry in
    `Registry.partial` did not: its model holds only the fields that validated (built with
    `model_construct`), `bad` names the top-level fields that did not (their problems are reported),
    and cross-file checks use the good fields only. `"*"` in `bad`: nothing could be read.
    """

    kind: str
    model: Any
    doc: Document
    bad: frozenset[str] = frozenset()
    # announcements in `partial`: original index of each action kept in `model.actions`
    action_index: tuple[int, ...] = ()

    def ok(self, name: str) -> bool:
        """May cross-file checks rely on this field? (False for fields with a reported problem.)"""
        return "*" not in self.bad and name not in self.bad


@dataclass
class Registry:
    """Everything read from `data/` and the problems validation found (the validate stage's
    output; the status stage derives from it without changing it: status/derive.py `Derived`)."""

    root: Path
    as_of: date
    config: RegistryConfig | None = None
    grades: RiskGrades | None = None
    records: dict[str, Entry] = field(default_factory=dict)  # every record kind, by id
    conditions: dict[str, Entry] = field(default_factory=dict)
    announcements: dict[str, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # (kind, file stem) of record files that exist but did not pass their schema (or whose id is
    # not their file name): their own problems are reported, so references to them are not
    # reported again as dangling (no cascades); the fields that did validate still take part in
    # the checks across files (see `partial`).
    unreadable: set[tuple[str, str]] = field(default_factory=set)
    partial: dict[tuple[str, str], Entry] = field(default_factory=dict)
    config_doc: Document | None = None  # registry.yaml, for positions of redirect problems
    grades_doc: Document | None = None  # risk-grades.yaml
    # top-level files of which only the valid categories or grades were kept (see _partial_vocabulary)
    incomplete_top: set[str] = field(default_factory=set)
    files: int = 0  # YAML files found and checked, whether they could be read or not
    # all_entries() by kinds, with the table sizes it was made at: the checks across files and
    # the replay ask for the same lists about twenty times (0.1 s of a preview edit at 10,000)
    listed: dict[tuple[str, ...], tuple[tuple[int, ...], list[tuple[str, Entry]]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def ok(self) -> bool:
        return not self.problems


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when that is shorter."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _choices(items: list[tuple[str, str, str]], value: str, what: str) -> str:
    """`id（shown）、…`, plus a hint when `value` is one of the names instead of its id."""
    text = "、".join(f"{i}（{shown}）" for i, _name, shown in items)
    for i, name, _shown in items:
        if value and name_key(name) == name_key(value):
            return f"{text}。“{value}”是{what}名称，这里要写它的编号 {i}"
    close = closest(value, items)
    if close:
        return f"{text}。您是否指 " + "、".join(f"{i}（{shown}）" for i, _n, shown in close) + "？"
    return text


def closest(
    value: str, items: list[tuple[str, str, str]], n: int = 2
) -> list[tuple[str, str, str]]:
    """The items whose id or name is closest to a mistyped `value` (cell-therap, 细胞治), compared
    in the folded form names are compared in everywhere (domain/names.py `fold`)."""
    keys: dict[str, tuple[str, str, str]] = {}
    for item in items:
        for word in item[:2]:
            keys.setdefault(name_key(word), item)
    found = difflib.get_close_matches(name_key(value), [k for k in keys if k], n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(keys[k] for k in found))[:n]


def category_choices(reg: Registry, value: str) -> str:
    """The category ids of registry.yaml with their names, for E303 (and E214 on a category)."""
    if reg.config is None:
        return "见 data/registry.yaml 的 categories（该文件本身有错误）"
    return _choices([(c.id, c.name, c.name) for c in reg.config.categories], value, "分类")


def grade_choices(reg: Registry, value: str) -> str:
    """The risk grades with their names and years, for E304 (and E214 on a risk grade)."""
    if reg.grades is None:
        return "见 data/risk-grades.yaml（该文件本身有错误）"
    items = [(g.id, g.name, f"{g.name}，{g.exclusive_years} 年") for g in reg.grades.grades]
    return _choices(items, value, "风险等级")


def name_key(name: str) -> str:
    """Names compare in their folded form (domain/names.py: NFKC, case, whitespace, punctuation
    and invisible characters)."""
    return fold(name)


def problem_at(entry: Entry, path: Path_, code: str, **kw: Any) -> Problem:
    line, col = entry.doc.where(path)
    return problem(code, entry.doc.file, line, col, dotted(path), **kw)


def all_entries(reg: Registry, kinds: Iterable[str]) -> list[tuple[str, Entry]]:
    """(id, entry) of complete and partial files of `kinds`, by id; a partial one by file stem.

    A partial file whose name is no valid id (GL-０００２.yaml) is left out: nothing can refer to
    it, so unnamed or unmatched (E306–E308) would only repeat its E204/E301.
    """
    key = tuple(kinds)
    # the tables only grow, and only while loading: their sizes tell a list made before the end
    sizes = (len(reg.records), len(reg.conditions), len(reg.announcements), len(reg.partial))
    made = reg.listed.get(key)
    if made is not None and made[0] == sizes:
        return made[1]
    out = _entries(reg, set(key))
    reg.listed[key] = (sizes, out)
    return out


def _entries(reg: Registry, wanted: set[str]) -> list[tuple[str, Entry]]:
    tables = [reg.records] if wanted & set(RECORD_KINDS) else []
    tables += [reg.conditions] if "conditions" in wanted else []
    tables += [reg.announcements] if "announcement" in wanted else []
    out = [(rid, e) for table in tables for rid, e in table.items() if e.kind in wanted]
    out += [
        (stem, e)
        for (kind, stem), e in reg.partial.items()
        if kind in wanted and file_spec(kind).ids.matches(stem)
    ]
    return sorted(out, key=lambda item: item[0])


def ids_of(reg: Registry, kind: str) -> set[str]:
    """Ids of `kind` that exist as files: complete records, and partial ones (stem and written id)."""
    out = {rid for rid, e in all_entries(reg, (kind,))}
    for (k, _stem), e in reg.partial.items():
        written = getattr(e.model, "id", None)
        if k == kind and isinstance(written, str):
            out.add(written)  # E301: references to either name are not dangling
    return out
