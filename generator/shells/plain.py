"""A second shell without MkDocs: plain Jinja chrome around the same pages and files.

It is what docs/architecture.md ("Another engine") promises: the registry does not need MkDocs.
`build_plain` calls the same `publish()` and `SiteFiles` as the MkDocs plugin; only the chrome
(title, header, links back) comes from the template below instead of Material. The site it makes
has every record page, API file, feed, download and the search index; it has no theme navigation.
A Zensical (or any other) shell would do the same three steps with its own chrome.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from generator.load.files import site_dir_fault
from generator.outputs.assemble import SiteFiles, dest_uri
from generator.outputs.writer import write_files
from generator.publish.pipeline import Report, Settings, publish
from generator.render.page import GeneratedPage, root_prefix

CHROME = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.meta_title }} - {{ site_name }}</title>
<link rel="canonical" href="{{ site_url }}{{ page.url }}">
{% if page.pub_date %}<meta name="PubDate" content="{{ page.pub_date }}">{% endif %}
{% for title, href in page.feeds %}
<link rel="alternate feed" type="application/atom+xml" title="{{ title }}" href="{{ root }}{{ href }}">
{% endfor %}
<link rel="stylesheet" href="{{ root }}assets/registry.css">
</head>
<body>
<header><a href="{{ root }}">{{ site_name }}</a></header>
<main>{{ content }}</main>
</body>
</html>
"""


def _url(page: GeneratedPage) -> str:
    return dest_uri(page.src_uri).removesuffix("index.html")


def _chrome(
    env: Environment, page: GeneratedPage, content: str, site_name: str, site_url: str
) -> str:
    view = {
        "meta_title": page.title,
        "url": _url(page),
        "pub_date": page.pub_date,
        "feeds": page.feeds,
    }
    return env.from_string(CHROME).render(
        page=view,
        content=Markup(content),
        site_name=site_name,
        site_url=site_url.rstrip("/") + "/" if site_url else "/",
        root=root_prefix(page.depth),
    )


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def build_plain(data_dir: Path, as_of: date, site_dir: Path, site_url: str = "") -> Report:
    """Build the registry into `site_dir` with plain chrome; returns the report (nothing is
    written when it is not valid). ValueError, before anything is read or written, for a site dir
    that is a link, is or holds the data or the working directory, or lies inside the data."""
    fault = site_dir_fault(Path.cwd() / site_dir, Path.cwd(), {"记录目录": Path.cwd() / data_dir})
    if fault is not None:
        raise ValueError(f"网站目录 {site_dir} {fault}；未写入任何文件")
    report, site = publish(data_dir, as_of, Settings(site_url=site_url, history=False))
    if site is None:
        return report
    env = Environment(autoescape=select_autoescape(default_for_string=True))
    files = SiteFiles(site, site_dir, search=False, background=False)
    files.start()
    # MkDocs writes these as its own files (its link check reads them); here we write them
    write_files(site_dir, ((path, _bytes(content)) for path, content in files.summary.items()))
    name = site.config.title
    for page in files.engine_pages:
        html = _chrome(env, page, files.body(page), name, site_url)
        key = files.shells.get(page.src_uri)
        if key is not None:
            files.fill(key, html)
            continue
        write_files(site_dir, [(dest_uri(page.src_uri), html.encode())])
    files.finish()
    return report
