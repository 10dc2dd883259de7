"""Safe Markdown: what a record's Markdown field means, for pages, feeds and validation alike.

Text fields accept any Unicode, `<`, `>` and quotes included (contract): escaping is done here.
Markdown is rendered by cmark-gfm (C, GitHub's CommonMark) in its safe mode, which drops raw HTML and
blanks `javascript:`-style links; before that every `<` that would open a tag is replaced by a
stand-in character, which cmark treats as plain text wherever it stands (paragraphs and code alike)
and which becomes `&lt;` in the HTML, so `<script>` in a record is shown as text rather than
silently removed, and `x = <b>` in a code block shows as written.

No request to another origin, ever (contract): cmark's output then goes through an allow-list
sanitiser (nh3, the Rust ammonia library): only the tags and attributes cmark makes for the
Markdown we allow, no `<img>` at all, and a link only when it is http(s), site-relative (`/x`, not
`//x` or a backslash form) or a fragment; anything else loses its `href` and is plain text. Validation
walks the syntax tree of the same parse (`inspect`, E209, E211 and E215), so what validates is what
is built. Images are refused: a remote image is a request to another origin on every page view (and
in every feed reader), and records have no asset folder that could hold a site-relative one.

Bounded work: one parse per field, linear in its length (cmark's own guarantee). Nesting deeper than
MAX_NESTING (block quotes, lists, emphasis …) is refused at validation (E215): the sanitiser's HTML
parser is quadratic in nesting depth (100,000 nested quotes took it minutes). cmarkgfm's wrappers
never free the parse tree nor the rendered string (≈50 MB leaked per call on a 1 MiB field), so the
library is called here through its C API (cffi), freeing both (`_Parse`).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import cffi
import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options
from markupsafe import Markup

# Containers open at once, the document not counted: `- - > *a*` is 5 (list, item, quote,
# paragraph, emphasis). Real records stay under 15; a 1 MiB field at this depth sanitises in well
# under a second.
MAX_NESTING = 32

_EXTENSIONS = [b"table", b"strikethrough"]

# `<` that starts a tag, comment or declaration, but not an autolink such as <https://…>.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])(?!(?:https?|mailto):)")

# --- cmark-gfm through its C API --------------------------------------------------------------

# cffi in ABI mode on the library cmarkgfm already loaded (its C API symbols are exported);
# cmarkgfm's own bindings declare too little of it to walk or free a tree.
_FFI = cffi.FFI()
_FFI.cdef(
    """
    typedef struct cmark_mem {
      void *(*calloc)(size_t, size_t);
      void *(*realloc)(void *, size_t);
      void (*free)(void *);
    } cmark_mem;
    cmark_mem *cmark_get_default_mem_allocator(void);
    void cmark_gfm_core_extensions_ensure_registered(void);
    void *cmark_find_syntax_extension(const char *name);
    void *cmark_parser_new(int options);
    int cmark_parser_attach_syntax_extension(void *parser, void *extension);
    void cmark_parser_feed(void *parser, const char *buffer, size_t len);
    void *cmark_parser_finish(void *parser);
    void *cmark_parser_get_syntax_extensions(void *parser);
    void cmark_parser_free(void *parser);
    void cmark_node_free(void *node);
    char *cmark_render_html(void *root, int options, void *extensions);
    void *cmark_iter_new(void *root);
    int cmark_iter_next(void *iter);
    void *cmark_iter_get_node(void *iter);
    void cmark_iter_free(void *iter);
    int cmark_node_get_type(void *node);
    const char *cmark_node_get_type_string(void *node);
    const char *cmark_node_get_url(void *node);
    int cmark_node_get_start_line(void *node);
    """
)
_C = _FFI.dlopen(_cmark.__file__)
_C.cmark_gfm_core_extensions_ensure_registered()
_EXT = [_C.cmark_find_syntax_extension(name) for name in _EXTENSIONS]
_FREE = _C.cmark_get_default_mem_allocator().free

_DONE, _ENTER = 1, 2

# Nodes without children: the iterator enters them but never exits (cmark's S_is_leaf).
_LEAVES = {
    *(b"text", b"softbreak", b"linebreak", b"code", b"html_inline"),
    *(b"html_block", b"code_block", b"thematic_break"),
}

_NAMES: dict[int, bytes] = {}  # node type -> its name (extension types are numbered at run time)


def _name(node: object) -> bytes:
    kind = _C.cmark_node_get_type(node)
    name = _NAMES.get(kind)
    if name is None:
        name = _NAMES[kind] = _FFI.string(_C.cmark_node_get_type_string(node))
    return name


class _Parse:
    """One cmark-gfm parse (tables and strikethrough) of `text`, freed on exit."""

    def __init__(self, text: str, options: int) -> None:
        self.options = options
        self.parser = _C.cmark_parser_new(options)
        for ext in _EXT:
            _C.cmark_parser_attach_syntax_extension(self.parser, ext)
        data = text.encode("utf-8", "surrogatepass")
        _C.cmark_parser_feed(self.parser, data, len(data))
        self.root = _C.cmark_parser_finish(self.parser)

    def __enter__(self) -> _Parse:
        return self

    def __exit__(self, *_exc: object) -> None:
        _C.cmark_node_free(self.root)
        _C.cmark_parser_free(self.parser)

    def html(self) -> str:
        extensions = _C.cmark_parser_get_syntax_extensions(self.parser)
        raw = _C.cmark_render_html(self.root, self.options, extensions)
        try:
            return _FFI.string(raw).decode("utf-8", "surrogatepass")
        finally:
            _FREE(raw)


# --- what the text means -------------------------------------------------------------------


def _stand_in(text: str) -> str:
    """A character that is not in `text` and that cmark reads as a letter (private use)."""
    if "\ue000" not in text:
        return "\ue000"
    used = set(text)
    free = (chr(c) for r in ((0xE001, 0xF900), (0xF0000, 0xFFFFE)) for c in range(*r))
    return next((c for c in free if c not in used), "")


def _prepare(text: str) -> tuple[str, str]:
    """(text for cmark, stand-in used for `<`, or "" when none was needed)."""
    if "<" not in text:
        return text, ""
    mark = _stand_in(text)
    if not mark:  # every stand-in taken (a contrived text): an entity, wrong only inside code
        return _TAG_OPEN.sub("&lt;", text), ""
    return _TAG_OPEN.sub(mark, text), mark


def _restore(html: str, mark: str) -> str:
    if not mark:
        return html
    # in text and attributes the stand-in means `<`; in an href cmark has percent-encoded it
    return html.replace(mark, "&lt;").replace(quote(mark), "%3C")


@dataclass(frozen=True)
class Inspection:
    """What validation needs from one parse of a field: the links and images that are not
    allowed (line within the text, "link" | "image", destination as a browser reads it), and the
    line at which nesting first passes MAX_NESTING (None when it never does)."""

    bad: list[tuple[int, str, str]]
    too_deep: int | None


_LINK_OR_IMAGE = re.compile(r'<a href="([^"]*)"|<img ')


def _clean(doc: _Parse, mark: str) -> bool:
    """Whether the tree holds no image and no link that `safe_url` refuses, read from its HTML
    rendered without safe mode (URLs as a browser reads them; C, no walk in Python). cmark only
    percent-encodes or entity-escapes an href, so an unsafe destination stays unsafe there: a
    false alarm costs the walk, never a miss."""
    raw = _C.cmark_render_html(
        doc.root, Options.CMARK_OPT_UNSAFE, _C.cmark_parser_get_syntax_extensions(doc.parser)
    )
    try:
        html = _FFI.string(raw).decode("utf-8", "surrogatepass")
    finally:
        _FREE(raw)
    for m in _LINK_OR_IMAGE.finditer(html):
        href = m.group(1)
        if href is None or not safe_url(
            html_lib.unescape(href).replace(mark, "<") if mark else html_lib.unescape(href)
        ):
            return False
    return True


def inspect(text: str, depth_possible: bool = True) -> Inspection:
    """Walk the syntax tree of the parse the build renders (same text, same extensions). When
    the caller knows the text cannot nest too deep (`nesting_possible`), a clean rendering
    (`_clean`) answers without the walk."""
    source, mark = _prepare(text)
    bad: list[tuple[int, str, str]] = []
    depth, too_deep = 0, None
    with _Parse(source, Options.CMARK_OPT_DEFAULT) as doc:
        if not depth_possible and _clean(doc, mark):
            return Inspection([], None)
        it = _C.cmark_iter_new(doc.root)
        try:
            while too_deep is None and (event := _C.cmark_iter_next(it)) != _DONE:
                if event != _ENTER:  # only containers are exited
                    depth -= 1
                    continue
                node = _C.cmark_iter_get_node(it)
                kind = _name(node)
                if kind in _LEAVES:
                    continue
                depth += 1
                if depth > MAX_NESTING + 1:  # + 1: the document; the rest is not walked
                    too_deep = _C.cmark_node_get_start_line(node)
                if kind == b"link" or kind == b"image":
                    raw = _C.cmark_node_get_url(node)
                    url = _FFI.string(raw).decode("utf-8", "surrogatepass") if raw else ""
                    url = url.replace(mark, "<") if mark else url
                    if kind == b"image" or not safe_url(url):
                        bad.append((_C.cmark_node_get_start_line(node), kind.decode(), url))
        finally:
            _C.cmark_iter_free(it)
    return Inspection(bad, too_deep)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a line's container prefix: quotes and list markers, each followed by a space or the line's end
_PREFIX = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*", re.M)
_MARKERS = re.compile(r">|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
_INLINE = "*_~["  # emphasis, strikethrough and links nest inline, within one paragraph
_OPENERS = ">*-+_~[.)"  # every container and inline nesting needs one of these
_INDENTS = re.compile(r"^[ \t]+", re.M)


def nesting_possible(text: str) -> bool:
    """False when `text` cannot nest past MAX_NESTING (no parse needed). First the count of every
    opener in the text (most fields stop there), then an upper bound per block
    of lines between blank lines (where nesting lives: only list items continue across a blank
    line, each level indented two columns or more): the document; for the deepest line, two nodes
    (list and item) per two columns of indentation and per quote or list marker of its prefix; two
    per inline opener of the block; and a paragraph or table (three)."""
    indent = max((len(m.expandtabs(4)) for m in _INDENTS.findall(text)), default=0)
    if 1 + indent + 2 + 2 * sum(text.count(c) for c in _OPENERS) + 3 <= MAX_NESTING:
        return False
    for block in _BLANK_LINE.split(text):
        inline = sum(block.count(c) for c in _INLINE)
        deepest = 0
        for m in _PREFIX.finditer(block):
            prefix = m.group()
            indent = len(prefix) - len(prefix.lstrip(" \t"))
            depth = len(prefix[:indent].expandtabs(4)) + 2 + 2 * len(_MARKERS.findall(prefix))
            deepest = max(deepest, depth)
        if 1 + deepest + 2 * inline + 3 > MAX_NESTING:
            return True
    return False


def unsafe_urls(text: str) -> list[tuple[int, str, str]]:
    """(line within `text`, "link" | "image", destination) of every link or image whose target
    is not allowed, and of every image (images are refused whatever their target): entity and
    backslash escapes, reference definitions and autolinks resolved exactly as a browser would
    see them. The line is where the link or image stands (for a reference link, its use)."""
    return inspect(text).bad


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


def _href_filter(_tag: str, attribute: str, value: str) -> str | None:
    """ammonia passes relative URLs through, and some leave the site in a browser: `//host`
    (protocol-relative), `/\\host` (browsers read `\\` as `/`). Every href is checked again with
    `safe_url`, the same rule validation applies; one that fails is removed. Done on the attribute
    itself (nh3's `attribute_filter`), never by searching the HTML: text that reads
    `href="…"` is prose and stays as written."""
    if attribute != "href":
        return value
    return value if safe_url(value) else None


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    attribute_filter=_href_filter,
    url_schemes={"http", "https"},
    link_rel=None,
    strip_comments=True,
)

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
    return _CLEANER.clean(html)


def render(text: str) -> str:
    """cmark's HTML for `text` (safe mode, `<` shown as text), before the sanitiser."""
    source, mark = _prepare(text)
    with _Parse(source, Options.CMARK_OPT_DEFAULT) as doc:
        return _restore(doc.html(), mark)


@lru_cache(maxsize=1 << 16)
def markdown(text: str | None) -> Markup:
    """Render Markdown from a record to safe HTML (raw HTML is shown as text, never rendered).

    Cached: condition items and notes repeat across records, and feeds render announcement
    bodies again (Markup is an immutable str, so sharing it is safe)."""
    if not text:
        return Markup("")
    html = sanitise(render(text))
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
