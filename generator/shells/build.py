"""Atomic site builds: MkDocs writes into a temporary directory that replaces `site/` only on success.

The temporary tree is a sibling, `.site.building-<pid>`; a build that was killed leaves it behind,
so every build first removes the trees of builds whose process no longer runs. The swap leaves no
moment without a `site/`: on Linux `renameat2(RENAME_EXCHANGE)` exchanges the two directories in
one step; elsewhere (or on a file system without it) the old tree is renamed away and the new one
renamed in, two renames in a row. The previous site is then deleted by a detached process
(`remove_later`), so that `registry build` returns as soon as the new site is in place.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from mkdocs.exceptions import Abort, PluginError

from generator.domain.errors import Problem
from generator.outputs.writer import alive

INVALID_PREFIX = "数据校验未通过"


class RegistryInvalid(PluginError):
    """The data did not validate; carries every problem (raised by the plugin in on_config).

    A PluginError, so that plain `mkdocs build` prints the list and exits 1 without a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(p.text() for p in problems)
        super().__init__(f"{INVALID_PREFIX}，共 {len(problems)} 个错误：\n{lines}")
        self.problems = problems


def point_plugin(config: Any, data_dir: Path | None, as_of: date | None) -> Any:
    """Hand --data and --as-of to the registry plugin of a loaded MkDocs config (the plugin reads
    them from its own options, exactly as if mkdocs.yml had set them)."""
    plugin = config.plugins.get("registry")
    if plugin is None:
        raise PluginError("mkdocs.yml 未启用 registry 插件（plugins: - registry）")
    if data_dir is not None:  # absolute, never resolved: the plugin checks it for links itself
        plugin.config.data_dir = str(Path.cwd() / data_dir)
    if as_of is not None:
        plugin.config.as_of = as_of.isoformat()
    return config


@contextmanager
def _no_mkdocs_2_warning() -> Iterator[None]:
    """MkDocs 1.6 prints a notice about MkDocs 2.0 on every run; our README covers it."""
    saved = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("NO_MKDOCS_2_WARNING", None)
        else:
            os.environ["NO_MKDOCS_2_WARNING"] = saved


class _DropValidationReport(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Our CLI reports validation problems and failures itself, each once, in Chinese.
        msg = str(record.msg)
        return not (msg.startswith(INVALID_PREFIX) or msg.startswith("Error building page"))


@contextmanager
def _quiet_validation_log() -> Iterator[None]:
    """Our CLI prints the problems itself; MkDocs' own log line would repeat all of them."""
    logger = logging.getLogger("mkdocs.commands.build")
    flt = _DropValidationReport()
    logger.addFilter(flt)
    try:
        yield
    finally:
        logger.removeFilter(flt)


def build(
    config_file: Path, site_dir: Path, data_dir: Path | None = None, as_of: date | None = None
) -> None:
    """Build into a sibling temporary directory, then swap it in; on any failure `site_dir` is
    untouched. `SiteDirRefused` before anything is written for a site dir that must not be."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.shells.mkdocs_plugin import check_site_dir

    given, site_dir = site_dir, Path(os.path.abspath(site_dir))  # never resolved: a link is refused
    tmp = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    config = None
    try:
        with _no_mkdocs_2_warning(), _quiet_validation_log():
            config = point_plugin(load_config(str(config_file), site_dir=str(tmp)), data_dir, as_of)
            check_site_dir(given, config)  # before anything is written or removed
            remove_stale_trees(site_dir)
            shutil.rmtree(tmp, ignore_errors=True)
            mkdocs_build(config)
    except Abort:
        shutil.rmtree(tmp, ignore_errors=True)
        # MkDocs turns our PluginError into a bare Abort; hand the problems back to the caller.
        plugin = config.plugins.get("registry") if config is not None else None
        if plugin is not None and getattr(plugin, "problems", None):
            raise RegistryInvalid(plugin.problems) from None
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        swap_in(tmp, site_dir, later=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_STALE = re.compile(r"^\.(?P<name>.+)\.(?:building|old|search)-(?P<pid>\d+)$")


def remove_stale_trees(site_dir: Path) -> list[Path]:
    """Remove `.site.building-<pid>` / `.site.old-<pid>` left by builds that no longer run."""
    removed = []
    parent = site_dir.parent
    if not parent.is_dir():
        return removed
    for entry in os.scandir(parent):
        m = _STALE.match(entry.name)
        if not m or m["name"] != site_dir.name or alive(int(m["pid"])):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
        removed.append(Path(entry.path))
    return removed


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # old kernel or a file system without RENAME_EXCHANGE
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, site_dir: Path, later: bool = False) -> None:
    """Put the finished tree `new` at `site_dir`; the previous site is removed afterwards, by a
    process of its own when `later` (the command need not wait for it)."""
    if not site_dir.exists() and not site_dir.is_symlink():
        new.rename(site_dir)
        return
    if _exchange(new, site_dir):
        old = new  # `new` now holds the previous site
    else:
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        site_dir.rename(old)
        new.rename(site_dir)
    if not (later and remove_later(old, site_dir)):
        shutil.rmtree(old, ignore_errors=True)


_REMOVER = (
    "import shutil, sys; p = sys.stdin.readline().rstrip('\\n'); p and shutil.rmtree(p, True)"
)


def remove_later(tree: Path, site_dir: Path) -> bool:
    """Hand `tree` (a previous site) to a detached process that deletes it: 60,000 files took
    5 s here, time a rebuild need not wait for. The tree is first renamed `.site.old-<its pid>`,
    so no build removes it while that process runs and the next build does if it died.
    False when this cannot be done: the caller deletes it then."""
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _REMOVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not ended by the terminal's Ctrl-C after we return
        )
    except OSError:
        return False
    assert child.stdin is not None
    target = site_dir.with_name(f".{site_dir.name}.old-{child.pid}")
    try:
        tree.rename(target)
    except OSError:
        child.stdin.close()  # an empty line: it exits without deleting anything
        return False
    try:
        child.stdin.write(os.fsencode(target) + b"\n")
        child.stdin.close()
    except OSError:  # it is gone already: the new site is in place, delete the old one here
        shutil.rmtree(target, ignore_errors=True)
    return True


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


def serve(config_file: Path, data_dir: Path | None, as_of: date | None, addr: str) -> None:
    """`mkdocs serve`, except that invalid data shows its errors in the browser (LiveErrors),
    from the first build on."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    with _no_mkdocs_2_warning():
        site_dir = tempfile.mkdtemp(prefix="registry_serve_")

        def get_config() -> Any:
            config = load_config(str(config_file), site_dir=site_dir, dev_addr=addr)
            return point_plugin(config, data_dir, as_of)

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount = urlsplit(config.site_url or "/").path
        serve_url = _serve_url(host, port, mount)

        def builder(cfg: Any = None) -> None:
            cfg = cfg if cfg is not None else get_config()
            cfg.site_url = serve_url
            mkdocs_build(cfg, serve_url=serve_url)

        server = LiveReloadServer(
            builder=builder, host=host, port=port, root=site_dir, mount_path=mount
        )
        server.error_handler = lambda code: _error_page(site_dir, code)
        plugin = config.plugins["registry"]
        LiveErrors.install(server, lambda: plugin.problems)
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


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
