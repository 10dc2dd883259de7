"""Atomic site builds: the engine writes into a temporary directory that replaces `site/` only on
success (MkDocs here; the plain engine, shells/plain.py, uses the same swap and checks).

The temporary tree is a sibling, `.site.building-<pid>`; a build that was killed leaves it behind,
so every build first removes the trees of builds whose process no longer runs. The swap leaves no
moment without a `site/`: on Linux `renameat2(RENAME_EXCHANGE)` exchanges the two directories in
one step; elsewhere (or on a file system without it) the old tree is renamed away and the new one
renamed in, two renames in a row. The previous site is then deleted by a detached process
(`remove_later`), so that `registry build` returns as soon as the new site is in place.

Importing this module does not import MkDocs (the plain engine must run without it): MkDocs is
imported inside the functions that drive it, and the errors here are our own; the plugin raises
them as MkDocs' PluginError too (mkdocs_plugin.py `PluginInvalid`, `PluginSiteDirRefused`).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.domain.errors import Problem
from generator.load.files import site_dir_fault
from generator.outputs.writer import alive
from generator.shells.engine_guard import check_built_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

INVALID_PREFIX = "数据校验未通过"


class RegistryInvalid(Exception):
    """The data did not validate; carries every problem (raised by the plugin in on_config, as a
    PluginError too, so that plain `mkdocs build` prints the list and exits 1 without a traceback).
    """

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(p.text() for p in problems)
        super().__init__(f"{INVALID_PREFIX}，共 {len(problems)} 个错误：\n{lines}")
        self.problems = problems


def point_plugin(
    config: Any, data_dir: Path | None, as_of: date | None, base: str | None = None
) -> Any:
    """Hand --data, --as-of and `serve`'s --base to the registry plugin of a loaded MkDocs config
    (the plugin reads them from its own options, exactly as if mkdocs.yml had set them)."""
    from mkdocs.exceptions import PluginError

    plugin = config.plugins.get("registry")
    if plugin is None:
        raise PluginError("mkdocs.yml 未启用 registry 插件（plugins: - registry）")
    if data_dir is not None:  # absolute, never resolved: the plugin checks it for links itself
        plugin.config.data_dir = str(Path.cwd() / data_dir)
    if as_of is not None:
        plugin.config.as_of = as_of.isoformat()
    if base is not None:  # resolved and checked by `registry serve` (shells/preview_guard.py)
        plugin.config.base = base
    return config


@contextmanager
def _no_mkdocs_2_warning() -> Iterator[None]:
    """MkDocs 1.6 prints a notice about MkDocs 2.0 on every run; docs/dependencies.md covers it."""
    saved = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("NO_MKDOCS_2_WARNING", None)
        else:
            os.environ["NO_MKDOCS_2_WARNING"] = saved


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
    """Build into a sibling temporary directory, then swap it in; on any failure `site_dir` is
    untouched. `SiteDirRefused` before anything is written for a site dir that must not be."""
    from mkdocs.config import load_config

    given, site_dir = site_dir, Path(os.path.abspath(site_dir))  # never resolved: a link is refused
    with _no_mkdocs_2_warning(), _quiet_validation_log():
        tmp = str(building_dir(site_dir))
        config = point_plugin(load_config(str(config_file), site_dir=tmp), data_dir, as_of)
        check_site_dir(given, config)  # before anything is written or removed
        build_atomically(site_dir, lambda _tmp: _mkdocs_build(config))


def _mkdocs_build(config: Any) -> None:
    """MkDocs' build; MkDocs turns our PluginError into a bare Abort: the problems are handed
    back to the caller."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort

    try:
        mkdocs_build(config)
    except Abort:
        plugin = config.plugins.get("registry")
        if plugin is not None and getattr(plugin, "problems", None):
            raise RegistryInvalid(plugin.problems) from None
        raise


def building_dir(site_dir: Path) -> Path:
    """The temporary sibling a build writes into: `.site.building-<pid>`."""
    return site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")


