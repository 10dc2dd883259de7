"""Published view of a validated registry: what the site, the API and the check page show.

Everything embargoed (announcements after `as_of`, records named only by them) is left out here,
once, so that no page, API file, feed or download can leak it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from generator.domain.kinds import FOLDERS, KIND_LABELS, RESEARCH, spec
from generator.domain.models import Announcement, ConditionsContent, RegistryConfig, RiskGrade
from generator.domain.vocabulary import ACTION_LABELS, GROUND_LABELS, ROUTE_LABELS
from generator.load.documents import Document
from generator.load.revisions import History
from generator.publish.checked import Checked
from generator.status.conditions import VersionView, changes, published_versions
from generator.status.intervals import Interval, interval_at
from generator.status.research import project_status
from generator.status.states import Event, Status
from generator.status.stream import StatusChange, status_changes


def record_url(kind: str, rid: str) -> str:
    return f"/{FOLDERS[kind]}/{rid}/"


def announcement_url(aid: str) -> str:
    return f"/announcements/{aid}/"


def record_feed(rid: str) -> str:
    """Atom feed of one record: its announcements and revisions (path under site/)."""
    return f"feeds/records/{rid}.xml"


def record_calendar(rid: str) -> str:
    """iCalendar file of one record's upcoming transitions (path under site/, outputs/calendar.py)."""
    return f"feeds/records/{rid}.ics"


def category_feed(category: str) -> str:
    return f"feeds/categories/{category}.xml"


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


@dataclass
class Site:
    """The published registry as of one day."""

    as_of: date
    config: RegistryConfig
    grades: dict[str, RiskGrade]
    records: dict[str, RecordView]
    announcements: list[Announcement]  # published only, oldest first
    categories: dict[str, str] = field(default_factory=dict)
    data_version: str = ""  # `<as-of>+<short commit>`, see version.py
    site_url: str = ""  # absolute base for permalinks (MkDocs site_url)
    repo_url: str | None = None  # "在 GitHub 上修改" and "报告错误" links; hidden when unset
    repo_branch: str = "main"
    # the revision history of the data (git), without anything still under embargo
    history: History = field(default_factory=lambda: History(available=False))
    config_doc: Document | None = None  # registry.yaml, for positions of problems found later
    data_dir: Path | None = None  # where the data was read (the dataset zip copies its files)

    def permalink(self, path: str) -> str:
        return (self.site_url or "").rstrip("/") + path

    def edit_url(self, r: RecordView) -> str | None:
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/edit/{self.repo_branch}/data/{FOLDERS[r.kind]}/{r.id}.yaml"

    def report_url(self, r: RecordView) -> str | None:
        if not self.repo_url:
            return None
        title = quote(f"报告错误：{r.id} {r.name}")
        body = quote(
            f"页面：{self.permalink(r.url)}\n数据版本：{self.data_version}\n\n问题描述：\n"
        )
        return f"{self.repo_url.rstrip('/')}/issues/new?title={title}&body={body}"

    @cached_property
    def consequences(self) -> dict[str, list[StatusChange]]:
        """Derived status changes by the announcement that caused them without naming the record
        (a direct delisting ending the approved technologies grown from the entry)."""
        out: dict[str, list[StatusChange]] = {}
        for r in self.records.values():
            for c in r.changes_until(self.as_of):
                if c.cause == "derived" and c.announcement is not None:
                    out.setdefault(c.announcement, []).append(c)
        return out

    def time_changes(self) -> list[StatusChange]:
        """Changes that no announcement made, by the as-of date (period ends, emergency ends)."""
        found = [
            c
            for r in self.records.values()
            for c in r.changes_until(self.as_of)
            if c.cause == "time"
        ]
        return sorted(found, key=lambda c: (c.day, c.record))

    def banned(self) -> list[RecordView]:
        """Every record whose status is `banned`: BAN records and approved technologies alike."""
        return [r for r in self.records.values() if r.status.code == "banned"]

    @cached_property
    def grown(self) -> dict[str, list[RecordView]]:
        """Approved technologies by the guidance entry they grew out of (`guidance_entry`)."""
        out: dict[str, list[RecordView]] = {}
        for a in self.by_kind("approved"):
            out.setdefault(a.model.guidance_entry, []).append(a)
        return out

    @cached_property
    def filed(self) -> dict[str, list[RecordView]]:
        """Research projects by the guidance entry they were filed under (界定指导原则 二), oldest
        filing first: the entry's list, its summary's places; one pass, not one per page."""
        out: dict[str, list[RecordView]] = {}
        for p in sorted(self.by_kind(RESEARCH.kind), key=lambda p: (p.model.filed, p.id)):
            out.setdefault(getattr(p.model, str(RESEARCH.source)), []).append(p)
        return out

    def by_kind(self, kind: str) -> list[RecordView]:
        return [r for r in self.records.values() if r.kind == kind]

    def announcement_records(self, ann: Announcement) -> list[tuple[Any, RecordView | None]]:
        return [(a, self.records.get(a.record)) for a in ann.actions]

    @property
    def has_sample(self) -> bool:
        return any(r.sample for r in self.records.values()) or any(
            a.sample for a in self.announcements
        )


