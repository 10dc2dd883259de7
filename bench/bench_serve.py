"""Edit to visible in the preview: how long after saving a record the served page shows the change.

    .venv/bin/python bench/bench_serve.py                         # 1,000 and 10,000 records
    .venv/bin/python bench/bench_serve.py --sizes 1000 --out docs/benchmarks.md

For each size: `registry synth` into a new git repository (one commit, as an editor's clone has
history; mkdocs.yml and site_src/ copied beside the data, so that edits others make to this work
tree do not trigger rebuilds), `registry serve --data data --addr 127.0.0.1:PORT` started, and the
first page awaited. Then, 5 times: one approved technology's `name` (its page's heading) is
rewritten with a new marker, and the record's page is fetched over HTTP every 20 ms until it shows
the marker; a second thread long-polls MkDocs' /livereload/<epoch>/ URL, which answers when the
served epoch (what makes open browsers reload) changes. Then the same 5 times with the `title` of
an announcement the editor is drafting (written before serve starts, with the new guidance entry
it lists: a published announcement may not change, E503), on its page: an edit the replay of the
announcements reads. Whatever
`serve` does on a save is what is measured. An edit not visible within 120 s is reported as an error and
the next one is tried; the run goes on. With `--out` the section is replaced (or appended).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import replace_section  # noqa: E402

from generator.synth.write import write_synthetic  # noqa: E402

HEADING = "## Preview: edit to visible"
BIN = Path(sys.executable).parent
AS_OF = "2026-11-23"
EDITS = 5
POLL_S = 0.02
EDIT_TIMEOUT_S = 120.0
START_TIMEOUT_S = 900.0  # the first build at 10,000 records on a busy machine
SETTLE_S = 1.0  # between edits: a save's second file event must not land in the next edit
_EPOCH = re.compile(rb"livereload\((\d+),\s*\d+\)")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_AUTHOR_DATE": "2026-11-01T00:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-01T00:00:00+08:00",
}


@dataclass(frozen=True)
class Target:
    """A file the edits rewrite: one quoted field of it, shown on `page`."""

    file: Path
    field: str
    page: str
    original: str
    value: str

    @classmethod
    def of(cls, file: Path, field: str, page: str) -> Target | None:
        original = file.read_text(encoding="utf-8")
        found = _line(field).search(original)
        return cls(file, field, page, original, found.group(1)) if found else None


def _line(field: str) -> re.Pattern[str]:
    """The line of a quoted top-level `field` (synth writes them so)."""
    return re.compile(rf'^{field}: "(.*)"$', re.M)


def make_project(work: Path, count: int) -> tuple[Path, str]:
    """A git repository with synthetic data/, the site sources and mkdocs.yml; the id of the
    approved technology whose name the edits change."""
    project = work / f"preview-{count}"
    write_synthetic(project / "data", count, 1)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", project / "site_src")
    env = {**os.environ, **GIT_ENV}
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "合成数据"]):
        subprocess.run(["git", *cmd], cwd=project, env=env, check=True)
    record = sorted((project / "data" / "approved").glob("*.yaml"))[0].stem
    return project, record


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float) -> tuple[int, bytes]:
    """Status and body; (0, b"") when nothing answers (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (OSError, TimeoutError):
        return 0, b""


def wait_for(url: str, ok: Any, timeout: float, proc: subprocess.Popen[bytes]) -> float | None:
    """Seconds until `ok(status, body)` holds, polling every 20 ms; None on timeout or exit."""
    t0 = time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < timeout:
        if proc.poll() is not None:
            return None
        status, body = fetch(url, max(1.0, timeout - elapsed))
        if ok(status, body):
            return time.perf_counter() - t0
        time.sleep(POLL_S)
    return None


class EpochWatch(threading.Thread):
    """Long-polls /livereload/<epoch>/<id> (MkDocs answers when the visible epoch passes `epoch`,
    or after a minute with the same one) and notes when a newer epoch came back."""

    def __init__(self, origin: str, epoch: int, t0: float) -> None:
        super().__init__(daemon=True)
        self.url, self.epoch, self.t0 = f"{origin}/livereload/{epoch}/1", epoch, t0
        self.seconds: float | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            status, body = fetch(self.url, EDIT_TIMEOUT_S)
            if status == 200 and body.strip().isdigit() and int(body) > self.epoch:
                self.seconds = time.perf_counter() - self.t0
                return
            if status != 200:
                time.sleep(POLL_S)


def cpu_seconds(pid: int) -> float:
    """User + system time of the serve process and the children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one_edit(n: int, ctx: dict[str, Any], target: Target) -> dict[str, Any]:
    """Rewrite the target's quoted field with marker n; time until its page shows it."""
    path, page, proc = target.file, target.page, ctx["proc"]
    marker = f"基准修改{n}号"
    _, before = fetch(page, EDIT_TIMEOUT_S)
    found = _EPOCH.search(before)
    text = _line(target.field).sub(
        lambda m: f'{target.field}: "{target.value}（{marker}）"', target.original, count=1
    )
    cpu0 = cpu_seconds(proc.pid)
    t0 = time.perf_counter()
    watch = EpochWatch(ctx["origin"], int(found.group(1)), t0) if found else None
    path.write_text(text, encoding="utf-8")
    if watch:
        watch.start()
    wanted = marker.encode()
    seconds = wait_for(page, lambda s, b: s == 200 and wanted in b, EDIT_TIMEOUT_S, proc)
    if watch:
        watch.join(timeout=2.0 if seconds is not None else 0.1)
        watch.stop.set()
    result = {
        "seconds": seconds,
        "epoch": watch.seconds if watch else None,
        "cpu": cpu_seconds(proc.pid) - cpu0 if proc.poll() is None else None,
    }
    if seconds is None:
        state = (
            "serve exited"
            if proc.poll() is not None
            else f"not visible after {EDIT_TIMEOUT_S:.0f} s"
        )
        result["error"] = f"edit {n}: {state}"
    return result


def start(project: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [str(BIN / "registry"), "serve", "--data", "data", "--as-of", AS_OF]
    with log.open("wb") as out:
        return subprocess.Popen(
            [*cmd, "--addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # serve removes its temporary site on SIGTERM
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


NEW_ENTRY = "GL-9999"
NEW_ANN = "ANN-2026-999"  # the id pattern has three digits; synth makes fewer


def _draft(data: Path) -> Path:
    """What an editor drafts: a new guidance entry and the announcement listing it (not yet on
    the branch, so it may still change; a published announcement may not, E503)."""
    first = sorted((data / "guidance-list").glob("*.yaml"))[0]
    entry = re.sub(r"^id: .*$", f"id: {NEW_ENTRY}", first.read_text(encoding="utf-8"), flags=re.M)
    entry = re.sub(r'^name: ".*"$', 'name: "基准新增条目技术"', entry, flags=re.M)
    (data / "guidance-list" / f"{NEW_ENTRY}.yaml").write_text(entry, encoding="utf-8")
    ann = data / "announcements" / f"{NEW_ANN}.yaml"
    assert not ann.exists(), f"{NEW_ANN} exists already: synth made more announcements"
    ann.write_text(
        f"id: {NEW_ANN}\nsample: true\n"
        'number: "国家卫生健康委公告 2026年第9999号"\n'
        'title: "关于增补备案指导清单条目的公告"\n'
        f"date: {AS_OF}\nbody: |\n  示例数据，非真实公告。\n"
        f"actions:\n  - action: list\n    record: {NEW_ENTRY}\n",
        encoding="utf-8",
    )
    return ann


def measure(count: int, work: Path) -> dict[str, Any]:
    project, record = make_project(work, count)
    port, log = free_port(), work / f"serve-{count}.log"
    origin = f"http://127.0.0.1:{port}"
    data = project / "data"
    draft = _draft(data)
    targets = {
        "edits": Target.of(
            data / "approved" / f"{record}.yaml", "name", f"{origin}/approved/{record}/"
        ),
        "announcement_edits": Target.of(draft, "title", f"{origin}/announcements/{NEW_ANN}/"),
    }
    proc = start(project, port, log)
    result: dict[str, Any] = {"count": count, "edits": [], "announcement_edits": [], "errors": []}
    try:
        first = wait_for(
            f"{origin}/approved/{record}/", lambda s, b: s == 200, START_TIMEOUT_S, proc
        )
        result["first"] = first
        missing = [k for k, t in targets.items() if t is None]
        if first is None or missing:
            result["errors"].append("first build: " + _log_tail(log, proc, bool(missing)))
            return result
        ctx = {"proc": proc, "origin": origin}
        for key, target in targets.items():
            for n in range(1, EDITS + 1):
                got = one_edit(n, ctx, target)  # type: ignore[arg-type]
                result[key].append(got)
                if "error" in got:
                    result["errors"].append(f"{key} {got['error']}")
                time.sleep(SETTLE_S)
            target.file.write_text(target.original, encoding="utf-8")  # type: ignore[union-attr]
            time.sleep(SETTLE_S)
        result["peak_mb"] = peak_rss_mb(proc.pid) if proc.poll() is None else None
    finally:
        stop(proc)
    return result


def _log_tail(log: Path, proc: subprocess.Popen[bytes], no_name: bool) -> str:
    if no_name:
        return "the synthetic record or the draft announcement has no quoted line to edit"
    state = f"serve exited ({proc.returncode})" if proc.poll() is not None else "timed out"
    tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
    return state + ("; " + " / ".join(tail) if tail else "")


def _stat(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "—"
    spread = f" ({min(got):.2f}–{max(got):.2f})" if len(got) > 1 else ""
    return f"{statistics.median(got):.2f} s{spread}"


KINDS = {
    "edits": "a record's name",
    "announcement_edits": "a drafted announcement's title",
}


def section(results: list[dict[str, Any]]) -> str:
    rows = [
        "| records | edit of | first build (start → page served) | save → page shows it: median "
        "(min–max) | save → livereload epoch changes | serve CPU per save | serve peak memory "
        "| edits measured |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        first = f"{r['first']:.1f} s" if r.get("first") is not None else "—"
        peak = f"{r['peak_mb']:.0f} MB" if r.get("peak_mb") else "—"
        for key, label in KINDS.items():
            edits = r.get(key, [])
            ok = sum(1 for e in edits if e["seconds"] is not None)
            rows.append(
                f"| {r['count']:,} | {label} | {first} | **{_stat([e['seconds'] for e in edits])}** "
                f"| {_stat([e['epoch'] for e in edits])} | {_stat([e['cpu'] for e in edits])} "
                f"| {peak} | {ok} of {EDITS} |"
            )
    errors = [f"- {r['count']:,} records: {e}" for r in results for e in r["errors"]]
    load = os.getloadavg()[0]
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {date.today().isoformat()} on this machine ({os.cpu_count()} cores, 1-minute "
            f"load average {load:.1f} after the runs), `bench/bench_serve.py` (`make bench`, or "
            "`bench/run.py --only serve`). A synthetic registry in a git repository of one commit, "
            f"`registry serve` on 127.0.0.1; then {EDITS} times, {SETTLE_S:.0f} s apart, one approved "
            "technology's `name` (the heading of its page) rewritten with a new marker; then "
            f"{EDITS} times the `title` of an announcement being drafted (a new file listing a new "
            "guidance entry, in the work tree before serve starts; a published one may not change, "
            "E503): a change the replay of the announcements reads, so the preview replays them "
            "again from that announcement's date. *Save → page "
            "shows it*: from just before the file is written until a fetch of the edited page "
            f"(every {POLL_S * 1000:.0f} ms over HTTP; MkDocs holds a page request while a rebuild "
            "runs) returns the marker. *Livereload epoch*: until MkDocs' long-poll "
            "(`/livereload/<epoch>/`) answers with a newer epoch, which is when open browsers "
            "reload. *Serve CPU per save*: user + system time of the serve process (and the "
            "children it waited for) over that interval. *Peak memory*: the serve process's "
            "peak resident size after the edits. This measures whatever `serve` does on a save at "
            f"the time of the run; an edit not shown within {EDIT_TIMEOUT_S:.0f} s counts as an "
            "error.",
            "",
            *rows,
            "",
            *(["Errors:", "", *errors, ""] if errors else []),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts")
    parser.add_argument("--out", type=Path, help=f"Markdown file whose '{HEADING}' is replaced")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        results = [measure(int(n), Path(tmp)) for n in args.sizes.split(",")]
    text = section(results)
    print(text)
    if args.out:
        replace_section(args.out, text, HEADING)
    if any(not any(e["seconds"] is not None for e in r[k]) for r in results for k in KINDS):
        sys.exit(1)  # a size with no edit measured: the figures say nothing


if __name__ == "__main__":
    main()
