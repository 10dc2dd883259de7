"""`registry serve`: MkDocs' live-reload server, except that invalid data shows its errors in the
browser (`LiveErrors`) and the server answers only itself: its own host names, same-origin
redirects, and the temporary site removed on SIGTERM and SIGHUP as on Ctrl-C."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from generator.domain.errors import Problem
from generator.shells.build import _no_mkdocs_2_warning, point_plugin
from generator.shells.live import LivePreview

LAST_GOOD = "_last-good/"  # under the mount path: the last good build while the data is invalid


def same_origin(path: str) -> str:
    """`path` as a Location that stays on this server: one leading slash, never `//host` or
    `/\\host` (browsers read both as another origin), percent-encoded."""
    return quote("/" + path.lstrip("/\\"))


def allowed_hosts(server: Any) -> set[str]:
    """The Host headers the preview answers: its bound address and the loopback names, with its
    port. Any other name may be an attacker's domain rebound to 127.0.0.1 (DNS rebinding): a page
    the editor visits could otherwise read the unpublished local data."""
    host, port = server.server_address[:2]
    names = {str(host), "localhost", "127.0.0.1", "::1"}
    shown = {f"[{n}]" if ":" in n else n for n in names}
    return {f"{n}:{port}".lower() for n in shown} | (
        {n.lower() for n in shown} if port == 80 else set()
    )


def _refuse_host(start_response: Any, allowed: set[str]) -> list[bytes]:
    text = (
        f"此预览服务器只回答发往 {'、'.join(sorted(allowed))} 的请求：其他域名可能被解析到本机"
        "（DNS 重绑定），让别的网站读取未发布的本地数据。请用终端里显示的地址打开预览。\n"
    ).encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(text)))]
    start_response("421 Misdirected Request", headers)
    return [text]


class LiveErrors:
    """`serve` mode: while the data is invalid, every URL shows the errors instead of hanging.

    MkDocs' live-reload server makes every request wait for a successful rebuild ("the server will
    appear stuck"). Here a failed build counts as a finished one: the browsers reload, every page
    shows the errors (file:line, links that open the editor) and reloads again once the files are
    fixed. The failed build never touched the site directory (validation runs before MkDocs
    writes), so the last good site is still there, served under `/_last-good/`.

    Every request first passes `allowed_hosts` (DNS rebinding), and no answer redirects to
    another origin (`same_origin`: MkDocs' own redirect quotes `//host` as it came).
    """

    def __init__(self, server: Any, problems: Callable[[], list[Problem]]) -> None:
        self.server = server
        self.problems = problems  # the plugin's problems of the build that just ran
        self.failed: list[Problem] | None = None  # None: the last build succeeded
        self.failure = ""
        self.has_site = False
        self.mount = server.mount_path
        self._build = server.builder
        self._serve = server._serve_request
        server.builder = self.build
        server._serve_request = self.serve_request
        server.registry_live_errors = self

    @classmethod
    def install(cls, server: Any, problems: Callable[[], list[Problem]]) -> LiveErrors:
        existing = getattr(server, "registry_live_errors", None)
        return existing if existing is not None else cls(server, problems)

    def build(self, config: Any = None) -> None:
        try:
            self._build(config)
        except Exception as exc:  # noqa: BLE001 - shown in the browser and the log instead
            found = list(self.problems())
            self.failed, self.failure = found, "" if found else f"{type(exc).__name__}: {exc}"
            # MkDocs has logged the problems; the browsers now show them until they are fixed
            logging.getLogger("mkdocs").error(
                "构建未完成：浏览器中每个页面都显示错误列表，改正并保存后自动刷新"
                + (f"；上一次成功构建的网站在 /{LAST_GOOD}" if self.has_site else "")
            )
            return
        self.failed, self.failure, self.has_site = None, "", True

    def serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        allowed = allowed_hosts(self.server)
        if environ.get("HTTP_HOST", "").lower() not in allowed:
            return _refuse_host(start_response, allowed)
        raw = "/" + environ.get("PATH_INFO", "").lstrip("/")  # `//host/x` is `/host/x` here
        environ = {**environ, "PATH_INFO": raw}
        start_response = _same_origin_redirects(start_response)
        prefix = self.mount + LAST_GOOD
        if raw.startswith(self.mount + "livereload/") or raw.startswith("/livereload/"):
            return self._serve(environ, start_response)
        if raw.startswith(prefix):
            rest = self.mount + raw[len(prefix) :].lstrip("/")
            if self.failed is None:  # fixed meanwhile: back to the live page
                start_response("302 Found", [("Location", same_origin(rest))])
                return []
            return self._serve({**environ, "PATH_INFO": rest}, start_response)
        if self.failed is None:
            return self._serve(environ, start_response)
        path = raw.encode("latin-1").decode("utf-8", "ignore")
        page = self.page(prefix + path[len(self.mount) :].lstrip("/"))
        body = self.server._inject_js_into_html(page.encode("utf-8"), self.server._visible_epoch)
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ]
        start_response("503 Service Unavailable", headers)
        return [body]

    def page(self, last_good: str) -> str:
        from generator.render.jinja import render

        items = [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "code": p.code,
                "message": p.message,
                "path": p.path,
                "editor": f"vscode://file{quote(Path(p.file).resolve().as_posix())}:{p.line}:{p.column}",
            }
            for p in self.failed or []
        ]
        return render(
            "serve_errors.html",
            problems=items,
            failure=self.failure,
            has_site=self.has_site,
            last_good=quote(last_good),
        )


def _same_origin_redirects(start_response: Any) -> Any:
    """start_response with every Location made a path on this server (MkDocs' own redirect of a
    folder to `folder/` would send `//other.host` to another origin)."""

    def wrapped(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
        fixed = [(k, same_origin(v) if k.lower() == "location" else v) for k, v in headers]
        return start_response(status, fixed, *rest)

    return wrapped


def serve(
    config_file: Path, data_dir: Path | None, as_of: date | None, addr: str, base: str | None = None
) -> None:
    """`mkdocs serve`, except that invalid data shows its errors in the browser (LiveErrors),
    from the first build on; with `base`, the published-content guard's too (preview_guard.py)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    with _no_mkdocs_2_warning():
        site_dir = tempfile.mkdtemp(prefix="registry_serve_")

        def get_config() -> Any:
            config = load_config(str(config_file), site_dir=site_dir, dev_addr=addr)
            return point_plugin(config, data_dir, as_of, base)

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount = urlsplit(config.site_url or "/").path
        serve_url = _serve_url(host, port, mount)

        def full(cfg: Any) -> None:
            cfg.site_url = serve_url
            mkdocs_build(cfg, serve_url=serve_url)

        server = LiveReloadServer(
            builder=lambda: None, host=host, port=port, root=site_dir, mount_path=mount
        )
        _native_watching(server)
        server.error_handler = lambda code: _error_page(site_dir, code)
        live = LivePreview(server, get_config, full)  # an edit rebuilds what it changed
        server.builder = builder = live.build
        LiveErrors.install(server, lambda: live.problems)
        try:
            server.builder(config)
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve()
            except KeyboardInterrupt:
                logging.getLogger("mkdocs").info("已停止预览")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
            shutil.rmtree(site_dir, ignore_errors=True)


def _native_watching(server: Any) -> None:
    """The system's file events (inotify, FSEvents) instead of MkDocs' polling every 0.5 s:
    polling ten thousand files costs time on every round and up to half a second per edit."""
    import watchdog.events as ev
    import watchdog.observers

    observer = watchdog.observers.Observer()
    schedule = observer.schedule
    # what changes a file, never a read: the build opens the files it watches, and MkDocs
    # rebuilds on any event (opened, closed without writing) — a loop with native events
    changes = [
        ev.FileCreatedEvent, ev.FileModifiedEvent, ev.FileDeletedEvent, ev.FileMovedEvent,
        ev.FileClosedEvent, ev.DirCreatedEvent, ev.DirDeletedEvent, ev.DirMovedEvent,
    ]  # fmt: skip

    def changes_only(handler: Any, path: str, **kw: Any) -> Any:
        return schedule(handler, path, **kw, event_filter=changes)

    observer.schedule = changes_only  # type: ignore[method-assign]
    server.observer = observer
    server.build_delay = 0.05  # an editor's save is one or two events within a few milliseconds


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
