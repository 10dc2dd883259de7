"""Checks across files: references, unique names, announcements naming records, redirects, risk grades."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from generator.domain.errors import Problem, problem
from generator.domain.kinds import ANNOUNCED_KINDS, KIND_LABELS, RECORD_KINDS, SPECS
from generator.domain.vocabulary import LEGAL_YEARS
from generator.validate.entries import (
    Entry,
    Registry,
    all_entries,
    category_choices,
    ids_of,
    name_key,
    problem_at,
)


def check_references(reg: Registry) -> Iterable[Problem]:
    cats = [c.id for c in reg.config.categories] if reg.config else []
    guidance = ids_of(reg, "guidance")
    for _rid, entry in all_entries(reg, RECORD_KINDS):
        m = entry.model
        category = getattr(m, "category", None) if entry.ok("category") else None
        if reg.config and category is not None and category not in cats:
            allowed = category_choices(reg, m.category)
            yield problem_at(entry, ("category",), "E303", value=m.category, allowed=allowed)
        ref = getattr(m, "guidance_entry", None) if entry.ok("guidance_entry") else None
        if ref is not None and ref not in guidance:
            yield problem_at(entry, ("guidance_entry",), "E305", what="备案指导清单条目", value=ref)
    conditions, approved = ids_of(reg, "conditions"), ids_of(reg, "approved")
    for rid, entry in all_entries(reg, ("approved",)):
        if rid not in conditions:
            yield problem_at(entry, ("id",), "E306", value=rid)
    for rid, entry in all_entries(reg, ("conditions",)):
        if rid not in approved:
            yield problem_at(entry, ("id",), "E307", value=rid)


def check_names(reg: Registry) -> Iterable[Problem]:
    """Names are unique within each kind that is named (research projects have titles, which
    two studies may share)."""
    for kind in (s.kind for s in SPECS if s.title_field == "name"):
        owners: dict[str, str] = {}
        entries = [(rid, e) for rid, e in all_entries(reg, (kind,)) if e.ok("name")]
        for rid, entry in entries:
            key = name_key(entry.model.name)
            if key in owners:
                yield problem_at(
                    entry, ("name",), "E309", value=entry.model.name, other=owners[key]
                )
            else:
                owners[key] = rid
        for rid, entry in entries:
            if not entry.ok("aliases"):
                continue
            for i, alias in enumerate(entry.model.aliases):
                other = owners.get(name_key(alias))
                if other is not None and other != rid:
                    yield problem_at(
                        entry,
                        ("aliases", i),
                        "E310",
                        value=alias,
                        other=f"{KIND_LABELS[kind]} {other}",
                    )


def named_by(entry: Entry) -> set[str] | None:
    """Record ids an announcement names, read from the raw data when its schema failed."""
    if not entry.bad:
        return {a.record for a in entry.model.actions}
    data = entry.doc.data
    actions = data.get("actions") if isinstance(data, dict) and not entry.doc.problems else None
    if not isinstance(actions, list):
        return None  # unreadable: it may name any record
    return {
        a["record"] for a in actions if isinstance(a, dict) and isinstance(a.get("record"), str)
    }


def check_announcements(reg: Registry) -> Iterable[Problem]:
    numbers: dict[str, str] = {}
    named: set[str] = set()
    unknown = False
    for aid, entry in all_entries(reg, ("announcement",)):
        if entry.ok("number"):
            key = name_key(entry.model.number)
            if key in numbers:
                yield problem_at(
                    entry, ("number",), "E313", value=entry.model.number, other=numbers[key]
                )
            numbers.setdefault(key, aid)
        names = named_by(entry)
        unknown = unknown or names is None
        named.update(names or ())
    if unknown:
        return  # an unreadable announcement may name any record
    unnamed = [
        (rid, entry)
        for rid, entry in all_entries(reg, ANNOUNCED_KINDS)  # research projects are filings
        if rid not in named and getattr(entry.model, "id", rid) not in named
    ]
    mistyped = _mistyped(reg, named, [rid for rid, _e in unnamed])
    for rid, entry in unnamed:
        if rid not in mistyped:
            yield problem_at(entry, ("id",), "E308", value=rid)


def _mistyped(reg: Registry, named: set[str], unnamed: list[str]) -> set[str]:
    """The unnamed records that an action most likely means: an action names an id that is no
    record (E305, or E204 when it is not even an id) and is close to one of theirs (BMT-2026-01,
    BMT-2026-002 for BMT-2026-001). Telling the editor to add an action for such a record would
    contradict the error at the action, which says to correct the id there: E308 waits until
    that is done (once corrected it is named; if it was another record, E308 comes then)."""
    known = {rid for kind in RECORD_KINDS for rid in ids_of(reg, kind)}
    dangling = [ref for ref in named if ref not in known]
    if not dangling or not unnamed:
        return set()
    by_key = {name_key(rid): rid for rid in unnamed}
    out: set[str] = set()
    for ref in dangling:
        close = difflib.get_close_matches(name_key(ref), list(by_key), n=1, cutoff=0.8)
        out.update(by_key[k] for k in close)
    return out


def check_grades(reg: Registry) -> Iterable[Problem]:
    """规范 第二十条第二款 fixes the grades and their years: high 5, medium 3, low 1."""
    if reg.grades is None or reg.grades_doc is None or "risk-grades.yaml" in reg.incomplete_top:
        return  # a partial list: its own problems are reported; "missing" would repeat them
    doc = reg.grades_doc
    seen: set[str] = set()
    for i, g in enumerate(reg.grades.grades):
        if g.id not in LEGAL_YEARS:
            line, col = doc.where(("grades", i, "id"))
            detail = f"风险等级 “{g.id}” 不在规范规定的三个等级之中"
            yield problem("E315", doc.file, line, col, f"grades[{i}].id", detail=detail)
        elif g.id in seen:
            line, col = doc.where(("grades", i, "id"))
            detail = f"风险等级 “{g.id}” 重复出现"
            yield problem("E315", doc.file, line, col, f"grades[{i}].id", detail=detail)
        elif g.exclusive_years != LEGAL_YEARS[g.id]:
            line, col = doc.where(("grades", i, "exclusive_years"))
            detail = f"{g.id} 的年限应为 {LEGAL_YEARS[g.id]} 年，这里是 {g.exclusive_years} 年"
            where = f"grades[{i}].exclusive_years"
            yield problem("E315", doc.file, line, col, where, detail=detail)
        seen.add(g.id)
    missing = [g for g in LEGAL_YEARS if g not in seen]
    if missing:
        line, col = doc.where(("grades",), key=True)
        detail = "缺少风险等级 " + "、".join(missing)
        yield problem("E315", doc.file, line, col, "grades", detail=detail)
