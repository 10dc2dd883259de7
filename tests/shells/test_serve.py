"""`registry serve` error pages (generator/shells/preview.py LiveErrors), without a browser.

The browser test (tests/browser/test_browser_serve.py) runs a real server; these check the routing
and the escaping of hostile text quoted in messages, on a stand-in for MkDocs' LiveReloadServer.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator.domain.errors import problem
from generator.shells.preview import LiveErrors

REPO = Path(__file__).resolve().parents[2]


class FakeServer(SimpleNamespace):
    def __init__(self) -> None:
        super().__init__(
            mount_path="/", _visible_epoch=7, served=[], built=0, server_address=("127.0.0.1", 8000)
        )
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


def request(
    server: Any, path: str, host: str | None = "127.0.0.1:8000"
) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"PATH_INFO": path} | ({"HTTP_HOST": host} if host is not None else {})
    body = b"".join(server._serve_request(environ, start_response) or [])
    return seen.get("status", "404 (MkDocs: not found)"), seen.get("headers", {}), body


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
        'href="/_last-good/approved/BMT-2026-001/"'
        in request(server, "/approved/BMT-2026-001/")[2].decode()
    )
    # the last good site, and live-reload polling, still pass through
    server.served.clear()
    assert request(server, "/_last-good/approved/")[2] == b"site"
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
    status, headers, _ = request(server, "/_last-good/approved/")
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


# --- issue 23: redirects stay on this server, only our own Host is answered, SIGTERM cleans up ---

OFFSITE = [
    "//other.host/",
    "///other.host/x",
    "/\\other.host/",
    "//\\other.host/",
    "/\\/other.host",
]


def _offsite(location: str) -> bool:
    """Would a browser leave this origin for `location`? (`/\\x` is read as `//x`.)"""
    from urllib.parse import urlsplit

    normal = location.replace("\\", "/")
    return bool(urlsplit(normal).scheme or urlsplit(normal).netloc) or normal.startswith("//")


@pytest.mark.parametrize("tail", OFFSITE)
def test_the_last_good_mount_never_redirects_to_another_origin(
    live: tuple[FakeServer, list], tail: str
) -> None:
    server, _problems = live
    server.builder()  # the data is valid: /_last-good/… redirects back to the live page
    status, headers, _ = request(server, "/_last-good" + tail)
    assert status.startswith("302")
    assert headers["Location"].startswith("/") and not _offsite(headers["Location"])


def _real_server(tmp_path: Path) -> Any:
    """MkDocs' own LiveReloadServer (never bound: requests are WSGI calls) over a tiny site."""
    from mkdocs.livereload import LiveReloadServer

    (tmp_path / "other.host").mkdir()
    (tmp_path / "other.host" / "index.html").write_text("<p>folder</p>", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=8000, root=str(tmp_path))
    LiveErrors.install(server, list)
    return server


@pytest.mark.parametrize("path", ["//other.host", "///other.host"])
def test_mkdocs_folder_redirect_stays_on_this_server(tmp_path: Path, path: str) -> None:
    """MkDocs redirects a folder to `folder/` quoting the path as it came: `//other.host` became
    `Location: //other.host/`, another origin."""
    server = _real_server(tmp_path)
    status, headers, _ = request(server, path)
    assert status.startswith("302") and headers["Location"] == "/other.host/"  # as /other.host


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "localhost:8000", "LocalHost:8000", "[::1]:8000"]
)
def test_our_own_host_names_are_answered(live: tuple[FakeServer, list], host: str) -> None:
    server, _problems = live
    server.builder()
    assert request(server, "/approved/", host=host)[2] == b"site"


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "attacker.example:8000",
        "attacker.example",
        "localhost:8001",
        "127.0.0.1",
        "127.0.0.1:8000.attacker.example",
        "localhost.attacker.example:8000",
    ],
)
def test_any_other_host_is_refused_dns_rebinding(
    live: tuple[FakeServer, list], host: str | None
) -> None:
    """A page on attacker.example, rebound to 127.0.0.1, sends its own name as Host: refused
    before anything is served, the error list (unpublished text) and live-reload included."""
    server, problems = live
    server.builder()
    for path in ("/approved/", "/api/records.json", "/livereload/1/2", "/_last-good/approved/"):
        status, headers, body = request(server, path, host=host)
        assert status.startswith("421"), (host, path, status)
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert "DNS 重绑定" in body.decode() and "127.0.0.1:8000" in body.decode()
    problems.append(problem("E303", "data/x.yaml", 1, 1, value="秘密名称", allowed="y"))
    server.fail = RuntimeError("boom")
    server.builder()
    status, _headers, body = request(server, "/", host=host)
    assert status.startswith("421") and "秘密名称" not in body.decode()
    assert server.served == []


def test_the_bound_address_counts(tmp_path: Path) -> None:
    server = FakeServer()
    server.server_address = ("192.168.1.20", 8080)
    LiveErrors.install(server, list)
    server.builder()
    assert request(server, "/", host="192.168.1.20:8080")[2] == b"site"
    assert request(server, "/", host="localhost:8080")[2] == b"site"
    assert request(server, "/", host="192.168.1.20:8000")[0].startswith("421")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen[str]) -> None:
    import urllib.error
    import urllib.request

    for _ in range(600):  # a bound on attempts, not a time measured: the machine is shared
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        try:
            with urllib.request.urlopen(url, timeout=5) as res:  # noqa: S310 - 127.0.0.1 only
                if res.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.5)
    raise AssertionError("registry serve did not come up")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stopped_server_removes_its_temporary_site(
    kit: SimpleNamespace, tmp_path: Path, sig: signal.Signals
) -> None:
    """The temporary site holds what the data says before it is published: a server stopped by
    `kill` (SIGTERM) or a closed terminal (SIGHUP) removes it, as Ctrl-C always did."""
    project, temp = tmp_path / "project", tmp_path / "tmp"
    shutil.copytree(REPO / "site_src", project / "site_src")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    kit.make_registry(project / "data")
    temp.mkdir()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8", "TMPDIR": str(temp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{port}"]
        + ["--as-of", "2026-11-23"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/", proc)
        sites = [p for p in temp.iterdir() if p.name.startswith("registry_serve_")]
        assert len(sites) == 1 and (sites[0] / "index.html").is_file()
        proc.send_signal(sig)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, proc.stdout.read() if proc.stdout else ""
    assert not sites[0].exists()