def build_atomically(site_dir: Path, make: Callable[[Path], None]) -> None:
    """`make(tmp)` writes a whole site into a temporary sibling, checked (engine_guard.py) and
    swapped in; on any failure `site_dir` is untouched (both engines' builds)."""
    site_dir = Path(os.path.abspath(site_dir))
    tmp = building_dir(site_dir)
    try:
        remove_stale_trees(site_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        make(tmp)
        check_built_site(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        swap_in(tmp, site_dir, later=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_STALE = re.compile(r"^\.(?P<name>.+)\.(?:building|old|search)-(?P<pid>\d+)$")


def remove_stale_trees(site_dir: Path) -> list[Path]:
    """Remove `.site.building-<pid>` / `.site.old-<pid>` left by builds that no longer run."""
    removed = []
    parent = site_dir.parent
    if not parent.is_dir():
        return removed
    for entry in os.scandir(parent):
        m = _STALE.match(entry.name)
        if not m or m["name"] != site_dir.name or alive(int(m["pid"])):
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


def swap_in(new: Path, site_dir: Path, later: bool = False) -> None:
    """Put the finished tree `new` at `site_dir`; the previous site is removed afterwards, by a
    process of its own when `later` (the command need not wait for it)."""
    if not site_dir.exists() and not site_dir.is_symlink():
        new.rename(site_dir)
        return
    if _exchange(new, site_dir):
        old = new  # `new` now holds the previous site
    else:
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        site_dir.rename(old)
        new.rename(site_dir)
    if not (later and remove_later(old, site_dir)):
        shutil.rmtree(old, ignore_errors=True)


_REMOVER = (
    "import shutil, sys; p = sys.stdin.readline().rstrip('\\n'); p and shutil.rmtree(p, True)"
)


def remove_later(tree: Path, site_dir: Path) -> bool:
    """Hand `tree` (a previous site) to a detached process that deletes it: 60,000 files took
    5 s here, time a rebuild need not wait for. The tree is first renamed `.site.old-<its pid>`,
    so no build removes it while that process runs and the next build does if it died.
    False when this cannot be done: the caller deletes it then."""
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _REMOVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not ended by the terminal's Ctrl-C after we return
        )
    except OSError:
        return False
    assert child.stdin is not None
    target = site_dir.with_name(f".{site_dir.name}.old-{child.pid}")
    try:
        tree.rename(target)
    except OSError:
        child.stdin.close()  # an empty line: it exits without deleting anything
        return False
    try:
        child.stdin.write(os.fsencode(target) + b"\n")
        child.stdin.close()
    except OSError:  # it is gone already: the new site is in place, delete the old one here
        shutil.rmtree(target, ignore_errors=True)
    return True


class SiteDirRefused(Exception):
    """A site directory a build must not replace and delete; nothing was written."""


def check_site_dir(site_dir: Path, config: MkDocsConfig) -> None:
    """SiteDirRefused for a site dir that is a symlink or lies through one in the project, that is
    or holds the data, `docs_dir` or the project root, or lies inside the data or `docs_dir`
    (load/files.py `site_dir_fault`; the project is the folder of mkdocs.yml)."""
    project = Path(os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml")))
    plugin = config.plugins.get("registry")
    data_dir = getattr(getattr(plugin, "config", None), "data_dir", None)
    data = project / data_dir if isinstance(data_dir, str) else None
    refuse_site_dir(site_dir, project, data, Path(config.docs_dir))


def refuse_site_dir(site_dir: Path, project: Path, data: Path | None, docs: Path) -> None:
    """SiteDirRefused unless `site_dir` may be replaced (any engine: the checks above)."""
    keep = {"记录目录": data, "docs_dir": docs}
    fault = site_dir_fault(Path.cwd() / site_dir, project, keep)
    if fault is not None:
        raise SiteDirRefused(
            f"网站目录 {site_dir} {fault}；构建会整体替换并删除网站目录原有的内容，"
            "未写入也未删除任何文件。请用 --site-dir（或 mkdocs.yml 的 site_dir）"
            "指定项目中单独的目录，例如默认的 site/"
        )
