"""`registry serve` guards published content (issue 25): an edit to an announcement that is
published on `main` shows E503 in the browser like any other error, and the site again once the
edit is undone.

A real `registry serve` runs in a subprocess on a free 127.0.0.1 port, in a git repository whose
`main` holds the minimal registry of tests/conftest.py (its announcements are dated 2026, so
published today); no `--base` is given: the preview compares with `main` by itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import ROOT
from gitkit import GitRepo
from playwright.sync_api import Browser, expect
from test_browser_serve import WAIT_MS, _base_registry, _free_port, _wait_until_up

pytestmark = pytest.mark.browser


@pytest.fixture
def served_repo(tmp_path: Path) -> Iterator[tuple[str, GitRepo]]:
    repo = GitRepo(tmp_path / "project")
    for rel, text in _base_registry().items():
        repo.write(rel, text)
    shutil.copytree(ROOT / "site_src", repo.root / "site_src")
    shutil.copy(ROOT / "mkdocs.yml", repo.root / "mkdocs.yml")
    repo.commit("公告已发布", "2026-03-01T10:00:00+08:00")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    log = tmp_path / "serve.log"  # a file, not a pipe: read when something fails
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{port}"]
        + ["--as-of", "2026-11-23"],
        cwd=repo.root,
        env=env,
        stdout=log.open("w", encoding="utf-8"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            _wait_until_up(url, proc)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{log.read_text(encoding='utf-8')}") from None
        yield url, repo
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_editing_a_published_announcement_shows_the_guard_error_in_the_browser(
    browser: Browser, served_repo: tuple[str, GitRepo]
) -> None:
    url, repo = served_repo
    rel = "announcements/ANN-2026-002.yaml"
    good = repo.read(rel)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url + "announcements/ANN-2026-002/")
        expect(page.locator("h1")).to_contain_text("关于批准临床转化应用的公告", timeout=WAIT_MS)

        # valid data, but published text changed: the preview says so, as CI would
        repo.write(rel, good.replace("关于批准临床转化应用的公告", "关于批准临床应用的公告"))
        expect(page.locator("h1")).to_contain_text("数据校验未通过", timeout=WAIT_MS)
        item = page.locator(".reg-live-problems li").first
        expect(item).to_contain_text("E503")
        expect(item).to_contain_text("ANN-2026-002")
        expect(item).to_contain_text("main")
        expect(item.locator(".reg-live-where a")).to_have_text(f"data/{rel}:3:8")

        repo.write(rel, good)
        expect(page.locator("h1")).to_contain_text("关于批准临床转化应用的公告", timeout=WAIT_MS)
    finally:
        context.close()
