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
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.synth import write_synthetic  # noqa: E402
from generator.validation import check_registry  # noqa: E402

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


def _md_list(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def floor_pages(data: Path, docs: Path) -> int:
    """One Markdown page per published record and announcement, carrying the same text."""
    reg = check_registry(data, AS_OF)
    assert reg.replay is not None
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    count = 0
    for rid, entry in reg.records.items():
        m = entry.model
        parts = [
            f"# {m.name}",
            "",
            "| 字段 | 值 |",
            "|---|---|",
            f"| 编号 | {rid} |",
            f"| 分类 | {m.category} |",
        ]
        for key in ("purpose", "mechanism", "description", "scope", "applicant"):
            if getattr(m, key, None):
                parts += ["", f"## {key}", "", getattr(m, key)]
        for key in ("filing_requirements", "summary"):
            if getattr(m, key, None):
                parts += ["", f"## {key}", "", getattr(m, key)]
        cond = reg.conditions.get(rid)
        if cond is not None:
            c = cond.model
            for key in ("institution", "personnel", "management", "training_qc"):
                parts += ["", f"## {key}", "", _md_list(getattr(c, key))]
            parts += ["", "## 临床应用操作规范", "", c.operating_spec]
        timeline = reg.replay.states[rid].timeline
        parts += [
            "",
            "## 法律时间线",
            "",
            _md_list([f"{e.date} {e.action} {e.number}" for e in timeline]),
        ]
        folder = docs / entry.kind
        folder.mkdir(exist_ok=True)
        (folder / f"{rid}.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
        count += 1
    (docs / "announcements").mkdir()
    for aid, entry in reg.announcements.items():
        a = entry.model
        actions = _md_list([f"{x.action} {x.record}" for x in a.actions])
        text = f"# {a.title}\n\n{a.number} · {a.date}\n\n{a.body}\n\n## 行为\n\n{actions}\n"
        (docs / "announcements" / f"{aid}.md").write_text(text, encoding="utf-8")
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
    floor_count = floor_pages(data, floor_dir / "docs")
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
        "| records | pages | total (wall) | load+validate | page generation | MkDocs rendering | Pagefind "
        "| floor: MkDocs | floor: Pagefind | floor total | overhead vs floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p = r["phases"]
        overhead = (r["ours"] - r["floor"]) / r["floor"] * 100
        rows.append(
            f"| {r['count']:,} | {r['pages']:,} | {r['ours']:.1f} s | {p['load_validate']:.2f} s | "
            f"{p['generate']:.2f} s | {p['mkdocs']:.1f} s | {p['pagefind']:.1f} s | {r['floor_mkdocs']:.1f} s | "
            f"{r['floor_pagefind']:.1f} s | {r['floor']:.1f} s | {overhead:+.0f} % |"
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
        "(imports, validation, pages, MkDocs, Pagefind, atomic swap). The floor is plain MkDocs with the same "
        "theme building one equivalent Markdown page per record and announcement, plus Pagefind.",
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
