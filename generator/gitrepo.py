"""Git plumbing shared by history, guard and diff: where the data lives in its repository, running
git without a shell, and materialising the data directory as it was at some revision.

The data directory may be `data/` inside the project repository (the normal case) or any directory
inside any repository; `locate` finds the repository with `git -C DIR rev-parse` and the directory's
path inside it, so that every git command can be limited to that path.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Record directories whose files make up a record's history (conditions belong to their record).
HISTORY_DIRS = ("guidance-list", "approved", "banned", "conditions")
# Directories the guard protects: records, and announcements (append-only once published).
GUARDED_DIRS = (*HISTORY_DIRS, "announcements")


# Settings a user's configuration could change and our parsing relies on (a root commit's files
# listed as added, no signatures or colours in `git log`, paths not quoted).
_CONFIG = [
    *("-c", "core.quotePath=false"),
    *("-c", "log.showRoot=true"),
    *("-c", "log.showSignature=false"),
    *("-c", "color.ui=never"),
]


class GitError(Exception):
    """Git is missing, the directory is not in a repository, or a revision does not exist."""


@dataclass(frozen=True)
class Repo:
    top: Path  # the work tree's top level
    prefix: str  # the data directory's path inside it, "" or ending in "/"
    shallow: bool
    has_head: bool  # False in a repository without commits

    def pathspecs(self, dirs: tuple[str, ...]) -> list[str]:
        return [f"{self.prefix}{d}" for d in dirs]


def git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run `git ARGS` in `cwd` and return its stdout; GitError on failure or without git."""
    try:
        result = subprocess.run(
            ["git", "--literal-pathspecs", *_CONFIG, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError as exc:  # git is not installed
        raise GitError(f"无法运行 git：{exc.strerror}") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(detail[-1] if detail else f"git {args[0]} 失败")
    return result.stdout


def popen(args: list[str], cwd: Path, **kw: Any) -> subprocess.Popen[bytes]:
    """Start `git ARGS` for streaming (stderr discarded; check the return code when done)."""
    try:
        return subprocess.Popen(
            ["git", "--literal-pathspecs", *_CONFIG, *args],
            cwd=cwd,
            stderr=subprocess.DEVNULL,
            **kw,
        )
    except OSError as exc:
        raise GitError(f"无法运行 git：{exc.strerror}") from None


def locate(data_dir: Path) -> Repo | None:
    """The repository holding `data_dir`, or None (no git, or not inside a work tree)."""
    try:
        out = git(
            ["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"],
            data_dir,
        )
    except GitError:
        return None
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3:
        return None
    top, prefix, shallow = lines[0], lines[1], lines[2]
    try:
        git(["rev-parse", "--verify", "--quiet", "HEAD"], data_dir)
        has_head = True
    except GitError:
        has_head = False
    return Repo(Path(top), prefix, shallow.strip() == "true", has_head)


def verify_ref(repo: Repo, ref: str) -> str:
    """Full hash of the commit `ref` names; GitError with a message for people otherwise."""
    if ref.startswith("-"):
        raise GitError(f"“{ref}” 不是 git 版本名")
    try:
        return (
            git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo.top)
            .decode()
            .strip()
        )
    except GitError:
        hint = "；CI 中请用 fetch-depth: 0 检出完整历史" if repo.shallow else ""
        raise GitError(f"找不到 git 版本 “{ref}”{hint}") from None


def require_repo(data_dir: Path) -> Repo:
    repo = locate(data_dir)
    if repo is None:
        raise GitError(
            f"{data_dir} 不在 git 仓库中（或没有安装 git）；--base 和 diff 需要 git 历史"
        )
    return repo


@contextmanager
def materialise(data_dir: Path, ref: str) -> Iterator[Path]:
    """A temporary copy of `data_dir` as it was at `ref` (empty when it did not exist there).

    `git archive REF:PREFIX` writes only the data directory; nothing in the work tree, the index or
    the repository is touched.
    """
    repo = require_repo(data_dir)
    commit = verify_ref(repo, ref)
    tmp = Path(tempfile.mkdtemp(prefix="registry-rev-"))
    try:
        root = tmp / "data"
        root.mkdir()
        tree = f"{commit}:{repo.prefix.rstrip('/')}" if repo.prefix else commit
        try:
            raw = git(["archive", "--format=tar", tree], repo.top)
        except GitError:
            raw = b""  # the directory did not exist at `ref`
        if raw:
            with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
                tar.extractall(root, filter="data")
        yield root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
