"""`registry serve` error pages (generator/build.py LiveErrors), without a browser.

The browser test (tests/browser/test_browser_serve.py) runs a real server; these check the routing
and the escaping of hostile text quoted in messages, on a stand-in for MkDocs' LiveReloadServer.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from generator.domain.errors import problem
from generator.shells.build import LiveErrors


class FakeServer(SimpleNamespace):
    def __init__(self) -> None:
        super().__init__(mount_path="/", _visible_epoch=7, served=[], built=0)
        self.builder = self._builder
        self._serve_request = self._serve
        self.fail: Exception | None = None

    def _builder(self, config: Any = None) -> None:
        self.built += 1
        if self.fail is not None:
            raise self.fail

    def _serve(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.served.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"site"]

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return content + b"<script>livereload(%d)</script>" % epoch


def request(server: FakeServer, path: str) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(server._serve_request({"PATH_INFO": path}, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def live() -> tuple[FakeServer, list[Any]]:
    server = FakeServer()
    problems: list[Any] = []
    LiveErrors.install(server, lambda: problems)
    return server, problems


def test_a_failed_build_turns_every_url_into_the_error_list(live: tuple[FakeServer, list]) -> None:
    server, problems = live
    server.builder()  # the first build succeeds: there is a last good site
    assert request(server, "/approved/")[2] == b"site"
    hostile = '<script>alert(1)</script>"'
    problems.append(
        problem("E209", "data/approved/BMT-2026-001.yaml", 9, 3, "summary", value=hostile)
    )
    server.fail = RuntimeError("Aborted with a BuildError!")
    server.builder()  # does not raise: a failed build is a finished one, browsers reload
    for path in ("/", "/approved/BMT-2026-001/", "/api/records.json", "/no/such/page"):
        status, headers, body = request(server, path)
        assert status.startswith("503")
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        text = body.decode()
        assert "数据校验未通过：1 个错误" in text
        assert "data/approved/BMT-2026-001.yaml:9:3" in text
        assert "vscode://file/" in text and "BMT-2026-001.yaml:9:3" in text
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
        assert text.endswith("<script>livereload(7)</script>")  # reloads when fixed
    assert (
        'href="/last_event-good/approved/BMT-2026-001/"'
        in request(server, "/approved/BMT-2026-001/")[2].decode()
    )
    # the last good site, and live-reload polling, still pass through
    server.served.clear()
    assert request(server, "/last_event-good/approved/")[2] == b"site"
    assert request(server, "/livereload/1/2")[2] == b"site"
    assert server.served == ["/approved/", "/livereload/1/2"]


def test_fixed_data_serves_the_site_again(live: tuple[FakeServer, list]) -> None:
    server, problems = live
    problems.append(problem("E303", "data/x.yaml", 1, 1, value="x", allowed="y"))
    server.fail = RuntimeError("boom")
    server.builder()
    assert "还没有成功构建过" in request(server, "/")[2].decode()  # no good build yet
    problems.clear()
    server.fail = None
    server.builder()
    assert request(server, "/")[2] == b"site"
    status, headers, _ = request(server, "/last_event-good/approved/")
    assert status.startswith("302") and headers["Location"] == "/approved/"


def test_a_build_failure_without_problems_shows_its_message(
    live: tuple[FakeServer, list],
) -> None:
    server, _problems = live
    server.fail = ValueError("mkdocs.yml: <bad>")
    server.builder()
    text = request(server, "/")[2].decode()
    assert "构建失败" in text and "ValueError: mkdocs.yml: &lt;bad&gt;" in text


def test_install_is_idempotent(live: tuple[FakeServer, list]) -> None:
    server, _problems = live
    first = server.registry_live_errors
    assert LiveErrors.install(server, list) is first
