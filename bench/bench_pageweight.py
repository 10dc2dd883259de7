"""Page weight and first paint of the sample site (issue 26): bytes transferred, requests, first
paint and first contentful paint of a first view under an emulated 4G network.

    .venv/bin/python bench/bench_pageweight.py                    # builds data/ into a temporary dir
    .venv/bin/python bench/bench_pageweight.py --site SITE_DIR --out docs/benchmarks.md

The sample registry (data/) is built with `registry build`, then served from 127.0.0.1 the way a
static host serves it (bench_search.py's handler: HTML, scripts, styles, JSON, SVG and wasm
gzip-compressed at level 6 on the fly; Pagefind's index files, gzip already, and images as they
are). Each page is opened 3 times in the system Chromium (Playwright), each time in a new browser
context with the cache disabled and the network emulated through the DevTools protocol
(`Network.emulateNetworkConditions`: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, the usual
"4G"/"Fast 3G" profile of page-speed tools), and waited for until the network is idle. Bytes are
DevTools' `encodedDataLength` of every finished request (what crossed the wire: headers and the
compressed body); paints are the page's `performance.getEntriesByType("paint")`. Medians of 3.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import _Host  # noqa: E402
from browser_helpers import CHROMIUM_ARGS, chromium_binary  # noqa: E402
from measure import replace_section  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

HEADING = "## Page weight and first paint"
RUNS = 3
AS_OF = "2026-11-23"
NETWORK = {  # bytes per second, as the protocol wants them
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
GOAL_KB, GOAL_FCP_MS = 200, 1500
FONTS = Path("/tmp/rs-fonts/fonts.conf")  # CJK fonts where the browser tests installed them


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # a page's parallel requests must not wait for a SYN retry
    daemon_threads = True


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Host, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def build_sample(site: Path) -> None:
    cmd = [str(Path(sys.executable).parent / "registry"), "build", "--as-of", AS_OF]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([*cmd, "--site-dir", str(site)], cwd=ROOT, env=env, check=True)


def pages(site: Path) -> list[tuple[str, str]]:
    """(label, path) of the pages measured: home, /check/, one record page of each kind."""
    found = [("home", "/"), ("/check/", "/check/")]
    for folder, label in (("approved", "approved"), ("research", "research"), ("banned", "banned")):
        first = sorted((site / folder).glob("*/index.html"))
        if first:
            found.append((f"{label} record", f"/{folder}/{first[0].parent.name}/"))
    return found


def first_view(browser: Browser, url: str) -> dict[str, float]:
    """One first view in a new context: bytes on the wire, requests, paints (ms)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        got = {"bytes": 0.0, "decoded": 0.0, "requests": 0.0, "failed": 0.0}

        def add(key: str, n: float) -> None:
            got[key] += n

        def sent(event: dict[str, Any]) -> None:
            if not event["request"]["url"].startswith("data:"):  # inline images: no request
                add("requests", 1)

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", lambda e: add("bytes", e["encodedDataLength"]))
        cdp.on("Network.dataReceived", lambda e: add("decoded", e["dataLength"]))
        cdp.on("Network.loadingFailed", lambda e: add("failed", 1))
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        paints = dict(
            page.evaluate("performance.getEntriesByType('paint').map(e => [e.name, e.startTime])")
        )
        got["fp"] = paints.get("first-paint", float("nan"))
        got["fcp"] = paints.get("first-contentful-paint", float("nan"))
        got["load"] = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        return got
    finally:
        context.close()


def _views(browser: Browser, label: str, origin: str, path: str) -> dict[str, Any]:
    """Medians of RUNS first views; a view that fails (a timeout on a busy machine) is reported,
    not fatal."""
    runs, errors = [], []
    for _ in range(RUNS):
        try:
            runs.append(first_view(browser, origin + path))
        except Exception as exc:  # noqa: BLE001 - reported in the section instead
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    row = {k: statistics.median(r[k] for r in runs) for k in runs[0]} if runs else {}
    return {"label": label, "path": path, "views": len(runs), "errors": errors, **row}


