"""HTML rendering primitives: safe Markdown and an autoescaping Jinja environment.

Text fields accept any Unicode, `<`, `>` and quotes included (contract): escaping is done here.
Markdown is rendered by markdown-it-py with raw HTML disabled (so `<script>` shows as text) and a
link check on top of its own (only http(s) and site-relative links become links).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .models import safe_link

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


def markdown(text: str | None) -> Markup:
    """Render Markdown from a record to safe HTML (raw HTML is escaped, never rendered)."""
    if not text:
        return Markup("")
    html = _markdown().render(text)
    # Tables get a wrapper so they scroll sideways on a phone instead of breaking the layout.
    html = html.replace("<table>", '<div class="reg-table-wrap"><table>').replace(
        "</table>", "</table></div>"
    )
    return Markup(html)


def inline_markdown(text: str | None) -> Markup:
    """One-paragraph Markdown (condition items) without the wrapping <p>."""
    if not text:
        return Markup("")
    return Markup(_markdown().renderInline(text))


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


def attr(text: str) -> str:
    """Escape for an HTML attribute value outside Jinja (e.g. in mkdocs templates)."""
    return str(escape(text))
