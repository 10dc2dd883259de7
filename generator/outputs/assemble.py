"""Every generated file of ours, written around an engine that only supplies the theme chrome.

`SiteFiles(site, site_dir)` knows the pages, which of them the engine must render itself
(`engine_pages`: home, lists, /check/ …, plus one shell per section) and which are filled into a
shell (`groups`: the record and announcement pages). A build goes:

    files = SiteFiles(site, site_dir, search=True, background=True)
    files.start()                 # side files in a second process; page bodies rendered; search
                                  # index started in the background on the bodies
    ... the engine renders files.engine_pages (files.body(uri) is each one's content) ...
    files.fill(key, shell_html)   # for each shell the engine rendered: its pages, written
    files.finish()                # waits for side files and Pagefind; fills /downloads/

`cancel()` ends the background work when the build fails anywhere.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from generator.domain.gc_pause import gc_paused
from generator.history.changes import change_entries
from generator.outputs.api import detail_files, summary_files
from generator.outputs.calendar import calendar_files
from generator.outputs.crawl import host_files, restamp_sitemap
from generator.outputs.downloads import download_files, downloads_page, fill_downloads_page
from generator.outputs.feeds import feed_files
from generator.outputs.jsonld import dataset_script
from generator.outputs.openapi import openapi_files
from generator.outputs.originals import attachment_files
from generator.outputs.pagefind import INDEXED, SearchIndex, index_page, run_pagefind
from generator.outputs.redirects import redirect_files
from generator.outputs.writer import OutputError, SideWriter, alive, make_dirs, write_files
from generator.publish.views import Site
from generator.render.changes import changes_pages, subscribe_page
from generator.render.history_view import revisions_html
from generator.render.page import GeneratedPage, has_attribute, relativize
from generator.render.pages import site_pages
from generator.render.shell import Marks, ShellKey, fill_pages, shell_key, shell_page

SIDE_NICE = 10
BODIES = "bodies.pickle"  # the second renderer's half; its own output, never data from outside
SIDE_LIST = "side-files.json"  # the side files a preview's full build wrote (`side_paths`)


def dest_uri(src_uri: str) -> str:
    """Where a page's HTML goes (directory URLs): `approved/X.md` → `approved/X/index.html`."""
    stem = src_uri.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"


SHM = Path("/dev/shm")
# the index-only pages take ~170 MB at 10,000 records: use memory only when there is plenty
SHM_SPARE = 4 << 30
_SHM_SCRATCH = re.compile(r"^registry-search-(\d+)-")


