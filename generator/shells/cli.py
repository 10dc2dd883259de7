"""`registry`: the command line. Each command is a thin shell over the library functions.

Exit codes (contract): 0 ok, 1 the data is invalid or the query found nothing, 2 usage error.
User mistakes are `click.UsageError` (exit 2), never a traceback.
"""

from __future__ import annotations

import errno
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.domain.dates import today_shanghai
from generator.domain.errors import CATALOGUE
from generator.publish.pipeline import check_registry
from generator.validate.entries import Registry

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


def _speak_chinese() -> None:
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


_speak_chinese()


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
        type=click.Path(path_type=Path, file_okay=False),
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


def load_checked(data_dir: Path, as_of: date | None) -> Registry:
    if not data_dir.is_dir():
        raise click.UsageError(f"找不到记录目录 {data_dir}；请用 --data 指定 data/ 目录")
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


class _Main(ZhGroup):
    """The command group: a failure of the file system (disk full, read-only, a directory that
    vanished while we ran) is one line and exit 1, as the contract wants, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):  # `registry … | head`: nobody is reading
                sys.exit(1)
            click.echo(os_error_line(exc), err=True)
            sys.exit(1)


@click.group(
    cls=_Main,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
def main() -> None:
    """生物医学新技术公示库：校验记录、生成网站、查询状态。"""


@main.command()
@data_option
@as_of_option
@click.option(
    "--base",
    "base",
    default=None,
    help="与该 git 版本比较，禁止删除、改名记录，修改已发布公告或已发布的技术条件版本",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式",
)
def validate(data_dir: Path, as_of: date | None, base: str | None, fmt: str) -> None:
    """校验全部记录，一次列出所有错误（每行：文件:行:列: 代码 说明）。"""
    reg = load_checked(data_dir, as_of)
    problems = list(reg.problems)
    if base is not None:
        from generator.history.guard import guard_problems
        from generator.load.git import GitError

        try:
            problems.extend(guard_problems(data_dir, base))
        except GitError as exc:
            raise click.UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(p.text())
        # every file found, read or not: the count depends on the tree only, not on its errors
        summary = f"共检查 {reg.files} 个文件：" + (
            f"发现 {len(problems)} 个错误" if problems else "全部通过"
        )
        click.echo(summary, err=True)
    sys.exit(1 if problems else 0)


@main.command()
def errors() -> None:
    """列出错误代码目录（代码、名称、说明模板）。"""
    for code, (title, template) in CATALOGUE.items():
        click.echo(f"{code}\t{title}\t{template}")


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@data_option
@as_of_option
@click.option(
    "--preview-url",
    default=None,
    metavar="URL",
    help="预览站点的地址（例如 http://127.0.0.1:8000/）：摘要中的编号链接到预览中的页面",
)
def diff(
    base: str, head: str | None, data_dir: Path, as_of: date | None, preview_url: str | None
) -> None:
    """变更摘要（Markdown，供审阅拉取请求）：新增和修改的记录、状态变化、校验结果。

    BASE、HEAD 为 git 版本；不给 HEAD 时与工作区比较。数据有错误时退出码 1。
    """
    from generator.history.diff import diff_report
    from generator.load.git import GitError

    if not data_dir.is_dir():
        raise click.UsageError(f"找不到记录目录 {data_dir}；请用 --data 指定 data/ 目录")
    try:
        if preview_url is not None and not preview_url.startswith(("http://", "https://")):
            raise click.UsageError("--preview-url 须以 http:// 或 https:// 开头")
        text, ok = diff_report(
            data_dir, base, head, as_of or today_shanghai(), preview_url=preview_url
        )
    except GitError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(text, nl=False)
    sys.exit(0 if ok else 1)


@main.command()
@click.argument(
    "kind", type=click.Choice(["guidance", "approved", "conditions", "banned", "announcement"])
)
@data_option
@click.option("--id", "record_id", default=None, help="记录编号（默认取下一个空闲编号）")
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
def new(kind: str, data_dir: Path, record_id: str | None, force: bool) -> None:
    """生成带注释的模板文件；approved 同时生成技术条件文件和批准公告。

    模板中“请填写”开头的值是占位文字，全部换成真实内容后才能通过校验（E214）。
    """
    from generator.shells.scaffold import scaffold

    try:
        paths = scaffold(kind, data_dir, record_id, today_shanghai(), force)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    for path in paths:
        click.echo(f"已生成 {path}")
    if kind in ("guidance", "banned"):
        click.echo(
            "提示：记录须被某个公告的 actions 提及后才会公示（registry new announcement）。",
            err=True,
        )
    click.echo("提示：把含“请填写”的值换成真实内容，然后运行 registry validate。", err=True)


@main.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("schemas"),
    show_default=True,
    help="JSON Schema 输出目录",
)
@data_option
def schema(out: Path, data_dir: Path) -> None:
    """为每种文件生成 JSON Schema（供编辑器的 YAML 语言服务器使用，含中文说明和可选值）。

    分类和风险等级的可选值取自 --data 目录；改了 registry.yaml 或模型后请重新运行并提交 schemas/。
    """
    from generator.outputs.schemas import write_schemas

    for path in write_schemas(out, data_dir if data_dir.is_dir() else None):
        click.echo(str(path))


@main.command()
@click.option("--records", "count", type=click.IntRange(1, 200_000), required=True, help="记录数量")
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="输出目录"
)
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子（同一种子结果相同）")
def synth(count: int, out: Path, seed: int) -> None:
    """生成一个合法的合成数据集（用于测试和基准）。"""
    from generator.shells.synth import write_synthetic

    if out.exists() and any(out.iterdir()):
        raise click.UsageError(f"输出目录 {out} 不是空的；请指定新的目录")
    n = write_synthetic(out, count, seed)
    click.echo(f"已在 {out} 生成 {n} 个文件")


def config_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=Path("mkdocs.yml"),
        show_default=True,
        help="MkDocs 配置文件",
    )(f)


def _mkdocs_logging(level: int) -> None:
    """MkDocs logs through `logging`; its own CLI sets up a handler, calling it as a library does not."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def _need_config(config_file: Path) -> None:
    if not config_file.is_file():
        raise click.UsageError(f"找不到 {config_file}；请在项目根目录运行，或用 --config 指定")


