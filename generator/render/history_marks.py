"""Changed words marked (`<del>`/`<ins>`) in text as people read it: plain text escaped, Markdown
rendered, for the 修订记录 of record pages (render/history_view.py).

Markdown is rendered first and the words are marked in the rendered text, not in the source. Both
versions go through the one safe path record pages use (domain/markdown.py: cmark in safe mode,
then the nh3 allow-list, `inline_markdown` for a condition item, `markdown` for a document);
the new version's sanitised HTML is then cut into tags and text nodes, the text of both versions is
compared with `domain/wordmarks.mark_words`, and the new HTML is written out again with every tag
as the sanitiser left it and every piece of text escaped again, wrapped in `<ins>` where it is new;
deleted text is inserted, escaped, as `<del>` at the place it was. Why not mark the source and then
render it: marks put into Markdown source change what it means (a mark inside `**` or a table row
breaks the syntax, and the old and the new text would have to be rendered as one document, deleted
syntax and all); marks put into the rendered text never change a tag, so the result is the
sanitiser's own HTML plus two fixed tags, and a mark split at a tag boundary is closed and reopened
around the tag, so it always nests. Deleted text loses its formatting (it is shown as plain text).
"""

from __future__ import annotations

import html as html_lib
import re

from markupsafe import Markup, escape

from generator.domain.markdown import inline_markdown, markdown
from generator.domain.wordmarks import mark_words

# The serialised output of the sanitiser: a text node never holds `<` (it is `&lt;`), and every
# attribute value is double-quoted (it may hold `>`), so this cuts it into tags and text exactly.
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')

_BREAKS = re.compile(r"\s*\n\s*")

# Visually hidden words a screen reader says (`.reg-sr-only`, registry.css): colour and line style are
# not read aloud.
LABELS = {"del": "删除：", "ins": "新增："}


def _mark(kind: str, text: str) -> str:
    """One marked run: the hidden label, the escaped text, a hidden closing bracket. Deleted
    text may span blocks (a removed table): its line breaks are said as spaces."""
    if kind == "del":
        text = _BREAKS.sub(" ", text)
    label = f'<span class="reg-sr-only">〔{LABELS[kind]}</span>'
    return f'<{kind}>{label}{escape(text)}<span class="reg-sr-only">〕</span></{kind}>'


def marked_text(old: str, new: str) -> Markup:
    """`new` as plain text, escaped, with the words changed from `old` marked."""
    return Markup(
        "".join(_mark(m, t) if m != "same" else str(escape(t)) for m, t in _runs(old, new))
    )


def _runs(old: str, new: str) -> list[tuple[str, str]]:
    return list(mark_words(old, new))


def rendered(text: str, inline: bool) -> Markup:
    """`text` rendered as record pages render it (`inline`: one condition item)."""
    return inline_markdown(text) if inline else markdown(text)


def marked_markdown(old: str, new: str, inline: bool = False) -> Markup:
    """`new` rendered as Markdown, with the words changed from `old` marked (module docstring)."""
    html = marked_html(rendered(old, inline), rendered(new, inline))
    return html if inline else changed_blocks(html)


def _pieces(html: str) -> list[tuple[bool, str]]:
    """(is a tag, raw text) of sanitised HTML, in order; text unescaped."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _TAG.finditer(html):
        if m.start() > pos:
            out.append((False, html_lib.unescape(html[pos : m.start()])))
        out.append((True, m.group()))
        pos = m.end()
    if pos < len(html):
        out.append((False, html_lib.unescape(html[pos:])))
    return out


def marked_html(old_html: str, new_html: str) -> Markup:
    """The new sanitised HTML with its text marked against the old one's (module docstring)."""
    pieces = _pieces(new_html)
    old_text = "".join(t for tag, t in _pieces(old_html) if not tag)
    runs = _runs(old_text, "".join(t for tag, t in pieces if not tag))
    out: list[str] = []
    waiting: list[str] = []  # deleted text kept for the next text that is not blank
    last = -1  # where in `out` the last non-blank text ended (deletions left at the end go there)
    for tag, text in pieces:
        if tag:
            out.append(text)
            continue
        blank = not text.strip()
        if not blank:
            out += waiting
            waiting = []
        out += _consume(runs, len(text), waiting if blank else None)
        if not blank:
            out += [_mark("del", t) for t in _leading_dels(runs)]
            last = len(out)
    tail = waiting + [_mark("del", t) for m, t in runs if m == "del"]
    if last < 0:
        return Markup("".join(out + tail))
    return Markup("".join(out[:last] + tail + out[last:]))


def _leading_dels(runs: list[tuple[str, str]]) -> list[str]:
    """Deleted runs at the head of `runs`, taken off it (they attach to the text just written)."""
    taken = []
    while runs and runs[0][0] == "del":
        taken.append(runs.pop(0)[1])
    return taken


def _consume(runs: list[tuple[str, str]], n: int, aside: list[str] | None) -> list[str]:
    """The next `n` characters of the new text, escaped and marked, taken off `runs`; deleted
    runs met on the way are written in place, or put `aside` (blank text between blocks)."""
    out: list[str] = []
    while n > 0 and runs:
        mark, text = runs[0]
        if mark == "del":
            (out if aside is None else aside).append(_mark("del", text))
            runs.pop(0)
            continue
        part, rest = text[:n], text[n:]
        # blank text between blocks is layout, not words: never marked
        new = mark == "ins" and aside is None
        out.append(_mark("ins", part) if new else str(escape(part)))
        n -= len(part)
        if rest:
            runs[0] = (mark, rest)
        else:
            runs.pop(0)
    return out


_VOID = {"br", "hr"}  # the only void elements the sanitiser lets through
_HEADING = re.compile(r"<h[1-6][ >]")


def _blocks(html: str) -> list[str]:
    """The top-level elements of (marked) sanitised HTML, blank text between them dropped."""
    blocks: list[str] = []
    depth, start, pos = 0, 0, 0
    for m in _TAG.finditer(html):
        if depth == 0 and html[pos : m.start()].strip():
            blocks.append(html[pos : m.start()])
        tag = m.group()
        name = tag[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower()
        if depth == 0:
            start = m.start()
        if name not in _VOID:
            depth += -1 if tag.startswith("</") else 1
        if depth == 0:
            blocks.append(html[start : m.end()])
        pos = m.end()
    if html[pos:].strip():
        blocks.append(html[pos:])
    return blocks


def changed_blocks(html: str) -> Markup:
    """Only the blocks of a marked document that hold a change, each after the heading it
    stands under; the blocks left out are said as one line (a long 操作规范 changed in one word
    shows that word, not the whole text again)."""
    blocks = _blocks(html)
    keep: set[int] = set()
    heading = -1
    for i, b in enumerate(blocks):
        if _HEADING.match(b):
            heading = i
        if "<ins>" in b or "<del>" in b:
            keep.update(x for x in (heading, i) if x >= 0)
    out: list[str] = []
    skipped = 0
    for i, b in enumerate(blocks):
        if i not in keep:
            skipped += 1
            continue
        if skipped:
            out.append(f'<p class="reg-elided">（未改动的 {skipped} 段从略）</p>')
        out.append(b)
        skipped = 0
    if skipped and out:
        out.append(f'<p class="reg-elided">（未改动的 {skipped} 段从略）</p>')
    return Markup("\n".join(out)) if out else Markup(html)
