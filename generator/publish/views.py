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

from generator.domain.kinds import FOLDERS, RESEARCH, SPECS, spec
from generator.domain.models import Announcement, RegistryConfig, RiskGrade
from generator.domain.vocabulary import ACTION_LABELS, GROUND_LABELS, ROUTE_LABELS
from generator.load.documents import Document
from generator.load.revisions import History
from generator.publish.checked import Checked
from generator.publish.record_views import RecordView, ViewMemo, record_views
from generator.status.stream import StatusChange


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

    def research_entry(self, r: RecordView) -> RecordView | None:
        """The guidance entry approval `r` grew from: its research stage, whose status says whether
        a study of the technology can be filed (界定指导原则 二); None for other kinds."""
        return self.records.get(r.model.guidance_entry) if r.kind == "approved" else None

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
    memo: ViewMemo | None = None,
) -> Site:
    """Assemble the published view; `reg` must be valid (no problems). The keyword arguments are
    what a shell knows and the data does not (publish/pipeline.py `Settings`); `memo`: the
    preview's last record views (publish/record_views.py)."""
    assert reg.config is not None and reg.grades is not None
    grades = {g.id: g for g in reg.grades.grades}
    categories = {c.id: c.name for c in reg.config.categories}
    records = record_views(reg, categories, grades, memo)
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


def base_path(site_url: str | None) -> str:
    """The site's path on its host (`/` or `/sub/`): Pagefind's base URL and the 404 page's links,
    which must work at any address."""
    path = urlsplit(site_url).path if site_url else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def chrome_values(site: Site, site_url: str | None) -> dict[str, Any]:
    """What every page's chrome prints, whichever engine draws it (the Material overrides read it
    as `config.extra.registry`, the plain engine's templates as `site`)."""
    return {
        "base": base_path(site_url),
        # the record kinds' sections, as the 404 page lists them (domain/kinds.py)
        "sections": [(s.label, f"{s.folder}/") for s in SPECS],
        # search lists the authority's technologies first, then the kinds institutions file
        # (research projects, named by no announcement), then announcements (assets/search.js)
        "search_later": [s.label for s in SPECS if not s.announced],
        "title": site.config.title,
        "authority": site.config.authority,
        "disclaimer": site.config.disclaimer,
        "as_of": site.as_of.isoformat(),
        "has_sample": site.has_sample,
        "data_version": site.data_version,
        "site_info": site.config.site_info.model_dump(),
        "domain": urlsplit(site_url or "").hostname or "",
    }
