"""The command line's groundwork: click speaking Chinese (usage, errors, help), the shared --data / --as-of / --config options, and one-line messages for OS errors."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.domain.dates import today_shanghai
from generator.domain.errors import problem
from generator.history.diff_text import visible
from generator.load.files import MISSING, data_root_fault
from generator.publish.pipeline import check_registry
from generator.validate.entries import Registry, display_path

# click's own messages (usage errors, help headings) are gettext message ids; the registry answers
# in Chinese, so its modules get this catalogue in place of `gettext` (no .mo file, no global domain).
ZH_MESSAGES = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 “{command} {option}” 查看帮助。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "您是否指 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是否指：{possibilities}？）",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一：{choices}。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在允许范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的真假值；可用：{states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是目录。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录，不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "directory": "目录",
    "file": "文件",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
}


def _zh(message: str) -> str:
    return ZH_MESSAGES.get(message, message)


def _zh_plural(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


def speak_chinese() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        module._ = _zh  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _zh_plural  # type: ignore[attr-defined]

    # "Missing argument 'QUERY'." ends with a full stop written into click's code
    english = click.exceptions.MissingParameter.format_message

    def format_message(self: click.exceptions.MissingParameter) -> str:
        return english(self).replace("'.", "'。", 1)

    click.exceptions.MissingParameter.format_message = format_message  # type: ignore[method-assign]


class ZhCommand(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ZhGroup(click.Group):
    command_class = ZhCommand


class AsOf(click.ParamType):
    name = "DATE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"“{value}” 不是有效日期，请写成 YYYY-MM-DD", param, ctx)
        from generator.domain.vocabulary import YEARS

        if not YEARS[0] <= day.year <= YEARS[1]:
            self.fail(f"“{value}” 超出允许的范围（{YEARS[0]} 年至 {YEARS[1]} 年）", param, ctx)
        return day


def data_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--data",
        "data_dir",
        # any kind of path: one that is not a real directory is E114 (checked_data), not click's
        type=click.Path(path_type=Path),
        default=Path("data"),
        show_default=True,
        help="记录目录（data/）",
    )(f)


def as_of_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--as-of",
        "as_of",
        type=AsOf(),
        default=None,
        help="按哪一天计算状态（YYYY-MM-DD，默认北京时间今天）；晚于该日的公告视为未发布",
    )(f)


def _need_data(data_dir: Path) -> None:
    if not os.path.lexists(data_dir):
        # the path as typed may hold controls: shown escaped, like every message of ours
        raise click.UsageError(
            f"找不到记录目录 {visible(str(data_dir))}；请用 --data 指定 data/ 目录"
        )


def checked_data(data_dir: Path, missing_ok: bool = False) -> Path | None:
    """The data root every command reads or writes, checked before anything else is done.

    Missing: a usage error (exit 2), or None when `missing_ok`. A symlink, a path through a
    symlink inside the working directory, a file: E114 and exit 1, like any other problem of the
    tree under review (a pull request can commit `data` as a link to another folder)."""
    fault = data_root_fault(data_dir)
    if fault == MISSING:
        if missing_ok:
            return None
        _need_data(data_dir)
    if fault is not None:
        shown = display_path(data_dir)
        click.echo(problem("E114", shown, name=shown, what=fault).text())
        click.echo("记录目录不是真实目录，未读取也未写入任何文件。", err=True)
        sys.exit(1)
    return data_dir


def load_checked(data_dir: Path, as_of: date | None) -> Registry:
    """The checked registry; a data root that is not a real directory is its one problem (E114)."""
    _need_data(data_dir)
    return check_registry(data_dir, as_of or today_shanghai())


_ERRNO_TEXT = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或目录不存在（可能在运行中被删除或移动）",
    errno.ENOTDIR: "路径中有一项不是目录",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EIO: "读写出错（输入/输出错误）",
    errno.EMFILE: "打开的文件过多",
}


def os_error_line(exc: OSError) -> str:
    """One Chinese line for a failure of the file system (never a traceback)."""
    what = _ERRNO_TEXT.get(exc.errno or 0) or exc.strerror or "文件系统错误"
    where = f"：{exc.filename}" if exc.filename else ""
    return f"操作失败，{what}{where}。已有的网站目录保持不变；请处理后重试。"


def config_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=Path("mkdocs.yml"),
        show_default=True,
        help="MkDocs 配置文件",
    )(f)


def mkdocs_logging(level: int) -> None:
    """MkDocs logs through `logging`; its own CLI sets up a handler, calling it as a library does not."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def need_config(config_file: Path) -> None:
    if not config_file.is_file():
        raise click.UsageError(f"找不到 {config_file}；请在项目根目录运行，或用 --config 指定")


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end a command as Ctrl-C does, through every `finally`: `serve` then
    removes its temporary site (built from unpublished data) instead of leaving it in /tmp."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    saved = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError):  # not the main thread: its caller handles them
                saved[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old)
