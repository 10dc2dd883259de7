"""Record and announcement pages filled into one shell per section (render/shell.py) give the same
site as every page through MkDocs, file for file; and a theme change that the shell cannot follow
fails the build instead of publishing broken pages."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import cbor2
import pytest
from markupsafe import escape
from sitekit import AS_OF, EPOCH, config_with

from generator.render.page import GeneratedPage
from generator.render.shell import (
    Marks,
    Shell,
    ShellError,
    ShellKey,
    fill_pages,
    shell_key,
    shell_page,
)
from generator.shells.build import build

_URL = re.compile(rb"<url>.*?</url>", re.S)


def _build(out: Path, shells: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = config_with(
        out.with_name(out.name + "-config"), as_of=AS_OF.isoformat(), shells=shells
    )
    build(config, out)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_shells_build_the_same_site_as_mkdocs_page_by_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled = _build(tmp_path / "shells", True, monkeypatch)
    classic = _build(tmp_path / "classic", False, monkeypatch)
    hashed = (
        "pagefind/index/",
        "pagefind/filter/",
        "pagefind/pagefind.",
        "pagefind/pagefind-entry",
    )
    plain = {n for n in filled if not n.startswith(hashed)}
    assert plain == {n for n in classic if not n.startswith(hashed)}
    records = [
        n
        for n in filled
        if re.match(r"(approved|banned|guidance-list|announcements)/[^/]+/index.html", n)
    ]
    assert len(records) > 30  # the sample's record and announcement pages are really compared
    assert not any("REGSHELL" in n for n in filled)
    assert not any(b"REGSHELL" in content for content in filled.values())
    # the sitemap lists the same pages; MkDocs lists the shells where their pages would be
    sitemaps = {"sitemap.xml": lambda b: b, "sitemap.xml.gz": gzip.decompress}
    for name, read in sitemaps.items():
        assert sorted(_URL.findall(read(filled[name]))) == sorted(_URL.findall(read(classic[name])))
    # Pagefind numbers pages in the order it lists its input directory, which depends on the file
    # system (the index-only pages may sit in tmpfs): the same pages, texts and filter values,
    # possibly numbered differently, so the numbered files are compared by what they say
    bundle = [n for n in filled if n.startswith("pagefind/")]
    assert _bundle(filled, bundle) == _bundle(
        classic, [n for n in classic if n.startswith("pagefind/")]
    )
    differ = [n for n in plain if n not in sitemaps and n not in bundle and filled[n] != classic[n]]
    assert differ == []


def _decode(raw: bytes) -> object:
    return cbor2.loads(gzip.decompress(raw)[len(b"pagefind_dcd") :])


def _bundle(tree: dict[str, bytes], names: list[str]) -> dict[str, object]:
    """A Pagefind bundle by content: fragments (named by their hash), pages, filter members."""
    meta_name = next(n for n in names if n.endswith(".pf_meta"))
    meta = _decode(tree[meta_name])
    pages = [p[0] for p in meta[1]]  # type: ignore[index]
    filters = {}
    for name, file_hash in meta[3]:  # type: ignore[index]
        _, values = _decode(tree[f"pagefind/filter/{file_hash}.pf_filter"])  # type: ignore[misc]
        filters[name] = {v: sorted(pages[i] for i in members) for v, members in values}
    return {
        "fragments": {n: tree[n] for n in names if n.startswith("pagefind/fragment/")},
        "pages": sorted(pages),
        "filters": filters,
        "chunks": sum(n.startswith("pagefind/index/") for n in names),
        "static": {n: tree[n] for n in names if n.endswith((".js", ".css"))},
    }


MARKS = Marks("0123456789" * 3 + "01234567")


def _page(uri: str, title: str, feeds: int = 0) -> GeneratedPage:
    links = tuple((f"订阅{i}", f"feeds/x{i}.xml") for i in range(feeds))
    return GeneratedPage(uri, title, lambda: "", links, pub_date="2026-01-02", shell=True)


def test_only_pages_one_level_below_a_section_take_a_shell() -> None:
    assert shell_key(_page("approved/BMT-1.md", "t", 2)) == ShellKey("approved", 2, True)
    assert shell_key(_page("approved/index.md", "t")) is None
    assert shell_key(_page("changes/page/2.md", "t")) is None
    plain = GeneratedPage("approved/BMT-1.md", "t", lambda: "")
    assert shell_key(plain) is None  # not marked as one of many alike


def test_every_build_draws_its_own_markers() -> None:
    """The markers carry a nonce drawn per build: data written before it cannot spell them."""
    nonces = {Marks.new().nonce for _ in range(50)}
    assert len(nonces) == 50
    assert all(len(n) == 38 and n.isdigit() for n in nonces)
    page = shell_page(ShellKey("approved", 1, True), 3, MARKS)
    # the MkDocs plugin finds the shells in sitemap.xml as `REGSHELLID` and digits
    assert re.fullmatch(r"approved/REGSHELLID\d+\.md", page.src_uri)
    assert MARKS.nonce in page.title and MARKS.nonce in (page.pub_date or "")


def _chrome(key: ShellKey, footer: str = "", n: int = 0) -> str:
    """What a theme makes of a shell page: title, canonical URL, feeds, date, content, footer."""
    shell = shell_page(key, n, MARKS)
    title = str(__import__("markupsafe").escape(shell.title))
    uri = shell.src_uri.removesuffix(".md")
    feeds = "".join(f'<link title="{t}" href="../../{h}">' for t, h in shell.feeds)
    date = f'<meta name=PubDate content="{shell.pub_date}">' if key.dated else ""
    return (
        f"<title>{title} - 站</title><link rel=canonical href=https://x/{uri}/>{feeds}"
        f"{date}<main>{shell.render()}</main><footer>{footer}</footer>"
    )


def _fill(key: ShellKey, page: GeneratedPage, content: str, footer: str = "") -> str:
    (html,) = fill_pages(_chrome(key, footer), [(page, content)], MARKS, key, 0)
    return html


def test_filling_puts_each_value_where_the_theme_put_the_marker() -> None:
    key = ShellKey("approved", 1, True)
    html = _fill(key, _page("approved/BMT-9.md", "A & <B>", 1), "<h1>A</h1>正文")
    assert "<title>A &amp; &lt;B&gt; - 站</title>" in html
    assert "https://x/approved/BMT-9/" in html
    assert 'title="订阅0" href="../../feeds/x0.xml"' in html
    assert 'content="2026-01-02"' in html and "<main><h1>A</h1>正文</main>" in html
    assert "REGSHELL" not in html and MARKS.nonce not in html


def _theme_change(find: str, replace: str):  # type: ignore[no-untyped-def]
    return lambda h: h.replace(find, replace)


@pytest.mark.parametrize(
    "change",
    [
        _theme_change("&amp;TITLE", "&amp;amp;TITLE"),  # escaped twice
        _theme_change("&amp;TITLE", "&TITLE"),  # not escaped
        _theme_change(MARKS.content, ""),  # content dropped
        lambda h: h + MARKS.content,  # content twice
        _theme_change(MARKS.content, f"<h1 id=x>{MARKS.prefix}CONTENT</h1>"),  # h1 changed
        _theme_change(MARKS.id(0), MARKS.id(7)),  # another shell's address
        lambda h: h + MARKS.feed(1)[0],  # a feed the shell has not
        lambda h: h + f"{MARKS.prefix}DATE",  # a date in an undated shell
    ],
)
def test_a_theme_the_shell_cannot_follow_is_an_error(change) -> None:  # type: ignore[no-untyped-def]
    key = ShellKey("approved", 1, False)
    with pytest.raises(ShellError):
        Shell(change(_chrome(key)), MARKS, key, 0)


def test_a_page_without_its_own_title_is_not_filled() -> None:
    key = ShellKey("approved", 0, True)
    with pytest.raises(ShellError):
        _fill(key, _page("approved/X.md", "t"), "<p>无标题</p>")


def test_a_page_of_another_shell_or_an_address_to_encode_is_not_filled() -> None:
    key = ShellKey("approved", 0, True)
    with pytest.raises(ShellError):
        _fill(key, _page("approved/X.md", "t", 1), "<h1>x</h1>")  # one feed more
    with pytest.raises(ShellError):
        _fill(key, _page('approved/X"y.md', "t"), "<h1>x</h1>")


def test_values_that_look_like_markers_are_put_in_as_they_are() -> None:
    """A record may be named like a marker, even this build's: the shell is cut once, before any
    value goes in, so a value is never taken for a place to fill."""
    key = ShellKey("approved", 0, True)
    name = f"{MARKS.id(0)} {MARKS.content} REGSHELLID0 REGSHELLCONTENT"
    page = GeneratedPage("approved/BMT-1.md", name, lambda: "", pub_date=MARKS.date, shell=True)
    html = _fill(key, page, f"<h1>x</h1>{MARKS.title} 1999-09-09")
    assert f"<title>{escape(name)} - 站</title>" in html
    assert "https://x/approved/BMT-1/" in html and f'content="{MARKS.date}"' in html
    assert f"<main><h1>x</h1>{MARKS.title} 1999-09-09</main>" in html
