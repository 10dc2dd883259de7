"""What MkDocs itself makes, made by the plain engine: the hand-written pages of docs_dir (about.md,
api.md …) rendered from their Markdown, the files beside them (assets/), 404.html and sitemap.xml.

The Markdown goes through the project's own renderer (domain/markdown.py: cmark-gfm, then the
allow-list sanitiser), as records do. Relative links are resolved as MkDocs resolves them (a link
to `downloads/index.md` is the page `downloads/`, `api/records.json` the file) and written
site-absolute, so that the sanitiser keeps them and `relativize` makes them relative to the page.
Headings get MkDocs' ids (Python-Markdown's toc slugs: `_1`, `_2` … for Chinese), so anchors into
about/ and api/ are the same under both engines.
"""

from __future__ import annotations

import gzip
import html as html_lib
import os
import posixpath
import re
import shutil
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from generator.domain.errors import Problem, problem
from generator.domain.markdown import render, sanitise
from generator.outputs.assemble import dest_uri
from generator.outputs.redirects import redirect_clashes
from generator.publish.views import Site
from generator.render.page import GeneratedPage, relativize

_HREF = re.compile(r'href="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)
_HEADING = re.compile(r"<(h[1-6])>(.*?)</\1>", re.S)
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def _resolve(href: str, src_uri: str) -> str:
    """A relative link of the page `src_uri`, site-absolute (MkDocs' rule for `.md` targets)."""
    if _EXTERNAL.match(href):
        return href
    path, hash_, fragment = html_lib.unescape(href).partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)) if path else ""
    if target.endswith(".md"):
        target = dest_uri(target).removesuffix("index.html")
    address = "/" + ("" if target == "." else target) if path else ""
    return html_lib.escape(address + hash_ + fragment)


def _slug(text: str) -> str:
    """Python-Markdown's toc slugify (ASCII only: a Chinese heading slugs to nothing)."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def _unique(slug: str, seen: set[str]) -> str:
    while slug in seen or not slug:
        m = re.match(r"^(.*)_([0-9]+)$", slug)
        slug = f"{m.group(1)}_{int(m.group(2)) + 1}" if m else f"{slug}_1"
    seen.add(slug)
    return slug


def _heading_ids(html: str) -> str:
    seen: set[str] = set()

    def add(m: re.Match[str]) -> str:
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        return f'<{m.group(1)} id="{_unique(_slug(text), seen)}">{m.group(2)}</{m.group(1)}>'

    return _HEADING.sub(add, html)


def page_html(text: str, src_uri: str) -> str:
    """A hand-written page's content: our Markdown, its links resolved, headings with ids."""
    linked = _HREF.sub(lambda m: f'href="{_resolve(m.group(1), src_uri)}"', render(text))
    html = sanitise(linked).replace("<table>", '<div class="reg-table-wrap"><table>')
    html = html.replace("</table>", "</table></div>")
    depth = GeneratedPage(src_uri, "", str).depth
    return relativize(_heading_ids(html), depth)


def _skipped(path: Path, docs: Path, theme: Path | None) -> bool:
    rel = path.relative_to(docs)
    hidden = any(part.startswith(".") for part in rel.parts)
    return hidden or (theme is not None and path.is_relative_to(theme))


def docs_files(docs: Path | None, theme: Path | None) -> Iterator[tuple[str, Path]]:
    """(path under docs_dir, file) of every regular file there, sorted; the theme's folder, dot
    files and links left out (a link is no file of ours, wherever it points)."""
    if docs is None or not docs.is_dir():
        return
    for folder, dirs, names in os.walk(docs):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file() or _skipped(path, docs, theme):
                continue
            yield path.relative_to(docs).as_posix(), path


def handwritten_pages(
    docs: Path | None, theme: Path | None, nav: dict[str, str], taken: set[str]
) -> list[GeneratedPage]:
    """The hand-written pages not replaced by one of ours (`taken`: generated sources); the
    title is the navigation's, else the first heading."""
    pages = []
    for src_uri, path in docs_files(docs, theme):
        if not src_uri.endswith(".md") or src_uri in taken:
            continue
        text = path.read_text(encoding="utf-8")
        heading = _H1.search(text)
        title = nav.get(src_uri) or (heading.group(1) if heading else src_uri.removesuffix(".md"))
        pages.append(GeneratedPage(src_uri, title, lambda t=text, s=src_uri: page_html(t, s)))
    return pages


def copy_static(docs: Path | None, theme: Path | None, site_dir: Path) -> list[str]:
    """Copy docs_dir's other files (assets/) into the site, as MkDocs does; their paths."""
    copied = []
    for rel, path in docs_files(docs, theme):
        if rel.endswith(".md"):
            continue
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(rel)
    return copied


def build_time() -> int:
    """The build's timestamp, as MkDocs takes it: SOURCE_DATE_EPOCH, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch else int(datetime.now(UTC).timestamp())


def build_day() -> date:
    """The sitemap's lastmod: the build timestamp's day (UTC), as MkDocs dates it."""
    return datetime.fromtimestamp(build_time(), UTC).date()


def write_sitemap(site_dir: Path, site_url: str, addresses: list[str]) -> None:
    """sitemap.xml (and .gz) in MkDocs' format, one <url> per page address."""
    day, base = build_day().isoformat(), site_url.rstrip("/") + "/" if site_url else "/"
    blocks = "".join(
        f"    <url>\n         <loc>{html_lib.escape(base + a)}</loc>\n"
        f"         <lastmod>{day}</lastmod>\n    </url>\n"
        for a in addresses
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{blocks}</urlset>"
    )
    (site_dir / "sitemap.xml").write_text(text, encoding="utf-8")
    mtime = build_time()
    with open(site_dir / "sitemap.xml.gz", "wb") as f, gzip.GzipFile(None, "wb", 9, f, mtime) as z:
        z.write(text.encode("utf-8"))


def clash_problems(site: Site, outputs: set[str]) -> list[Problem]:
    """E314 for each redirect whose page would overwrite a file of the build (any engine)."""
    doc = site.config_doc
    shown = doc.file if doc is not None else "data/registry.yaml"
    problems = []
    for old in redirect_clashes(site, outputs):
        line, col = doc.where(("redirects", old), key=True) if doc is not None else (1, 1)
        detail = f"“{old}” 会覆盖本站生成的页面或文件；请删除这一项或换一个来源地址"
        problems.append(problem("E314", shown, line, col, f"redirects.{old}", detail=detail))
    return problems
