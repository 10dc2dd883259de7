"""Measuring a command from outside (wall, CPU, peak memory) and writing a section of the
benchmarks file; shared by the bench_*.py scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Run in a small parent process of its own, so that RUSAGE_CHILDREN is the command's alone. The
# command gets a new session. With "tree", a thread sums the proportional set size (Pss, shared
# pages divided among the processes that share them, so a forked worker is not counted twice) of
# every process in that session every 50 ms: the tree's peak memory, a sample (a peak shorter than
# 50 ms can be missed). That sampling is no timing run: reading /proc/<pid>/smaps_rollup walks the
# process's page tables, 40 ms for a process of 2.3 GB on this machine, so at 10,000 records the
# sampler kept one of the two cores busy and slowed whatever it measured (a build of four large
# processes more than a floor of one). Timed runs therefore sample nothing (their largest process
# comes from the kernel's accounting at exit); the tree is measured in runs of its own.
MEASURE = """
import json, os, resource, subprocess, sys, threading, time

def tree_kb(sid):
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
            if int(stat[stat.rindex(b")") + 2 :].split()[3]) != sid:
                continue
            with open(f"/proc/{name}/smaps_rollup", "rb") as f:
                total += next(int(ln.split()[1]) for ln in f if ln.startswith(b"Pss:"))
        except (OSError, ValueError, StopIteration):
            pass  # gone meanwhile, or a zombie
    return total

tree, cmd = sys.argv[1] == "tree", sys.argv[2:]
t0 = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, start_new_session=True)
peak, done = [0], threading.Event()

def sample():
    while not done.wait(0.05):
        peak[0] = max(peak[0], tree_kb(proc.pid))

thread = threading.Thread(target=sample, daemon=True)
if tree:
    thread.start()
code = proc.wait()
wall = time.perf_counter() - t0
done.set()
if tree:
    thread.join()
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": u.ru_utime + u.ru_stime,
                  "peak_mb": u.ru_maxrss / 1024, "tree_mb": peak[0] / 1024}))
"""


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, tree: bool = False
) -> dict[str, float]:
    """Wall time, CPU time (user + system, every process it started and waited for) and the peak
    resident memory of its largest process; with `tree`, the sampled peak of its whole process
    tree as well (`tree_mb`, else 0), and then the times are not to be reported (see MEASURE)."""
    mode = "tree" if tree else "time"
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, mode, *cmd],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )
    got = json.loads(out.stdout.decode().strip().splitlines()[-1])
    if got["code"] != 0:
        tail = out.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise SystemExit("\n".join([f"failed: {' '.join(cmd)}", *tail]))
    return got


def replace_section(path: Path, text: str, heading: str) -> None:
    """Replace the section `heading` (a line of its own, up to the next `## `) or append it."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    text = text.rstrip("\n") + "\n\n"  # a blank line before the next section's heading
    found = ("\n" + old).find("\n" + heading + "\n")  # the index in `old` where it starts
    if found == -1:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", found + len(heading))
        new = old[:found] + text + (old[end + 1 :] if end != -1 else "")
    path.write_text(new, encoding="utf-8")