def scratch_dir(site_dir: Path) -> Path:
    """A new private directory for the index-only pages: in memory (tmpfs) when there is plenty
    of it (creating and removing 11,000 small files there costs a fraction), else beside the site
    (`.site.search-<pid>`, removed by the next build if this one is killed)."""
    try:
        if SHM.is_dir() and shutil.disk_usage(SHM).free > SHM_SPARE:
            _remove_stale_scratch()
            return Path(tempfile.mkdtemp(prefix=f"registry-search-{os.getpid()}-", dir=SHM))
    except OSError:
        pass
    path = site_dir.with_name(f".{site_dir.name}.search-{os.getpid()}")
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _remove_stale_scratch() -> None:
    """Memory held by builds that were killed before they could remove their scratch."""
    for entry in os.scandir(SHM):
        m = _SHM_SCRATCH.match(entry.name)
        if m and entry.is_dir(follow_symlinks=False) and not alive(int(m.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def revisions_of(site: Site) -> Callable[[str], str]:
    """A record's 修订记录 section; a revision's group names its announcement."""
    anns = {a.id: a for a in site.announcements}
    return lambda rid: revisions_html(site.history, rid, site.repo_url, anns)


def with_dataset(page: GeneratedPage, site: Site) -> GeneratedPage:
    """The home page with the schema.org Dataset (outputs/jsonld.py) after its content: render/
    cannot import outputs/, so the page is wrapped here (the same page, the same list)."""
    inner = page.render
    return replace(page, render=lambda: inner() + dataset_script(site))


class SiteFiles:
    def __init__(
        self,
        site: Site,
        site_dir: Path,
        *,
        search: bool = True,
        background: bool = True,
        shells: bool = True,
        lang: str = "zh",
        keep: bool = False,
    ) -> None:
        self.site, self.site_dir = site, site_dir
        self.search, self.background, self.lang = search, background, lang
        # `keep` (the preview): what the engine made of each page is kept for the next edit
        # (shells/live.py): each shell's HTML, each engine page's body and HTML, the search pages
        self.keep = keep
        self.shell_html: dict[ShellKey, str] = {}
        self.engine_html: dict[str, tuple[str, str]] = {}  # src_uri → (body, page)
        self.docs: dict[str, bytes] = {}
        self.changes = change_entries(site, site.history)  # once, for /changes/ and the feeds
        pages = self._pages()
        self.groups: dict[ShellKey, list[GeneratedPage]] = {}
        self.engine_pages: list[GeneratedPage] = []
        for page in pages:
            key = shell_key(page) if shells else None
            if key is None:
                self.engine_pages.append(page)
            else:
                self.groups.setdefault(key, []).append(page)
        # drawn now, after the data was read: no data can spell a shell's markers
        self.marks = Marks.new()
        shell_pages = [(shell_page(key, n, self.marks), key) for n, key in enumerate(self.groups)]
        self.shells = {page.src_uri: key for page, key in shell_pages}
        self._shell_numbers = {key: n for n, key in enumerate(self.groups)}
        self.engine_pages += [page for page, _ in shell_pages]
        # api/records.json and the other files the engine must know (api.md links them): made in
        # start(), once Pagefind runs, which is the longest job
        self.summary: dict[str, str | bytes] = {}
        self.scratch: Path | None = None  # index-only pages: Pagefind's input
        self.bodies: dict[str, str] = {}  # dest_uri → rendered body of each shell page
        self.side: SideWriter | None = None
        self.index: SearchIndex | None = None
        # `keep`: the paths of the summary and side files written, so that the preview's first
        # settle removes those the edited data no longer makes (shells/live_site.py)
        self.side_paths: set[str] | None = None

    def _pages(self) -> list[GeneratedPage]:
        site = self.site
        pages = site_pages(site, revisions=revisions_of(site))
        pages += changes_pages(site, site.history, self.changes)
        pages.append(subscribe_page(site))  # /subscribe/: every feed, beside /changes/
        pages.append(downloads_page(site))
        return [with_dataset(page, site) if page.src_uri == "index.md" else page for page in pages]

    def dest_uris(self) -> set[str]:
        """Every page address of ours, shell-filled pages included (for the redirect check)."""
        pages = [*self.engine_pages, *(p for group in self.groups.values() for p in group)]
        return {dest_uri(p.src_uri) for p in pages if p.src_uri not in self.shells}

    def start(self) -> None:
        """Render every shell page's body and its index-only page (half of them in a second
        process), start Pagefind on those, then write the side files in a second process."""
        with gc_paused():  # rendering makes no reference cycles; the forked children inherit it
            self._start()

    def _start(self) -> None:
        self.scratch = scratch_dir(self.site_dir)
        pages = [p for group in self.groups.values() for p in group]
        if self.search:
            # Pagefind numbers pages in the order it lists the directories, and on tmpfs or btrfs
            # that is the order they were made: made here, in address order, before the two
            # renderers write their halves of the index-only pages into them
            make_dirs(self.scratch, sorted(dest_uri(p.src_uri) for p in pages))
        handoff = self.scratch / BODIES
        other = SideWriter(self.scratch, lambda: self._rendered(pages[1::2]), self.background)
        bodies, docs = self._render(pages[0::2])
        write_files(self.scratch, docs.items())
        other.wait()  # forked or not, the other half is in `handoff` now
        theirs, their_docs = pickle.loads(handoff.read_bytes())
        handoff.unlink()
        bodies.update(theirs)
        docs.update(their_docs)
        self.bodies = bodies
        if self.keep:
            self.docs = dict(sorted(docs.items()))
        if self.search and pages:
            self.index = SearchIndex(self.scratch, self.site_dir / "pagefind")
            self.index.start()
        self.summary = dict(summary_files(self.site))
        self.summary.update(openapi_files(self.site.site_url, self.site.config.license))
        # the side files are needed only at the end: Pagefind, the longest job, goes first
        make = self._side_listed if self.keep else self.side_files
        self.side = SideWriter(self.site_dir, make, self.background, nice=SIDE_NICE)

    def _render(self, pages: list[GeneratedPage]) -> tuple[dict[str, str], dict[str, bytes]]:
        """Each page's body (by address) and, when searched, the index-only page made of it (none
        for a page Pagefind leaves out: it has no `data-pagefind-body`)."""
        bodies = {dest_uri(p.src_uri): relativize(p.render(), p.depth) for p in pages}
        if not self.search:
            return bodies, {}
        docs = {u: doc for u, b in bodies.items() if (doc := index_page(b, self.lang))}
        return bodies, docs

    def _rendered(self, pages: list[GeneratedPage]) -> Iterator[tuple[str, bytes]]:
        """The second process's half: its index-only pages, written by itself, and its bodies
        (with the index-only pages too when the preview keeps them), handed back as one file
        (unpickled by the parent only)."""
        bodies, docs = self._render(pages)
        yield from docs.items()
        kept = docs if self.keep else {}
        yield BODIES, pickle.dumps((bodies, kept), protocol=pickle.HIGHEST_PROTOCOL)

    def side_files(self) -> Iterator[tuple[str, bytes]]:
        site = self.site
        yield from detail_files(site, revisions=site.history.api)
        yield from feed_files(site, site.history, site.site_url, self.changes)
        yield from redirect_files(site, site.site_url)
        yield from download_files(site, site.data_dir or Path("data"), self.summary)
        yield from calendar_files(site)  # iCalendar feeds of upcoming transitions
        yield from attachment_files(site, site.data_dir or Path("data"))  # 公告原件
        yield from host_files(site)  # robots.txt, .well-known/security.txt

    def _side_listed(self) -> Iterator[tuple[str, bytes]]:
        """`side_files`, and then the list of their paths in the scratch directory (the writer
        may be a second process: `finish` reads the list back)."""
        assert self.scratch is not None
        paths = []
        for path, content in self.side_files():
            paths.append(path)
            yield path, content
        (self.scratch / SIDE_LIST).write_text(json.dumps(paths), encoding="utf-8")

    def body(self, page: GeneratedPage) -> str:
        """The content of a page the engine renders (a shell's is its sentinel)."""
        html = relativize(page.render(), page.depth)
        searched = self.groups and self.search and page.src_uri not in self.shells
        if searched and has_attribute(html, INDEXED):
            # the index was started on the shell pages' bodies; a page searched must be one
            raise OutputError(f"{page.src_uri} 应被搜索索引，但不是按外壳生成的页面")
        if self.keep and page.src_uri not in self.shells:
            self.engine_html[page.src_uri] = (html, "")
        return html

    def rendered(self, src_uri: str, output: str) -> None:
        """The engine's whole page for an engine page (kept for the preview's next edit)."""
        if self.keep and src_uri in self.engine_html:
            self.engine_html[src_uri] = (self.engine_html[src_uri][0], output)

    def fill(self, key: ShellKey, shell_html: str) -> None:
        """Write every page of `key`'s group into the shell the engine rendered."""
        group = self.groups[key]
        if self.keep:
            self.shell_html[key] = shell_html
        bodies = ((p, self._body(p)) for p in group)
        filled = fill_pages(shell_html, bodies, self.marks, key, self._shell_numbers[key])
        pages = zip(group, filled, strict=True)
        with gc_paused():
            write_files(self.site_dir, ((dest_uri(p.src_uri), h.encode()) for p, h in pages))

    def _body(self, page: GeneratedPage) -> str:
        return self.bodies.pop(dest_uri(page.src_uri))

    def finish(self) -> None:
        if self.side is not None:
            self.side.wait()  # files written beside the pages must exist before their table
            if self.keep and self.scratch is not None:
                listed = json.loads((self.scratch / SIDE_LIST).read_text(encoding="utf-8"))
                self.side_paths = {*self.summary, *listed}
        fill_downloads_page(self.site, self.site_dir)
        restamp_sitemap(self.site_dir, self.site)  # both engines wrote it by now: the data's dates
        if self.index is not None:
            self.index.wait()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        if (
            self.index is None and self.search
        ):  # every page went through the engine: index the finished site
            run_pagefind(self.site_dir)

    def cancel(self) -> None:
        if self.side is not None:
            self.side.cancel()
        if self.index is not None:
            self.index.cancel()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
