"""`registry serve` with an invalid edit: the browser shows the errors, never hangs (issue 15).

A real `registry serve` runs in a subprocess on a free 127.0.0.1 port over a temporary copy of the
project (the minimal registry of tests/conftest.py, so that builds are quick). The test opens a
page, breaks a data file, sees the page turn into the error list (live reload), follows the link to
the last good site, fixes the file and sees the site again.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import ROOT
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

WAIT_MS = 120_000  # generous: the machine is shared; nothing here measures time


def _base_registry() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("validation_kit", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BASE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen[str]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(
                f"registry serve exited: {proc.stdout.read() if proc.stdout else ''}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as res:  # noqa: S310 - 127.0.0.1 only
                if res.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.5)  # a pause between attempts that also notices an early exit
    raise AssertionError("registry serve did not come up")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for rel, text in _base_registry().items():
        path = project / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{port}"]
        + ["--as-of", "2026-11-23"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, proc)
        yield url, project
    finally:
        proc.send_signal(signal.SIGINT)  # KeyboardInterrupt: the server cleans up its temp site
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_invalid_edit_shows_the_errors_in_the_browser_and_the_site_once_fixed(
    browser: Browser, served: tuple[str, Path]
) -> None:
    url, project = served
    record = project / "data" / "approved" / "BMT-2026-001.yaml"
    good = record.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url + "approved/BMT-2026-001/")
        expect(page.locator("h1")).to_contain_text("CD19", timeout=WAIT_MS)

        record.write_text(good.replace("category: cell-therapy", "category: 细胞治疗"), "utf-8")
        # live reload turns the open page into the error list: no hanging request
        expect(page.locator("h1")).to_contain_text("数据校验未通过", timeout=WAIT_MS)
        item = page.locator(".reg-live-problems li").first
        expect(item).to_contain_text("E303")
        expect(item).to_contain_text("cell-therapy（细胞治疗）")
        where = item.locator(".reg-live-where a")
        expect(where).to_have_text("data/approved/BMT-2026-001.yaml:4:11")
        href = where.get_attribute("href") or ""
        assert href.startswith("vscode://file/") and href.endswith("BMT-2026-001.yaml:4:11")
        assert str(record.resolve()) in href.replace("vscode://file", "")
        # every URL shows it, with the status of a failed build
        other = context.new_page()
        res = other.goto(url + "guidance-list/")
        assert res is not None and res.status == 503
        expect(other.locator("h1")).to_contain_text("数据校验未通过")
        # the last good site is one click away
        page.locator("#reg-last-good").click()
        page.wait_for_url("**/_last-good/approved/BMT-2026-001/")
        expect(page.locator("h1")).to_contain_text("CD19")

        record.write_text(good, "utf-8")
        # fixed: the error tab reloads into the site, the last-good tab back to the live page
        expect(other.locator("h1")).not_to_contain_text("数据校验未通过", timeout=WAIT_MS)
        expect(other).to_have_title(re.compile("备案指导清单"), timeout=WAIT_MS)
        # its own live-reload script reloads the last-good tab, and the server sends it back to
        # the live page (a reload of ours would race with that one: the preview reloads twice,
        # once for the page and once when lists and search have settled)
        page.wait_for_url(url + "approved/BMT-2026-001/", timeout=WAIT_MS)
        expect(page.locator("h1")).to_contain_text("CD19")
    finally:
        context.close()
