"""`registry synth` decides nothing itself (issue 24, "each rule once"): research projects at 15 %
of the records with every status, a 10,000-record registry that `registry validate` passes, and
what synth writes follows a change to the rules in status/ instead of breaking against it."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.publish.pipeline import check_registry
from generator.publish.views import build_site
from generator.status import research, transitions
from generator.status.research import ResearchIssue
from generator.synth.write import write_synthetic

AS_OF = date(2026, 11, 23)  # the as-of synth's calendar is built around (about 5 % after it)
FAR = date(2035, 1, 1)
REGISTRY = Path(sys.executable).parent / "registry"


def _problems(root: Path, as_of: date) -> list[str]:
    return [p.text() for p in check_registry(root, as_of).problems]


def test_research_projects_show_every_status(tmp_path: Path) -> None:
    root = tmp_path / "data"
    write_synthetic(root, 300, seed=1)
    reg = check_registry(root, FAR)
    assert [p.text() for p in reg.problems] == []
    site = build_site(reg, f"{FAR}+t")
    projects = [r for r in site.records.values() if r.kind == "research"]
    assert len(projects) == 45  # 15 % of 300
    now = Counter(r.status.code for r in projects)
    assert len(now) >= 4, now  # a mix at the end, not one status
    # every status a project can be in occurs on some day (status/research.py's intervals)
    ever = Counter(iv.status.code for r in projects for iv in r.intervals)
    codes = ("ongoing", "terminate_required", "ethics_review_required", "completed", "terminated")
    assert set(ever) == set(codes), ever
    events = Counter(ev.event for r in projects for ev in r.model.events)
    assert set(events) == {"completed", "terminated", "ethics_continued"}, events
    for r in projects:  # filed under an entry listed that day (E410 would say otherwise)
        assert reg.records[r.model.guidance_entry].kind == "guidance"
        assert r.model.sample is True


def test_ten_thousand_records_validate_clean_with_research_at_15_percent(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    made = subprocess.run(
        [str(REGISTRY), "synth", "--records", "10000", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    checked = subprocess.run(
        [str(REGISTRY), "validate", "--data", str(out), "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert "全部通过" in checked.stdout + checked.stderr
    folders = ("guidance-list", "approved", "banned", "research")
    counts = {f: sum(1 for _ in (out / f).glob("*.yaml")) for f in folders}
    assert sum(counts.values()) == 10_000
    assert 0.14 <= counts["research"] / 10_000 <= 0.16, counts  # about 15 %


def _no_resume(st: Any, record: str, ev: Any, _c: Any, _s: Any) -> Any:
    return transitions._illegal(st, record, ev, "（测试）规则改为不许 resume")


def test_a_stricter_action_rule_in_status_changes_what_synth_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old generator spelled the action table again (synth_plan._legal) and wrote resumes
    that the changed rule refuses; now status/ refuses them while synth plans, too."""
    monkeypatch.setitem(transitions._TRANSITIONS, "resume", _no_resume)
    root = tmp_path / "data"
    write_synthetic(root, 300, seed=1)
    assert _problems(root, AS_OF) == []
    assert not any("action: resume" in p.read_text("utf-8") for p in root.rglob("ANN-*.yaml"))


def test_a_stricter_research_rule_in_status_changes_what_synth_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's events are kept only when status/research.py accepts them."""
    step = research._step

    def no_ethics_continued(code: str, ev: Any, p: Any, out: Any) -> Any:
        if ev.action == "ethics_continued":
            where = ("events", ev.index, "event")
            out.issues.append(ResearchIssue("E411", where, {"detail": "（测试）不许继续实施"}))
            return None
        return step(code, ev, p, out)

    monkeypatch.setattr(research, "_step", no_ethics_continued)
    root = tmp_path / "data"
    write_synthetic(root, 300, seed=1)
    assert _problems(root, AS_OF) == []
    texts = [p.read_text("utf-8") for p in (root / "research").glob("*.yaml")]
    assert len(texts) == 45 and not any("ethics_continued" in t for t in texts)
