"""schema.org `Dataset` JSON-LD for the home page and /downloads/, so that dataset search engines
(Google Dataset Search and the like) find the registry, its licence and its downloads.

`dataset_script(site)` is the whole `<script type="application/ld+json">` element. Every URL is
absolute on `site_url`; without one they stay site-absolute (`/downloads/records.csv`). The JSON
cannot close the script: `<`, `>` and `&` are written as \\u escapes.
"""

from __future__ import annotations

import json
from typing import Any

from generator.publish.views import Site

MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "json": "application/json",
}


def _download(site: Site, name: str, path: str, fmt: str) -> dict[str, Any]:
    return {
        "@type": "DataDownload",
        "name": name,
        "encodingFormat": MEDIA_TYPES[fmt],
        "contentUrl": site.permalink(path),
    }


def _distribution(site: Site) -> list[dict[str, Any]]:
    return [
        _download(site, "记录表（CSV，UTF-8 带 BOM）", "/downloads/records.csv", "csv"),
        _download(site, "记录表（Excel）", "/downloads/records.xlsx", "xlsx"),
        _download(
            site,
            "完整数据集（YAML、JSON、CSV、Excel、公告原件）",
            f"/downloads/registry-{site.data_version}.zip",
            "zip",
        ),
        _download(site, "JSON 接口：记录摘要", "/api/records.json", "json"),
        _download(
            site, "数据包描述（Frictionless Data Package）", "/downloads/datapackage.json", "json"
        ),
    ]


def _coverage(site: Site) -> str:
    """From the first published announcement to the as-of date (ISO 8601 interval)."""
    days = [a.date for a in site.announcements]
    start = min(days) if days else site.as_of
    return f"{start.isoformat()}/{site.as_of.isoformat()}"


def dataset(site: Site) -> dict[str, Any]:
    """The Dataset object (schema.org)."""
    authority = {"@type": "GovernmentOrganization", "name": site.config.authority}
    lic = site.config.license
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": site.config.title,
        "description": (
            f"{site.config.authority}发布的生物医学新技术备案指导清单、批准临床转化应用的技术、"
            "禁止的技术、临床研究备案项目和相关公告；每条记录的状态由公告推导并附法律依据。"
            f"数据截至 {site.as_of.isoformat()}，数据版本 {site.data_version}。"
        ),
        "url": site.permalink("/downloads/"),
        "license": lic.url or site.permalink("/downloads/#terms"),
        "creator": authority,
        "publisher": authority,
        "version": site.data_version,
        "dateModified": site.as_of.isoformat(),
        "temporalCoverage": _coverage(site),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "keywords": ["生物医学新技术", "备案指导清单", "临床研究备案", "禁止临床应用的技术"],
        "distribution": _distribution(site),
    }


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dataset_script(site: Site) -> str:
    """`<script type="application/ld+json">…</script>` with the Dataset."""
    text = json.dumps(dataset(site), ensure_ascii=False, sort_keys=True).translate(_SCRIPT_SAFE)
    return f'<script type="application/ld+json">{text}</script>'
