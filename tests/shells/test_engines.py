"""The two engines publish the same registry: MkDocs + Material and the plain engine.

The plain engine (`registry build --engine plain`, shells/plain.py) is the exit for when MkDocs and
Material are gone (docs/dependencies.md). Both build one copy of the sample data (its own git
repository, so that a commit elsewhere cannot change the data version between the two builds) with
the same as-of and SOURCE_DATE_EPOCH, and must publish:

- the same record and announcement pages (paths);
- the same API, feed and download files, byte for byte (api/, feeds/, downloads/; the two pages
  among them, api/index.html and downloads/index.html, compared by their text below);
- the same visible text of each page's article (what Pagefind indexes, not the chrome);
- the same search: the same pages in the Pagefind index, each with the same indexed text.

`test_the_comparisons_notice_a_dropped_page_or_file` checks that each comparison fails when the
plain engine drops a page, a file or an index entry.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml
from sitekit import AS_OF, EPOCH, ROOT, build_sample, config_with

from generator.shells import engine_guard
from generator.shells.engine_guard import EngineIgnoredPlugin, check_built_site
from generator.shells.plain import build_plain_site

GUARD = "generator.shells.engine_markdown"

FILES = ("api", "feeds", "downloads")
ARTICLE = "//article[contains(concat(' ', @class), ' reg-')]"  # ours, not the theme's
PAGE = re.compile(r"^(guidance-list|approved|banned|research|announcements)/[^/]+/index\.html$")


def _data_repo(root: Path) -> Path:
    """A copy of data/ in a repository of its own with one commit at a fixed date."""
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    stamp = "2026-01-01T08:00:00+08:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    for cmd in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "data"],
    ):
        subprocess.run(["git", "-C", str(root), *cmd], check=True, env=env)
    return data


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("engines")
    data = _data_repo(root / "repo")
    mkdocs = build_sample(root / "mkdocs", data=data)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build_plain_site(ROOT / "mkdocs.yml", root / "plain", data, AS_OF)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return {"mkdocs": mkdocs, "plain": root / "plain"}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def article_pages(tree: dict[str, bytes]) -> dict[str, str]:
    """Every record and announcement page → the visible text of its article (redirects from old
    addresses, which have no article, left out)."""
    out = {}
    for name, data in tree.items():
        if not PAGE.match(name) or b'http-equiv="refresh"' in data:
            continue
        found = lxml.html.fromstring(data).xpath(ARTICLE)
        out[name] = re.sub(r"\s+", " ", found[0].text_content()).strip() if found else ""
    return out


def data_files(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The API, feeds and downloads, pages among them excepted (they have chrome)."""
    return {
        name: data
        for name, data in tree.items()
        if name.split("/")[0] in FILES and not name.endswith(".html")
    }


def page_texts(tree: dict[str, bytes], names: list[str]) -> dict[str, str]:
    """The visible text of the content of pages that have chrome (api/, downloads/, about/)."""
    out = {}
    for name in names:
        doc = lxml.html.fromstring(tree[name])
        # Material's content column, else the plain chrome's <main>
        main = (
            doc.xpath('//article[contains(@class, "md-content__inner")]') or doc.xpath("//main")
        )[0]
        for link in main.xpath('.//a[contains(@class, "headerlink")]'):
            link.drop_tree()
        out[name] = re.sub(r"\s+", " ", main.text_content()).strip()
    return out


def indexed(tree: dict[str, bytes]) -> dict[str, str]:
    """What Pagefind indexed: address → the page's indexed content (its fragment files)."""
    out = {}
    for name, data in tree.items():
        if name.startswith("pagefind/fragment/"):
            raw = gzip.decompress(data).removeprefix(b"pagefind_dcd")
            fragment = json.loads(raw)
            out[fragment["url"]] = fragment["content"]
    return out


@pytest.fixture(scope="module")
def trees(sites: dict[str, Path]) -> dict[str, dict[str, bytes]]:
    return {engine: _tree(path) for engine, path in sites.items()}


def test_both_engines_publish_the_same_pages(trees: dict[str, dict[str, bytes]]) -> None:
    mk, pl = article_pages(trees["mkdocs"]), article_pages(trees["plain"])
    records = json.loads(trees["mkdocs"]["api/records.json"])["records"]
    announcements = json.loads(trees["mkdocs"]["api/announcements.json"])["announcements"]
    urls = [r["url"] for r in records] + [a["url"] for a in announcements]
    assert {url.strip("/") + "/index.html" for url in urls} == mk.keys()
    assert all(mk.values())  # every page has its article
    assert sorted(mk) == sorted(pl)
    differ = [name for name in mk if mk[name] != pl[name]]
    assert differ == [], f"the article text differs on {len(differ)} pages, first {differ[:5]}"


