"""Search: keyword text for Pagefind, and running Pagefind over the built site.

Pagefind segments Chinese at index time with its own segmenter and at query time with the browser's
`Intl.Segmenter`; the two disagree on compounds, so a query for 干细胞 may miss a page that only says
间充质干细胞. Each indexed page therefore carries a hidden block of search keywords made with jieba's
search-mode segmentation (which emits the short words inside long ones) plus ids and aliases.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.registry")

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-+.]*")


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    """Search-mode words of one text (cached: synthetic and real names share many parts)."""
    jb = _jieba()
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(w for w in jb.cut_for_search(run) if len(w) > 1)
    out.extend(_LATIN.findall(text))
    return tuple(out)


def keywords(*texts: str) -> str:
    """Space-separated, de-duplicated keywords for the hidden, indexed block of a page."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for w in _words(text):
            seen.setdefault(w, None)
    return " ".join(seen)


def run_pagefind(site_dir: Path) -> None:
    """Index `site_dir` into `site_dir/pagefind` with the extended (Chinese-segmenting) binary."""
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        "pagefind",
        "--silent",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"Pagefind 建立索引失败：{result.stderr.strip() or result.stdout.strip()}"
        )
