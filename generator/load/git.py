"""Git plumbing shared by history, guard and diff: where the data lives in its repository, running
git without a shell, and materialising the data directory as it was at some revision.

Nothing in the repository may run a program or change what we read: every file of a revision is
read as the blob git stores (`ls-tree` + `cat-file --batch`), never through `git archive`,
checkout, filters or textconv, which `.gitattributes` (export-ignore, export-subst, filter=) and
`.git/config` (filter drivers, fsmonitor, external diff) could steer. Git runs without the system
configuration and with the environment's GIT_* variables removed, and with settings that would
start a program switched off on the command line (which overrides the repository's config).

The data directory may be `data/` inside the project repository (the normal case) or any directory
inside any repository; `locate` finds the repository with `git -C DIR rev-parse` and the directory's
path inside it, so that every git command can be limited to that path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.domain.kinds import DATA_FOLDERS, FOLDERS

# Record directories whose files make up a record's history (conditions belong to their record).
HISTORY_DIRS = (*FOLDERS.values(), DATA_FOLDERS["conditions"])  # the files with revisions
# Directories the guard protects: records, and announcements (append-only once published).
GUARDED_DIRS = (*HISTORY_DIRS, "announcements")


# Settings a user's configuration could change and our parsing relies on (a root commit's files
# listed as added, no signatures or colours in `git log`, paths not quoted).
_CONFIG = [
    *("-c", "core.quotePath=false"),
    *("-c", "log.showRoot=true"),
    *("-c", "log.showSignature=false"),
    *("-c", "color.ui=never"),
    *("-c", "i18n.logOutputEncoding=UTF-8"),
    *("-c", "log.mailmap=false"),
    # Anything that would start a program from the repository's own configuration:
    *("-c", "core.fsmonitor=false"),
    *("-c", "core.hooksPath=/dev/null"),
    *("-c", "core.untrackedCache=false"),
    *("-c", "diff.external="),
    *("-c", "core.pager=cat"),
    *("-c", "protocol.allow=never"),
]


def git_env() -> dict[str, str]:
    """The environment for git: no GIT_* variable from outside (GIT_DIR, GIT_EXTERNAL_DIFF, …
    would redirect or extend what git does), no system config, never a prompt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if "GIT_CONFIG_GLOBAL" in os.environ:  # the user's own choice of global config is kept
        env["GIT_CONFIG_GLOBAL"] = os.environ["GIT_CONFIG_GLOBAL"]
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_OPTIONAL_LOCKS"] = "0"  # read-only: never take the index lock or refresh it
    return env


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
            ["git", "--literal-pathspecs", "--no-replace-objects", *_CONFIG, *args],
            cwd=cwd,
            env=git_env(),
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
            ["git", "--literal-pathspecs", "--no-replace-objects", *_CONFIG, *args],
            cwd=cwd,
            env=git_env(),
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


REGULAR_MODES = ("100644", "100755")


@dataclass(frozen=True)
class TreeEntry:
    mode: str  # 100644, 100755 (regular), 120000 (symlink), 160000 (submodule)
    sha: str
    path: str  # relative to the data directory


def tree_entries(repo: Repo, commit: str) -> list[TreeEntry]:
    """Every entry git tracks under the data directory at `commit`, as `ls-tree` lists it.

    No attribute, ignore rule or filter changes this list: it is the tree object itself.
    """
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if repo.prefix:
        args += ["--", repo.prefix.rstrip("/")]
    out = []
    for item in git(args, repo.top).split(b"\0"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        mode, _kind, sha = meta.decode().split(" ")
        name = path.decode("utf-8", "surrogateescape")
        if not name.startswith(repo.prefix):
            continue
        out.append(TreeEntry(mode, sha, name[len(repo.prefix) :]))
    return out


def read_blobs(repo: Repo, shas: list[str], limit: int | None = None) -> dict[str, bytes | int]:
    """Blob contents by id, read by `cat-file --batch` (no filters, no textconv).

    A blob larger than `limit` is not read: its size (an int) stands in for the content.
    """
    if not shas:
        return {}
    unique = list(dict.fromkeys(shas))
    sizes: dict[str, int] = {}
    if limit is not None:
        check = git(["cat-file", "--batch-check"], repo.top, ("\n".join(unique) + "\n").encode())
        for line in check.decode().splitlines():
            parts = line.split()
            if len(parts) == 3:
                sizes[parts[0]] = int(parts[2])
    wanted = [s for s in unique if limit is None or sizes.get(s, 0) <= limit]
    out: dict[str, bytes | int] = {s: sizes[s] for s in unique if s not in wanted and s in sizes}
    if not wanted:
        return out
    raw = git(["cat-file", "--batch"], repo.top, ("\n".join(wanted) + "\n").encode())
    pos = 0
    while pos < len(raw):
        end = raw.index(b"\n", pos)
        header = raw[pos:end].split()
        pos = end + 1
        if len(header) < 3:  # "<sha> missing"
            continue
        size = int(header[2])
        out[header[0].decode()] = raw[pos : pos + size]
        pos += size + 1
    return out


def revision_files(data_dir: Path, ref: str, limit: int | None = None) -> dict[str, TreeEntry]:
    """The tracked entries of the data directory at `ref`, by path relative to it."""
    repo = require_repo(data_dir)
    commit = verify_ref(repo, ref)
    return {e.path: e for e in tree_entries(repo, commit)}


@contextmanager
def materialise(data_dir: Path, ref: str) -> Iterator[Path]:
    """A temporary copy of `data_dir` as it was at `ref` (empty when it did not exist there).

    Written from the tree's blobs (never `git archive` or checkout, which attributes steer);
    a tracked symlink is written as a symlink and a submodule as an empty directory, so that
    validation reports them instead of silently not seeing them. Nothing in the work tree, the
    index or the repository is touched.
    """
    repo = require_repo(data_dir)
    commit = verify_ref(repo, ref)
    entries = tree_entries(repo, commit)
    from generator.load.files import MAX_BYTES

    blobs = read_blobs(repo, [e.sha for e in entries if e.mode != "160000"], MAX_BYTES)
    tmp = Path(tempfile.mkdtemp(prefix="registry-rev-"))
    try:
        root = tmp / "data"
        root.mkdir()
        for e in entries:
            _write_entry(root, e, blobs.get(e.sha, b""))
        yield root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_entry(root: Path, e: TreeEntry, content: bytes | int) -> None:
    parts = e.path.split("/")
    if any(p in ("", ".", "..") for p in parts) or "\0" in e.path:
        return  # git never stores such a path; refuse rather than write outside `root`
    target = root.joinpath(*parts)
    for i in range(1, len(parts)):  # never write through a symlink written for another entry
        if root.joinpath(*parts[:i]).is_symlink():
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(target):
        return
    if e.mode == "120000":
        text = content.decode("utf-8", "surrogateescape") if isinstance(content, bytes) else "?"
        target.symlink_to(text)
    elif e.mode == "160000":
        target.mkdir()
    elif isinstance(content, int):  # over the size limit: a sparse file of that size (E101)
        with target.open("wb") as fh:
            fh.truncate(content)
    else:
        target.write_bytes(content)