def test_both_engines_publish_the_same_api_feeds_and_downloads(
    trees: dict[str, dict[str, bytes]],
) -> None:
    mk, pl = data_files(trees["mkdocs"]), data_files(trees["plain"])
    assert "api/records.json" in mk and any(n.startswith("feeds/") for n in mk)
    assert sorted(mk.keys() - pl.keys()) == [], "only MkDocs wrote these"
    assert sorted(pl.keys() - mk.keys()) == [], "only the plain engine wrote these"
    assert [name for name in mk if mk[name] != pl[name]] == []
    pages = ["api/index.html", "downloads/index.html", "about/index.html"]
    assert page_texts(trees["mkdocs"], pages) == page_texts(trees["plain"], pages)


def test_both_engines_index_the_same_pages_for_search(trees: dict[str, dict[str, bytes]]) -> None:
    mk, pl = indexed(trees["mkdocs"]), indexed(trees["plain"])
    assert len(mk) > 20
    assert sorted(mk) == sorted(pl)
    assert [url for url in mk if mk[url] != pl[url]] == []
    names = {n for n in trees["mkdocs"] if n.startswith("pagefind/")}
    assert names == {n for n in trees["plain"] if n.startswith("pagefind/")}


def test_the_comparisons_notice_a_dropped_page_or_file(trees: dict[str, dict[str, bytes]]) -> None:
    pl = dict(trees["plain"])
    page = next(iter(article_pages(pl)))
    api = next(name for name in data_files(pl) if name.startswith("api/records/"))
    fragment = next(name for name in pl if name.startswith("pagefind/fragment/"))
    for name in (page, api, fragment):
        dropped = {k: v for k, v in pl.items() if k != name}
        assert (
            article_pages(dropped) != article_pages(trees["mkdocs"])
            or data_files(dropped) != data_files(trees["mkdocs"])
            or indexed(dropped) != indexed(trees["mkdocs"])
        ), name


def test_the_guard_refuses_a_site_without_the_registry(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    for site in sites.values():
        check_built_site(site)  # both engines' sites hold the registry
    assert engine_guard.main([str(sites["plain"])]) == 0
    empty = tmp_path / "empty"  # what an engine that ignores the plugin writes: no API, no pages
    shutil.copytree(sites["plain"] / "about", empty / "about")
    (empty / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(EngineIgnoredPlugin, match="api/records.json"):
        check_built_site(empty)
    assert engine_guard.main([str(empty)]) == 1
    partial = tmp_path / "partial"  # the API without the record pages it names
    shutil.copytree(sites["plain"] / "api", partial / "api")
    (partial / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(EngineIgnoredPlugin, match="记录页"):
        check_built_site(partial)


def _mkdocs(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f", str(config)]
    return subprocess.run(
        [*cmd, "-d", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_an_engine_that_ignores_the_plugin_fails_at_the_first_page(tmp_path: Path) -> None:
    """What Zensical does with our mkdocs.yml (it drops `plugins:` but loads Markdown extensions),
    played by MkDocs with the plugin taken out: the Markdown guard stops the build."""
    config = config_with(tmp_path / "cfg", as_of=AS_OF.isoformat())
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["markdown_extensions"] = [*raw["markdown_extensions"], GUARD]
    with_plugin = tmp_path / "with.yml"
    with_plugin.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    raw["plugins"] = []
    raw["theme"].pop("custom_dir")  # our overrides need the plugin's values: they fail anyway
    without = tmp_path / "without.yml"
    without.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    failed = _mkdocs(without, tmp_path / "bad")
    assert failed.returncode != 0
    assert "没有运行公示库的 registry 插件" in failed.stdout + failed.stderr
    ok = _mkdocs(with_plugin, tmp_path / "good")  # with the plugin the guard lets pages through
    assert ok.returncode == 0, ok.stdout + ok.stderr
    check_built_site(tmp_path / "good")


def test_the_search_loads_from_this_site_on_every_page_of_both_engines(
    sites: dict[str, Path],
) -> None:
    """The header search's files (data-reg-search*) exist at the address each page gives, the 404
    page's too (shown at any address: from the base path). Its base_url is "/", which once gave
    "//pagefind/…": another host's address."""
    from urllib.parse import urljoin, urlsplit

    attrs = ("data-reg-search", "data-reg-search-css", "data-reg-search-ext")
    for engine, root in sites.items():
        buttons = {
            page: lxml.html.fromstring(page.read_bytes()).xpath("//button[@data-reg-search]")
            for page in root.rglob("*.html")
        }
        # every page but the redirect stubs of renamed records has one
        shown = {page: found[0] for page, found in buttons.items() if len(found) == 1}
        assert root / "404.html" in shown and root / "index.html" in shown
        assert len(shown) > 50
        for page, button in shown.items():
            url = "https://host.example/" + page.relative_to(root).as_posix()
            for attr in attrs:
                target = urlsplit(urljoin(url, button.get(attr)))
                assert target.netloc == "host.example", (engine, page, attr, button.get(attr))
                assert (root / target.path.lstrip("/")).is_file(), (engine, page, attr)
