"""Files no page depends on (per-record API files, the check index, feeds, OpenAPI, redirects),
written straight into the site directory, in a second process while MkDocs renders the pages.

The machine has two cores and MkDocs renders on one: forking after the registry is loaded lets
the other core write these files meanwhile (measured at 10,000 records: about 6 s of the build).
Where forking is unsafe (`mkdocs serve` runs a web server thread) or unavailable, the same
function runs in-process. Either way `wait()` is called before Pagefind and raises on failure.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Files = Callable[[], Iterable[tuple[str, bytes]]]


class OutputError(RuntimeError):
    """Writing our files failed (disk full, read-only …): one Chinese line, no traceback; the
    shells turn it into their engine's error (the MkDocs plugin: a PluginError)."""


_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._~+\-]*", re.ASCII)
# the one hidden folder a site has (RFC 8615: security.txt); nothing else hidden, at any depth
WELL_KNOWN = ".well-known"


def confined(site_dir: Path, path: str) -> Path:
    """`site_dir / path`, refusing any path that could leave the site directory: absolute,
    `..`, `.`, empty or hidden segments, backslashes, NUL or anything outside plain ASCII names.
    Validation already refuses such paths (E314); this is the last line, not the only one.
    The one exception is `.well-known/` as the first folder (never a file of that name)."""
    parts = path.split("/")
    names = parts[1:] if len(parts) > 1 and parts[0] == WELL_KNOWN else parts
    if not names or not all(_SEGMENT.fullmatch(p) for p in names):
        raise ValueError(f"拒绝写入站点目录以外或不安全的路径：{path!r}")
    return site_dir.joinpath(*parts)


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes]]) -> None:
    for path, content in files:
        target = confined(site_dir, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def make_dirs(site_dir: Path, paths: Iterable[str]) -> None:
    """The folders of `paths` (files to be written later), made in the order given."""
    made: set[Path] = set()
    for path in paths:
        folder = confined(site_dir, path).parent
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)


def _child(site_dir: Path, make: Files, errors: Any, nice: int) -> None:
    _die_with_parent()
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    try:
        write_files(site_dir, make())
    except BaseException as exc:  # hand one line to the parent, which fails the build with it
        errors.put(describe_failure(exc))
        sys.exit(1)


def describe_failure(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        what = exc.strerror or "文件系统错误"
        return f"{what}{f'：{exc.filename}' if exc.filename else ''}"
    return f"{type(exc).__name__}: {exc}"


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when the parent dies (even by SIGKILL), so an
    interrupted build leaves no orphan writing into a directory that is being removed."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != PARENT_PID:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1
PARENT_PID = os.getpid()


class SideWriter:
    """Writes `make()`'s files into `site_dir`, in a forked process when `background`.

    The child dies with the parent (PR_SET_PDEATHSIG on Linux), and `cancel()` (called when the
    build fails anywhere) ends it, so no build leaves a process behind.
    """

    def __init__(self, site_dir: Path, make: Files, background: bool, nice: int = 0) -> None:
        """`nice`: lower the child's priority by this much (work that is not on the critical path
        yields the cores to the work that is)."""
        global PARENT_PID
        self.process = None
        if background and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self.errors = ctx.SimpleQueue()
            PARENT_PID = os.getpid()
            self.process = ctx.Process(
                target=_child, args=(site_dir, make, self.errors, nice), daemon=True
            )
            self.process.start()
        else:
            write_files(site_dir, make())

    def wait(self) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            detail = self.errors.get() if not self.errors.empty() else ""
            code = self.process.exitcode
            self.process = None
            raise OutputError(
                f"生成 API、订阅与重定向文件失败（{detail or f'子进程退出码 {code}'}）"
            )
        self.process = None

    def cancel(self) -> None:
        """End the child now (the build failed elsewhere); safe to call more than once."""
        if self.process is None:
            return
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.process = None


def alive(pid: int) -> bool:
    """Is process `pid` still running? (This process counts as running.)"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: running
    return True
