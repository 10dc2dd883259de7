"""Benchmark a fresh `make setup`: a new clone of HEAD, no .venv/, installing from the lock file.

    .venv/bin/python bench/bench_setup.py                      # prints the section
    .venv/bin/python bench/bench_setup.py --out docs/benchmarks.md

Two cases, each in its own new clone: *no cache* (PIP_NO_CACHE_DIR=1 UV_NO_CACHE=1: every wheel is
downloaded, as on a new CI machine) and *uv cache warm* (a second clone on a machine that has
installed once; pip still downloads uv). It downloads from the package index, so it is not part of
`make bench`. With `--out` the "## Set-up" section of that Markdown file is replaced (or appended).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import replace_section  # noqa: E402

HEADING = "## Set-up"
CASES = {
    "no cache": {"PIP_NO_CACHE_DIR": "1", "UV_NO_CACHE": "1"},
    "uv cache warm": {"PIP_NO_CACHE_DIR": "1"},
}


def measure(env_extra: dict[str, str], tmp: Path, name: str) -> float:
    clone = tmp / name.replace(" ", "-")
    if "UV_NO_CACHE" not in env_extra:  # fill the cache first, in a clone of its own (not timed)
        warm = tmp / (clone.name + "-fill")
        subprocess.run(["git", "clone", "-q", str(ROOT), str(warm)], check=True)
        subprocess.run(["make", "setup"], cwd=warm, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {**os.environ, **env_extra}
    start = time.perf_counter()
    subprocess.run(["make", "setup"], cwd=clone, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def section(results: dict[str, float], load: float) -> str:
    packages = (ROOT / "uv.lock").read_text(encoding="utf-8").count("[[package]]")
    rows = "\n".join(f"| {name} | {seconds:.1f} s |" for name, seconds in results.items())
    return f"""{HEADING}

Measured {date.today().isoformat()} on this machine (2 cores, 1-minute load average {load:.1f}
before the runs), `python bench/bench_setup.py`: wall time of `make setup` in a new clone (no
`.venv/`): a venv without pip, uv installed into it from `requirements-bootstrap.txt` by hash
with the outer pip, then `uv sync --locked` of {packages} locked packages (the project editable).

| case | `make setup` |
|---|---:|
{rows}

*No cache* downloads every wheel (Playwright's alone is 53 MB), so it depends on the network; with the uv cache warm, as on a developer's machine after the first install, uv links
the wheels from its cache. Before the lock file (`pip install -e '.[test]'`, commit eec0522), the
same fresh no-cache set-up took 61 s (72 s under a load average of 4).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, help="Markdown file whose '## Set-up' section is replaced"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        results = {name: measure(env, Path(tmp), name) for name, env in CASES.items()}
    text = section(results, load)
    print(text)
    if args.out:
        replace_section(args.out, text, HEADING)


if __name__ == "__main__":
    main()
