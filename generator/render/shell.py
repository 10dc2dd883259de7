"""Record and announcement pages through one shell per section: the theme renders a page once, we
fill it in ten thousand times.

Every page of a section sits at the same depth (`approved/<id>/`), so the theme's chrome (header,
tabs, footer, relative links) is the same on all of them; what differs is the title, the address,
the feeds, the publication date and the content. The engine (MkDocs here, any other later) renders
a *shell*: an ordinary page of that section whose varying parts are markers. `Shell` cuts its
output at the markers once; `fill()` joins the pieces with each page's values, which costs a
string join instead of the engine's whole per-page pipeline (about 20 s of MkDocs at 10,000
records). A test builds the sample site both ways and compares every file.

The chrome also prints data (registry.yaml's title, authority, disclaimer, site_info), so a fixed
marker could be spelled by data and taken for a slot (a footer rewritten on every page, or a build
that fails). Every marker of a build therefore carries `Marks.nonce`, 38 random decimal digits
drawn when the build starts, after the data is read, and written to no output: data cannot contain
what did not exist when it was written. Only the exact markers of this shell are slots; any other
occurrence of the nonce means the theme changed a marker (escaped a title twice, dropped the
content) and fails the build. The values go in after the cut and are never searched.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import escape

from generator.render.page import GeneratedPage

# every shell's file name starts with it (the MkDocs plugin finds the shells in sitemap.xml by
# `ID` and digits): `REGSHELLID<nonce><n>`
ID = "REGSHELLID"
NONCE_DIGITS = 38  # about 126 bits
# what an id or feed path may hold to be put into an address as it is: the engine would
# percent-encode anything else, and the shell could not follow
_PLAIN = re.compile(r"[A-Za-z0-9._~/-]+")


class ShellError(RuntimeError):
    """The theme put a marker where we cannot fill it in (a theme change): fail the build."""


@dataclass(frozen=True)
class ShellKey:
    """Pages that share one shell: same section folder, same number of feeds, dated or not."""

    section: str
    feeds: int
    dated: bool


@dataclass(frozen=True)
class Marks:
    """The markers of one build's shells; `Marks.new()` draws the nonce."""

    nonce: str

    @classmethod
    def new(cls) -> Marks:
        return cls(f"{secrets.randbelow(10**NONCE_DIGITS):0{NONCE_DIGITS}d}")

    @property
    def prefix(self) -> str:
        return f"{ID}{self.nonce}"

    def id(self, n: int) -> str:
        return f"{self.prefix}{n}"

    @property
    def title(self) -> str:  # with an ampersand: its escaped form shows how titles are escaped
        return f"{self.prefix}&TITLE"

    @property
    def content(self) -> str:
        # Material adds an <h1> of the page title when the content has none; ours always has
        # one, and so must the shell's content, or every filled page would get a second title
        return f"<h1>{self.prefix}CONTENT</h1>"

    @property
    def date(self) -> str:
        return f"{self.prefix}DATE"

    def feed(self, i: int) -> tuple[str, str]:
        return f"{self.prefix}FEEDTITLE{i}", f"{self.prefix}FEEDHREF{i}"

    def slots(self, key: ShellKey, n: int) -> dict[str, str]:
        """Marker as the theme prints it → slot name, for the `n`-th shell (`key`'s)."""
        slots = {self.id(n): "id", str(escape(self.title)): "title", self.content: "content"}
        if key.dated:
            slots[self.date] = "date"
        for i in range(key.feeds):
            title, href = self.feed(i)
            slots[title] = f"feed_title{i}"
            slots[href] = f"feed_href{i}"
        return slots


def shell_key(page: GeneratedPage) -> ShellKey | None:
    """The shell a page can be filled into, or None when it must go through the engine itself
    (section index pages, pages not one level below a section)."""
    parts = page.src_uri.removesuffix(".md").split("/")
    if len(parts) != 2 or parts[1] == "index" or not page.shell:
        return None
    return ShellKey(parts[0], len(page.feeds), page.pub_date is not None)


def shell_page(key: ShellKey, n: int, marks: Marks) -> GeneratedPage:
    """The `n`-th shell the engine renders (`key`'s): markers wherever a real page has its own
    values. Its file name `marks.id(n)` keeps two shells of one section apart."""
    feeds = tuple(marks.feed(i) for i in range(key.feeds))
    return GeneratedPage(
        f"{key.section}/{marks.id(n)}.md",
        marks.title,
        lambda: marks.content,
        feeds,
        pub_date=marks.date if key.dated else None,
        shell=True,
    )


class Shell:
    """The engine's output for the `n`-th shell page (`key`'s), cut at its markers."""

    def __init__(self, html: str, marks: Marks, key: ShellKey, n: int) -> None:
        self.key = key
        slots = marks.slots(key, n)
        # longest first, so that the marker of shell 1 does not match in that of shell 12
        known = "|".join(_exact(m) for m in sorted(slots, key=len, reverse=True))
        cut = re.compile(rf"({known})|{re.escape(marks.prefix)}")
        self.pieces: list[str] = []
        self.slots: list[str] = []
        last = 0
        for m in cut.finditer(html):
            if m.group(1) is None:  # e.g. a title escaped twice, or not at all: the theme changed
                raise ShellError(f"页面外壳中出现无法识别的占位“{_shown(html, m, marks)}”")
            self.pieces.append(html[last : m.start()])
            self.slots.append(slots[m.group(1)])
            last = m.end()
        self.pieces.append(html[last:])
        if self.slots.count("content") != 1:
            raise ShellError(
                f"页面外壳中的正文占位出现 {self.slots.count('content')} 次（应为 1 次）"
            )

    def fill(self, page: GeneratedPage, content: str) -> str:
        if "<h1" not in content:
            raise ShellError(f"{page.src_uri} 的正文没有 <h1> 标题，不能按外壳生成")
        if shell_key(page) != self.key:
            raise ShellError(f"{page.src_uri} 不属于这个页面外壳（{self.key}）")
        values = _values(page, content)
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return "".join(out)


def _exact(marker: str) -> str:
    """A marker's pattern; one ending in a digit must not be followed by another (shell 1, 12)."""
    return re.escape(marker) + (r"(?!\d)" if marker[-1].isdigit() else "")


def _shown(html: str, m: re.Match[str], marks: Marks) -> str:
    """The unknown marker in a message, its nonce shortened (it is never shown in full)."""
    return html[m.start() : m.start() + len(marks.prefix) + 20].replace(marks.nonce, "…")


def _values(page: GeneratedPage, content: str) -> dict[str, str]:
    """Each slot's text for `page`: text escaped, addresses only of characters that need none."""
    values = {
        "id": _plain(page.src_uri.removesuffix(".md").split("/")[1], page),
        "content": content,
        "date": str(escape(page.pub_date or "")),
        "title": str(escape(page.title)),
    }
    for i, (title, href) in enumerate(page.feeds):
        values[f"feed_title{i}"] = str(escape(title))
        values[f"feed_href{i}"] = _plain(href, page)
    return values


def _plain(address: str, page: GeneratedPage) -> str:
    if not _PLAIN.fullmatch(address):
        raise ShellError(f"{page.src_uri} 的地址“{address!r}”含有需要编码的字符，不能按外壳生成")
    return address


def fill_pages(
    shell_html: str,
    pages: Iterable[tuple[GeneratedPage, str]],
    marks: Marks,
    key: ShellKey,
    n: int,
) -> Iterable[str]:
    """Every page of one shell, filled in; `pages` yields (page, its content, relativized)."""
    shell = Shell(shell_html, marks, key, n)
    for page, content in pages:
        yield shell.fill(page, content)
