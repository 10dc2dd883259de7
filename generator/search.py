"""Search: keyword text for Pagefind, and running Pagefind over the built site.

Pagefind segments Chinese at index time with its own segmenter and at query time with the browser's
`Intl.Segmenter`; the two disagree on compounds, so a query for 干细胞 may miss a page that only says
间充质干细胞. Each indexed page therefore carries a hidden block of search keywords made with jieba's
search-mode segmentation (which emits the short words inside long ones) plus ids and aliases.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import cbor2

log = logging.getLogger("mkdocs.plugins.registry")

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-+.]*")


# Terms of the field that jieba's general dictionary splits apart (间充质 → 间 + 充质).
DOMAIN_WORDS = (
    "间充质",
    "间充质干细胞",
    "诱导多能干细胞",
    "嵌合抗原受体",
    "碱基编辑",
    "先导编辑",
    "基因编辑",
    "基因治疗",
    "细胞治疗",
    "组织工程",
    "粪菌移植",
    "异种移植",
    "地中海贫血",
    "多巴胺能",
    "肿瘤浸润淋巴细胞",
    "自然杀伤细胞",
    "胚胎植入前",
    "脱靶",
    "类器官",
    "溶瘤病毒",
    "噬菌体",
)


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in DOMAIN_WORDS:  # so that search mode also emits them from inside longer names
        jieba.add_word(word)
    return jieba


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    """Search-mode words of one text (cached: synthetic and real names share many parts)."""
    jb = _jieba()
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(w for w in jb.cut_for_search(run) if len(w) > 1)
    out.extend(w for w in _LATIN.findall(text) if len(w) > 1)
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
    canonicalize_filters(site_dir / "pagefind")


_SIGNATURE = b"pagefind_dcd"


def _read_cbor(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise RuntimeError(f"无法识别的 Pagefind 文件格式：{path.name}")
    return cbor2.loads(raw[len(_SIGNATURE) :])


def _write_cbor(obj: Any) -> tuple[bytes, str]:
    """Gzipped Pagefind file with a fixed mtime, and the hex digest used to name it."""
    payload = _SIGNATURE + cbor2.dumps(obj)
    return gzip.compress(payload, mtime=0), hashlib.sha256(payload).hexdigest()


def canonicalize_filters(bundle: Path) -> None:
    """Make Pagefind's filter files byte-stable so that builds are reproducible.

    Pagefind 1.5 writes filter values in hash-map order, which changes from run to run; every other
    file of the bundle is already stable. We sort each filter's values, rename the files after
    their new content and rewrite the references in the language's meta file and the entry file.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_cbor(meta_path)
        renamed = []
        for name, old_hash in sorted(meta[3]):  # [[filter name, file hash], ...]
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _read_cbor(old)  # [name, [[value, [page numbers]], ...]]
            canonical = [filter_name, sorted([v, sorted(pages)] for v, pages in values)]
            content, digest = _write_cbor(canonical)
            new_hash = f"{lang}_{digest[:7]}"
            old.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(content)
            renamed.append([name, new_hash])
        meta[3] = renamed
        content, digest = _write_cbor(meta)
        meta_path.unlink()
        info["hash"] = f"{lang}_{digest[:10]}"
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(content)
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