def build_site(
    reg: Checked,
    data_version: str = "",
    *,
    site_url: str = "",
    repo_url: str | None = None,
    branch: str = "main",
    data_dir: Path | None = None,
) -> Site:
    """Assemble the published view; `reg` must be valid (no problems). The keyword arguments are
    what a shell knows and the data does not (publish/pipeline.py `Settings`)."""
    assert reg.config is not None and reg.grades is not None
    grades = {g.id: g for g in reg.grades.grades}
    categories = {c.id: c.name for c in reg.config.categories}
    records: dict[str, RecordView] = {}
    dated = reg.derived.replayed.dated  # status on every date
    for rid in sorted(reg.records):
        entry = reg.records[rid]
        if entry.kind == "research":
            view = _research_view(reg, rid, dated, categories)
        else:
            view = _announced_view(reg, rid, dated, categories, grades)
        if view is not None:  # None: embargoed
            records[rid] = view
    return Site(
        as_of=reg.as_of,
        config=reg.config,
        grades=grades,
        records=records,
        announcements=list(reg.replay.published),
        categories=categories,
        data_version=data_version or f"{reg.as_of.isoformat()}+nogit",
        site_url=site_url,
        repo_url=repo_url,
        repo_branch=branch,
        config_doc=reg.config_doc,
        data_dir=data_dir,
    )


def _announced_view(
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


def _research_view(
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


def event_details(
    f: dict[str, Any], grades: dict[str, RiskGrade] | None = None
) -> list[tuple[str, str]]:
    """Extra fields of an action (route, ground, scope …) as (label, text) pairs, in Chinese."""
    out: list[tuple[str, str]] = []
    if "route" in f:
        out.append(("调出途径", ROUTE_LABELS[f["route"]]))
    if "ground" in f:
        out.append(("理由", GROUND_LABELS.get(f["ground"], f["ground"])))
    if "risk_grade" in f:
        grade = (grades or {}).get(f["risk_grade"])
        out.append(("风险等级", grade.name if grade else f["risk_grade"]))
    if "institutions" in f:
        out.append(("参与研究机构", "、".join(f["institutions"])))
    if "scope" in f:
        out.append(("范围", f["scope"]))
    if "until" in f:
        out.append(("期限至", f["until"].isoformat()))
    if "note" in f:
        out.append(("说明", f["note"]))
    if "derived_from" in f:
        basis = f"来源清单条目 {f['derived_from']} 被直接调出备案指导清单（界定指导原则 二（二）2（1））"
        out.append(("依据", basis))
    return out


def action_label(action: str) -> str:
    return ACTION_LABELS[action]


def embargo_secrets(reg: Checked, site: Site) -> set[str]:
    """What must not appear on the public site before its date: the ids, numbers and titles of
    embargoed announcements and the ids, names and aliases of embargoed records."""
    published = {a.id for a in site.announcements}
    out: set[str] = set()
    for aid, entry in reg.announcements.items():
        if aid not in published:
            out.update((aid, entry.model.number, entry.model.title))
    for rid, entry in reg.records.items():
        if rid not in site.records:
            names = (getattr(entry.model, spec(entry.kind).title_field),)
            out.update((rid, *names, *getattr(entry.model, "aliases", ())))
    return out


def chrome_values(site: Site, site_url: str | None) -> dict[str, Any]:
    """What every page's chrome prints, whichever engine draws it (the Material overrides read it
    as `config.extra.registry`, the plain engine's templates as `site`)."""
    return {
        "title": site.config.title,
        "authority": site.config.authority,
        "disclaimer": site.config.disclaimer,
        "as_of": site.as_of.isoformat(),
        "has_sample": site.has_sample,
        "data_version": site.data_version,
        "site_info": site.config.site_info.model_dump(),
        "domain": urlsplit(site_url or "").hostname or "",
    }
