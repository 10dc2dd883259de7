"""Data cannot be taken for a shell's markers (issue 23): text in registry.yaml and in records
that spells any marker the shell used, or near it, is published verbatim and escaped, and every
record page carries exactly the footer the engine rendered."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import escape
from sitekit import AS_OF, EPOCH, ROOT, config_with

from generator.outputs import assemble
from generator.render.page import GeneratedPage
from generator.render.shell import Marks, ShellKey, fill_pages, shell_page
from generator.shells.build import build

# every marker the shell has used (fixed ones before issue 23) and near-variants, and what this
# build's markers look like without their nonce
SPELLED = [
    "REGSHELLTITLE",
    "REGSHELL&TITLE",
    "REGSHELL&amp;TITLE",
    "REGSHELLID",
    "REGSHELLID0",
    "REGSHELLID1",
    "REGSHELLID" + "0" * 38 + "0",
    "REGSHELLID" + "0" * 38 + "&TITLE",
    "REGSHELLCONTENT",
    "<h1>REGSHELLCONTENT</h1>",
    "REGSHELLDATE",
    "1999-09-09",
    "REGSHELLFEEDTITLE0",
    "REGSHELLFEEDHREF0",
    "REGSHELLFEEDTITLE1",
    "REGSHELLFEEDHREF9",
    "REGSHELLFOO",
    "REGSHELL",
    "regshellid0",
    "ＲＥＧＳＨＥＬＬＩＤ0",
    # the other markers our output is searched for: the search attribute, the downloads table
    "data-pagefind-body",
    " data-pagefind-body>",
    "<!-- registry:downloads-table -->",
]
CORPUS = "甲 " + " ".join(SPELLED) + " 乙"
FOOTER = re.compile(r'<div class="md-copyright reg-footer">.*?</div>', re.S)


def _hostile_registry(data: Path) -> dict[str, Any]:
    """The sample's registry.yaml with every text field spelling the markers; returned as written."""
    config = yaml.safe_load((data / "registry.yaml").read_text(encoding="utf-8"))
    config["title"] = f"标题 {CORPUS}"
    config["authority"] = f"机关 {CORPUS}"
    config["disclaimer"] = f"声明 {CORPUS}\n第二行 {CORPUS}\n"
    config["terms"] = f"条款 {CORPUS}"
    config["license"]["name"] = f"许可 {CORPUS}"
    config["site_info"] = {
        "organizer": f"主办 {CORPUS}",
        "site_code": "REGSHELLID",  # ten letters: a valid 网站标识码
        "icp": "REGSHELLICP备12345678号-1",
        "police": "REGSHELL公网安备11010502000001号",
        "contact": f"联系 {CORPUS}",
    }
    for i, category in enumerate(config["categories"]):
        category["name"] = f"分类{i} {CORPUS}"
    (data / "registry.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return config


def _rename(path: Path, key: str, value: str) -> None:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record[key] = value
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")


SUMMARY = '见（href="/approved/x）与`href="/y`，标记 data-pagefind-body\n'
RENAMED = {
    "approved/BMT-2026-001.yaml": ("name", f"技术 {CORPUS}"),
    "approved/BMT-2026-002.yaml": ("summary", SUMMARY),
    "guidance-list/GL-0003.yaml": ("name", f"条目 {CORPUS}"),
    "announcements/ANN-2026-002.yaml": ("title", f"公告 {CORPUS}"),
}


def _site(out: Path, data: Path, shells: bool) -> dict[str, bytes]:
    config = config_with(out.with_name(out.name + "-config"), shells=shells)
    build(config, out, data, AS_OF)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample registry (no git: no history) spelling the markers everywhere, built with shells
    (the nonces drawn recorded) and, as the oracle, every page through MkDocs."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    config = _hostile_registry(data)
    for name, (key, value) in RENAMED.items():
        _rename(data / name, key, value)
    drawn: list[Marks] = []
    new = Marks.new

    def recorded() -> Marks:
        drawn.append(new())
        return drawn[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setattr(assemble.Marks, "new", staticmethod(recorded))
        filled = _site(root / "shells", data, True)
        classic = _site(root / "classic", data, False)
    return {"config": config, "filled": filled, "classic": classic, "marks": drawn}


def _record_pages(tree: dict[str, bytes]) -> list[str]:
    """Record and announcement pages (the ones filled into shells), not the redirects beside them."""
    pattern = r"(approved|banned|guidance-list|announcements)/[^/]+/index.html"
    return [n for n in tree if re.fullmatch(pattern, n) and b"<main" in tree[n]]


def test_every_record_page_carries_the_footer_the_engine_rendered(hostile: dict[str, Any]) -> None:
    filled, config = hostile["filled"], hostile["config"]
    home = filled["index.html"].decode()  # rendered by the engine itself, never cut
    (footer,) = FOOTER.findall(home)
    for field in ("title", "authority"):
        assert str(escape(config[field])) in footer
    assert str(escape(config["disclaimer"])) in footer
    for value in config["site_info"].values():
        assert str(escape(value)) in footer
    pages = _record_pages(filled)
    assert len(pages) > 30
    for name in pages:
        assert FOOTER.findall(filled[name].decode()) == [footer], name


def test_names_spelling_markers_appear_escaped_where_they_belong(hostile: dict[str, Any]) -> None:
    filled = hostile["filled"]
    page = filled["approved/BMT-2026-001/index.html"].decode()
    name = str(escape(f"技术 {CORPUS}"))
    assert f"<title>{name} - 生物医学新技术公示库</title>" in page
    assert f'<meta name="ArticleTitle" content="{name}">' in page
    category = str(escape(f"分类0 {CORPUS}"))
    assert f'title="分类“{category}”的更新（Atom）"' in page
    assert "<h1>REGSHELLCONTENT</h1>" not in page  # escaped, wherever it is printed
    assert 'href="https://example.org/approved/BMT-2026-001/"' in page or "BMT-2026-001/" in page
    announcement = filled["announcements/ANN-2026-002/index.html"].decode()
    assert f"<title>{escape(f'公告 {CORPUS}')} - 生物医学新技术公示库</title>" in announcement
    # Markdown text that spells a link is not made relative like one
    summary = filled["approved/BMT-2026-002/index.html"].decode()
    assert '见（href="/approved/x）与<code>href="/y</code>，标记 data-pagefind-body' in summary


def test_the_downloads_table_goes_where_the_page_put_it(hostile: dict[str, Any]) -> None:
    page = hostile["filled"]["downloads/index.html"].decode()
    assert "<!-- registry:downloads-table -->" not in page
    assert page.count('<table class="reg-table">') == 1
    assert str(escape(hostile["config"]["license"]["name"])) in page


def test_the_shells_give_the_same_pages_as_mkdocs_and_leak_no_marker(
    hostile: dict[str, Any],
) -> None:
    filled, classic = hostile["filled"], hostile["classic"]
    marks = hostile["marks"]  # the shells' build's, and the classic build's (unused)
    assert len(marks) == 2 and marks[0] != marks[1]
    pages = [n for n in filled if n.endswith(".html")]
    assert sorted(pages) == sorted(n for n in classic if n.endswith(".html"))
    assert [n for n in pages if filled[n] != classic[n]] == []
    # every data path into a page escapes: the spellings that hold markup never appear raw
    raw = [t.encode() for t in SPELLED if "<" in t]
    assert [n for n in pages if any(t in filled[n] for t in raw)] == []
    for nonce in (m.nonce.encode() for m in marks):
        assert [n for n, data in filled.items() if nonce in data or nonce in n.encode()] == []


# -- the property: any text around the markers' alphabet, anywhere in the chrome -----------------

THEME = Environment(autoescape=True).from_string(
    """<title>{{ title }} - 站</title><link rel=canonical href="https://x/{{ section }}/{{ id }}/">
<meta name=SiteName content="{{ reg.title }}"><meta name=ArticleTitle content="{{ title }}">
{% if date %}<meta name=PubDate content="{{ date }}">{% endif %}
{% for t, h in feeds %}<link title="{{ t }}" href="../../{{ h }}">{% endfor %}
<header>{{ reg.title }} {{ title }}</header><main>{{ content }}</main>
<footer>{{ reg.title }} · {{ reg.authority }}<p>{{ reg.disclaimer }}</p>
{% for v in reg.site_info %}<span>{{ v }}</span>{% endfor %}</footer>"""
)

MARKS = Marks.new()
PIECES = [
    "REGSHELL", "ID", MARKS.nonce[:7], "0", "1", "9", "&", "amp;", ";", "TITLE", "CONTENT",
    "DATE", "FEEDTITLE", "FEEDHREF", "<h1>", "</h1>", "<", ">", '"', "1999-09-09", " ", "甲",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join)


def _theme(page: GeneratedPage, content: str, reg: dict[str, Any]) -> str:
    from markupsafe import Markup

    section, name = page.src_uri.removesuffix(".md").split("/")
    values = {"title": page.title, "section": section, "id": name, "date": page.pub_date}
    return THEME.render(values, feeds=page.feeds, content=Markup(content), reg=reg)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reg=st.fixed_dictionaries(
        {
            "title": TEXT,
            "authority": TEXT,
            "disclaimer": TEXT,
            "site_info": st.lists(TEXT, max_size=3),
        }
    ),
    title=TEXT,
    feed=TEXT,
    dated=st.booleans(),
    n=st.integers(0, 12),
)
def test_any_registry_text_around_the_markers_fills_exactly(
    reg: dict[str, Any], title: str, feed: str, dated: bool, n: int
) -> None:
    """The page filled into the shell is the page the theme renders with the page's own values,
    whatever the registry's texts and the page's title spell."""
    key = ShellKey("approved", 1, dated)
    shell = _theme(shell_page(key, n, MARKS), MARKS.content, reg)
    date = "2026-01-02" if dated else None
    page = GeneratedPage(
        "approved/BMT-2026-001.md", title, lambda: "", ((feed, "feeds/x.xml"),), date, shell=True
    )
    content = f"<h1>{escape(title)}</h1>"
    (html,) = fill_pages(shell, [(page, content)], MARKS, key, n)
    assert html == _theme(page, content, reg)
