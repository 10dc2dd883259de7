"""Reading a data file safely: regular files only, never through a link (O_NOFOLLOW), never blocking on a FIFO (O_NONBLOCK), size-limited."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 1024 * 1024

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a symlink is refused, never followed
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in Chinese (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "符号链接"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISDIR(mode):
        return "目录"
    return "特殊文件"


def read_regular(path: Path, limit: int = MAX_BYTES) -> tuple[bytes | None, int, str | None]:
    """(content, size, why not): the bytes of `path` only if it is a regular file.

    Opened with O_NOFOLLOW | O_NONBLOCK and checked with fstat on the open descriptor, so that a
    symlink, FIFO or device swapped in after the directory was listed is still refused and never
    read. A file over `limit` bytes is not read at all (content None, its size given).
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, 0, "符号链接"
        return None, 0, f"无法读取文件：{exc.strerror}"
    try:
        st = os.fstat(fd)
        kind = special_kind(st.st_mode)
        if kind is not None:
            return None, 0, kind
        if st.st_size > limit:
            return None, st.st_size, None
        chunks = []
        remaining = limit + 1
        while remaining > 0 and (chunk := os.read(fd, min(remaining, 1 << 20))):
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
        return (None, len(raw), None) if len(raw) > limit else (raw, len(raw), None)
    except OSError as exc:
        return None, 0, f"无法读取文件：{exc.strerror}"
    finally:
        os.close(fd)


# --- the data root and the site directory ---------------------------------------------------------
# A pull request can commit `data` (or a folder on the way to it) and `site` as symlinks: every
# command would then read, guard or write another directory than the one under review, and a build
# would replace and delete what `site` points to. Both roots are checked here, for every command.


def _components(path: Path, project: Path) -> list[Path]:
    """The paths to lstat: each component of `path` below `project` (every component of a relative
    path, as written, `..` included), or only `path` itself when it lies outside the project."""
    if not path.is_absolute():
        return [project.joinpath(*path.parts[: i + 1]) for i in range(len(path.parts))]
    n = len(project.parts)
    if path.parts[:n] != project.parts or len(path.parts) == n:
        return [path]
    return [Path(*path.parts[: i + 1]) for i in range(n, len(path.parts))]


def link_on_the_way(path: Path, project: Path | None = None) -> Path | None:
    """The first component of `path` inside `project` (default: the working directory) that is a
    symlink, `path` itself included; None when there is none."""
    for part in _components(path, project or Path.cwd()):
        try:
            if stat.S_ISLNK(os.lstat(part).st_mode):
                return part
        except OSError:
            return None  # not there (yet): nothing further down can be a link either
    return None


MISSING = "不存在"


def data_root_fault(path: Path, project: Path | None = None) -> str | None:
    """Why `path` cannot be the data root, in Chinese; None when it is a real directory reached
    through no symlink inside the project (default: the working directory). Follows nothing."""
    full = path if path.is_absolute() else (project or Path.cwd()) / path
    link = link_on_the_way(path, project)
    if link is not None:
        return "是符号链接" if link == full else f"经过符号链接 {link}"
    try:
        mode = os.lstat(full).st_mode
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return f"无法读取（{exc.strerror}）"
    kind = special_kind(mode)
    return None if kind == "目录" else f"是{kind or '普通文件'}，不是目录"


def _within(inner: str, outer: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def site_dir_fault(site_dir: Path, project: Path, keep: dict[str, Path | None]) -> str | None:
    """Why a build must not write (and later delete) `site_dir`, in Chinese; None when it may.

    Refused: a symlink, or a path through a symlink inside `project`; a directory that is or
    contains `project` or any of `keep` (name → path: the data, docs_dir), or lies inside one of
    `keep`. Compared by real paths, so `..` and links outside the project cannot hide it."""
    link = link_on_the_way(site_dir, project)
    if link is not None:
        return "是符号链接" if link == project / site_dir else f"经过符号链接 {link}"
    site = os.path.realpath(project / site_dir)
    for name, other in {"项目根目录": project, **keep}.items():
        if other is None:
            continue
        real = os.path.realpath(project / other)
        if _within(real, site):
            return f"是或包含{name} {other}"
        if name != "项目根目录" and _within(site, real):
            return f"位于{name} {other} 之内"
    return None
