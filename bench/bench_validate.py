"""Benchmark `check_registry` (load + validate + replay) on synthetic registries.

    .venv/bin/python bench/bench_validate.py                      # print a Markdown table
    .venv/bin/python bench/bench_validate.py --out docs/benchmarks.md

For each size a registry is synthesised into a temporary directory (`generator.synth`, timed too),
then validated `--repeat` times; the best run is reported, as is the best time of loading alone
(reading, parsing and schema-checking every file) so that the cross-file checks and the replay can
be told apart. With `--out` the "## Validation" section of that Markdown file is replaced (or
appended); the rest of the file is left as it is.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.publish.pipeline import check_registry  # noqa: E402
from generator.synth.write import write_synthetic  # noqa: E402
from generator.validate.files import load_registry  # noqa: E402

TARGET = (10_000, 3.0)  # acceptance: 10,000 records validated in under 3 s
HEADING = "## Validation"


def best_of(repeat: int, fn) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Best wall and CPU times of `repeat` calls, and the number of problems the last one found.

    Each result is dropped before the next call: a registry left alive would make every garbage
    collection of the next run slower and skew the comparison.
    """
    best, cpu, problems = float("inf"), float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
        problems = len(result.problems)
        del result
    return best, cpu, problems


def without_gc(fn, *args):  # type: ignore[no-untyped-def]
    """Run `fn` with the cyclic garbage collector paused (diagnostic: how much of it is GC?)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return fn(*args)
    finally:
        if was:
            gc.enable()


def measure(count: int, repeat: int, as_of: date, seed: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix=f"synth-{count}-") as tmp:
        root = Path(tmp) / "data"
        t0 = time.perf_counter()
        files = write_synthetic(root, count, seed)
        synth = time.perf_counter() - t0
        total, cpu, problems = best_of(repeat, lambda: check_registry(root, as_of))
        load, _, _ = best_of(repeat, lambda: load_registry(root, as_of))
        nogc, _, _ = best_of(repeat, lambda: without_gc(check_registry, root, as_of))
    return {
        "count": count,
        "files": files,
        "synth": synth,
        "total": total,
        "cpu": cpu,
        "load": load,
        "checks": max(total - load, 0.0),
        "nogc": nogc,
        "problems": problems,
    }


def table(rows: list[dict[str, object]], repeat: int, as_of: date) -> str:
    cpu = os.cpu_count() or 1
    lines = [
        HEADING,
        "",
        f"`check_registry` (load + validate + replay) on synthetic registries from "
        f"`generator.synth` (seed 1, as-of {as_of}; 15 % of the records are research projects "
        f"since issue 24); best of {repeat} runs. "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{cpu} CPU{'s' if cpu > 1 else ''}. Regenerate with `python bench/bench_validate.py "
        "--out docs/benchmarks.md`.",
        "",
        "| records | files | synth (s) | validate (s) | CPU (s) | of which loading (s) | rest (s) "
        "| validate, GC paused (s) | files/s | problems |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['count']:,} | {r['files']:,} | {r['synth']:.2f} | {r['total']:.2f} | {r['cpu']:.2f} "
            f"| {r['load']:.2f} | {r['checks']:.2f} | {r['nogc']:.2f} "
            f"| {int(r['files']) / float(r['total']):,.0f} "  # type: ignore[arg-type]
            f"| {r['problems']} |"
        )
    n, limit = TARGET
    lines += [
        "",
        "*validate*: wall time, the figure the target is about; *CPU*: process time of the same "
        "runs (less sensitive to other load on the machine); *loading*: reading, parsing and schema-checking every file (`load_registry` alone, best of "
        "its own runs); *rest*: the difference, i.e. cross-file checks, replay and any extra garbage "
        "collection; *GC paused*: the same `check_registry` with `gc.disable()` around it.",
    ]
    for r in rows:
        if r["count"] == n:
            ok = float(r["total"]) < limit  # type: ignore[arg-type]
            verdict = "met" if ok else "**not met**"
            lines += ["", f"Target: {n:,} records validated in under {limit:g} s — {verdict}."]
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """Replace the text from '## Validation' to the next '## ' heading (or the end); else append."""
    start = text.find(HEADING + "\n")
    if start == -1 and text.endswith(HEADING):
        start = len(text) - len(HEADING)
    if start == -1:
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return text + sep + section
    nxt = text.find("\n## ", start + len(HEADING))
    rest = text[nxt + 1 :] if nxt != -1 else ""
    return text[:start] + section + ("\n" + rest if rest else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated record counts")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the best is reported")
    ap.add_argument("--as-of", default="2026-11-23", help="as-of date for validation")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="Markdown file whose '## Validation' section to write")
    args = ap.parse_args(argv)
    as_of = date.fromisoformat(args.as_of)
    rows = []
    for count in (int(s) for s in args.sizes.split(",") if s.strip()):
        row = measure(count, max(1, args.repeat), as_of, args.seed)
        print(
            f"{count:>7,} records: synth {row['synth']:.2f}s, validate {row['total']:.2f}s "
            f"(load {row['load']:.2f}s), {row['problems']} problems",
            file=sys.stderr,
        )
        rows.append(row)
    section = table(rows, max(1, args.repeat), as_of)
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load1 > (os.cpu_count() or 1) / 2:
        section += (
            f"\nNote: the machine was busy (1-minute load average {load1:.1f}) during this run.\n"
        )
    print(section, end="")
    if args.out is not None:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmarks\n\n"
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(replace_section(old, section), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 1 if any(r["problems"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
