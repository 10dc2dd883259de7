"""MkDocs plugin: hooks only. Each hook delegates to the library (validation, views, pages, api, search).

Validation runs in `on_config`, before MkDocs touches `site_dir`, so invalid data stops the build with
the full list of problems and leaves any previous site alone.
"""

from __future__ import annotations

import gc
import json
import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.domain.dates import today_shanghai
from generator.domain.errors import Problem, problem
from generator.history.changes import change_entries, changes_pages, revisions_html
from generator.history.revisions import History, read_history
from generator.load.documents import Document
from generator.outputs.api import detail_files, summary_files
from generator.outputs.calendar import calendar_files
from generator.outputs.downloads import download_files, downloads_page, fill_downloads_page
from generator.outputs.feeds import feed_files
from generator.outputs.openapi import openapi_files
from generator.outputs.originals import attachment_files
from generator.outputs.redirects import redirect_clashes, redirect_files
from generator.outputs.writer import SideWriter
from generator.publish.version import data_version
from generator.publish.views import Site, build_site, embargo_secrets
from generator.render.page import GeneratedPage, relativize
from generator.render.pages import site_pages
from generator.render.search import run_pagefind
from generator.shells.build import LiveErrors, RegistryInvalid
from generator.validate.registry import check_registry


class RegistryConfig(Config):
    data_dir = c.Type(str, default="data")
    as_of = c.Optional(c.Type(str))
    search = c.Type(bool, default=True)
    branch = c.Type(
        str, default="main"
    )  # for "在 GitHub 上修改" links (repo_url/edit/<branch>/data/…)


