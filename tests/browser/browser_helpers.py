"""Helpers for the browser tests: build and serve a site, a self-recording browser tab, the sample data.

`Tab` wraps one Playwright context + page: it records every request, failed response, console error and
page error, and uses the Pagefind search modal in the header the way a person does (click the trigger,
type, read the results, pick filter values).
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
AS_OF = date(2026, 11, 23)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


def chromium_binary() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


# --------------------------------------------------------------------------- building and serving


def build_site(data_dir: Path, site_dir: Path) -> Path:
    from generator.shells.build import build

    build(ROOT / "mkdocs.yml", site_dir, data_dir, AS_OF)
    assert (site_dir / "index.html").is_file(), "build wrote no index.html"
    assert (site_dir / "pagefind" / "pagefind-component-ui.js").is_file(), "no Pagefind bundle"
    return site_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    # socketserver's listen backlog is 5, and HTTP/1.0 opens a connection per request: a search
    # fetches a dozen chunks and fragments at once, and on a busy machine a connection beyond the
    # backlog waits for the kernel's SYN retry (1 s, 3 s, 7 s…) instead of being served.
    request_queue_size = 128


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (port 0) from a thread; yields the origin."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- a page that watches itself

_SUMMARY_COUNT = re.compile(r"(\d+)")

_RESULTS_SETTLED = """
([query, previous]) => {
  const summary = document.querySelector('pagefind-modal pagefind-summary');
  const list = document.querySelector('pagefind-modal pagefind-results ul.pf-results');
  if (!summary || !list || list.getAttribute('aria-busy') !== 'false') return false;
  const text = summary.textContent || '';
  if (!text.includes(' ' + query + ' ')) return false;  // "找到 3 个 <query> 的相关结果" / "未找到 <query> 的…"
  const m = text.match(/(\\d+)/);
  const n = m ? parseInt(m[1], 10) : 0;
  if (previous !== null && n === previous) return false;
  return list.querySelectorAll(':scope > li').length === n;
}
"""

# Pagefind renders placeholders and fills each result when it scrolls into view: bring each one in.
_ALL_RESULTS_LOADED = """
() => {
  const items = [...document.querySelectorAll('pagefind-modal pagefind-results ul.pf-results > li')];
  const pending = items.filter(li => !li.querySelector('a.pf-result-link'));
  if (pending.length) { pending[0].scrollIntoView({block: 'center'}); return false; }
  return true;
}
"""

_SEARCH_STATE = """
() => {
  const summary = document.querySelector('pagefind-modal pagefind-summary');
  const list = document.querySelector('pagefind-modal pagefind-results ul.pf-results');
  const items = list ? [...list.querySelectorAll(':scope > li')] : [];
  const pending = items.filter(li => !li.querySelector('a.pf-result-link')).length;
  return `summary ${JSON.stringify(summary && summary.textContent)}, aria-busy ` +
    `${list && list.getAttribute('aria-busy')}, ${items.length} results of which ${pending} not loaded`;
}
"""


@dataclass
class Tab:
    """One browser context + page, with everything it requested and every error it logged."""

    context: BrowserContext
    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    in_flight: set[Request] = field(default_factory=set)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.on("request", self._started)
        self.context.on("requestfinished", lambda r: self.in_flight.discard(r))
        self.context.on("requestfailed", self._failed)
        self.context.on(
            "response",
            lambda r: self.failed.append(f"{r.url} HTTP {r.status}") if r.status >= 400 else None,
        )
        self.page.on(
            "console",
            lambda m: (
                self.console_errors.append(f"{m.text} @ {m.location}")
                if m.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def _started(self, request: Request) -> None:
        self.requests.append(request.url)
        self.in_flight.add(request)

    def _failed(self, request: Request) -> None:
        self.in_flight.discard(request)
        # ERR_ABORTED is what navigating away does to requests still in flight (e.g. the favicon).
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} {request.failure}")

    # navigation --------------------------------------------------------------------------------
    def goto(self, path: str) -> Page:
        response = self.page.goto(self.origin + path, wait_until="load")
        assert response is not None and response.ok, f"GET {path} -> {response and response.status}"
        return self.page

    def main_text(self) -> str:
        """Visible text of the page content (what a reader sees in the article)."""
        return self.page.locator("article.md-content__inner").inner_text()

    # search ------------------------------------------------------------------------------------
    def open_search(self) -> None:
        modal_input = self.page.locator("pagefind-modal pagefind-input input")
        if not modal_input.is_visible():
            self.page.locator("header pagefind-modal-trigger").click()
        modal_input.wait_for(state="visible")

    def search(self, query: str) -> list[str]:
        """Type `query` into the header search modal; return the URLs of all results, in order."""
        self.open_search()
        box = self.page.locator("pagefind-modal pagefind-input input")
        box.fill("")
        box.press_sequentially(query)
        self.wait_for_results(query)
        return self.result_urls()

    def wait_for_results(self, query: str, previous: int | None = None) -> None:
        try:
            self.page.wait_for_function(_RESULTS_SETTLED, arg=[query, previous], timeout=10_000)
            self.page.wait_for_function(_ALL_RESULTS_LOADED, timeout=10_000, polling=50)
        except PlaywrightTimeoutError as e:
            raise AssertionError(f"search {query!r} did not settle: {self.search_state()}") from e

    def search_state(self) -> str:
        """What the modal shows and what is still loading: the message of a search that timed out."""
        shown = self.page.evaluate(_SEARCH_STATE)
        return (
            f"{shown}; requests still in flight: {sorted(r.url for r in self.in_flight) or 'none'}"
        )

    def result_count(self) -> int:
        text = self.page.locator("pagefind-modal pagefind-summary").inner_text()
        m = _SUMMARY_COUNT.search(text)
        return int(m.group(1)) if m else 0

    def result_urls(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "pagefind-modal pagefind-results a.pf-result-link",
            "els => els.map(e => e.getAttribute('href'))",
        )

    def choose_filter(self, name: str, value: str) -> int:
        """Pick `value` in the `name` filter dropdown; returns the count the option advertised."""
        dropdown = self.page.locator(f'pagefind-modal pagefind-filter-dropdown[filter="{name}"]')
        trigger = dropdown.locator("button.pf-dropdown-trigger")
        trigger.click()
        option = dropdown.locator(f'.pf-dropdown-option[data-value="{value}"]')
        option.wait_for(state="visible")
        advertised = int(option.locator(".pf-dropdown-option-count").inner_text())
        option.click()
        assert option.get_attribute("aria-selected") == "true"
        trigger.click()  # close the menu again, as a person would
        return advertised

    def clear_filter(self, name: str) -> None:
        dropdown = self.page.locator(f'pagefind-modal pagefind-filter-dropdown[filter="{name}"]')
        dropdown.locator("button.pf-dropdown-clear").click()

    # hygiene -----------------------------------------------------------------------------------
    def foreign_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if not (
                u.startswith(self.origin + "/")
                or u == self.origin
                or u.startswith(("data:", "blob:"))
            )
        ]


@contextmanager
def open_tab(browser: Browser, origin: str, **context_args: Any) -> Iterator[Tab]:
    context_args.setdefault("viewport", DESKTOP)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    context.set_default_timeout(10_000)
    try:
        yield Tab(context=context, page=context.new_page(), origin=origin)
    finally:
        context.close()


# --------------------------------------------------------------------------- the sample data, as written


@functools.lru_cache(maxsize=256)
def load_yaml(path: Path) -> dict[str, Any]:
    """Parsed YAML (cached: callers must not modify the result)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def categories() -> dict[str, str]:
    return {c["id"]: c["name"] for c in load_yaml(DATA / "registry.yaml")["categories"]}


