"""Benchmark full site builds of synthetic registries against the floor of plain MkDocs + Pagefind.

    .venv/bin/python bench/bench_build.py                         # 1,000 and 10,000 records
    .venv/bin/python bench/bench_build.py --out docs/benchmarks.md

For each size: synthesise a registry, build it with `registry build` in a fresh process (so imports
count), and read the per-phase split the plugin writes to $REGISTRY_TIMINGS (load+validate, page
generation, MkDocs rendering and writing, Pagefind). The floor is plain MkDocs with the same theme
building one equivalent Markdown page per record and announcement, then Pagefind over it.
"""

from __future__ import annotations

import argparse
import html as htmlmod
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.shells.synth import write_synthetic  # noqa: E402

HEADING = "## Site build"
AS_OF = date(2026, 11, 23)
BIN = Path(sys.executable).parent
FLOOR_CONFIG = """site_name: floor
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
plugins: []
markdown_extensions: [tables]
nav:
  - index.md
validation:
  omitted_files: ignore
"""


_ARTICLE = re.compile(r"<article[^>]*data-pagefind-body[^>]*>(.*?)</article>", re.S)
_IGNORED = re.compile(r"<(section|p|div)\b[^>]*data-pagefind-ignore[^>]*>.*?</\1>", re.S)
_BLOCKS = [
    (re.compile(r"<h1[^>]*>(.*?)</h1>", re.S), "\n# \\1\n"),
    (re.compile(r"<h2[^>]*>(.*?)</h2>", re.S), "\n## \\1\n"),
    (re.compile(r"<h3[^>]*>(.*?)</h3>", re.S), "\n### \\1\n"),
    (re.compile(r"<li[^>]*>", re.S), "\n- "),
    (re.compile(r"</(p|dd|dt|tr|table|ul|ol|div|section)>", re.S), "\n\n"),
]
_TAG = re.compile(r"<[^>]+>")


def floor_markdown(html: str) -> str:
    """The indexed text of one of our pages as plain Markdown: headings, list items, paragraphs.

    The floor pages carry exactly the words our pages index (our search-only metadata and the parts
    we mark data-pagefind-ignore excluded), so the comparison is about the pipeline, not content."""
    match = _ARTICLE.search(html)
    body = _IGNORED.sub("", match.group(1) if match else "")
    body = re.sub(r'<div class="reg-search-only".*?</div>', "", body, flags=re.S)
    for pattern, repl in _BLOCKS:
        body = pattern.sub(repl, body)
    text = htmlmod.unescape(_TAG.sub("", body))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    text = "\n".join(lines)
    # Markdown would read these as markup; the floor page must show the same text
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def floor_pages(site: Path, docs: Path) -> int:
    """One Markdown page per record and announcement page of our built site, same text."""
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    count = 0
    for section in ("guidance-list", "approved", "banned", "announcements"):
        for page in sorted((site / section).glob("*/index.html")):
            out = docs / section / f"{page.parent.name}.md"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(floor_markdown(page.read_text(encoding="utf-8")), encoding="utf-8")
            count += 1
    return count


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def measure(count: int, work: Path) -> dict[str, object]:
    data = work / f"data-{count}"
    write_synthetic(data, count, 1)
    timings = work / f"timings-{count}.json"
    env = dict(
        os.environ,
        REGISTRY_TIMINGS=str(timings),
        NO_MKDOCS_2_WARNING="1",
        SOURCE_DATE_EPOCH="1767225600",
    )
    site = work / f"site-{count}"
    ours = run(
        [
            str(BIN / "registry"),
            "build",
            "--data",
            str(data),
            "--as-of",
            AS_OF.isoformat(),
            "--site-dir",
            str(site),
        ],
        ROOT,
        env,
    )
    phases = json.loads(timings.read_text())
    pages = sum(1 for _ in site.rglob("index.html"))
    floor_dir = work / f"floor-{count}"
    floor_dir.mkdir()
    (floor_dir / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    floor_count = floor_pages(site, floor_dir / "docs")
    floor_mkdocs = run([str(BIN / "mkdocs"), "build", "-q"], floor_dir, env)
    floor_pagefind = run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            "site",
            "--output-subdir",
            "pagefind",
            "--silent",
        ],
        floor_dir,
        env,
    )
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(floor_dir, ignore_errors=True)
    return {
        "count": count,
        "pages": pages,
        "floor_pages": floor_count,
        "ours": ours,
        "phases": phases,
        "floor": floor_mkdocs + floor_pagefind,
        "floor_mkdocs": floor_mkdocs,
        "floor_pagefind": floor_pagefind,
    }


def table(results: list[dict]) -> str:
    rows = [
        "| records | pages | total (wall) | load+validate | page generation | MkDocs rendering "
        "| side files (wait) | Pagefind | floor: MkDocs | floor: Pagefind | floor total | overhead vs floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p = r["phases"]
        overhead = (r["ours"] - r["floor"]) / r["floor"] * 100
        rows.append(
            f"| {r['count']:,} | {r['pages']:,} | {r['ours']:.1f} s | {p['load_validate']:.2f} s | "
            f"{p['generate']:.2f} s | {p['mkdocs']:.1f} s | {p.get('side_files_wait', 0.0):.2f} s | "
            f"{p['pagefind']:.1f} s | {r['floor_mkdocs']:.1f} s | {r['floor_pagefind']:.1f} s | "
            f"{r['floor']:.1f} s | {overhead:+.0f} % |"
        )
    return "\n".join(rows)


def section(results: list[dict]) -> str:
    small, large = results[0], results[-1]
    ratio = large["ours"] / small["ours"]
    size_ratio = large["count"] / small["count"]
    lines = [
        HEADING,
        "",
        f"Measured {date.today().isoformat()} on this machine ({os.cpu_count()} cores), "
        "`python bench/bench_build.py`. Total is the wall time of `registry build` in a new process "
        "(imports, validation, pages, MkDocs, Pagefind, atomic swap). *Page generation* is our work in the "
        "main process (page list, list-level API files, our templates rendered for every page); per-record API "
        "files, the check index, feeds, redirects and the release zip and workbook are written by a second "
        "process while MkDocs renders, and *side files (wait)* is what the build still waited for them. "
        "The floor is plain MkDocs with the same theme building one Markdown page per record and announcement "
        "page of ours, carrying exactly the text our page indexes, plus Pagefind.",
        "",
        table(results),
        "",
        f"Growth: {size_ratio:.0f}× the records took {ratio:.1f}× the time "
        f"({large['ours'] / large['count'] * 1000:.2f} ms per record at {large['count']:,}, "
        f"{small['ours'] / small['count'] * 1000:.2f} ms at {small['count']:,}; fixed start-up cost included).",
        "",
    ]
    return "\n".join(lines)


def replace_section(path: Path, text: str, heading: str = HEADING) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = old.find(heading)
    if start == -1:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(heading))
        new = old[:start] + text + (old[end + 1 :] if end != -1 else "")
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts")
    parser.add_argument(
        "--out", type=Path, help="Markdown file whose '## Site build' section is replaced"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        results = [measure(int(n), Path(tmp)) for n in args.sizes.split(",")]
    text = section(results)
    print(text)
    if args.out:
        replace_section(args.out, text)


if __name__ == "__main__":
    main()
