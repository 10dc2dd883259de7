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
