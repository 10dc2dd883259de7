"""The plain engine's chrome: what Material supplies under MkDocs, in one template of ours.

`PlainConfig` reads the few settings of mkdocs.yml an engine needs (site name and URL, docs_dir,
nav, the theme's own folder to leave out, extra CSS and JS, the registry plugin's options) with
PyYAML, never through MkDocs, so switching engines keeps one configuration. `chrome()` renders
`render/templates/plain_base.html` around a page's content: the header with the site title and the
Pagefind search, the navigation of the sections, the banner, and the footer with the disclaimer,
data version and site_info, with the same page metadata (政府网站发展指引) as the Material theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.outputs.assemble import dest_uri
from generator.publish.views import Site, chrome_values
from generator.render.jinja import render
from generator.render.page import GeneratedPage, root_prefix


@dataclass(frozen=True)
class PlainConfig:
    """What the plain engine reads of mkdocs.yml (paths resolved against its folder)."""

    project: Path = field(default_factory=Path.cwd)
    site_name: str = ""
    site_url: str = ""
    repo_url: str | None = None
    docs_dir: Path | None = None
    theme_dir: Path | None = None  # the theme's overrides: not pages, not copied
    nav: tuple[tuple[str, str], ...] = ()  # (title, page source), in order
    extra_css: tuple[str, ...] = ()
    extra_javascript: tuple[str, ...] = ()
    lang: str = "en"
    plugin: dict[str, Any] = field(default_factory=dict)  # the registry plugin's options

    @classmethod
    def load(cls, config_file: Path) -> PlainConfig:
        raw = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        project = Path(config_file).absolute().parent
        theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
        custom = theme.get("custom_dir")
        return cls(
            project=project,
            site_name=str(raw.get("site_name") or ""),
            site_url=str(raw.get("site_url") or ""),
            repo_url=raw.get("repo_url") or None,
            docs_dir=project / str(raw.get("docs_dir") or "docs"),
            theme_dir=project / str(custom) if custom else None,
            nav=tuple(_nav(raw.get("nav"))),
            extra_css=tuple(str(x) for x in raw.get("extra_css") or ()),
            extra_javascript=tuple(str(x) for x in raw.get("extra_javascript") or ()),
            lang=str(theme.get("language") or "en"),
            plugin=_registry_options(raw.get("plugins")),
        )


def _nav(nav: Any) -> list[tuple[str, str]]:
    """Top-level `title: page.md` entries (our navigation has no nesting)."""
    return [
        (str(title), target)
        for item in nav or []
        if isinstance(item, dict)
        for title, target in item.items()
        if isinstance(target, str)
    ]


def _registry_options(plugins: Any) -> dict[str, Any]:
    for item in plugins or []:
        if isinstance(item, dict) and "registry" in item:
            return dict(item["registry"] or {})
    return {}


def page_url(src_uri: str) -> str:
    """A page's address under the site root: `approved/X.md` → `approved/X/`."""
    return dest_uri(src_uri).removesuffix("index.html")


def columns(config: PlainConfig) -> dict[str, str]:
    """First path segment → navigation title (栏目), for <meta name="ColumnName">."""
    out = {"": "首页"}
    for title, target in config.nav:
        out[page_url(target).split("/")[0]] = title
    return out


def site_values(site: Site, config: PlainConfig) -> dict[str, Any]:
    """What every page's chrome prints (the Material theme reads the same from the plugin)."""
    return {
        **chrome_values(site, config.site_url),
        "name": config.site_name or site.config.title,
        "url": config.site_url.rstrip("/") + "/" if config.site_url else "",
        "css": config.extra_css,
        "js": config.extra_javascript,
    }


def chrome(
    page: GeneratedPage,
    content: str,
    values: dict[str, Any],
    config: PlainConfig,
    root: str | None = None,
) -> str:
    """The page's HTML: our chrome around `content`; `root` is the way back to the site root
    (relative by the page's depth unless given: the 404 page, served anywhere, uses the base)."""
    url = page_url(page.src_uri)
    section = url.split("/")[0]
    return render(
        "plain_base.html",
        page={
            "title": page.title,
            "url": url,
            "pub_date": page.pub_date,
            "feeds": page.feeds,
            "column": columns(config).get(section, ""),
        },
        nav=[(t, page_url(src), page_url(src).split("/")[0] == section) for t, src in config.nav],
        content=content,
        site=values,
        root=root if root is not None else root_prefix(page.depth),
    )
