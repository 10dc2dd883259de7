"""SiteFiles' scratch directory: private, and nothing left behind by a build that was killed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.outputs import assemble


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_builds_scratch_in_memory_is_removed_by_the_next(tmp_path: Path) -> None:
    if not assemble.SHM.is_dir() or shutil.disk_usage(assemble.SHM).free <= assemble.SHM_SPARE:
        pytest.skip("no tmpfs with room here: the scratch goes beside the site instead")
    stale = assemble.SHM / f"registry-search-{_dead_pid()}-left"
    stale.mkdir()
    (stale / "page.html").write_text("x", encoding="utf-8")
    mine = assemble.scratch_dir(tmp_path / "site")
    try:
        assert not stale.exists()
        assert mine.name.startswith(f"registry-search-{os.getpid()}-")
        assert oct(mine.stat().st_mode & 0o777) == "0o700"
    finally:
        shutil.rmtree(mine, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


def test_without_room_in_memory_the_scratch_is_beside_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assemble, "SHM", tmp_path / "no-such-tmpfs")
    got = assemble.scratch_dir(tmp_path / "site")
    assert got == tmp_path / f".site.search-{os.getpid()}" and got.is_dir()
