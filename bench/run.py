"""`make bench`: every benchmark in turn, each replacing its own section of the `--out` file.

    .venv/bin/python bench/run.py --out docs/benchmarks.md
    .venv/bin/python bench/run.py --only history
    .venv/bin/python bench/run.py --only serve --only pageweight --out docs/benchmarks.md

Pieces and their sections (about 19 minutes in all on this 2-core machine when it is quiet):
validate ("## Validation", ~1 min), build ("## Site build": ours, MkDocs + Pagefind and
Hugo + Pagefind at 1,000, 4,000 and 10,000 records, ~15 min), history ("## History", ~1 min),
serve ("## Preview: edit to visible", 1,000 and 10,000 records, ~2 min with the incremental
preview; ~5 min when every save rebuilds the whole site), pageweight ("## Page weight and first
paint", the sample site, ~1 min).

Each benchmark runs in its own process (imports and memory do not carry over from one to the next).
The run fails when one of them does (bench_history exits 1 when it is over its target).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "validate": "bench_validate.py",
    "build": "bench_build.py",
    "history": "bench_history.py",
    "serve": "bench_serve.py",
    "pageweight": "bench_pageweight.py",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, help="Markdown file to update (e.g. docs/benchmarks.md)"
    )
    parser.add_argument("--only", choices=sorted(BENCHES), action="append", help="run only these")
    args = parser.parse_args()
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.only or list(BENCHES):
        cmd = [sys.executable, str(HERE / BENCHES[name])]
        if args.out is not None:
            cmd += ["--out", str(args.out)]
        print(f"== {name}", flush=True)
        if subprocess.run(cmd, check=False).returncode != 0:
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
