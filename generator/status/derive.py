"""Deriving the status: every announcement replayed (status/replay.py) and the conditions versions resolved; what the rules forbid becomes a problem with its position."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from generator.domain.errors import Problem
from generator.domain.kinds import ANNOUNCED_KINDS
from generator.status.across import collision_pairs
from generator.status.conditions import Version, resolve
from generator.status.intervals import (
    Interval,
    Snapshots,
    intervals_of,
    published_intervals,
    snapshot_watch,
)
from generator.status.replay import replay
from generator.status.research import project_status
from generator.status.resume import dated_again, resumed
from generator.status.states import Replay, ReplayInput
from generator.validate.entries import (
    Entry,
    Registry,
    all_entries,
    grade_choices,
    name_key,
    problem_at,
)
from generator.validate.rules import named_by


@dataclass(frozen=True)
class Prepared:
    """The replay's input (status/states.py `ReplayInput`), built once from a registry, and what
    validation needs to position the replay's issues."""

    input: ReplayInput
    entries: dict[str, Entry]  # announcement id -> its file
    blocked: frozenset[str]  # records a dropped action names: their issues follow from it


def replay_input(reg: Registry) -> Prepared:
    """The one place a replay's input is built (validation, the published view's intervals,
    research checks and `registry diff` replay the same). Every announcement whose date is sound
    takes part, with the actions that passed their schema; records that a dropped action names
    (an action with a problem of its own, or in an announcement without a valid date) are
    `blocked`: their replay issues follow from that problem."""
    kinds = {rid: e.kind for rid, e in all_entries(reg, ANNOUNCED_KINDS)}
    anns, entries, blocked = [], {}, set()
    for aid, entry in all_entries(reg, ("announcement",)):
        if not entry.bad:
            anns.append(entry.model)
            entries[aid] = entry
            continue
        names = named_by(entry) or set()
        if not entry.ok("date"):
            blocked |= names
            continue
        kept = {a.record for a in getattr(entry.model, "actions", [])}
        blocked |= names - kept
        fill = {"id": aid}
        fill.update({k: aid for k in ("number", "title") if not entry.ok(k)})
        anns.append(entry.model.model_copy(update=fill))
        entries[aid] = entry
    grades = {g.id: g.exclusive_years for g in reg.grades.grades} if reg.grades else {}
    sources, names = _links(reg)
    inp = ReplayInput(tuple(anns), kinds, grades, sources, names)
    return Prepared(inp, entries, frozenset(blocked))


def _links(reg: Registry) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """What the rules across records need: each approved technology's guidance entry, and each
    record's folded name and aliases; only fields that validated take part."""
    sources = {
        rid: e.model.guidance_entry
        for rid, e in all_entries(reg, ("approved",))
        if e.ok("guidance_entry") and getattr(e.model, "guidance_entry", None)
    }
    names = {}
    for rid, e in all_entries(reg, ANNOUNCED_KINDS):
        found = [e.model.name] if e.ok("name") and getattr(e.model, "name", None) else []
        found += getattr(e.model, "aliases", None) or [] if e.ok("aliases") else []
        names[rid] = frozenset(name_key(n) for n in found)
    return sources, names


def _positioned(reg: Registry, done: Replay, prep: Prepared) -> Iterable[Problem]:
    """The replay's issues at the line of the action that caused each."""
    # an unreadable announcement may list, delist or ban anything: the rules across records
    # (E408, E409) would only report its own problem again
    partial = any(kind == "announcement" for kind, _ in reg.unreadable)
    for issue in done.issues:
        if partial and issue.code in ("E408", "E409"):
            continue
        if issue.code == "E304" and reg.grades is None:
            continue  # risk-grades.yaml is missing or unreadable: reported once, not per approval
        entry = prep.entries[issue.announcement]
        record = entry.model.actions[issue.index].record
        if record in prep.blocked:
            continue
        index = entry.action_index[issue.index] if entry.action_index else issue.index
        kw = dict(issue.kwargs)
        if issue.code == "E304":
            kw["allowed"] = grade_choices(reg, str(kw.get("value", "")))
        yield problem_at(entry, ("actions", index, issue.field), issue.code, **kw)


FAR = date(9999, 12, 31)  # every announcement: a filing is checked against the whole list history


