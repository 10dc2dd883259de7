"""HTML rendering primitives: safe Markdown and an autoescaping Jinja environment.

Text fields accept any Unicode, `<`, `>` and quotes included (contract): escaping is done here.
Markdown is rendered by cmark-gfm (C, GitHub's CommonMark) in its safe mode, which drops raw HTML and
blanks `javascript:`-style links; before that we escape every `<` that would open a tag outside code,
so `<script>` in a record is shown as text rather than silently removed. Links are checked by the
models too (E209): only http(s) and site-relative links are accepted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
_EXTENSIONS = ["table", "strikethrough"]
# Code (fenced blocks and inline spans) is left alone: cmark already escapes it.
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.S)
# `<` that starts a tag, comment or declaration, but not an autolink such as <https://…>.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])(?!(?:https?|mailto):)")


def _escape_tags(text: str) -> str:
    parts = _CODE.split(text)
    return "".join(p if i % 2 else _TAG_OPEN.sub("&lt;", p) for i, p in enumerate(parts))


def markdown(text: str | None) -> Markup:
    """Render Markdown from a record to safe HTML (raw HTML is shown as text, never rendered)."""
    if not text:
        return Markup("")
    html = cmarkgfm.markdown_to_html_with_extensions(
        _escape_tags(text), options=Options.CMARK_OPT_DEFAULT, extensions=_EXTENSIONS
    )
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


def cn_date(value: Any) -> str:
    """2026-06-15 → 2026年6月15日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown
    env.filters["md_inline"] = inline_markdown
    env.filters["cn_date"] = cn_date
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
