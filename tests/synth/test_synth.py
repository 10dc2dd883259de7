"""`registry synth`: the synthetic registry is valid, mixed, deterministic and covers every status."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.domain.kinds import FIRST_ACTION
from generator.publish.pipeline import check_registry
from generator.synth.plan import calendar, split_counts
from generator.synth.write import write_synthetic
from generator.validate.entries import Registry

AS_OF = date(2026, 11, 23)
FAR = date(2035, 1, 1)  # every exclusive period of the synthetic approvals has ended by then
COUNT = 300


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("synth") / "data"
    return root, write_synthetic(root, COUNT, seed=1)


@pytest.fixture(scope="module")
def reg(synth_dir: tuple[Path, int]) -> Registry:
    return check_registry(synth_dir[0], AS_OF)


@pytest.fixture(scope="module")
def reg_far(synth_dir: tuple[Path, int]) -> Registry:
    return check_registry(synth_dir[0], FAR)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_valid(reg: Registry, reg_far: Registry) -> None:
    assert [p.text() for p in reg.problems] == []
    assert [p.text() for p in reg_far.problems] == []


def test_kinds_mix_and_file_count(synth_dir: tuple[Path, int], reg: Registry) -> None:
    root, written = synth_dir
    kinds = Counter(e.kind for e in reg.records.values())
    assert kinds == {"guidance": 153, "approved": 76, "banned": 26, "research": 45}
    assert set(reg.conditions) == {rid for rid, e in reg.records.items() if e.kind == "approved"}
    n_ann = len(reg.announcements)
    assert 300 // 20 <= n_ann <= 400 // 5  # announcements of about 5 to 20 actions
    assert written == len(_files(root)) == COUNT + 76 + n_ann + 2


def test_every_file_is_sample(synth_dir: tuple[Path, int]) -> None:
    for rel, raw in _files(synth_dir[0]).items():
        assert re.search(rb"^sample: true$", raw, re.M), rel


def test_deterministic(tmp_path: Path, synth_dir: tuple[Path, int]) -> None:
    again = tmp_path / "again"
    write_synthetic(again, COUNT, seed=1)
    assert _files(again) == _files(synth_dir[0])
    other = tmp_path / "other"
    write_synthetic(other, COUNT, seed=2)
    assert _files(other) != _files(synth_dir[0])


def test_ids_and_dates(reg: Registry) -> None:
    anns = sorted(reg.announcements.values(), key=lambda e: e.model.id)
    dates = [e.model.date for e in anns]
    assert dates == sorted(dates)
    assert dates[0] == date(2026, 5, 15)
    for e in anns:
        assert e.model.id.startswith(f"ANN-{e.model.date.year}-")
        assert e.model.number.startswith(f"国家卫生健康委公告 {e.model.date.year}年第")
    embargoed = sum(d > AS_OF for d in dates)
    assert 1 <= embargoed <= max(2, len(dates) // 10)  # about 5 %
    # every record is named; first actions are list / approve / ban; BMT year never before approval
    first: dict[str, tuple[str, date]] = {}
    for e in anns:
        for act in e.model.actions:
            first.setdefault(act.record, (act.action, e.model.date))
    announced = {rid for rid, e in reg.records.items() if e.kind != "research"}
    assert set(first) == announced
    for rid, (action, day) in first.items():
        assert action == FIRST_ACTION[reg.records[rid].kind], rid
        if rid.startswith("BMT-"):
            assert int(rid[4:8]) >= day.year
    gl = sorted(r for r in reg.records if r.startswith("GL-"))
    assert gl[0] == "GL-0001" and gl[-1] == "GL-0153"
    cr = sorted(r for r in reg.records if r.startswith("CR-"))
    assert cr[0] == "CR-2026-0001" and len(cr) == 45  # numbered within the year of filing


def test_statuses_cover_every_code(reg: Registry, reg_far: Registry) -> None:
    assert reg.replay is not None and reg_far.replay is not None
    now = Counter(s.code for s in reg.replay.statuses.values() if s is not None)
    # No `open` yet on 2026-11-23: the first announcement is of 2026-05-15 and the shortest 限定期
    # (low risk, 1 year) ends no earlier than 2027-05-15; an early `open` is illegal (规范 第二十条).
    for code in ("listed", "delisted", "restricted", "suspended", "banned"):
        assert now[code] > 0, (code, now)
    assert any(reg.replay.emergencies.values())  # emergency use overlay, still in force
    far = Counter(s.code for s in reg_far.replay.statuses.values() if s is not None)
    for code in ("listed", "delisted", "restricted", "open", "suspended", "banned"):
        assert far[code] > 0, (code, far)
    kinds = Counter(st.ban_kind for st in reg_far.replay.states.values() if st.ban_kind)
    assert set(kinds) == {"reevaluation", "announcement", "delisting", "outright"}, kinds
    later = reg_far.replay.statuses.values()
    assert any(s is not None and s.code == "open" and s.announcement is None for s in later)
    assert any(s is not None and s.code == "open" and s.announcement for s in later)
    routes = {
        ev.fields["route"]
        for st in reg_far.replay.states.values()
        for ev in st.timeline
        if ev.action == "delist"
    }
    assert routes == {"direct", "after_review"}
    grades = {st.risk_grade for st in reg_far.replay.states.values() if st.risk_grade}
    assert grades == {"high", "medium", "low"}
    actions = {ev.action for st in reg_far.replay.states.values() for ev in st.timeline}
    assert actions >= {"list", "delist", "retain", "emergency_use", "approve", "open"}
    assert actions >= {"suspend", "resume", "ban", "amend"}


def test_conditions_versions(reg: Registry) -> None:
    versioned = [vs for vs in reg.condition_versions.values() if len(vs) > 1]
    assert versioned  # amend announcements publish second versions
    assert len(reg.condition_versions) == sum(e.kind == "approved" for e in reg.records.values())


def test_names_and_links(reg: Registry) -> None:
    approved = [e.model for e in reg.records.values() if e.kind == "approved"]
    assert all(m.guidance_entry for m in approved)  # required (规范 第三条)
    assert any(m.aliases for e in reg.records.values() for m in [e.model])
    assert any(e.kind == "banned" for e in reg.records.values())
    texts = [m.summary or "" for m in approved]
    assert any("|---|" in t for t in texts)  # Markdown tables occur


def test_small_counts(tmp_path: Path) -> None:
    for n in (1, 2, 3, 7):
        root = tmp_path / str(n)
        write_synthetic(root, n, seed=n)
        result = check_registry(root, AS_OF)
        assert [p.text() for p in result.problems] == [], n
        assert len(result.records) == n


def test_limits_for_large_counts() -> None:
    gl, bmt, ban, cr = split_counts(200_000)
    assert gl == ban == cr == 9999 and bmt == 200_000 - 3 * 9999
    assert split_counts(10_000) == (5100, 2550, 850, 1500)  # research 15 %, the rest 60 : 30 : 10
    dates = calendar(5000)
    assert dates == sorted(dates)
    assert max(Counter(d.year for d in dates).values()) <= 999
    small = calendar(40)
    assert sum(d > AS_OF for d in small) == 2
