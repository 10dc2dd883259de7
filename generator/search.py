"""Search: keywords that make Pagefind find words inside longer Chinese terms, and running Pagefind.

Pagefind segments Chinese text at index time with its own dictionary and the query in the browser
with `Intl.Segmenter`; the two disagree (地中海贫血 is indexed as 地中 + 海 + 贫血, the query 地中海
stays whole), so compounds fail to match. Pagefind 1.5 also searches metadata, and metadata is
indexed as whitespace-separated tokens with prefix matching, without re-segmentation. So every
indexed page carries a `keywords` metadata field holding, for each run of Chinese characters in its
name, aliases, category and short texts, every suffix of up to `SUFFIX` characters: any part of the
run is then the start of some token. 干细胞 finds 间充质干细胞 (token 干细胞治疗膝…), 细胞治疗 finds a
CAR-T entry filed under 细胞治疗. Latin words (ids, CAR-T, CD19) are kept whole.

We first used jieba's search mode for these tokens; suffixes need no dictionary (jieba split 间充质
and 脱靶 apart), find every substring rather than dictionary words, and cost no segmentation: jieba
took about 3 s at 10,000 records.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-+.]*")
SUFFIX = 6  # longest token; the browser splits longer queries into words of a few characters


def keywords(*texts: str) -> str:
    """Space-separated, de-duplicated search tokens for the `keywords` metadata of a page."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for run in _CJK_RUN.findall(text):
            for i in range(len(run) - 1):  # single characters: Pagefind's own index has them
                seen.setdefault(run[i : i + SUFFIX], None)
        for word in _LATIN.findall(text):
            if len(word) > 1:
                seen.setdefault(word, None)
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
