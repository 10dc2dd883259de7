"""Files no page depends on (per-record API files, the check index, feeds, OpenAPI, redirects),
written straight into the site directory, in a second process while MkDocs renders the pages.

The machine has two cores and MkDocs renders on one: forking after the registry is loaded lets
the other core write these files meanwhile (measured at 10,000 records: about 6 s of the build).
Where forking is unsafe (`mkdocs serve` runs a web server thread) or unavailable, the same
function runs in-process. Either way `wait()` is called before Pagefind and raises on failure.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from mkdocs.exceptions import PluginError

Files = Callable[[], Iterable[tuple[str, bytes]]]


_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._~+\-]*", re.ASCII)


def confined(site_dir: Path, path: str) -> Path:
    """`site_dir / path`, refusing any path that could leave the site directory: absolute,
    `..`, `.`, empty or hidden segments, backslashes, NUL or anything outside plain ASCII names.
    Validation already refuses such paths (E314); this is the last line, not the only one."""
    parts = path.split("/")
    if not parts or not all(_SEGMENT.fullmatch(p) for p in parts):
        raise ValueError(f"拒绝写入站点目录以外或不安全的路径：{path!r}")
    return site_dir.joinpath(*parts)


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes]]) -> None:
    for path, content in files:
        target = confined(site_dir, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _child(site_dir: Path, make: Files) -> None:
    try:
        write_files(site_dir, make())
    except BaseException:  # report in the build log, then fail the build through the exit code
        traceback.print_exc(file=sys.stderr)
        sys.exit(1)


class SideWriter:
    """Writes `make()`'s files into `site_dir`, in a forked process when `background`."""

    def __init__(self, site_dir: Path, make: Files, background: bool) -> None:
        self.process = None
        if background and "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(
                target=_child, args=(site_dir, make), daemon=True
            )
            self.process.start()
        else:
            write_files(site_dir, make())

    def wait(self) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise PluginError(
                f"生成 API、订阅与重定向文件失败（子进程退出码 {self.process.exitcode}）"
            )
