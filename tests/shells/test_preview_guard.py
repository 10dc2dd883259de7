"""The published-content guard in `registry serve` (generator/shells/preview_guard.py): which base
the preview compares with, that the base side is read once per base commit, and that the MkDocs
plugin puts the guard's problems beside the others (the browser test runs a real server:
tests/browser/test_browser_serve_guard.py)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from gitkit import GitRepo

from generator.load.git import GitError
from generator.shells import preview_guard
from generator.shells.cli import main
from generator.shells.preview_guard import PreviewGuard, commit_of, resolve_base

REPO = Path(__file__).resolve().parents[2]
WHEN = "2026-06-01T10:00:00+08:00"


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.commit("导入", WHEN)
    return r


def test_a_given_base_must_name_a_commit(repo: GitRepo) -> None:
    assert resolve_base(repo.data, "main") == "main"
    for bad in ("-x", "--output=/tmp/x", "nope", "main:data", ""):
        with pytest.raises(GitError):
            resolve_base(repo.data, bad)


def test_an_option_like_ref_never_reaches_git_as_an_option(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[list[str]] = []
    monkeypatch.setattr(preview_guard, "git", lambda args, cwd: called.append(args) or b"")
    with pytest.raises(GitError, match="不能以 - 开头"):
        commit_of(repo.data, "--upload-pack=touch /tmp/x")
    assert called == []
    commit_of(repo.data, "main")  # and a real one is read as a revision, nothing else
    assert called[-1] == ["rev-parse", "--verify", "--end-of-options", "main^{commit}"]


def test_the_default_base_is_the_upstream_else_main(repo: GitRepo) -> None:
    assert resolve_base(repo.data, None) == "main"
    repo.git("checkout", "-q", "-b", "change")
    assert resolve_base(repo.data, None) == "main"  # no upstream: main
    repo.git("branch", "-q", "release", "main")
    repo.git("branch", "-q", "--set-upstream-to=release")
    assert resolve_base(repo.data, None) == "release"


def test_without_git_or_main_no_guard_and_one_info_line(
    tmp_path: Path, kit: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    data = kit.make_registry(tmp_path / "plain" / "data")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.registry.guard"):
        assert resolve_base(data, None) is None
    assert [r.levelno for r in caplog.records] == [logging.INFO]
    assert "不检查已发布内容" in caplog.records[0].getMessage()
    other = GitRepo(tmp_path / "other")  # a repository whose branch is not main, no upstream
    other.git("checkout", "-q", "-b", "trunk")
    for rel, text in kit.BASE.items():
        other.write(rel, text)
    other.commit("导入", WHEN)
    assert resolve_base(other.data, None) is None


def test_an_edit_to_a_published_announcement_is_found(repo: GitRepo) -> None:
    guard = PreviewGuard(repo.data, "main")
    assert guard.problems() == []
    repo.replace("announcements/ANN-2026-002.yaml", "某某医院", "另一医院")
    (found,) = guard.problems()
    assert (found.code, found.line, found.path) == ("E503", 11, "actions[0].institutions[0]")
    repo.replace("announcements/ANN-2026-002.yaml", "另一医院", "某某医院")
    assert guard.problems() == []


def test_the_base_side_is_read_once_per_base_commit(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = preview_guard.revision_blobs
    monkeypatch.setattr(
        preview_guard, "revision_blobs", lambda d, ref: reads.append(ref) or real(d, ref)
    )
    guard = PreviewGuard(repo.data, "main")
    for _ in range(3):
        guard.problems()
    repo.replace("approved/BMT-2026-001.yaml", "技术解读。", "技术解读（改）。")
    guard.problems()
    assert len(reads) == 1 and reads[0] == repo.git("rev-parse", "main")
    # the base moves (a fetch, a merge): read again, once
    head = repo.commit("改解读", WHEN)
    guard.problems()
    guard.problems()
    assert reads == [reads[0], head]


def test_unchanged_working_files_are_not_read_again(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.history import guard as guard_module

    opened: list[str] = []
    real = guard_module.read_regular
    monkeypatch.setattr(guard_module, "read_regular", lambda p: opened.append(p.name) or real(p))
    guard = PreviewGuard(repo.data, "main")
    guard.problems()
    first = len(opened)
    assert first == 6  # every guarded file once
    repo.replace("announcements/ANN-2026-002.yaml", "某某医院", "另一医院")
    assert [p.code for p in guard.problems()] == ["E503"]
    assert opened[first:] == ["ANN-2026-002.yaml"]


def test_a_base_that_vanishes_logs_once_and_guards_nothing(
    repo: GitRepo, caplog: pytest.LogCaptureFixture
) -> None:
    repo.git("branch", "-q", "gone", "main")
    guard = PreviewGuard(repo.data, "gone")
    repo.git("branch", "-q", "-D", "gone")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.registry.guard"):
        assert guard.problems() == []
        assert guard.problems() == []
    assert len(caplog.records) == 1 and "找不到 git 版本" in caplog.records[0].getMessage()


def _project(repo: GitRepo) -> Path:
    shutil.copytree(REPO / "site_src", repo.root / "site_src")
    shutil.copy(REPO / "mkdocs.yml", repo.root / "mkdocs.yml")
    return repo.root / "mkdocs.yml"


def test_the_plugin_shows_guard_problems_beside_the_others_when_serving(
    repo: GitRepo, tmp_path: Path
) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from generator.shells.build import point_plugin

    config_file = _project(repo)
    repo.replace("announcements/ANN-2026-002.yaml", "某某医院", "另一医院")  # E503
    repo.replace("approved/BMT-2026-001.yaml", "cell-therapy", "cell-therap")  # E303
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    config = point_plugin(config, repo.data, None, "main")
    # MkDocs keeps plugin instances across configs in one process: say which command this is
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["registry"]
    assert plugin.preview_guard() is None  # `build`: no guard, CI runs `validate --base`
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        with pytest.raises(Abort):
            mkdocs_build(config)
        assert sorted(p.code for p in plugin.problems) == ["E303", "E503"]
        repo.replace("approved/BMT-2026-001.yaml", "cell-therap", "cell-therapy")
        with pytest.raises(Abort):  # valid data, published text changed: still shown
            mkdocs_build(config)
        assert [p.code for p in plugin.problems] == ["E503"]
    finally:
        config.plugins.on_shutdown()


def test_serve_refuses_a_base_that_is_no_commit(repo: GitRepo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _project(repo)
    monkeypatch.chdir(repo.root)
    for bad in ("-main", "nope"):
        result = CliRunner().invoke(main, ["serve", "--base", bad])
        assert result.exit_code == 2, result.output
        assert "--base" in result.output
