"""Permanence: `redirects` in registry.yaml become static redirect pages, so that a link that was ever
published keeps working after a record is renumbered or a path changes."""

from __future__ import annotations

from markupsafe import escape

from generator.publish.addresses import redirect_source_dir
from generator.publish.views import Site

_PAGE = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>已迁移：{name}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>此页面已迁移到 <a href="{target}">{name}（{rid}）</a>。</p>
</body>
</html>
"""


def redirect_clashes(site: Site, outputs: set[str]) -> list[str]:
    """Redirect sources whose page would overwrite a file the build makes (`outputs`: paths
    under site/, as MkDocs' `dest_uri`). Validation refuses every generated address it knows
    (E314); this compares with the real list of files, hand-written pages included."""
    lowered = {o.lower() for o in outputs}
    out = []
    for old, rid in sorted(site.config.redirects.items()):
        if rid not in site.records:
            continue
        source = redirect_source_dir(old).lower()
        if f"{source}/index.html" in lowered or source in lowered:
            out.append(old)
    return out


def redirect_files(site: Site, site_url: str | None) -> list[tuple[str, bytes]]:
    """(path, html) for each redirect whose target is published (an embargoed target waits)."""
    out = []
    for old, rid in sorted(site.config.redirects.items()):
        record = site.records.get(rid)
        if record is None:
            continue
        source = redirect_source_dir(old)
        target = "../" * (source.count("/") + 1) + record.url.lstrip("/")
        canonical = (site_url or "/").rstrip("/") + record.url
        html = _PAGE.format(
            name=escape(record.name),
            rid=escape(rid),
            target=escape(target),
            canonical=escape(canonical),
        )
        out.append((f"{source}/index.html", html.encode()))
    return out
