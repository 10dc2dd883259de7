"""The published-content guard (history/guard.py, E501–E505) in `registry serve`: an edit to a
published announcement shows its error in the browser as the editor saves, not first in CI.

The preview compares with the branch the change will be merged into: `--base REF` when given,
else the upstream of the current branch, else `main`; without git, or without such a branch, the
preview runs without the guard and says so once in the log.

`PreviewGuard.problems()` is called after every save, so the base side (the published files read
from the base commit, and their announcements parsed) is kept per base commit and only the
working tree is read again (and of it only the files whose lstat changed, guard.py `TreeCache`).
The base ref is resolved to its commit on every call: a `git fetch` that moves the upstream is
seen at the next save.

The ref is user input (the command line, or the name of an upstream): a name starting with `-`
is refused (git would read it as an option), and it is resolved with
`rev-parse --verify --end-of-options REF^{commit}`, which reads it as a revision and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.dates import today_shanghai
from generator.domain.errors import Problem, problem
from generator.history.diff_text import visible
from generator.history.guard import (
    TreeCache,
    announcement_data,
    compare_files,
    revision_blobs,
    tree_files,
)
from generator.load.files import data_root_fault
from generator.load.git import GitError, git, locate
from generator.validate.entries import display_path

log = logging.getLogger("mkdocs.plugins.registry.guard")

DEFAULT_BRANCH = "main"


def commit_of(data_dir: Path, ref: str) -> str:
    """The full hash of the commit `ref` names in the repository of `data_dir`; GitError (a
    message for people) for an option-like name, no repository or no such commit."""
    if not ref or ref.startswith("-"):
        raise GitError(f"“{ref}” 不是 git 版本名（不能以 - 开头）")
    repo = locate(data_dir)
    if repo is None:
        raise GitError(f"{display_path(data_dir)} 不在 git 仓库中（或没有安装 git）")
    try:
        out = git(["rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}"], repo.top)
    except GitError:
        raise GitError(f"找不到 git 版本 “{ref}”") from None
    return out.decode("ascii", "replace").strip()


def upstream_of(data_dir: Path) -> str | None:
    """The upstream of the current branch (`origin/main`), or None (detached, none set, no git)."""
    try:
        out = git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], data_dir)
    except GitError:
        return None
    name = out.decode("utf-8", "replace").strip()
    return name or None


def resolve_base(data_dir: Path, base: str | None) -> str | None:
    """The ref the preview's guard compares with, or None (then the preview runs without it).

    `base` given (`--base`): that ref, which must name a commit (GitError otherwise: the caller
    makes it a usage error). Not given: the upstream of the current branch, else `main`, else
    None with one info line in the log.
    """
    if base is not None:
        commit_of(data_dir, base)  # raises for a name that is not a commit
        return base
    for candidate in (upstream_of(data_dir), DEFAULT_BRANCH):
        if candidate is None:
            continue
        try:
            commit_of(data_dir, candidate)
        except GitError:
            continue
        log.info("预览与 %s 比较已发布的内容（E501–E505）；另选分支请用 --base", visible(candidate))
        return candidate
    log.info(
        "预览不检查已发布内容（E501–E505）：没有 git 仓库，或当前分支没有上游分支且没有 %s 分支；"
        "可用 --base 指定要合并到的分支",
        DEFAULT_BRANCH,
    )
    return None


@dataclass
class _BaseSide:
    """The published files at one base commit, and their announcements parsed on first need."""

    commit: str
    files: dict[str, bytes]
    _announcements: dict[str, dict[str, Any]] | None = field(default=None, repr=False)

    def announcements(self) -> dict[str, dict[str, Any]]:
        if self._announcements is None:
            self._announcements = announcement_data(self.files)
        return self._announcements


class PreviewGuard:
    """E501–E505 of the working tree against `base`, cheap to ask again after every save."""

    def __init__(
        self, data_dir: Path, base: str, today: Callable[[], date] = today_shanghai
    ) -> None:
        self.data_dir = data_dir
        self.base = base
        self.today = today
        self._side: _BaseSide | None = None
        self._tree: TreeCache = {}
        self._failed = ""  # the last git failure, logged once until it changes
        self.base_reads = 0  # how many times the base side was read (tests: once per commit)

    def problems(self) -> list[Problem]:
        """The guard's problems now; none when the base cannot be read (logged once)."""
        shown = display_path(self.data_dir)
        if (fault := data_root_fault(self.data_dir)) is not None:
            return [problem("E114", shown, name=shown, what=fault)]
        try:
            side = self._base_side()
        except GitError as exc:
            self._log_failure(str(exc))
            return []
        self._failed = ""
        head = tree_files(self.data_dir, self._tree)
        return compare_files(
            side.files,
            head,
            self.data_dir,
            self.base,
            self.today(),
            shown,
            base_announcements=side.announcements,
        )

    def _base_side(self) -> _BaseSide:
        commit = commit_of(self.data_dir, self.base)
        if self._side is None or self._side.commit != commit:
            self._side = _BaseSide(commit, revision_blobs(self.data_dir, commit))
            self.base_reads += 1
        return self._side

    def _log_failure(self, text: str) -> None:
        if text != self._failed:
            log.warning("预览暂不检查已发布内容：%s", visible(text))
        self._failed = text
