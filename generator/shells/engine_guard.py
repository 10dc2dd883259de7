"""The guard against an engine that ignores our plugin: such a build fails, loudly.

Zensical (by Material's authors) reads mkdocs.yml but drops its `plugins:` without a word; MkDocs
2.0 has no plugins at all. Either would turn out a site of the two hand-written pages and no
registry, and exit 0. Two checks that do not need our plugin to run catch it:

1. `check_built_site(site_dir)` reads the finished tree for what only the registry writes: the
   API summary `api/records.json` (valid, with its as-of date and records) and the page of every
   record it lists. `registry build` runs it on the temporary tree before the swap, whatever the
   engine (a site without the registry never replaces a good one), and the publish workflow runs
   it on `site/` before uploading (`python -m generator.shells.engine_guard site`), so a workflow
   changed to call another engine directly fails there too.
2. `engine_markdown.py`, a Python-Markdown extension listed in mkdocs.yml's `markdown_extensions`
   (which Zensical does honour), stops the build at the first hand-written page when the plugin has
   not run in the process (`plugin_ran()`, set by the plugin's on_config).

Nothing here imports MkDocs: the plain engine (shells/plain.py) is checked the same way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

_STATE = {"plugin_ran": False}


class EngineIgnoredPlugin(RuntimeError):
    """The site was built by an engine that did not run the registry plugin."""


def mark_plugin_ran() -> None:
    """Called by the plugin's on_config: the registry runs in this build."""
    _STATE["plugin_ran"] = True


def plugin_ran() -> bool:
    return _STATE["plugin_ran"]


HINT = (
    "构建引擎没有运行公示库的 registry 插件（例如 Zensical 或 MkDocs 2.0 会忽略 mkdocs.yml 的 "
    "plugins），生成的网站没有任何记录。请用 registry build 构建（--engine mkdocs 或 plain），"
    "见 docs/dependencies.md“If MkDocs or Material stop being maintained”"
)


def site_faults(site_dir: Path) -> list[str]:
    """What a finished site lacks of the registry's own output (empty: it has all of it)."""
    summary = site_dir / "api" / "records.json"
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{summary} 缺失或不是有效的 JSON（{type(exc).__name__}）"]
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list) or not isinstance(data.get("as_of"), str):
        return [f"{summary} 没有 as_of 和 records"]
    faults = []
    for record in records:
        url = record.get("url") if isinstance(record, dict) else None
        page = site_dir / str(url).strip("/") / "index.html" if isinstance(url, str) else None
        if page is None or not page.is_file():
            faults.append(f"{summary} 列出的记录页 {url} 不存在")
    if not (site_dir / "index.html").is_file():
        faults.append(f"{site_dir / 'index.html'} 不存在")
    return faults


def check_built_site(site_dir: Path) -> None:
    """EngineIgnoredPlugin naming what is missing, when the tree lacks the registry's output."""
    faults = site_faults(site_dir)
    if faults:
        shown = "；".join(faults[:5]) + (f"；等 {len(faults)} 处" if len(faults) > 5 else "")
        raise EngineIgnoredPlugin(f"{HINT}。{shown}")


def main(argv: list[str]) -> int:
    """`python -m generator.shells.engine_guard SITE_DIR`: exit 1 with the reason, for CI."""
    if len(argv) != 1:
        print("用法：python -m generator.shells.engine_guard 网站目录", file=sys.stderr)
        return 2
    try:
        check_built_site(Path(argv[0]))
    except EngineIgnoredPlugin as exc:
        print(f"网站检查未通过：{exc}", file=sys.stderr)
        return 1
    print(f"网站检查通过：{argv[0]} 含公示库生成的记录页和接口文件")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
