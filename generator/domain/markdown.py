"""Safe Markdown: what a record's Markdown field means, for pages, feeds and validation alike.

Text fields accept any Unicode, `<`, `>` and quotes included (contract): escaping is done here.
Markdown is rendered by cmark-gfm (C, GitHub's CommonMark) in its safe mode, which drops raw HTML and
blanks `javascript:`-style links; before that we escape every `<` that would open a tag outside code,
so `<script>` in a record is shown as text rather than silently removed.

No request to another origin, ever (contract): cmark's output then goes through an allow-list
sanitiser (nh3, the Rust ammonia library): only the tags and attributes cmark makes for the
Markdown we allow, no `<img>` at all, and a link only when it is http(s), site-relative (`/x`, not
`//x` or a backslash form) or a fragment; anything else loses its `href` and is plain text. Validation checks
the same rendered output (`unsafe_urls`, E209 and E211), so what validates is what is built.
Images are refused: a remote image is a request to another origin on every page view (and in
every feed reader), and records have no asset folder that could hold a site-relative one.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

_EXTENSIONS = ["table", "strikethrough"]

# Code (fenced blocks and inline spans) is left alone: cmark already escapes it.
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.S)

# `<` that starts a tag, comment or declaration, but not an autolink such as <https://…>.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])(?!(?:https?|mailto):)")


def _escape_tags(text: str) -> str:
    parts = _CODE.split(text)
    return "".join(p if i % 2 else _TAG_OPEN.sub("&lt;", p) for i, p in enumerate(parts))


# What cmark-gfm makes from the Markdown we allow (tables, strikethrough); `div` is our table wrap.
_TAGS = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "code"),
    *("em", "strong", "del", "a", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "div"),
}

_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
    "div": {"class"},
}

_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https"},
    link_rel=None,
    strip_comments=True,
)

# ammonia passes relative URLs through, and some leave the site in a browser: `//host`
# (protocol-relative), `/\host` (browsers read `\` as `/`). Every href is checked again with
# `safe_url`, the same rule validation applies; one that fails is removed.
_HREF = re.compile(r'\shref="([^"]*)"')

_HREF_OR_SRC = re.compile(r'<(a|img)\b[^>]*?\s(?:href|src)="([^"]*)"')

_SCHEME_OK = re.compile(r"https?://[^/\\]", re.I)


def safe_url(url: str) -> bool:
    """An http(s) URL, a site-relative path or a fragment: nothing that leaves the site unasked."""
    u = url.strip()
    if "\\" in u or "%5c" in u.lower() or any(ord(ch) < 0x21 for ch in u):
        return False
    if u == "" or u.startswith("#"):
        return True
    if u.startswith("/"):
        return not u.startswith("//")
    return bool(_SCHEME_OK.match(u))


def sanitise(html: str) -> str:
    """The allow-list pass over rendered Markdown (see the module docstring)."""
    return _HREF.sub(_keep_safe_href, _CLEANER.clean(html))


def _keep_safe_href(m: re.Match[str]) -> str:
    return m.group(0) if safe_url(html_lib.unescape(m.group(1))) else ""


def _cmark(text: str, options: int) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(
        _escape_tags(text), options=options, extensions=_EXTENSIONS
    )


def unsafe_urls(text: str) -> list[tuple[int, str, str]]:
    """(line within `text`, "link" | "image", destination) of every link or image whose target
    is not allowed, and of every image (images are refused whatever their target).

    Rendered by the same cmark as the build, but without its safe mode, so that entity and
    backslash escapes, reference definitions and autolinks are resolved exactly as a browser
    would see them. The line is the first line at which the destination appears when the text
    is rendered line by line (a reference definition's line, not its use).
    """
    if "](" not in text and "]:" not in text and "<" not in text:
        # Inline links and images need `](`; reference links need a definition `[x]:` in the
        # same text (each field is its own document); autolinks need `<`.
        return []
    found = _bad(_cmark(text, Options.CMARK_OPT_UNSAFE))
    if not found:
        return []
    lines = text.split("\n")
    out = []
    for kind, url in found:
        line = next(
            (
                i
                for i in range(1, len(lines) + 1)
                if (kind, url) in _bad(_cmark("\n".join(lines[:i]), Options.CMARK_OPT_UNSAFE))
            ),
            1,
        )
        out.append((line, kind, url))
    return out


def _bad(html: str) -> list[tuple[str, str]]:
    out = []
    for tag, raw in _HREF_OR_SRC.findall(html):
        url = html_lib.unescape(raw)
        kind = "image" if tag == "img" else "link"
        if kind == "image" or not safe_url(url):
            out.append((kind, url))
    return out


@lru_cache(maxsize=1 << 16)
def markdown(text: str | None) -> Markup:
    """Render Markdown from a record to safe HTML (raw HTML is shown as text, never rendered).

    Cached: condition items and notes repeat across records, and feeds render announcement
    bodies again (Markup is an immutable str, so sharing it is safe)."""
    if not text:
        return Markup("")
    html = sanitise(_cmark(text, Options.CMARK_OPT_DEFAULT))
    # Tables get a wrapper so they scroll sideways on a phone instead of breaking the layout.
    html = html.replace("<table>", '<div class="reg-table-wrap"><table>').replace(
        "</table>", "</table></div>"
    )
    return Markup(html)


def inline_markdown(text: str | None) -> Markup:
    """One-paragraph Markdown (condition items) without the wrapping <p>."""
    html = str(markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
