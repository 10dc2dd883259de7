"""The plain engine: the whole site without MkDocs or Material (`registry build --engine plain`).

It is the exit docs/dependencies.md describes for when MkDocs and Material are gone: the same
`publish()` and `SiteFiles` as the MkDocs plugin make every record and announcement page, API file,
feed, download and the Pagefind index; this shell adds only what MkDocs and Material supplied:

- the chrome (plain_chrome.py, `render/templates/plain_base.html`): header with the site title and
  search, the sections' navigation, the banner, the footer with disclaimer, data version and
  site_info, the page metadata;
- the hand-written pages of docs_dir (about.md, api.md) rendered from their Markdown by our own
  renderer, the files beside them (assets/), 404.html and sitemap.xml (plain_pages.py).

It reads mkdocs.yml with PyYAML (site name and URL, docs_dir, nav, extra CSS and JS, the registry
plugin's options), so both engines build from one configuration, and it builds atomically like
`registry build` (build.py `build_atomically`: the same site-dir checks, swap and engine guard).
`tests/shells/test_engines.py` builds the sample with both engines and compares their pages, API
and search; `tests/shells/test_plain.py` checks that MkDocs is never imported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.dates import today_shanghai
from generator.load.files import site_dir_fault
from generator.outputs.assemble import SiteFiles, dest_uri
from generator.outputs.writer import write_files
from generator.publish.pipeline import Report, Settings, publish
from generator.publish.views import Site
from generator.render.jinja import render
from generator.render.page import GeneratedPage
from generator.shells.build import RegistryInvalid, build_atomically, refuse_site_dir
from generator.shells.plain_chrome import PlainConfig, chrome, page_url, site_values
from generator.shells.plain_pages import (
    clash_problems,
    copy_static,
    docs_files,
    handwritten_pages,
    write_sitemap,
)


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def build_plain(
    data_dir: Path,
    as_of: date,
    site_dir: Path,
    site_url: str = "",
    config: PlainConfig | None = None,
    *,
    background: bool = False,
) -> Report:
    """Build the registry into `site_dir` with the plain chrome; returns the report (nothing is
    written when it is not valid). Without `config`, only the registry's own pages and files (no
    hand-written pages, no navigation). ValueError, before anything is read or written, for a
    site dir that is a link, is or holds the data or the working directory, or lies inside the
    data."""
    fault = site_dir_fault(Path.cwd() / site_dir, Path.cwd(), {"记录目录": Path.cwd() / data_dir})
    if fault is not None:
        raise ValueError(f"网站目录 {site_dir} {fault}；未写入任何文件")
    config = config or PlainConfig(site_url=site_url)
    options = config.plugin
    settings = Settings(config.site_url, config.repo_url, str(options.get("branch", "main")))
    report, site = publish(data_dir, as_of, settings)
    if site is None:
        return report
    search = bool(options.get("search", True))
    files = SiteFiles(site, site_dir, search=search, background=background, lang=config.lang)
    nav = {src: title for title, src in config.nav}
    taken = {p.src_uri for p in files.engine_pages}
    pages = handwritten_pages(config.docs_dir, config.theme_dir, nav, taken)
    problems = clash_problems(site, _outputs(files, pages, config))
    if problems:
        return Report(problems, report.stats)
    try:
        _write(site, files, pages, config)
    except BaseException:
        files.cancel()  # no orphan writer or indexer after a failed build
        raise
    return report


def _outputs(files: SiteFiles, pages: list[GeneratedPage], config: PlainConfig) -> set[str]:
    """Every path the build writes that a redirect must not overwrite."""
    static = {rel for rel, _ in docs_files(config.docs_dir, config.theme_dir)}
    return files.dest_uris() | {dest_uri(p.src_uri) for p in pages} | static | {"404.html"}


def _write(site: Site, files: SiteFiles, pages: list[GeneratedPage], config: PlainConfig) -> None:
    site_dir, values = files.site_dir, site_values(site, config)
    files.start()
    # MkDocs writes these as its own files (api.md links them); here we write them
    write_files(site_dir, ((path, _bytes(content)) for path, content in files.summary.items()))
    written = []
    for page in files.engine_pages:
        html = chrome(page, files.body(page), values, config)
        key = files.shells.get(page.src_uri)
        if key is not None:
            files.fill(key, html)
            written += [page_url(p.src_uri) for p in files.groups[key]]
            continue
        write_files(site_dir, [(dest_uri(page.src_uri), html.encode())])
        written.append(page_url(page.src_uri))
    for page in pages:
        html = chrome(page, page.render(), values, config)
        write_files(site_dir, [(dest_uri(page.src_uri), html.encode())])
    write_files(site_dir, [("404.html", _not_found(values, config).encode())])
    copy_static(config.docs_dir, config.theme_dir, site_dir)
    write_sitemap(site_dir, config.site_url, [page_url(p.src_uri) for p in pages] + written)
    files.finish()


def _not_found(values: dict[str, Any], config: PlainConfig) -> str:
    """404.html: shown at any address, so every link starts from the site's base path."""
    base = values["base"]
    page = GeneratedPage("404.md", "页面不存在（404）", str)
    return chrome(page, render("plain_404.html", site=values), values, config, root=base)


def build_plain_site(
    config_file: Path, site_dir: Path, data_dir: Path, as_of: date | None = None
) -> None:
    """`registry build --engine plain`: the whole site, atomically. SiteDirRefused before anything
    is written for a site dir that must not be replaced; RegistryInvalid with every problem when
    the data is not valid; EngineIgnoredPlugin if the tree lacks the registry (cannot happen here,
    checked all the same); `site_dir` is untouched on any failure."""
    config = PlainConfig.load(config_file)
    refuse_site_dir(site_dir, config.project, Path.cwd() / data_dir, config.docs_dir or Path())
    option = config.plugin.get("as_of")
    day = as_of or (date.fromisoformat(str(option)) if option else today_shanghai())

    def make(tmp: Path) -> None:
        report = build_plain(data_dir, day, tmp, config=config, background=True)
        if not report.valid:
            raise RegistryInvalid(report.problems)

    build_atomically(site_dir, make)