def record_yaml(record_id: str) -> dict[str, Any]:
    folder = {
        "GL": "guidance-list",
        "BMT": "approved",
        "BAN": "banned",
        "CR": "research",
        "ANN": "announcements",
    }
    return load_yaml(DATA / folder[record_id.split("-")[0]] / f"{record_id}.yaml")


def conditions_yaml(record_id: str) -> dict[str, Any]:
    return load_yaml(DATA / "conditions" / f"{record_id}.yaml")


def announcements_naming(record_id: str) -> list[dict[str, Any]]:
    """Published (date <= as-of) announcements with an action on `record_id`, oldest first."""
    found = []
    for path in sorted((DATA / "announcements").glob("ANN-*.yaml")):
        ann = load_yaml(path)
        if ann["date"] <= AS_OF and any(a["record"] == record_id for a in ann["actions"]):
            found.append(ann)
    return sorted(found, key=lambda a: (a["date"], a["id"]))


def approvals() -> dict[str, str]:
    """Guidance entry id → the published approved technology that grew from it (`guidance_entry`).
    Such an entry is that technology's research stage, not an answer of its own (issue 22): search
    and /check/ show the approval's card only."""
    grown = {}
    for path in sorted((DATA / "approved").glob("BMT-*.yaml")):
        rec = load_yaml(path)
        if rec.get("guidance_entry") and announcements_naming(rec["id"]):
            grown[rec["guidance_entry"]] = rec["id"]
    return grown


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def squash(text: str) -> str:
    """Whitespace-insensitive form for comparing rendered text with source text."""
    return re.sub(r"\s+", "", text)


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_PREFIX = re.compile(r"^(#{1,6}\s+|[-*+]\s+|\d+\.\s+)")


def markdown_fragments(md: str) -> list[str]:
    """The visible text pieces of a Markdown field: headings, list items, paragraphs, table cells."""
    pieces: list[str] = []
    for raw in md.splitlines():
        line = raw.strip()
        if not line or re.fullmatch(r"\|?[\s:|-]+\|?", line):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")] if line.startswith("|") else [line]
        for cell in cells:
            text = _MD_LINK.sub(r"\1", _MD_PREFIX.sub("", cell))
            text = text.replace("**", "").replace("*", "")
            if text:
                pieces.append(text)
    return pieces


def missing_from(page_text: str, expected: list[str]) -> list[str]:
    flat = squash(page_text)
    return [e for e in expected if squash(str(e)) not in flat]
