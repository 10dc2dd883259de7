"""`registry serve`'s builder: the first build is a full MkDocs build; after that an edit to data/
is published again from memory (publish/pipeline.py `Memo`: only changed files are read again,
every check across files runs in full, the replay whenever its input changed), the pages it can have changed are written
(shells/live_site.py `refresh`) and the browsers reload; lists, feeds, API files and the search
index follow in the background (`settle`), and the browsers reload once more.

A full build runs instead whenever the kept pieces cannot show the edit: the first build, a
change outside data/ (mkdocs.yml, site_src/), a new as-of date or HEAD, registry.yaml or
risk-grades.yaml changed, a section or engine page added or removed, or the last build failed.
Errors (and the published-content guard's, shells/preview_guard.py) reach the browser exactly as
from a full build: `problems` is what LiveErrors (preview.py) shows.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.domain.errors import Problem
from generator.domain.gc_pause import gc_paused
from generator.publish.affected import affected
from generator.publish.pipeline import Memo, publish
from generator.publish.views import Site
from generator.shells.build import RegistryInvalid
from generator.shells.live_site import Cancelled, LiveSite

log = logging.getLogger("mkdocs")
SETTLE_NICE = 10
SETTLE_AFTER = 0.3  # seconds between a refresh and the background work


def _inputs(cfg: Any) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file outside data/ that a build reads: mkdocs.yml and docs_dir."""
    out = {}
    paths = [Path(cfg.config_file_path)] if cfg.config_file_path else []
    for folder, _dirs, names in os.walk(cfg.docs_dir):
        paths += [Path(folder) / n for n in names]
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


class LivePreview:
    """The server's `builder`: `build()` after every change the server saw."""

    def __init__(
        self, server: Any, get_config: Callable[[], Any], full: Callable[[Any], None]
    ) -> None:
        self.server = server
        self.get_config = get_config
        self.full = full  # the MkDocs build of a config
        self.memo = Memo()
        self.live: LiveSite | None = None
        self.plugin: Any = None
        self.site: Site | None = None
        self.inputs: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.settling: threading.Thread | None = None
        self.stop = threading.Event()
        self.wanted_full = False

    def build(self, cfg: Any = None) -> None:
        t0 = time.perf_counter()
        self._stop_settling()
        if self.live is not None and not self.wanted_full and cfg is None:
            t1 = time.perf_counter()
            cfg = self.get_config()
            same = _inputs(cfg) == self.inputs
            log.debug(
                "预览：停止后台更新 %.2f 秒，读取配置 %.2f 秒", t1 - t0, time.perf_counter() - t1
            )
            if same and self._incremental():
                return
        self._full(cfg)

    def _full(self, cfg: Any) -> None:
        cfg = cfg if cfg is not None else self.get_config()
        self.live, self.site, self.wanted_full = None, None, False
        self.inputs = _inputs(cfg)
        plugin = cfg.plugins["registry"]
        plugin.memo = self.memo  # the full build fills the memo the next edit reads from
        try:
            self.full(cfg)
        finally:
            self.problems = list(plugin.problems)
        self.plugin, self.site = plugin, plugin.site
        if plugin.files is not None and plugin.files.keep:
            self.live = LiveSite(plugin.files, plugin.raw_sitemap)
        _freeze()

    def _incremental(self) -> bool:
        """Publish again from memory and write the changed pages; False: build in full."""
        assert self.live is not None and self.site is not None
        t0 = time.perf_counter()
        with gc_paused():  # the memo holds millions of objects: no collection scans them mid-edit
            site = self._publish()
            t1 = time.perf_counter()
            if site is None or not _same_chrome(self.site, site):
                return False
            changed = affected(self.site, site)
            t2 = time.perf_counter()
            written = self.live.refresh(site, changed)
        log.debug(
            "预览：发布 %.2f 秒，找出受影响的 %d 个页面 %.2f 秒，写入 %.2f 秒",
            t1 - t0,
            len(changed.records) + len(changed.announcements),
            t2 - t1,
            time.perf_counter() - t2,
        )
        if not written:
            return False
        self.site = site
        log.info(
            "预览已更新（%.2f 秒）；列表、订阅源和搜索索引在后台更新", time.perf_counter() - t0
        )
        self.stop = threading.Event()
        self.settling = threading.Thread(
            target=self._settle, args=(site, self.stop), name="registry-settle", daemon=True
        )
        self.settling.start()
        return True

    def _publish(self) -> Site | None:
        """The new site, or None after raising RegistryInvalid for the browser to show."""
        plugin = self.plugin
        as_of = plugin._as_of()
        if as_of != self.site.as_of:  # type: ignore[union-attr]
            return None
        report, site = publish(plugin.data_dir, as_of, plugin.settings, self.memo)
        guard = plugin.preview_guard()
        guarded = guard.problems() if guard is not None else []
        problems = [*report.problems, *guarded]
        if problems:
            self.problems = problems
            invalid = RegistryInvalid(problems)
            log.error(str(invalid))  # the terminal lists them as a full build does
            raise invalid
        self.problems = []
        return site

    def _settle(self, site: Site, stop: threading.Event) -> None:
        assert self.live is not None
        _lower_priority()
        # the browsers reload and fetch the edited page first: a busy thread of ours would hold
        # the interpreter lock the server threads need to answer them (up to 5 ms a switch)
        if stop.wait(SETTLE_AFTER):
            return
        try:
            done = self.live.settle(site, stop.is_set)
        except Cancelled as stopped:
            log.debug("后台更新已停止：%s", _where(stopped))
            return
        except Exception:  # noqa: BLE001 - a full build shows whatever went wrong
            log.exception("后台更新失败，将完整重建")
            done = False
        if stop.is_set():
            return
        _freeze()
        steps = "，".join(f"{k} {v:.2f} 秒" for k, v in self.live.timings.items())
        log.debug("后台更新完成：%s", steps)
        if done:
            _reload(self.server)
        else:
            self._want_full()

    def _want_full(self) -> None:
        self.wanted_full = True
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def _stop_settling(self) -> None:
        if self.settling is not None:
            self.stop.set()
            self.settling.join()
            self.settling = None