@main.command()
@data_option
@as_of_option
@config_option
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="网站输出目录（构建成功后整体替换）",
)
def build(data_dir: Path, as_of: date | None, config_file: Path, site_dir: Path) -> None:
    """校验数据并生成网站；校验失败时保留原有网站并列出全部错误。"""
    from mkdocs.exceptions import MkDocsException

    from generator.shells.build import RegistryInvalid
    from generator.shells.build import build as build_site

    _need_config(config_file)
    if not data_dir.is_dir():
        raise click.UsageError(f"找不到记录目录 {data_dir}；请用 --data 指定 data/ 目录")
    _mkdocs_logging(logging.WARNING)
    try:
        build_site(config_file, site_dir, data_dir, as_of)
    except RegistryInvalid as exc:
        for p in exc.problems:
            click.echo(p.text())
        click.echo(f"数据校验未通过（{len(exc.problems)} 个错误），{site_dir} 保持不变。", err=True)
        sys.exit(1)
    except MkDocsException as exc:
        click.echo(f"构建失败：{exc}；{site_dir} 保持不变。", err=True)
        sys.exit(1)
    click.echo(f"网站已生成：{site_dir}")


@main.command()
@data_option
@as_of_option
@config_option
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="监听地址")
def serve(data_dir: Path, as_of: date | None, config_file: Path, addr: str) -> None:
    """本地预览网站（修改 data/ 后自动重建并刷新）。"""
    from generator.shells.build import serve as serve_site

    _need_config(config_file)
    _mkdocs_logging(logging.INFO)
    serve_site(config_file, data_dir, as_of, addr)


@main.command()
@click.argument("query")
@click.option("--institution", default=None, help="本机构名称（可选）：判断是否为参与研究机构")
@data_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def check(
    query: str, institution: str | None, data_dir: Path, as_of: date | None, as_json: bool
) -> None:
    """查询某项技术能否开展：结论、依据、公告链接和有效日期。找到时退出码 0，未找到时 1。"""
    from generator.publish.lookup import fold, report
    from generator.publish.version import data_version
    from generator.publish.views import build_site

    if not fold(query):
        raise click.UsageError("请给出技术名称、别名或编号")
    reg = load_checked(data_dir, as_of)
    if reg.problems:
        for p in reg.problems:
            click.echo(p.text(), err=True)
        click.echo(f"数据校验未通过（{len(reg.problems)} 个错误），无法查询。", err=True)
        sys.exit(1)
    text, found = report(
        build_site(reg, data_version(data_dir, reg.as_of)), query, institution, as_json
    )
    click.echo(text)
    sys.exit(0 if found else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
