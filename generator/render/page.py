"""A generated page: where it goes, its title, and how to render its HTML (lazily).

The plugin registers each one with MkDocs as an in-memory file whose Markdown is empty and swaps in
our HTML in `on_page_content`. Templates write site-absolute links (`/approved/…/`); `relativize`
turns them into relative ones so the site also works under a sub-path (GitHub Pages project sites).

Our HTML is searched for markup only inside tags, never in text: Jinja escapes `<`, `>` and `"`
everywhere, the Markdown sanitiser (nh3) escapes `<` and `>` in text and `<`, `>` and `"` in
attribute values, so a raw `<` always opens a tag and `<[^<>]*>` is exactly one tag; a quote in a
record's text (`href="/x` in a summary) is text and stays as it was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass
class GeneratedPage:
    src_uri: str  # e.g. "approved/BMT-2026-001.md"; MkDocs maps it to approved/BMT-2026-001/
    title: str  # plain text; escaped where it is put into HTML
    render: Callable[[], str]
    # (title, path under site/) of the page's Atom feeds, for <link rel="alternate feed">
    feeds: tuple[tuple[str, str], ...] = ()
    # article pages (records, announcements): the date for <meta name="PubDate"> (政府网站发展指引)
    pub_date: str | None = None
    # one of many pages of a section that differ only in their values: filled into the section's
    # shell (render/shell.py) instead of going through the engine one by one
    shell: bool = False

    @property
    def depth(self) -> int:
        """Directory depth of the page's URL (index.md → 0, approved/index.md → 1, approved/X.md → 2)."""
        parts = self.src_uri[: -len(".md")].split("/")
        return len(parts) - 1 if parts[-1] == "index" else len(parts)


def root_prefix(depth: int) -> str:
    """Relative path from a page at `depth` back to the site root."""
    return "../" * depth or "./"


_LINK = 'href="/'


def relativize(html: str, depth: int) -> str:
    """Site-absolute links made relative to a page at `depth`, in tags only."""
    link = f'href="{root_prefix(depth)}'
    out: list[str] = []
    done = 0
    for at in in_tags(html, _LINK):
        out += (html[done:at], link)
        done = at + len(_LINK)
    out.append(html[done:])
    return "".join(out)


def has_attribute(html: str, name: str) -> bool:
    """Whether a tag of `html` carries the attribute `name` (text that spells it does not count)."""
    for at in in_tags(html, name):
        end = at + len(name)
        if html[at - 1].isspace() and (end == len(html) or html[end] in " \t\n=/>"):
            return True
    return False


def in_tags(html: str, needle: str) -> Iterator[int]:
    """Where `needle` occurs inside a tag of `html` and outside its attribute values (after a `<`
    with no `>` between, after an even number of `"` since that `<`), in one pass: the text before
    each occurrence is read only since the one before."""
    last_lt = last_gt = -1
    quotes = scanned = 0  # quotes: `"` between last_lt and scanned
    at = html.find(needle)
    while at != -1:
        lt = html.rfind("<", scanned, at)
        if lt != -1:
            last_lt, quotes = lt, html.count('"', lt, at)
        else:
            quotes += html.count('"', scanned, at)
        last_gt = max(last_gt, html.rfind(">", scanned, at))
        scanned = at
        if last_lt > last_gt and quotes % 2 == 0:
            yield at
        at = html.find(needle, at + len(needle))