def measure(site: Path) -> list[dict[str, Any]]:
    env = {**os.environ, **({"FONTCONFIG_FILE": str(FONTS)} if FONTS.is_file() else {})}
    results = []
    with serve(site) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary(), args=CHROMIUM_ARGS, env=env)
        try:
            for label, path in pages(site):
                results.append(_views(browser, label, origin, path))
                print(results[-1], file=sys.stderr)
        finally:
            browser.close()
    return results


def section(results: list[dict[str, Any]]) -> str:
    rows = [
        f"| page | transferred (goal ≤ {GOAL_KB} KB) | uncompressed | requests | first paint "
        f"| first contentful paint (goal < {GOAL_FCP_MS / 1000:.1f} s) | load event |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if not r["views"]:
            rows.append(f"| {r['label']} (`{r['path']}`) | — | — | — | — | — | — |")
            continue
        kb = r["bytes"] / 1024
        over = "" if kb <= GOAL_KB else " (over)"
        slow = "" if r["fcp"] < GOAL_FCP_MS else " (over)"
        failed = f", {r['failed']:.0f} failed" if r["failed"] else ""
        rows.append(
            f"| {r['label']} (`{r['path']}`) | **{kb:.0f} KB**{over} | {r['decoded'] / 1024:.0f} KB "
            f"| {r['requests']:.0f}{failed} | {r['fp'] / 1000:.2f} s | **{r['fcp'] / 1000:.2f} s**{slow} "
            f"| {r['load'] / 1000:.2f} s |"
        )
    errors = [f"- {r['label']}: {e}" for r in results for e in r["errors"]]
    load = os.getloadavg()[0]
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {date.today().isoformat()} on this machine ({os.cpu_count()} cores, 1-minute "
            f"load average {load:.1f} after the runs), `bench/bench_pageweight.py` (`make bench`, or "
            "`bench/run.py --only pageweight`): the sample registry (data/, as of "
            f"{AS_OF}) built and served from 127.0.0.1 as a static host serves it (HTML, scripts, "
            "styles, JSON, SVG and wasm gzip-compressed at level 6 on the fly; Pagefind's index "
            "files, gzip already, and images as they are). Each page is a first view in the "
            "system Chromium: a new browser context, cache disabled, network emulated through the "
            "DevTools protocol at 150 ms latency, 1.6 Mbit/s down and 750 kbit/s up (the "
            'page-speed tools\' "4G" profile), no CPU slowdown; the page is left until its network '
            "is idle (no request for 500 ms), without any interaction. *Transferred*: DevTools' "
            "`encodedDataLength` of every finished request (headers and compressed bodies, what "
            "crossed the wire; checked against gzip -6 of each file: the headers add about 190 bytes a "
            "response); *uncompressed*: the bodies' decoded size; *requests*: every "
            "request the page made over the network, the document included (`data:` URLs in the "
            "style sheets not counted); paints from "
            '`performance.getEntriesByType("paint")`, times from the start of navigation. '
            f"Medians of {RUNS} views (of those that finished; each has 60 s).",
            "",
            *rows,
            "",
            *(["Errors:", "", *errors, ""] if errors else []),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build data/ anew)")
    parser.add_argument("--out", type=Path, help=f"Markdown file whose '{HEADING}' is replaced")
    args = parser.parse_args()
    if chromium_binary() is None:
        raise SystemExit("需要 Chromium：运行 make chromium")
    with tempfile.TemporaryDirectory(prefix="bench-pageweight-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_sample(site)
        results = measure(site)
    text = section(results)
    print(text)
    if args.out:
        replace_section(args.out, text, HEADING)
    if not all(r["views"] for r in results):
        sys.exit(1)  # a page with no view measured


if __name__ == "__main__":
    main()
