"""The preview's record views (publish/record_views.py `ViewMemo`): after each edit, the views of
a publish() that reuses the last run's are those of a fresh publish(), and a view is reused (the
very same object) exactly where nothing it is made of changed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.publish.pipeline import Memo, Settings, check_registry, publish
from generator.publish.record_views import ViewMemo, record_views
from generator.publish.views import Site
from generator.synth.write import write_synthetic

AS_OF = date(2026, 11, 23)
PLAIN = Settings(history=False)


class Session:
    """One registry published again after each edit, as `registry serve` does."""

    def __init__(self, root: Path) -> None:
        self.root, self.memo = root, Memo()
        self.site = self._publish()

    def _publish(self) -> Site:
        report, site = publish(self.root, AS_OF, PLAIN, self.memo)
        assert report.valid and site is not None, report.problems[:3]
        _, fresh = publish(self.root, AS_OF, PLAIN)
        assert fresh is not None
        assert site.records == fresh.records
        return site

    def edit(self, rel: str, pattern: str, new: str) -> set[str]:
        """Rewrite the first match of `pattern` in a file; the ids of the views made again."""
        path = self.root / rel
        text, n = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=1, flags=re.M)
        assert n == 1, pattern
        path.write_text(text, encoding="utf-8")
        before, self.site = self.site, self._publish()
        return {rid for rid, v in self.site.records.items() if before.records.get(rid) is not v}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    root = tmp_path_factory.mktemp("views") / "data"
    write_synthetic(root, 300, seed=2)
    return Session(root)


def _first(root: Path, folder: str, has: str = "") -> str:
    found = sorted(p for p in (root / folder).glob("*.yaml") if has in p.read_text("utf-8"))
    return f"{folder}/{found[0].name}"


def test_a_records_own_text_remakes_its_view_alone(session: Session) -> None:
    rel = _first(session.root, "approved")
    rid = Path(rel).stem
    assert session.edit(rel, r'^name: "', 'name: "改名') == {rid}


def test_conditions_remake_their_technologys_view(session: Session) -> None:
    rel = _first(session.root, "conditions", "management:")
    assert session.edit(rel, r"^management:\n  - \"", 'management:\n  - "新增') == {Path(rel).stem}


def test_an_entrys_file_remakes_the_projects_filed_under_it(session: Session) -> None:
    rel = _first(session.root, "research")
    entry = re.search(r"^guidance_entry: (\S+)", (session.root / rel).read_text("utf-8"), re.M)
    assert entry is not None
    filed = {
        rid
        for rid, v in session.site.records.items()
        if v.kind == "research" and v.model.guidance_entry == entry.group(1)
    }
    remade = session.edit(f"guidance-list/{entry.group(1)}.yaml", r'^name: "', 'name: "改名')
    assert remade == {entry.group(1), *filed}


def test_an_announcement_remakes_the_records_its_replay_reaches(session: Session) -> None:
    rel = _first(session.root, "announcements", "action: approve")
    ann = session.root / rel
    named = set(re.findall(r"^    record: (\S+)", ann.read_text("utf-8"), re.M))
    remade = session.edit(rel, r'^title: "', 'title: "改题')
    assert named <= remade  # their timelines show the title
    assert len(remade) < len(session.site.records)  # the records before its date are kept
    day = re.search(r"^date: (\S+)", ann.read_text("utf-8"), re.M)
    assert day is not None
    moved = session.edit(rel, r"^date: \S+", f"date: {date.fromisoformat(day.group(1))}")
    assert moved == set()  # the same date written again: the same replay, the same views


def test_a_shared_name_remakes_every_view(session: Session) -> None:
    # (an edit of registry.yaml or risk-grades.yaml reads every file again anyway)
    reg = check_registry(session.root, AS_OF)
    site, memo = session.site, ViewMemo()
    first = record_views(reg, site.categories, site.grades, memo)
    again = record_views(reg, site.categories, site.grades, memo)
    assert all(again[rid] is v for rid, v in first.items())
    renamed = {k: f"{v}类" for k, v in site.categories.items()}
    third = record_views(reg, renamed, site.grades, memo)
    assert not any(third[rid] is v for rid, v in first.items())
    assert all(v.category_name.endswith("类") for v in third.values())
