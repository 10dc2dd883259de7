"""The autoescaping Jinja environment of our templates (render/templates/); Markdown fields go
through domain/markdown.py."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from generator.domain.dates import cn_date
from generator.domain.markdown import inline_markdown, markdown

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # the templates are package files that do not change during a build: without this,
        # every render and every fragment import stats its file (20,000 stats at 4,000 records)
        auto_reload=False,
    )
    env.filters["md"] = markdown
    env.filters["md_inline"] = inline_markdown
    env.filters["cn_date"] = cn_date
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