class RegistryPlugin(BasePlugin[RegistryConfig]):
    """Turns the validated registry into pages, API files and a Pagefind index."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.data_dir: Path | None = None
        self.problems: list[Problem] = []
        self.config_doc: Document | None = None
        self.history = History(available=False)  # revision history from git, read in on_config
        self.side: SideWriter | None = None
        self.serving = False
        # seconds per phase, written to $REGISTRY_TIMINGS for `make bench`
        self.timings: dict[str, float] = {}

    def _add(self, phase: str, since: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - since

    def _as_of(self) -> date:
        raw = os.environ.get("REGISTRY_AS_OF") or self.config.as_of
        if not raw:
            return today_shanghai()
        from generator.domain.models import YEARS

        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise PluginError(f"as_of “{raw}” 不是有效日期（YYYY-MM-DD）") from None
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise PluginError(f"as_of “{raw}” 超出允许的范围（{YEARS[0]} 年至 {YEARS[1]} 年）")
        return day

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.problems = []  # a persistent instance in `serve`: none left from the last build
        base = Path(config.config_file_path or ".").parent
        self.data_dir = (base / (os.environ.get("REGISTRY_DATA") or self.config.data_dir)).resolve()
        if not self.data_dir.is_dir():
            raise PluginError(f"找不到记录目录 {self.data_dir}")
        self.timings = {"start": time.perf_counter()}
        t = time.perf_counter()
        reg = check_registry(self.data_dir, self._as_of())
        # Keep the loaded registry out of the collections MkDocs' many objects trigger during the
        # build; unfrozen when the build ends, so that `mkdocs serve` rebuilds do not accumulate.
        gc.freeze()
        self._add("load_validate", t)
        self.problems = reg.problems
        self.config_doc = reg.config_doc
        if reg.problems:
            raise RegistryInvalid(reg.problems)
        self.site = build_site(reg, data_version(self.data_dir, reg.as_of))
        t = time.perf_counter()
        # once per build: one git log, one cat-file. Conditions versions of announcements that are
        # not published are left out of every revision (they appear nowhere, DESIGN.md), and a
        # revision that names anything still under embargo is withheld
        visible = frozenset(a.id for a in self.site.announcements)
        secrets = embargo_secrets(reg, self.site)
        self.history = read_history(self.data_dir, visible).without(secrets)
        self._add("history", t)
        self.site.site_url = config.site_url or ""
        self.site.repo_url = config.repo_url or None
        self.site.repo_branch = self.config.branch
        config.extra["registry"] = {
            "title": self.site.config.title,
            "authority": self.site.config.authority,
            "disclaimer": self.site.config.disclaimer,
            "as_of": self.site.as_of.isoformat(),
            "has_sample": self.site.has_sample,
            "data_version": self.site.data_version,
            "site_info": self.site.config.site_info.model_dump(),
            "domain": urlsplit(config.site_url or "").hostname or "",
            "columns": column_names(config.nav),
        }
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        t = time.perf_counter()
        history = self.history
        repo_url = self.site.repo_url
        pages = site_pages(self.site, revisions=lambda rid: revisions_html(history, rid, repo_url))
        changes = change_entries(self.site, history)  # once, for /changes/ and the feeds
        pages += changes_pages(self.site, history, changes)
        self.pages = {p.src_uri: p for p in pages}
        for uri in self.pages:
            _replace(files, File.generated(config, uri, content=""))
        site, site_url, data_dir = self.site, config.site_url, self.data_dir
        assert data_dir is not None
        self._refuse_clashing_redirects(files)
        summary = dict(summary_files(site))
        summary.update(openapi_files(site_url))  # linked from api.md: MkDocs checks those links
        for path, content in summary.items():
            _replace(files, File.generated(config, path, content=content))

        def side_files() -> Iterator[tuple[str, bytes]]:
            yield from detail_files(site, revisions=history.api)
            yield from feed_files(site, history, site_url, changes)
            yield from redirect_files(site, site_url)
            yield from download_files(site, data_dir, summary)
            yield from calendar_files(site)  # issue 17: iCalendar, 公告原件
            yield from attachment_files(site, data_dir)

        self.side = SideWriter(Path(config.site_dir), side_files, background=not self.serving)
        page = downloads_page(site)
        self.pages[page.src_uri] = page
        _replace(files, File.generated(config, page.src_uri, content=""))
        self._add("generate", t)
        return files

    def _refuse_clashing_redirects(self, files: Files) -> None:
        assert self.site is not None
        clashes = redirect_clashes(self.site, {f.dest_uri for f in files})
        if not clashes:
            return
        doc = self.config_doc
        shown = doc.file if doc is not None else "data/registry.yaml"
        self.problems = []
        for old in clashes:
            line, col = doc.where(("redirects", old), key=True) if doc is not None else (1, 1)
            detail = f"“{old}” 会覆盖本站生成的页面或文件；请删除这一项或换一个来源地址"
            self.problems.append(
                problem("E314", shown, line, col, f"redirects.{old}", detail=detail)
            )
        raise RegistryInvalid(self.problems)

    def on_page_markdown(self, markdown: str, page: Page, **_: Any) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return markdown
        # Material prints meta.title unescaped in <title> and the header: escape it here, once.
        page.meta["title"] = str(escape(generated.title))
        page.meta["feeds"] = [{"title": t, "href": href} for t, href in generated.feeds]
        # Material's left column holds only the tabs again (navigation.tabs) and the right one a
        # table of contents of empty Markdown: hidden, the tables and records get the full width
        page.meta["hide"] = ["navigation", "toc"]
        if generated.pub_date:
            page.meta["article"] = {"title": generated.title, "pub_date": generated.pub_date}
        return ""

    def on_page_content(self, html: str, page: Page, **_: Any) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        t = time.perf_counter()
        html = relativize(generated.render(), generated.depth)
        self._add("generate", t)
        return html

    def on_post_build(self, config: MkDocsConfig) -> None:
        t = time.perf_counter()
        if self.side is not None:
            self.side.wait()  # files written beside the pages must exist before indexing
        assert self.site is not None
        fill_downloads_page(self.site, Path(config.site_dir))
        self._add("side_files_wait", t)
        t = time.perf_counter()
        if self.config.search:
            run_pagefind(Path(config.site_dir))
        self._add("pagefind", t)
        self._write_timings()
        gc.unfreeze()

    def on_build_error(self, *, error: Exception) -> None:
        if self.side is not None:
            self.side.cancel()  # no orphan writer after a failed build
        gc.unfreeze()

    def _write_timings(self) -> None:
        target = os.environ.get("REGISTRY_TIMINGS")
        if not target:
            return
        total = time.perf_counter() - self.timings.pop("start")
        phases = {k: round(v, 3) for k, v in self.timings.items()}
        phases["mkdocs"] = round(total - sum(self.timings.values()), 3)
        phases["total_after_config"] = round(total, 3)
        Path(target).write_text(json.dumps(phases), encoding="utf-8")

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # no fork beside the live-reload server's threads

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.data_dir is not None:
            server.watch(str(self.data_dir))
        # Plain `mkdocs serve`: a later invalid edit shows its errors in the browser instead of
        # leaving it waiting (`registry serve` installed this before its first build already).
        LiveErrors.install(server, lambda: self.problems)
        return server


def column_names(nav: Any) -> dict[str, str]:
    """First path segment → navigation title (栏目), for <meta name="ColumnName">."""
    out = {"": "首页"}
    for item in nav or []:
        for title, target in item.items() if isinstance(item, dict) else []:
            if isinstance(target, str):
                out[target.removesuffix(".md").removesuffix("index").strip("/").split("/")[0]] = (
                    title
                )
    return out


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
