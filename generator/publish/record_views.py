"""Each record's view (what its page, the lists, the API and /check/ show of it), and the
preview's reuse of the last run's views.

A view is made of the record's file, its replayed state, status and intervals, its conditions
versions (an approved technology), or its guidance entry's (a research project), on the as-of
date, with the categories' and grades' names. `registry serve` (publish/pipeline.py `Memo`)
keeps the last views with what each was made of: a view is made again when its file or its
conditions were read again, when the replay may have changed its state (status/resume.py: the
records an edit of the announcements can reach), or when anything shared changed. Everything
else is the very same view, so that comparing views (publish/affected.py) costs nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.domain.kinds import FOLDERS, KIND_LABELS, spec
from generator.domain.models import ConditionsContent, RiskGrade
from generator.publish.checked import Checked
from generator.status.conditions import VersionView, changes, published_versions
from generator.status.derive import Replayed
from generator.status.intervals import Interval, interval_at
from generator.status.research import project_status
from generator.status.states import Event, Status
from generator.status.stream import StatusChange, status_changes


def record_url(kind: str, rid: str) -> str:
    return f"/{FOLDERS[kind]}/{rid}/"


@dataclass
class RecordView:
    id: str
    kind: str
    model: Any
    status: Status
    category_name: str
    category: str  # a category id; a research project takes its guidance entry's
    timeline: list[Event]
    # published conditions versions only (embargoed ones never reach the view), oldest first
    conditions_versions: list[VersionView] = field(default_factory=list)
    risk_grade: RiskGrade | None = None
    approved_on: date | None = None
    exclusive_until: date | None = None
    opens_by_time_on: date | None = None
    institutions: tuple[str, ...] = ()
    emergency: Event | None = None
    ban_kind: str | None = None  # see status.RecordState.ban_kind
    # status on any date, oldest first (status/intervals.py); later ones are scheduled changes
    intervals: list[Interval] = field(default_factory=list)
    # every change of status, typed, derived or by time, oldest first (status/stream.py)
    changes: list[StatusChange] = field(default_factory=list)

    def changes_until(self, day: date) -> list[StatusChange]:
        """The changes that have happened by `day` (the published ones, as of that day)."""
        return [c for c in self.changes if c.day <= day]

    @property
    def conditions_in_force(self) -> VersionView | None:
        return next((v for v in self.conditions_versions if v.state == "in_force"), None)

    @property
    def conditions(self) -> ConditionsContent | None:
        """The conditions in force on the as-of date (None before the first version takes effect)."""
        v = self.conditions_in_force
        return v.version.content if v else None

    @property
    def conditions_upcoming(self) -> list[VersionView]:
        return [v for v in self.conditions_versions if v.state == "upcoming"]

    def conditions_changes(self, i: int) -> list[tuple[str, list[str], list[str]]]:
        """What version `i` (index in `conditions_versions`) changed against the one before it."""
        if i == 0:
            return []
        vs = self.conditions_versions
        return changes(vs[i - 1].version, vs[i].version)

    @property
    def url(self) -> str:
        return record_url(self.kind, self.id)

    @property
    def name(self) -> str:
        """What names the record: its name, or a research project's title (the kind spec says)."""
        return str(getattr(self.model, spec(self.kind).title_field))

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(getattr(self.model, "aliases", ()))

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def sample(self) -> bool:
        return bool(self.model.sample)

    def delisting(self) -> Event | None:
        """The delist action behind a `delisted` status (route and ground)."""
        if self.status.code != "delisted":
            return None
        return next((e for e in reversed(self.timeline) if e.action == "delist"), None)

    def ban(self) -> Event | None:
        """The ban behind a `banned` status (the derived one of a direct delisting included)."""
        if self.status.code != "banned":
            return None
        return next(
            (
                e
                for e in self.timeline
                if e.action == "ban"
                and (e.date, e.announcement) == (self.status.since, self.status.announcement)
            ),
            None,
        )


