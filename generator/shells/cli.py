"""`registry`: the command line. Each command is a thin shell over the library functions.

Exit codes (contract): 0 ok, 1 the data is invalid or the query found nothing, 2 usage error.
User mistakes are `click.UsageError` (exit 2), never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

import click

from generator.domain.dates import today_shanghai
from generator.domain.errors import CATALOGUE
from generator.domain.kinds import FILES, RECORD_KINDS, spec
from generator.history.diff_text import visible
from generator.shells.cli_base import (
    ZhGroup,
    as_of_option,
    checked_data,
    config_option,
    data_option,
    load_checked,
    mkdocs_logging,
    need_config,
    os_error_line,
    speak_chinese,
    stopped_by_signals,
)

speak_chinese()


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
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="输出格式（github：每个错误一行 GitHub 工作流命令，在拉取请求中显示为文件批注）",
)
def validate(data_dir: Path, as_of: date | None, base: str | None, fmt: str) -> None:
    """校验全部记录，一次列出所有错误（每行：文件:行:列: 代码 说明）。"""
    reg = load_checked(data_dir, as_of)
    problems = list(reg.problems)
    # E114: the root is a link (or no directory); guarding it would compare another folder
    if base is not None and not any(p.code == "E114" for p in problems):
        from generator.history.guard import guard_problems
        from generator.load.git import GitError

        try:
            problems.extend(guard_problems(data_dir, base))
        except GitError as exc:  # git's text may hold anything a ref or path held: escaped
            raise click.UsageError(visible(str(exc))) from None
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    elif fmt == "github":
        from generator.shells.annotations import annotations

        for line in annotations(problems, data_dir):
            click.echo(line)
    else:
        for p in problems:
            click.echo(p.text())
    if fmt != "json":
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
    help="预览站点的地址（例如 http://pr-7-123.localhost:8001/，与 make serve 不同源）：摘要中的编号链接到预览中的页面",
)
def diff(
    base: str, head: str | None, data_dir: Path, as_of: date | None, preview_url: str | None
) -> None:
    """变更摘要（Markdown，供审阅拉取请求）：新增和修改的记录、状态变化、校验结果。

    BASE、HEAD 为 git 版本；不给 HEAD 时与工作区比较。数据有错误时退出码 1。
    """
    from generator.history.diff import diff_report
    from generator.load.git import GitError

    checked_data(data_dir)
    try:
        if preview_url is not None and not preview_url.startswith(("http://", "https://")):
            raise click.UsageError("--preview-url 须以 http:// 或 https:// 开头")
        text, ok = diff_report(
            data_dir, base, head, as_of or today_shanghai(), preview_url=preview_url
        )
    except GitError as exc:
        raise click.UsageError(visible(str(exc))) from None
    click.echo(text, nl=False)
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("kind", type=click.Choice([f.kind for f in FILES]))
@data_option
@click.option("--id", "record_id", default=None, help="记录编号（默认取下一个空闲编号）")
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
def new(kind: str, data_dir: Path, record_id: str | None, force: bool) -> None:
    """生成带注释的模板文件；approved 同时生成技术条件文件和批准公告。

    模板中“请填写”开头的值是占位文字，全部换成真实内容后才能通过校验（E214）。
    """
    from generator.shells.scaffold import scaffold

    checked_data(data_dir, missing_ok=True)  # `new` may start the data/ folder
    try:
        paths = scaffold(kind, data_dir, record_id, today_shanghai(), force)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    for path in paths:
        click.echo(f"已生成 {path}")
    if kind in RECORD_KINDS and spec(kind).announced and kind != "approved":
        # `registry new approved` writes its approve announcement itself
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

    data = checked_data(data_dir, missing_ok=True)
    for path in write_schemas(out, data):
        click.echo(str(path))


@main.command()
@click.option("--records", "count", type=click.IntRange(1, 200_000), required=True, help="记录数量")
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="输出目录"
)
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子（同一种子结果相同）")
def synth(count: int, out: Path, seed: int) -> None:
    """生成一个合法的合成数据集（用于测试和基准）。"""
    from generator.synth.write import write_synthetic

    if out.exists() and any(out.iterdir()):
        raise click.UsageError(f"输出目录 {out} 不是空的；请指定新的目录")
    n = write_synthetic(out, count, seed)
    click.echo(f"已在 {out} 生成 {n} 个文件")


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
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "plain"]),
    default="mkdocs",
    show_default=True,
    help="构建引擎：mkdocs（MkDocs + Material 主题）或 plain（不用 MkDocs 和主题，"
    "页面、接口和搜索相同；见 docs/dependencies.md）",
)
def build(
    data_dir: Path, as_of: date | None, config_file: Path, site_dir: Path, engine: str
) -> None:
    """校验数据并生成网站；校验失败时保留原有网站并列出全部错误。"""
    from jinja2 import TemplateError

    from generator.shells.build import RegistryInvalid, SiteDirRefused
    from generator.shells.engine_guard import EngineIgnoredPlugin

    need_config(config_file)
    checked_data(data_dir)
    try:
        _build_with(engine, config_file, site_dir, data_dir, as_of)
    except SiteDirRefused as exc:
        raise click.UsageError(str(exc)) from None
    except RegistryInvalid as exc:
        for p in exc.problems:
            click.echo(p.text())
        click.echo(f"数据校验未通过（{len(exc.problems)} 个错误），{site_dir} 保持不变。", err=True)
        sys.exit(1)
    except EngineIgnoredPlugin as exc:  # the tree lacks the registry: never swapped in
        click.echo(f"构建失败：{exc}；{site_dir} 保持不变。", err=True)
        sys.exit(1)
    except TemplateError as exc:  # a theme override or one of our templates, not the data
        click.echo(f"构建失败：{template_error_line(exc)}；{site_dir} 保持不变。", err=True)
        sys.exit(1)
    click.echo(f"网站已生成：{site_dir}")


def _build_with(
    engine: str, config_file: Path, site_dir: Path, data_dir: Path, as_of: date | None
) -> None:
    """One engine's atomic build; MkDocs' own errors (only that engine imports MkDocs) and our
    output errors (the plain engine's) exit 1 with one line."""
    from generator.outputs.writer import OutputError
    from generator.render.shell import ShellError
    from generator.shells.build import RegistryInvalid, SiteDirRefused

    try:
        if engine == "plain":
            from generator.shells.plain import build_plain_site

            build_plain_site(config_file, site_dir, data_dir, as_of)
            return
        from mkdocs.exceptions import MkDocsException

        from generator.shells.build import build as build_site

        mkdocs_logging(logging.WARNING)
        try:
            build_site(config_file, site_dir, data_dir, as_of)
        except (RegistryInvalid, SiteDirRefused):
            raise  # ours, reported by the caller (the plugin raises them as MkDocs errors too)
        except MkDocsException as exc:
            click.echo(f"构建失败：{exc}；{site_dir} 保持不变。", err=True)
            sys.exit(1)
    except (OutputError, ShellError) as exc:
        click.echo(f"构建失败：{exc}；{site_dir} 保持不变。", err=True)
        sys.exit(1)


def template_error_line(exc: Exception) -> str:
    """Where a Jinja template failed, in one line: file:line when Jinja knows them."""
    where = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__ if not line else None
    while tb is not None:  # a runtime error: Jinja's frames carry the template line; innermost wins
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            where, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    place = f"{where}:{line}" if where and line else (where or "")
    return f"模板出错（{place}）：{exc}" if place else f"模板出错：{exc}"


@main.command()
@data_option
@as_of_option
@config_option
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="监听地址")
@click.option(
    "--base",
    "base",
    default=None,
    metavar="REF",
    help="检查已发布内容时比较的 git 分支（默认：当前分支的上游分支，没有时用 main）",
)
def serve(
    data_dir: Path, as_of: date | None, config_file: Path, addr: str, base: str | None
) -> None:
    """本地预览网站（修改 data/ 后自动重建并刷新）。

    与要合并到的分支比较：修改、删除已发布的公告、技术条件版本或记录（E501–E505）时，
    浏览器像显示其他错误一样显示这些错误。
    """
    from generator.load.git import GitError
    from generator.shells.preview import serve as serve_site
    from generator.shells.preview_guard import resolve_base

    need_config(config_file)
    checked_data(data_dir)
    mkdocs_logging(logging.INFO)
    try:
        base = resolve_base(data_dir, base)
    except GitError as exc:  # --base as given names no commit: say so before serving anything
        raise click.UsageError(f"--base：{visible(str(exc))}") from None
    with stopped_by_signals():  # the temporary site is removed on SIGTERM/SIGHUP too
        serve_site(config_file, data_dir, as_of, addr, base)


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
