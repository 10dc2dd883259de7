"""MkDocs plugin: hooks only. MkDocs (or ProperDocs) supplies the theme chrome; everything else is
`publish()` (the published view) and `SiteFiles` (every file of ours), which know nothing of MkDocs.

Validation runs in `on_config`, before MkDocs touches `site_dir`, so invalid data stops the build with
the full list of problems and leaves any previous site alone. The record and announcement pages are
not MkDocs pages: MkDocs renders one shell per section and `SiteFiles.fill` writes the pages into
it (render/shell.py), while Pagefind indexes their bodies in the background.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
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
from generator.domain.vocabulary import YEARS
from generator.load.files import MISSING, data_root_fault
from generator.outputs.assemble import SiteFiles
from generator.outputs.writer import OutputError
from generator.publish.pipeline import Memo, Settings, publish
from generator.publish.views import Site, chrome_values
from generator.render.jinja import TEMPLATES
from generator.render.page import GeneratedPage
from generator.render.shell import ShellError
from generator.shells.build import RegistryInvalid, SiteDirRefused, check_site_dir
from generator.shells.engine_guard import mark_plugin_ran
from generator.shells.plain_pages import clash_problems
from generator.shells.preview import LiveErrors
from generator.shells.preview_guard import PreviewGuard
from generator.shells.sitemap import expand_sitemap
from generator.validate.entries import display_path


class PluginInvalid(RegistryInvalid, PluginError):
    """RegistryInvalid as MkDocs' own error: `mkdocs build` prints the list, no traceback."""


class PluginSiteDirRefused(SiteDirRefused, PluginError):
    """SiteDirRefused as MkDocs' own error, for plain `mkdocs build`."""


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Our output errors as MkDocs' own: one line, the build fails, no traceback."""
    try:
        yield
    except (OutputError, ShellError) as exc:
        raise PluginError(str(exc)) from None


class RegistryConfig(Config):
    data_dir = c.Type(str, default="data")
    as_of = c.Optional(c.Type(str))
    search = c.Type(bool, default=True)
    # for "在 GitHub 上修改" links (repo_url/edit/<branch>/data/…)
    branch = c.Type(str, default="main")
    # record and announcement pages filled into one shell per section (False: each through MkDocs;
    # the two give the same site, tests/render/test_shell.py)
    shells = c.Type(bool, default=True)
    # `serve` only: the git ref whose published content the preview guards (E501–E505,
    # shells/preview_guard.py); `registry serve` sets it (--base, the upstream, main)
    base = c.Optional(c.Type(str))