def _research(
    projects: list[tuple[str, Entry]], prep: Prepared, snaps: Snapshots
) -> Iterable[Problem]:
    """E410/E411 of the research projects (status/research.py), against every announcement: a
    project's filing date may lie after the as-of date (embargoed, but checked all the same).
    `snaps`: the guidance entries' states through all dates, recorded by validation's replay."""
    for _rid, entry in projects:
        p = entry.model
        if p.guidance_entry in prep.blocked or prep.input.kinds.get(p.guidance_entry) != "guidance":
            continue  # its entry's own problems (or E305) are reported; no cascade
        history = snaps.get(p.guidance_entry, [])
        events = history[-1][1].timeline if history else []
        for issue in project_status(p, intervals_of(history), events, FAR).issues:
            yield problem_at(entry, issue.path, issue.code, **issue.kwargs)


@dataclass(frozen=True)
class Replayed:
    """One replay of an input as of a date: its result, every record's state at the end of each
    date that touched it, and the published intervals made of those (when first asked for)."""

    replay: Replay
    snapshots: Snapshots
    as_of: date
    after: int | None = None  # id() of the replay this one resumed (status/resume.py)
    moved: frozenset[str] = frozenset()  # then: the records whose state may differ from its

    @cached_property
    def dated(self) -> dict[str, list[Interval]]:
        """Every published record's status on every date up to the as-of date."""
        return published_intervals(self.snapshots, self.as_of)


@dataclass
class ReplayMemo:
    """The preview's last replay (publish/pipeline.py `Memo`): an edit that leaves the replay's
    input as it was (a record's texts, a conditions file) reuses it instead of replaying every
    announcement again. Everything a replay reads is in the key, so a hit is the same result."""

    key: tuple[object, ...] | None = None
    value: Replayed | None = None


@dataclass(frozen=True)
class Derived:
    """What the status stage derives from a validated registry (which it never changes): every
    record's replayed status, every technology's conditions versions, and what the rules forbid."""

    input: ReplayInput  # what was replayed (`registry diff` replays it on other dates)
    replayed: Replayed
    versions: dict[str, list[Version]]
    problems: tuple[Problem, ...]

    @property
    def replay(self) -> Replay:
        return self.replayed.replay

    @property
    def snapshots(self) -> Snapshots:
        """Each record's state at the end of every date that touched it."""
        return self.replayed.snapshots


def derive(reg: Registry, memo: ReplayMemo | None = None) -> Derived:
    """Replay `reg`, resolve its conditions versions and check its research projects."""
    prep = replay_input(reg)
    projects = [(rid, e) for rid, e in all_entries(reg, ("research",)) if not e.bad]
    replayed = _replayed(prep.input, reg.as_of, memo)
    versions, version_problems = resolve(reg)
    research = _research(projects, prep, replayed.snapshots)
    problems = (*_positioned(reg, replayed.replay, prep), *version_problems, *research)
    return Derived(prep.input, replayed, versions, problems)


def _replayed(inp: ReplayInput, as_of: date, memo: ReplayMemo | None) -> Replayed:
    """The one replay, recording every record's state at the end of each date: research checks
    read their entries' whole history, the published view its intervals (no second replay).

    The names in `inp` serve only the rule across records of 二(一)1, through the pairs of
    records sharing a name (status/across.py): with the same pairs, a renamed record replays the
    same, so the key holds the pairs instead of the names. When only announcements changed, the
    last replay is resumed from the first that differs (status/resume.py)."""
    pairs = collision_pairs(inp.kinds, inp.names)
    key = (replace(inp, names={}), pairs, as_of)
    last = memo.value if memo is not None else None
    if memo is None or last is None or memo.key is None:
        return _fresh(inp, key, memo)
    if memo.key == key:
        return last
    old = memo.key[0]
    assert isinstance(old, ReplayInput)
    same_rest = (old.kinds, old.grades, old.sources) == (inp.kinds, inp.grades, inp.sources)
    if not same_rest or memo.key[1:] != key[1:]:
        return _fresh(inp, key, memo)
    got = resumed(last.replay, last.snapshots, old, inp, pairs)
    if got is None:  # the same announcements in another order
        return _fresh(inp, key, memo)
    done, snaps, moved = got
    replayed = Replayed(done, snaps, as_of, id(last), frozenset(moved))
    if "dated" in last.__dict__:  # the published intervals, worked out again where they may differ
        replayed.__dict__["dated"] = dated_again(last.dated, snaps, moved, as_of)
    memo.key, memo.value = key, replayed
    return replayed


def _fresh(inp: ReplayInput, key: tuple[object, ...], memo: ReplayMemo | None) -> Replayed:
    """A replay from the first announcement, as of the date in `key`, kept in `memo`."""
    pairs, as_of = key[1], key[2]
    assert isinstance(as_of, date) and isinstance(pairs, list)
    watch, snaps = snapshot_watch(inp)
    replayed = Replayed(replay(inp, as_of, watch=watch, pairs=pairs), snaps, as_of)
    if memo is not None:
        memo.key, memo.value = key, replayed
    return replayed
