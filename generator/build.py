"""Atomic site builds: MkDocs writes into a temporary directory that replaces `site/` only on success.

The temporary tree is a sibling, `.site.building-<pid>`; a build that was killed leaves it behind,
so every build first removes the trees of builds whose process no longer runs. The swap leaves no
moment without a `site/`: on Linux `renameat2(RENAME_EXCHANGE)` exchanges the two directories in
one step; elsewhere (or on a file system without it) the old tree is renamed away and the new one
renamed in, two renames in a row.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from mkdocs.exceptions import Abort, PluginError

from .errors import Problem

INVALID_PREFIX = "数据校验未通过"


class RegistryInvalid(PluginError):
    """The data did not validate; carries every problem (raised by the plugin in on_config).

    A PluginError, so that plain `mkdocs build` prints the list and exits 1 without a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(p.text() for p in problems)
        super().__init__(f"{INVALID_PREFIX}，共 {len(problems)} 个错误：\n{lines}")
        self.problems = problems


@contextmanager
def registry_env(data_dir: Path | None, as_of: date | None) -> Iterator[None]:
    """Pass --data and --as-of to the plugin, which MkDocs instantiates itself."""
    saved = {
        k: os.environ.get(k) for k in ("REGISTRY_DATA", "REGISTRY_AS_OF", "NO_MKDOCS_2_WARNING")
    }
    if data_dir is not None:
        os.environ["REGISTRY_DATA"] = str(data_dir.resolve())
    if as_of is not None:
        os.environ["REGISTRY_AS_OF"] = as_of.isoformat()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _DropValidationReport(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Our CLI reports validation problems and failures itself, each once, in Chinese.
        msg = str(record.msg)
        return not (msg.startswith(INVALID_PREFIX) or msg.startswith("Error building page"))


@contextmanager
def _quiet_validation_log() -> Iterator[None]:
    """Our CLI prints the problems itself; MkDocs' own log line would repeat all of them."""
    logger = logging.getLogger("mkdocs.commands.build")
    flt = _DropValidationReport()
    logger.addFilter(flt)
    try:
        yield
    finally:
        logger.removeFilter(flt)


def build(
    config_file: Path, site_dir: Path, data_dir: Path | None = None, as_of: date | None = None
) -> None:
    """Build into a sibling temporary directory, then swap it in; on any failure `site_dir` is untouched."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site_dir = site_dir.resolve()
    tmp = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    remove_stale_trees(site_dir)
    shutil.rmtree(tmp, ignore_errors=True)
    config = None
    try:
        with registry_env(data_dir, as_of), _quiet_validation_log():
            config = load_config(str(config_file), site_dir=str(tmp))
            mkdocs_build(config)
    except Abort:
        shutil.rmtree(tmp, ignore_errors=True)
        # MkDocs turns our PluginError into a bare Abort; hand the problems back to the caller.
        plugin = config.plugins.get("registry") if config is not None else None
        if plugin is not None and getattr(plugin, "problems", None):
            raise RegistryInvalid(plugin.problems) from None
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        swap_in(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_STALE = re.compile(r"^\.(?P<name>.+)\.(?:building|old)-(?P<pid>\d+)$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: running
    return True


def remove_stale_trees(site_dir: Path) -> list[Path]:
    """Remove `.site.building-<pid>` / `.site.old-<pid>` left by builds that no longer run."""
    removed = []
    parent = site_dir.parent
    if not parent.is_dir():
        return removed
    for entry in os.scandir(parent):
        m = _STALE.match(entry.name)
        if not m or m["name"] != site_dir.name or _alive(int(m["pid"])):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
        removed.append(Path(entry.path))
    return removed


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # old kernel or a file system without RENAME_EXCHANGE
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, site_dir: Path) -> None:
    """Put the finished tree `new` at `site_dir`; the previous site is removed afterwards."""
    if not site_dir.exists() and not site_dir.is_symlink():
        new.rename(site_dir)
        return
    if _exchange(new, site_dir):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    site_dir.rename(old)
    new.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def serve(config_file: Path, data_dir: Path | None, as_of: date | None, addr: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    with registry_env(data_dir, as_of):
        mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=addr)