def _freeze() -> None:
    """What is alive now (the memo, the kept pages) mostly lives on: its garbage collected once,
    the rest is moved out of the collector's reach. Otherwise a full collection rescans all of it
    (0.75-0.9 s at 10,000 records, in whichever thread allocates: a settle, and a newer save
    waits for it). Only after a full build and a finished settle, when the editor has paused:
    freezing after every edit also froze the cyclic garbage of the settle it stopped (20 MB an
    edit, measured)."""
    gc.collect()
    gc.freeze()


def _lower_priority() -> None:
    """This thread (and Pagefind, which inherits it) yields the processor to the next edit:
    Linux keeps a nice value per thread."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: the same, at full priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SETTLE_NICE)


def _same_chrome(old: Site, new: Site) -> bool:
    """What every page's chrome prints did not change (else only a full build shows it)."""
    return (old.config, old.grades, old.categories, old.data_version) == (
        new.config,
        new.grades,
        new.categories,
        new.data_version,
    )


def _reload(server: Any) -> None:
    """Tell the browsers a newer site is there (MkDocs' live-reload epoch)."""
    from mkdocs.livereload import _timestamp

    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch = max(_timestamp(), server._visible_epoch + 1)
        server._epoch_cond.notify_all()


def _where(exc: BaseException) -> str:
    """Where our code was when `exc` stopped it (the debug log: which step a newer edit waited for)."""
    frames = traceback.extract_tb(exc.__traceback__)
    plumbing = {"_check", "<lambda>", "checkpoint", "__iter__"}
    ours = [f for f in frames if "generator" in f.filename and f.name not in plumbing] or frames
    return f"{Path(ours[-1].filename).name}:{ours[-1].lineno} {ours[-1].name}" if ours else "?"
