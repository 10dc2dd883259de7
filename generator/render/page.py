"""A generated page: where it goes, its title, and how to render its HTML (lazily).

The plugin registers each one with MkDocs as an in-memory file whose Markdown is empty and swaps in
our HTML in `on_page_content`. Templates write site-absolute links (`/approved/…/`); `relativize`
turns them into relative ones so the site also works under a sub-path (GitHub Pages project sites).
"""

from __future__ import annotations

from collections.abc import Callable
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


def relativize(html: str, depth: int) -> str:
    prefix = root_prefix(depth)
    return html.replace('href="/', f'href="{prefix}')
