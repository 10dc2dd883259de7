"""Bytes a browser fetches for its first search query on a built site (used by bench_build.py).

    .venv/bin/python bench/bench_search.py SITE_DIR [QUERY]

Serves the site as a static host does (gzip for text, scripts and wasm; Pagefind's index files are
gzip already and go as they are; `Cache-Control: max-age=600`, as GitHub Pages sends), opens a record
page in the system Chromium (Playwright), waits until it has loaded, opens the search box, types
the query and waits for the results. Then it adds up, from Chromium's own accounting of each
response body as received (`request.sizes()`), what came from /pagefind/ before the query (the
UI's scripts and styles, which every page loads) and for the query (entry and metadata files,
wasm, worker, filters, index chunks, result fragments).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_helpers import CHROMIUM_ARGS, chromium_binary, open_tab  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

QUERY = "细胞治疗"
COMPRESSED = (".js", ".css", ".html", ".json", ".pagefind", ".svg", ".xml")


class _Host(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = Path(self.translate_path(self.path.split("?")[0]))
        if path.is_dir():
            path = path / "index.html"
        if not path.name.endswith(COMPRESSED) or "gzip" not in self.headers.get(
            "Accept-Encoding", ""
        ):
            return super().do_GET()
        if not path.is_file():
            return self.send_error(404)
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def _serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Host, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def first_query_bytes(site: Path, query: str = QUERY) -> dict[str, int]:
    record = sorted((site / "approved").glob("BMT-*/index.html"))[0].parent.name
    sizes: list[tuple[str, int, bool]] = []
    phase = {"query": False}
    with _serve(site) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary(), args=CHROMIUM_ARGS)
        with open_tab(browser, origin) as tab:

            def finished(request) -> None:  # type: ignore[no-untyped-def]
                if "/pagefind/" in request.url:
                    got = request.sizes()["responseBodySize"]
                    sizes.append((request.url, got, phase["query"]))

            tab.page.on("requestfinished", finished)
            tab.page.goto(f"{origin}/approved/{record}/", wait_until="networkidle")
            phase["query"] = True
            tab.open_search()
            tab.page.locator("pagefind-modal pagefind-input input").press_sequentially(query)
            tab.page.wait_for_selector("pagefind-modal pagefind-results a.pf-result-link")
            tab.page.wait_for_load_state("networkidle")
            tab.page.wait_for_timeout(1000)  # the results' fragments load as they scroll in
        browser.close()
    return {
        "page_scripts": sum(n for _, n, q in sizes if not q),
        "query": sum(n for _, n, q in sizes if q),
        "requests": sum(1 for _, _, q in sizes if q),
    }


if __name__ == "__main__":
    print(first_query_bytes(Path(sys.argv[1]), *(sys.argv[2:3] or [QUERY])))
