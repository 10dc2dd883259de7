"""Browser tests: build the sample site once, serve it over HTTP, drive the system Chromium.

The sample site is built with `generator.shells.build.build` into a session tmp dir (as-of 2026-11-23) and
served by a `ThreadingHTTPServer` in a daemon thread. One Chromium per session; every test gets a fresh
context and page through the `tab` / `phone_tab` fixtures (see `browser_helpers.Tab`).

Tests are skipped only when there is no Chromium binary at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM_ARGS, DATA, Tab, build_site, chromium_binary, open_tab, serve
from playwright.sync_api import Browser, sync_playwright


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents and item.get_closest_marker("browser") is None:
            raise pytest.UsageError(f"{item.nodeid} lacks @pytest.mark.browser")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_binary()
    if path is None:
        pytest.skip("no Chromium binary (install the system chromium package)")
    return path


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample data, built once per session with as-of 2026-11-23."""
    return build_site(DATA, tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def origin(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def tab(browser: Browser, origin: str) -> Iterator[Tab]:
    """A fresh desktop-sized context and page on the sample site."""
    with open_tab(browser, origin) as t:
        yield t


@pytest.fixture
def phone_tab(browser: Browser, origin: str) -> Iterator[Tab]:
    """A fresh phone-sized (390×844) context and page on the sample site."""
    with open_tab(
        browser,
        origin,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    ) as t:
        yield t
