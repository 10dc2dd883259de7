"""The one seam: `publish(data_dir, as_of, settings) → (report, site)`.

Every shell (the MkDocs plugin, the CLI, a test, a future Zensical or plain-Jinja shell) calls
this and nothing below it: load → validate → derive the status → the published view, with its
revision history. The shell then renders `site` (render/) and writes the outputs (outputs/).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.errors import Problem, sort_key
from generator.domain.gc_pause import gc_paused
from generator.load.published import KeyMemo, Published
from generator.load.revisions import History, read_history
from generator.publish.addresses import redirect_problems
from generator.publish.checked import Checked
from generator.publish.record_views import ViewMemo
from generator.publish.version import data_version
from generator.publish.views import Site, build_site, embargo_secrets
from generator.status.derive import ReplayMemo, derive
from generator.validate.cache import FileCache
from generator.validate.registry import validate_registry


@dataclass(frozen=True)
class Settings:
    """What a shell knows and the data does not: where the site lives and its repository."""

    site_url: str = ""
    repo_url: str | None = None
    branch: str = "main"  # for "在 GitHub 上修改" links (repo_url/edit/<branch>/data/…)
    history: bool = True  # read the revision history from git (a checkout without git: none)


@dataclass
class Report:
    """Every problem found, in file order, and what was checked (frictionless-style report)."""

    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def flatten(
        self, keys: tuple[str, ...] = ("file", "line", "code", "message")
    ) -> list[list[Any]]:
        """One row per problem with the given fields (for tables and quick assertions)."""
        return [[p.as_dict()[k] for k in keys] for p in self.problems]


def check_registry(
    root: Path, as_of: date, cache: FileCache | None = None, replays: ReplayMemo | None = None
) -> Checked:
    """Load, validate and replay `root`: each stage's output and every problem found (`cache`
    and `replays`: the preview's files and replay of the last run, validate/cache.py and
    status/derive.py)."""
    # Loading makes ~50 small objects per record and no reference cycles: the cyclic garbage
    # collector only burns time here (measured: 3.3 s → 2.1 s at 10,000 records).
    with gc_paused():
        reg = validate_registry(root, as_of, cache)
        derived = derive(reg, replays)
        found = {*reg.problems, *derived.problems, *redirect_problems(reg)}
    return Checked(reg, derived, sorted(found, key=sort_key))


def report_of(reg: Checked) -> Report:
    kinds = Counter(e.kind for e in reg.records.values())
    stats = {
        "files": reg.files,
        "records": len(reg.records),
        **{f"records.{k}": n for k, n in sorted(kinds.items())},
        "announcements": len(reg.announcements),
        "conditions": len(reg.conditions),
        "problems": len(reg.problems),
    }
    return Report(list(reg.problems), stats)


def published_view(reg: Checked, site: Site, keys: KeyMemo | None = None) -> Published:
    """The published view as the history compares it: the parsed files of the published
    announcements, the published records and the conditions files of the published technologies."""
    anns = {a.id: reg.announcements[a.id].doc.data for a in site.announcements}
    conditions = {
        rid: entry.doc.data for rid, entry in reg.conditions.items() if rid in site.records
    }
    return Published.of(anns, site.records, conditions, keys)


@dataclass
class Memo:
    """What `registry serve` keeps from one run of `publish()` to the next, so that an edit costs
    what it changed: each record file's loaded entry (validate/cache.py), the commits and parsed
    blobs of HEAD (load/revisions.py), the last replay (status/derive.py `ReplayMemo`: reused
    while its input is the same, resumed when only announcements changed), the history walked
    for the last published view and that view's keys (load/published.py `KeyMemo`), and the
    record views (publish/record_views.py `ViewMemo`: made again only where their inputs
    changed). Every check across files and the published view run again on every call."""

    files: FileCache = field(default_factory=FileCache)
    replays: ReplayMemo = field(default_factory=ReplayMemo)
    reads: dict[tuple[str, ...], Any] = field(default_factory=dict)
    walked: Walked | None = None  # the last history and what it was walked for (see _history)
    keys: KeyMemo = field(default_factory=KeyMemo)  # the last published view's keys
    views: ViewMemo = field(default_factory=ViewMemo)  # the last record views


def publish(
    data_dir: Path, as_of: date, settings: Settings = Settings(), memo: Memo | None = None
) -> tuple[Report, Site | None]:
    """Check `data_dir` as of `as_of` and, when it is valid, build the published view.

    The site is None when the report is not valid: nothing is published from invalid data."""
    with gc_paused():  # the published view and the history make no cycles either
        return _publish(data_dir, as_of, settings, memo)


def _publish(
    data_dir: Path, as_of: date, settings: Settings, memo: Memo | None
) -> tuple[Report, Site | None]:
    files, replays = (memo.files, memo.replays) if memo is not None else (None, None)
    reg = check_registry(data_dir, as_of, files, replays)
    report = report_of(reg)
    if not report.valid:
        return report, None
    site = build_site(
        reg,
        data_version(data_dir, reg.as_of),
        site_url=settings.site_url,
        repo_url=settings.repo_url,
        branch=settings.branch,
        data_dir=data_dir,
        memo=memo.views if memo is not None else None,
    )
    if settings.history:
        # one git log, one cat-file. A revision shows only published text (load/published.py:
        # records while tied to an announcement published today, conditions versions as
        # published), dated no later than the as-of day; one that names anything still under
        # embargo is withheld
        secrets = frozenset(embargo_secrets(reg, site))
        site = replace(site, history=_history(data_dir, reg, secrets, site, memo))
    return report, site


def _history(
    data_dir: Path, reg: Checked, secrets: frozenset[str], site: Site, memo: Memo | None
) -> History:
    """The revision history for the published view, without what names an embargoed item.

    The preview's memo walks it again only when the as-of date or HEAD (both in the data
    version), the embargoed items, or what the published view says about the files the walk met
    changed. The same parsed files (the file cache keeps them while a file is unchanged) are the
    same published view; otherwise the view's answers to the walk's questions are compared (an
    edit of a draft announcement, a file git has never seen, asks nothing new)."""
    if memo is None:
        return read_history(data_dir, published_view(reg, site), site.as_of).without(secrets)
    key = (site.data_version, secrets, frozenset(site.records), *_published_files(reg, site))
    last = memo.walked
    if last is not None and _same_key(last.key, key):
        return last.history
    published = published_view(reg, site, memo.keys)
    if (
        last is not None
        and last.key[:2] == key[:2]  # the same HEAD, as-of date and embargoed items
        and published.answers(*last.history.asked) == last.answers
    ):
        memo.walked = Walked(key, last.answers, last.history)
        return last.history
    history = read_history(data_dir, published, site.as_of, memo.reads)
    memo.walked = Walked(key, published.answers(*history.asked), history.without(secrets))
    return memo.walked.history


@dataclass(frozen=True)
class Walked:
    """The preview's last history: the key it was walked for (see `_same_key`), what the
    published view answered the walk, and the history without the embargoed items."""

    key: tuple[Any, ...]
    answers: tuple[Any, ...]
    history: History


def _published_files(reg: Checked, site: Site) -> tuple[tuple[str, Any], ...]:
    """(id, parsed file) of each published announcement and published conditions file."""
    anns = tuple((a.id, reg.announcements[a.id].doc.data) for a in site.announcements)
    conds = tuple((rid, e.doc.data) for rid, e in reg.conditions.items() if rid in site.records)
    return (*anns, *conds)


def _same_key(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Equal first three parts, then the very same parsed objects (held by the key, so that an
    address is never reused by another file)."""
    if old[:3] != new[:3] or len(old) != len(new):
        return False
    return all(a[0] == b[0] and a[1] is b[1] for a, b in zip(old[3:], new[3:], strict=True))


__all__ = ["History", "Report", "Settings", "check_registry", "publish", "report_of"]
