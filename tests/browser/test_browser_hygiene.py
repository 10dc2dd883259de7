"""Site-wide hygiene: no request leaves the origin, no console or page errors, usable at phone width."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from browser_helpers import Tab

pytestmark = pytest.mark.browser

RECORD_PAGES = [
    "/guidance-list/GL-0015/",
    "/approved/BMT-2026-001/",
    "/banned/BAN-0001/",
    "/research/CR-2026-0002/",
    "/announcements/ANN-2026-004/",
]


def test_no_foreign_requests_and_no_errors(tab: Tab) -> None:
    """Every page in the navigation, some record pages, and a filtered search stay on the origin."""
    tab.goto("/")
    tab.page.wait_for_load_state("networkidle")
    nav = tab.page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]", "links => links.map(a => a.pathname)"
    )
    pages = sorted({p for p in nav if p != "/"})
    for expected in ("/guidance-list/", "/approved/", "/banned/", "/announcements/"):
        assert expected in pages, f"{expected} missing from the navigation {pages}"
    for path in pages + RECORD_PAGES:
        tab.goto(path)
    tab.page.wait_for_load_state("networkidle")
    # A search with a filter, so the Pagefind bundle, index, fragments and filters are all fetched.
    urls = tab.search("干细胞")
    assert urls
    tab.choose_filter("类型", "已批准技术")
    tab.wait_for_results("干细胞", previous=len(urls))
    tab.page.wait_for_load_state("networkidle")

    assert len(tab.requests) > len(pages) + len(RECORD_PAGES), "requests were not recorded"
    assert any("/pagefind/" in u for u in tab.requests), "search loaded nothing from /pagefind/"
    assert tab.foreign_requests() == [], f"requests to other origins: {tab.foreign_requests()}"
    assert tab.failed == [], f"failed requests: {tab.failed}"
    assert tab.console_errors == [], f"console errors: {tab.console_errors}"
    assert tab.page_errors == [], f"page errors: {tab.page_errors}"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(
    "path,name",
    [("/", "home"), ("/approved/BMT-2026-001/", "BMT-2026-001"), ("/approved/", "approved-list")],
    ids=["home", "record", "list"],
)
def test_phone_width_has_no_horizontal_overflow(
    phone_tab: Tab, tmp_path: Path, path: str, name: str
) -> None:
    page = phone_tab.goto(path)
    page.evaluate("document.fonts.ready.then(() => true)")
    width = page.evaluate("window.innerWidth")
    assert width == 390
    overflow = page.evaluate(
        """() => {
          const limit = window.innerWidth + 1;
          // for the failure message: what sticks out, outside any horizontally scrollable box
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => {
              const r = e.getBoundingClientRect();
              if (r.width === 0 || r.right <= limit) return false;
              for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false;
              }
              return true;
            })
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + '.' + String(e.className).trim().split(/\\s+/).join('.'));
          return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide};
        }"""
    )
    assert overflow["scroll"] <= overflow["inner"] + 1, f"{path} overflows at 390px: {overflow}"
    shot = tmp_path / f"phone-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    w, h = png_size(shot)
    assert w == 390, f"full-page screenshot of {path} is {w}px wide"
    assert h >= 844
    assert shot.stat().st_size > 10_000, "screenshot is suspiciously small (blank page?)"
    assert phone_tab.page_errors == [] and phone_tab.console_errors == []
