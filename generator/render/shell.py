"""Record and announcement pages through one shell per section: the theme renders a page once, we
fill it in ten thousand times.

Every page of a section sits at the same depth (`approved/<id>/`), so the theme's chrome (header,
tabs, footer, relative links) is the same on all of them; what differs is the title, the address,
the feeds, the publication date and the content. The engine (MkDocs here, any other later) renders
a *shell*: an ordinary page of that section whose varying parts are sentinels. `Shell` cuts its
output at the sentinels once; `fill()` joins the pieces with each page's values, which costs a
string join instead of the engine's whole per-page pipeline (about 20 s of MkDocs at 10,000
records). A test builds the sample site both ways and compares every file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import escape

from generator.render.page import GeneratedPage

ID = "REGSHELLID"  # the page's file name: in its address, canonical URL and sitemap entry
TITLE = "REGSHELL&TITLE"  # with an ampersand, so that its escaped form shows how titles are escaped
TITLE_ESCAPED = str(escape(TITLE))
DATE = "1999-09-09"  # a date the theme never prints by itself (a real page may carry it: values
# are put in after the shell is cut, never searched for sentinels)
# Material adds an <h1> of the page title when the content has none; ours always has one, and so
# must the shell's content, or every filled page would get a second title
CONTENT = "<h1>REGSHELLCONTENT</h1>"
FEED_TITLE = "REGSHELLFEEDTITLE{}"
FEED_HREF = "REGSHELLFEEDHREF{}"

_SENTINEL = re.compile(r"<h1>REGSHELLCONTENT</h1>|REGSHELL\w*|1999-09-09")
_FEED = re.compile(r"REGSHELLFEED(?:TITLE|HREF)\d+")
_ID = re.compile(r"REGSHELLID\d+")
_SLOTS = {"REGSHELLTITLE": "title", CONTENT: "content", DATE: "date"}


class ShellError(RuntimeError):
    """The theme put a sentinel where we cannot fill it in (a theme change): fail the build."""


@dataclass(frozen=True)
class ShellKey:
    """Pages that share one shell: same section folder, same number of feeds, dated or not."""

    section: str
    feeds: int
    dated: bool


def shell_key(page: GeneratedPage) -> ShellKey | None:
    """The shell a page can be filled into, or None when it must go through the engine itself
    (section index pages, pages not one level below a section)."""
    parts = page.src_uri.removesuffix(".md").split("/")
    if len(parts) != 2 or parts[1] == "index" or not page.shell:
        return None
    return ShellKey(parts[0], len(page.feeds), page.pub_date is not None)


def shell_page(key: ShellKey, n: int) -> GeneratedPage:
    """The `n`-th shell the engine renders (`key`'s): sentinels wherever a real page has its own
    values. Its file name `REGSHELLID<n>` keeps two shells of one section apart."""
    feeds = tuple((FEED_TITLE.format(i), FEED_HREF.format(i)) for i in range(key.feeds))
    return GeneratedPage(
        f"{key.section}/{ID}{n}.md",
        TITLE,
        lambda: CONTENT,
        feeds,
        pub_date=DATE if key.dated else None,
        shell=True,
    )


class Shell:
    """The engine's output for a shell page, cut at its sentinels."""

    def __init__(self, html: str) -> None:
        self.pieces: list[str] = []
        self.slots: list[str] = []
        last = 0
        for m in _SENTINEL.finditer(html):
            self.pieces.append(html[last : m.start()])
            self.slots.append(self._slot(html, m))
            last = m.end()
        self.pieces.append(html[last:])
        if self.slots.count("content") != 1:
            raise ShellError(
                f"页面外壳中的正文占位出现 {self.slots.count('content')} 次（应为 1 次）"
            )

    @staticmethod
    def _slot(html: str, m: re.Match[str]) -> str:
        text = m.group(0)
        slot = (
            "id"
            if _ID.fullmatch(text)
            else _SLOTS.get(text, text if _FEED.fullmatch(text) else None)
        )
        if slot is None:  # e.g. a title escaped twice, or not at all: the theme changed
            raise ShellError(f"页面外壳中出现无法识别的占位“{html[m.start() : m.start() + 30]}”")
        return slot

    def fill(self, page: GeneratedPage, content: str) -> str:
        if "<h1" not in content:
            raise ShellError(f"{page.src_uri} 的正文没有 <h1> 标题，不能按外壳生成")
        values = _values(page, content)
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return "".join(out)


def _values(page: GeneratedPage, content: str) -> dict[str, str]:
    values = {
        "id": page.src_uri.removesuffix(".md").split("/")[1],
        "content": content,
        "date": page.pub_date or "",
        "title": str(escape(page.title)),
    }
    for i, (title, href) in enumerate(page.feeds):
        values[FEED_TITLE.format(i)] = str(escape(title))
        values[FEED_HREF.format(i)] = href
    return values


def prepare(html: str) -> str:
    """Turn the escaped title sentinel into one token, so that `Shell` finds it by one pattern."""
    return html.replace(TITLE_ESCAPED, "REGSHELLTITLE")


def fill_pages(shell_html: str, pages: Iterable[tuple[GeneratedPage, str]]) -> Iterable[str]:
    """Every page of one shell, filled in; `pages` yields (page, its content, relativized)."""
    shell = Shell(prepare(shell_html))
    for page, content in pages:
        yield shell.fill(page, content)