class RegistryPlugin(BasePlugin[RegistryConfig]):
    """Turns the validated registry into pages, API files and a Pagefind index."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.files: SiteFiles | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.data_dir: Path | None = None
        self.problems: list[Problem] = []
        self.serving = False
        self.raw_sitemap: str | None = None  # serve: MkDocs' sitemap.xml, before expand_sitemap
        self.settings = Settings()
        self.memo: Memo | None = None  # serve: what the next edit's publish() reads from (live.py)
        self.guard: PreviewGuard | None = None  # kept across rebuilds: its base side is cached
        # seconds per phase, written to $REGISTRY_TIMINGS for `make bench`
        self.timings: dict[str, float] = {}

    def _add(self, phase: str, since: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - since

    def _as_of(self) -> date:
        raw = self.config.as_of
        if not raw:
            return today_shanghai()
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise PluginError(f"as_of “{raw}” 不是有效日期（YYYY-MM-DD）") from None
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise PluginError(f"as_of “{raw}” 超出允许的范围（{YEARS[0]} 年至 {YEARS[1]} 年）")
        return day

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.problems = []  # a persistent instance in `serve`: none left from the last build
        mark_plugin_ran()  # the Markdown guard (engine_markdown.py) lets pages through now
        try:  # before MkDocs cleans site_dir (`mkdocs build`); `registry build` checked first
            check_site_dir(Path(config.site_dir), config)
        except SiteDirRefused as exc:
            raise PluginSiteDirRefused(str(exc)) from None
        base = Path(os.path.abspath(config.config_file_path or "mkdocs.yml")).parent
        # never resolved: a data root that is or runs through a link is refused (E114)
        self.data_dir = base / self.config.data_dir
        fault = data_root_fault(self.data_dir, project=base)
        if fault == MISSING:
            raise PluginError(f"找不到记录目录 {self.data_dir}")
        if fault is not None:
            shown = display_path(self.data_dir)
            self.problems = [problem("E114", shown, name=shown, what=fault)]
            raise PluginInvalid(self.problems)
        self.timings = {"start": time.perf_counter()}
        t = time.perf_counter()
        self.settings = Settings(config.site_url or "", config.repo_url or None, self.config.branch)
        report, site = publish(self.data_dir, self._as_of(), self.settings, self.memo)
        # Keep the loaded registry out of the collections MkDocs' many objects trigger during the
        # build; unfrozen when the build ends, so that `mkdocs serve` rebuilds do not accumulate.
        gc.freeze()
        self._add("publish", t)
        guarded = self._guard_problems()
        if site is None or guarded:
            # the published-content errors beside the others: the browser shows them all
            self.problems = [*report.problems, *guarded]
            raise PluginInvalid(self.problems)
        self.site = site
        config.extra["registry"] = theme_values(site, config)
        return config

    def preview_guard(self) -> PreviewGuard | None:
        """The guard of `serve` (None when building or without a base), one per data dir and
        base, so that its cached base side serves every rebuild."""
        base = self.config.base
        if not (self.serving and base) or self.data_dir is None:
            return None
        if self.guard is None or (self.guard.data_dir, self.guard.base) != (self.data_dir, base):
            self.guard = PreviewGuard(self.data_dir, base)
        return self.guard

    def _guard_problems(self) -> list[Problem]:
        t = time.perf_counter()
        guard = self.preview_guard()
        found = guard.problems() if guard is not None else []
        self._add("preview_guard", t)
        return found

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        t = time.perf_counter()
        shells = self.config.shells and config.use_directory_urls
        self.files = SiteFiles(
            self.site,
            Path(config.site_dir),
            search=self.config.search,
            background=not self.serving,
            shells=shells,
            lang=config.theme.get("language") or "en",
            keep=self.serving,
        )
        self.pages = {p.src_uri: p for p in self.files.engine_pages}
        _ShellLogFilter.install(self.files.shells)
        for uri in self.pages:
            _replace(files, File.generated(config, uri, content=""))
        self._refuse_clashing_redirects(files)
        with _engine_errors():
            self.files.start()
        for path, content in self.files.summary.items():  # made by start()
            _replace(files, File.generated(config, path, content=content))
        self._add("generate", t)
        return files

    def _refuse_clashing_redirects(self, files: Files) -> None:
        assert self.site is not None and self.files is not None
        outputs = {f.dest_uri for f in files} | self.files.dest_uris()
        self.problems = clash_problems(self.site, outputs)
        if not self.problems:
            return
        raise PluginInvalid(self.problems)

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """The theme may include our shared partials as "registry/<name>" (the header's search:
        one markup for both engines); the theme's own templates come first."""
        env.loader = ChoiceLoader(
            [env.loader, PrefixLoader({"registry": FileSystemLoader(str(TEMPLATES))})]
        )
        return env

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
        if generated is None or self.files is None:
            return html
        t = time.perf_counter()
        with _engine_errors():
            html = self.files.body(generated)
        self._add("generate", t)
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        key = self.files.shells.get(page.file.src_uri) if self.files is not None else None
        if key is None:
            if self.files is not None:
                self.files.rendered(page.file.src_uri, output)
            return output
        t = time.perf_counter()
        with _engine_errors():
            self.files.fill(key, output)  # type: ignore[union-attr]
        self._add("fill_shells", t)
        return ""  # the shell itself is not a page of the site

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.files is not None
        t = time.perf_counter()
        sitemap = Path(config.site_dir) / "sitemap.xml"
        if self.serving and sitemap.is_file():  # the preview expands it again after an edit
            self.raw_sitemap = sitemap.read_text(encoding="utf-8")
        if self.files.shells:
            expand_sitemap(Path(config.site_dir), self.files.shells, self.files.groups)
        with _engine_errors():
            self.files.finish()
        self._add("finish_side_files_and_search", t)
        self._write_timings()
        gc.unfreeze()

    def on_build_error(self, *, error: Exception) -> None:
        if self.files is not None:
            self.files.cancel()  # no orphan writer or indexer after a failed build
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


class _ShellLogFilter(logging.Filter):
    """Drops MkDocs' "Page skipped: '<shell>'. Generated empty output." for our shells: a shell
    is no page of the site (on_post_page returns "" once its pages are filled in), so the line,
    one per section and build, only alarmed editors. Any other skipped page is still logged."""

    _SKIPPED = re.compile(r"Page skipped: '(?P<uri>[^']+)'\. Generated empty output\.")
    LOGGER = "mkdocs.commands.build"

    def __init__(self, shells: dict[str, Any]) -> None:
        super().__init__()
        self.shells = shells  # the plugin's src_uri -> group of this build

    def filter(self, record: logging.LogRecord) -> bool:
        m = self._SKIPPED.fullmatch(str(record.msg))
        return m is None or m["uri"] not in self.shells

    @classmethod
    def install(cls, shells: dict[str, Any]) -> None:
        """One filter on MkDocs' build logger, for this build's shells (replacing the last)."""
        logger = logging.getLogger(cls.LOGGER)
        for old in [f for f in logger.filters if isinstance(f, cls)]:
            logger.removeFilter(old)
        logger.addFilter(cls(shells))


def theme_values(site: Site, config: MkDocsConfig) -> dict[str, Any]:
    """What the theme overrides (site_src/overrides/) print: `config.extra.registry`."""
    return {**chrome_values(site, config.site_url), "columns": column_names(config.nav)}


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