def announced_view(
    reg: Checked,
    rid: str,
    dated: dict[str, list[Interval]],
    categories: dict[str, str],
    grades: dict[str, RiskGrade],
) -> RecordView | None:
    """A record the announcements act on; None while named only by embargoed ones."""
    status = reg.replay.statuses.get(rid)
    if status is None:
        return None
    entry = reg.records[rid]
    state = reg.replay.states[rid]
    category = entry.model.category
    return RecordView(
        id=rid,
        kind=entry.kind,
        model=entry.model,
        status=status,
        category_name=categories.get(category, category),
        category=category,
        timeline=list(state.timeline),
        conditions_versions=published_versions(reg.condition_versions.get(rid, []), reg.as_of),
        risk_grade=grades.get(state.risk_grade) if state.risk_grade else None,
        approved_on=state.approved_on,
        exclusive_until=state.exclusive_until,
        opens_by_time_on=state.opens_by_time_on(),
        institutions=state.institutions,
        emergency=reg.replay.emergencies.get(rid),
        ban_kind=state.ban_kind,
        intervals=dated.get(rid, []),
        changes=status_changes(rid, dated.get(rid, []), state.timeline),
    )


def research_view(
    reg: Checked, rid: str, dated: dict[str, list[Interval]], categories: dict[str, str]
) -> RecordView | None:
    """A filed research project (status/research.py); None until its `filed` date."""
    p = reg.records[rid].model
    if p.filed > reg.as_of:
        return None  # embargoed like an announcement dated later
    entry = reg.records[p.guidance_entry]
    events = reg.replay.states[p.guidance_entry].timeline
    found = project_status(p, dated.get(p.guidance_entry, []), events, reg.as_of)
    now = interval_at(found.intervals, reg.as_of)
    assert now is not None  # filed on or before the as-of date
    category = entry.model.category
    return RecordView(
        id=rid,
        kind="research",
        model=p,
        status=now.status,
        category_name=categories.get(category, category),
        category=category,
        timeline=found.timeline,
        institutions=tuple(p.institutions),
        intervals=found.intervals,
        changes=status_changes(rid, found.intervals, found.timeline),
    )


@dataclass
class ViewMemo:
    """The last run's views, what each was made of, and the replay and shared names they read."""

    replayed: Replayed | None = None
    shared: tuple[Any, ...] = ()  # the as-of date, the categories' and the grades' names
    inputs: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    views: dict[str, RecordView | None] = field(default_factory=dict)


def record_views(
    reg: Checked,
    categories: dict[str, str],
    grades: dict[str, RiskGrade],
    memo: ViewMemo | None = None,
) -> dict[str, RecordView]:
    """Every published record's view, by id (embargoed ones left out)."""
    replayed = reg.derived.replayed
    shared = (reg.as_of, categories, grades)
    moved = _moved(memo, replayed, shared)
    inputs, views = {}, {}
    for rid in sorted(reg.records):
        made = _inputs(reg, rid) if memo is not None else ()  # a build keeps no views
        last = memo.inputs.get(rid) if memo is not None else None
        if memo is not None and last is not None and _same(last, made, moved):
            view = memo.views[rid]
        elif reg.records[rid].kind == "research":
            view = research_view(reg, rid, replayed.dated, categories)
        else:
            view = announced_view(reg, rid, replayed.dated, categories, grades)
        inputs[rid], views[rid] = made, view
    if memo is not None:
        memo.replayed, memo.shared, memo.inputs, memo.views = replayed, shared, inputs, views
    return {rid: view for rid, view in views.items() if view is not None}  # None: embargoed


def _moved(
    memo: ViewMemo | None, replayed: Replayed, shared: tuple[Any, ...]
) -> frozenset[str] | None:
    """The records whose replayed state may differ from the one the memo's views read; None:
    any (no memo, another replay or other shared names)."""
    if memo is None or memo.replayed is None or memo.shared != shared:
        return None
    if replayed is memo.replayed:
        return frozenset()
    # `after` is the id of the replay this one resumed; the memo holds that replay, so its id
    # names no other object
    return replayed.moved if replayed.after == id(memo.replayed) else None


def _inputs(reg: Checked, rid: str) -> tuple[Any, ...]:
    """What a record's view is made of besides the replay: (the records whose replayed state
    it reads, its parsed file, its guidance entry's file or its conditions versions)."""
    entry = reg.records[rid]
    if entry.kind == "research":
        source = entry.model.guidance_entry
        return ((source,), entry.model, reg.records[source].model)
    return ((rid,), entry.model, entry.kind, reg.condition_versions.get(rid))


def _same(last: tuple[Any, ...], now: tuple[Any, ...], moved: frozenset[str] | None) -> bool:
    """The same files (the very same parsed objects), equal versions, and no state moved."""
    if moved is None or any(rid in moved for rid in now[0]) or last[0] != now[0]:
        return False
    return last[1] is now[1] and all(
        a is b or a == b for a, b in zip(last[2:], now[2:], strict=True)
    )
