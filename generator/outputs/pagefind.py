"""Pagefind: the search index, built beside the engine instead of after it.

Pagefind reads only the element marked `data-pagefind-body` (plus the `lang` of <html>), so the
pages it needs are our rendered content in a bare HTML document: an index-only copy of the site in
a scratch directory, written as soon as the content is rendered (outputs/assemble.py). Pagefind then runs in its own
process while the engine renders the chrome and the shells are filled (two cores: the index no
longer waits for 10,000 theme pages to be written and parsed back). The bundle is the same byte for
byte as Pagefind run over the finished site (tests/outputs/test_pagefind.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2

from generator.outputs.writer import OutputError
from generator.render.page import has_attribute

INDEXED = "data-pagefind-body"


def _command(site: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--silent",
    ]


def _failed(stderr: str, stdout: str = "") -> OutputError:
    return OutputError(f"Pagefind 建立索引失败：{stderr.strip() or stdout.strip()}")


_HEAD = '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
_TAIL = "</body></html>"


def search_document(content: str, lang: str) -> bytes:
    """The bare page Pagefind indexes for `content` (a page's body as on the site), without the
    elements Pagefind would skip anyway: half the bytes to write and for Pagefind to parse."""
    return (_HEAD.format(lang=lang) + drop_ignored(content) + _TAIL).encode("utf-8")


def index_page(content: str, lang: str) -> bytes | None:
    """`search_document` of a page Pagefind indexes; None for one it leaves out (no element marks
    its body, while other pages' do): a guidance entry searched as its approval. Not writing
    those saves Pagefind reading a sixth of the pages."""
    return search_document(content, lang) if has_attribute(content, INDEXED) else None


_IGNORE = " data-pagefind-ignore"
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"})


def drop_ignored(html: str) -> str:
    """`html` without its `data-pagefind-ignore` elements, where that changes nothing Pagefind
    makes: an element is kept when it holds a filter or metadata (Pagefind reads those inside
    ignored elements) or has the value "all".

    Sound for our bodies only: Jinja and the Markdown sanitiser escape `<`, `>` and `"` in text
    and attribute values, so `<` always opens a tag and a quote count tells a value from a name.
    tests/outputs/test_pagefind.py compares it with an HTML parser, tests/render/test_shell.py the
    bundle with Pagefind's over the finished pages."""
    out: list[str] = []
    done = pos = 0
    while (at := html.find(_IGNORE, pos)) != -1:
        pos = at + len(_IGNORE)
        span = _ignored_element(html, at)
        if span is None or span[0] < done:
            continue
        start, end = span
        out.append(html[done:start])
        done = pos = end
    out.append(html[done:])
    return "".join(out)


def _ignored_element(html: str, at: int) -> tuple[int, int] | None:
    """(start, end) of the element whose opening tag carries the attribute at `at`, if it may go."""
    lt = html.rfind("<", 0, at)
    gt = html.find(">", at)
    after = html[at + len(_IGNORE) : at + len(_IGNORE) + 1]
    if lt == -1 or gt == -1 or html.find(">", lt, at) != -1 or after not in (">", " "):
        return None  # text, or part of a longer name
    if html.count('"', lt, at) % 2:
        return None  # inside an attribute value
    name_end = lt + 1
    while name_end < at and html[name_end].isalnum():
        name_end += 1
    tag = html[lt + 1 : name_end].lower()
    if not tag or tag in _VOID or html[gt - 1] == "/":
        return None
    end = _closing(html, tag, gt + 1)
    if end is None:
        return None
    if html.count("data-pagefind-", lt, end) != html.count("data-pagefind-ignore", lt, end):
        return None  # a filter, metadata or sort inside: Pagefind still reads those
    return lt, end


def _closing(html: str, tag: str, pos: int) -> int | None:
    """End of the `</tag>` that closes the element whose content starts at `pos`."""
    depth, opening, closing = 1, "<" + tag, f"</{tag}>"
    while depth:
        close = html.find(closing, pos)
        if close == -1:
            return None
        nested = html.find(opening, pos, close)
        while nested != -1 and html[nested + len(opening)] not in " >":
            nested = html.find(opening, nested + 1, close)
        if nested != -1:
            depth += 1
            pos = nested + len(opening)
        else:
            depth -= 1
            pos = close + len(closing)
    return pos


class SearchIndex:
    """Pagefind over the index-only pages in `scratch`, in the background, into `output`."""

    def __init__(self, scratch: Path, output: Path) -> None:
        self.scratch, self.output = scratch, output
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            _command(self.scratch, self.output),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def wait(self) -> None:
        if self.process is None:
            return
        out, err = self.process.communicate()
        code, self.process = self.process.returncode, None
        if code != 0:
            raise _failed(err.decode("utf-8", "replace"), out.decode("utf-8", "replace"))
        canonicalize_filters(self.output)

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def run_pagefind(site_dir: Path) -> None:
    """Index `site_dir` into `site_dir/pagefind` with the extended (Chinese-segmenting) binary."""
    cmd = _command(site_dir, site_dir / "pagefind")
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise _failed(result.stderr, result.stdout)
    canonicalize_filters(site_dir / "pagefind")


_SIGNATURE = b"pagefind_dcd"


def _read_cbor(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise OutputError(f"无法识别的 Pagefind 文件格式：{path.name}")
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
