"""The served site between two builds of `registry serve`: an edit writes the pages it can have
changed at once (`refresh`), and everything else afterwards (`settle`), in the background.

The first build is an ordinary full build that keeps what the engine made (outputs/assemble.py
`keep`): each shell's HTML, cut at its markers once (render/shell.py), and each engine page's
body and whole HTML. After an edit:

1. `refresh` renders the record and announcement pages the edit can have changed
   (publish/affected.py) into the kept shells and writes them: the edited page is visible.
2. `settle` puts every engine page's new body in place of its old one (list pages, /changes/,
   home, /check/), writes every side file whose bytes changed (API, feeds, calendars, downloads,
   redirects) and removes those no longer made, expands the sitemap again, and re-runs Pagefind
   on the kept search pages when any of them changed, swapping the new index in when it is done.

Anything the kept pieces cannot express (a new section, a page added to or removed from the
engine's pages, a changed title of an engine page) makes both return False: the caller runs a
full build. tests/shells/test_live.py compares the result with a full build after edits,
deletions and renames.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.domain.checkpoint import stopping_at
from generator.outputs.api import summary_files
from generator.outputs.assemble import SiteFiles, dest_uri, revisions_of, scratch_dir
from generator.outputs.crawl import restamp_sitemap
from generator.outputs.downloads import fill_downloads_page
from generator.outputs.openapi import openapi_files
from generator.outputs.pagefind import SearchIndex, index_page
from generator.outputs.writer import confined, write_files
from generator.publish.affected import Affected
from generator.publish.views import Site
from generator.render.page import relativize
from generator.render.pages import page_id, pages_of
from generator.render.shell import Shell, shell_key
from generator.shells.sitemap import expand_sitemap

Meta = tuple[str, tuple[tuple[str, str], ...], str | None]  # title, feeds, publication date
DOWNLOADS = "downloads/index.md"


class Cancelled(Exception):
    """A newer edit arrived: this settle stops; the next one redoes what it did not do."""


def _meta(files: SiteFiles) -> dict[str, Meta]:
    return {
        p.src_uri: (p.title, p.feeds, p.pub_date)
        for p in files.engine_pages
        if p.src_uri not in files.shells
    }


class LiveSite:
    def __init__(self, files: SiteFiles, raw_sitemap: str | None) -> None:
        self.site_dir, self.search, self.lang = files.site_dir, files.search, files.lang
        # id → address of each record and announcement page written (filled into a shell)
        self.uris = {
            page_id(p.src_uri): dest_uri(p.src_uri) for g in files.groups.values() for p in g
        }
        numbers = {key: n for n, key in enumerate(files.groups)}
        self.shells = {
            key: Shell(html, files.marks, key, numbers[key])
            for key, html in files.shell_html.items()
        }
        self.shell_names = dict(files.shells)  # the shells' names in MkDocs' own sitemap
        self.meta = _meta(files)
        self.engine = dict(files.engine_html)  # src_uri → (body, whole page)
        self.docs = dict(files.docs)  # search pages by address, as Pagefind read them
        self.indexed = dict(self.docs)
        self.raw_sitemap = raw_sitemap
        self.side = files.side_paths  # the side files of the full build, then of the last settle
        self.timings: dict[str, float] = {}  # seconds per step of the last settle (debug log)

    def refresh(self, site: Site, changed: Affected) -> bool:
        """Write the pages of `changed`; False when only a full build can show the edit."""
        writes = []
        pages = pages_of(site, changed.records | changed.announcements, revisions_of(site))
        for page in pages:
            key = shell_key(page)
            if key is None or key not in self.shells:  # a section the engine never rendered
                return False
            body = relativize(page.render(), page.depth)
            uri = dest_uri(page.src_uri)
            writes.append((uri, self.shells[key].fill(page, body).encode()))
            doc = index_page(body, self.lang) if self.search else None
            if doc is not None:
                self.docs[uri] = doc
            else:  # no longer searched (a guidance entry grown into an approval)
                self.docs.pop(uri, None)
        write_files(self.site_dir, writes)
        self.uris.update((page_id(p.src_uri), dest_uri(p.src_uri)) for p in pages)
        shown = site.records.keys() | {a.id for a in site.announcements}
        for gone in self.uris.keys() - shown:
            self.docs.pop(self.uris[gone], None)
            _remove(self.site_dir, self.uris.pop(gone))
        return True

    def settle(self, site: Site, cancelled: Callable[[], bool]) -> bool:
        """Everything but the record and announcement pages; False: a full build is needed (a
        page added to or removed from the engine's pages, or a title of one changed). Raises
        Cancelled when `cancelled()` turns true: between two files, and inside the loops over
        every record that make one (domain/checkpoint.py)."""
        with stopping_at(lambda: _check(cancelled)):
            return self._settle(site, cancelled)

    def _settle(self, site: Site, cancelled: Callable[[], bool]) -> bool:
        t = time.perf_counter()
        files = SiteFiles(site, self.site_dir, search=self.search, background=False, keep=True)
        _check(cancelled)
        if set(files.groups) != set(self.shells) or _meta(files) != self.meta:
            return False
        if not self._engine_pages(files, cancelled):
            return False
        self.timings = {"engine_pages": time.perf_counter() - t}
        for name, step in (
            ("side_files", lambda: self._side_files(files, cancelled)),
            ("downloads", lambda: self._downloads(files.site)),
            ("sitemap", lambda: self._sitemap(files)),
            ("search", lambda: self._reindex(cancelled) if self.docs != self.indexed else None),
        ):
            t = time.perf_counter()
            step()
            self.timings[name] = time.perf_counter() - t
        return True

    def _engine_pages(self, files: SiteFiles, cancelled: Callable[[], bool]) -> bool:
        for page in files.engine_pages:
            if page.src_uri in files.shells:
                continue
            _check(cancelled)
            body = files.body(page)
            old_body, html = self.engine[page.src_uri]
            if body == old_body:
                continue
            if html.count(old_body) != 1:  # the body is not where it can be replaced
                return False
            self.engine[page.src_uri] = (body, html.replace(old_body, body))
            if page.src_uri != DOWNLOADS:  # written with its file table by `_downloads`
                page_html = self.engine[page.src_uri][1].encode()
                write_files(self.site_dir, [(dest_uri(page.src_uri), page_html)])
        return True

    def _side_files(self, files: SiteFiles, cancelled: Callable[[], bool]) -> None:
        site = files.site
        files.summary = dict(summary_files(site))
        _check(cancelled)
        files.summary.update(openapi_files(site.site_url, site.config.license))
        made: set[str] = set()
        try:
            # one file at a time, so that a newer edit stops this between two files
            for path, content in itertools.chain(files.summary.items(), files.side_files()):
                _check(cancelled)
                made.add(path)
                data = content.encode() if isinstance(content, str) else content
                target = confined(self.site_dir, path)
                if not target.is_file() or target.read_bytes() != data:
                    write_files(self.site_dir, [(path, data)])
        except Cancelled:
            # what this settle wrote is the next one's to remove if that no longer makes it
            self.side = None if self.side is None else self.side | made
            raise
        if self.side is not None:
            for path in self.side - made:
                _remove(self.site_dir, path)
        self.side = made

    def _downloads(self, site: Site) -> None:
        """/downloads/ as the engine made it, then its table of the files just written."""
        if DOWNLOADS in self.engine:
            write_files(self.site_dir, [(dest_uri(DOWNLOADS), self.engine[DOWNLOADS][1].encode())])
            fill_downloads_page(site, self.site_dir)

    def _sitemap(self, files: SiteFiles) -> None:
        if self.raw_sitemap is None:
            return
        (self.site_dir / "sitemap.xml").write_text(self.raw_sitemap, encoding="utf-8")
        expand_sitemap(self.site_dir, self.shell_names, files.groups)
        restamp_sitemap(self.site_dir, files.site)

    def _reindex(self, cancelled: Callable[[], bool]) -> None:
        """Pagefind over every search page again, into a new directory swapped in when done."""
        scratch = scratch_dir(self.site_dir)
        out = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.site_dir.parent))
        docs = dict(self.docs)
        try:
            write_files(scratch, sorted(docs.items()))  # address order, as the full build
            index = SearchIndex(scratch, out / "pagefind")
            index.start()
            failed: list[Exception] = []
            waiter = threading.Thread(target=_wait, args=(index, failed), daemon=True)
            waiter.start()
            while waiter.is_alive():
                waiter.join(0.05)
                if cancelled():
                    index.cancel()  # killed: its waiter returns with an error nobody needs
                    raise Cancelled
            if failed:
                raise failed[0]
            old = self.site_dir / "pagefind"
            gone = out / "old"
            if old.exists():
                old.rename(gone)
            (out / "pagefind").rename(old)
            self.indexed = docs
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)


def _wait(index: SearchIndex, failed: list[Exception]) -> None:
    try:
        index.wait()
    except Exception as exc:  # noqa: BLE001 - handed to the settling thread
        failed.append(exc)


def _check(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise Cancelled


def _remove(site_dir: Path, path: str) -> None:
    """A file of ours that is no longer made, and its folder when that is left empty."""
    target = confined(site_dir, path)
    target.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: other files live there
        if target.parent != site_dir:
            target.parent.rmdir()
