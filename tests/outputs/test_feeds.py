"""Atom feeds and `/changes/` (generator/outputs/feeds.py, generator/history/changes.py) in a built site."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import base_files, make_history_repo

from generator.history.changes import change_entries
from generator.load.revisions import Commit, History, Revision
from generator.publish.pipeline import check_registry
from generator.publish.views import build_site
from generator.render.changes import FEEDS, changes_pages, entry_url
from generator.shells.build import build

ROOT = Path(__file__).resolve().parents[2]
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://registry.example.org/"  # mkdocs.yml
AS_OF = date(2026, 11, 23)
EMBARGOED_GL = """\
id: GL-0003
name: 尚未公示的技术
category: other
purpose: 目的。
mechanism: 机制。
"""
EMBARGOED_ANN = """\
id: ANN-2099-001
number: 国家卫生健康委公告 2099年第1号
title: 尚未到发布日期的公告
date: 2099-01-01
body: |
  正文。
actions:
  - action: list
    record: GL-0003
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("feeds")
    made = make_history_repo(root / "repo", base_files())
    repo = made.repo
    repo.write("guidance-list/GL-0003.yaml", EMBARGOED_GL)
    repo.write("announcements/ANN-2099-001.yaml", EMBARGOED_ANN)
    made.hashes["embargoed"] = repo.commit("新增尚未公示的条目", "2026-07-01T09:00:00+08:00")
    repo.replace("guidance-list/GL-0003.yaml", "目的。", "医学目的。")
    repo.replace("banned/BAN-0001.yaml", "以生殖为目的", "以生殖为目的，")
    made.hashes["mixed"] = repo.commit("修订两条", "2026-07-02T09:00:00+08:00")
    site = root / "site"
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        build(ROOT / "mkdocs.yml", site, repo.data, AS_OF)
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    return SimpleNamespace(site=site, **vars(made))


def parse(site: Path, name: str) -> ET.Element:
    root = ET.parse(site / "feeds" / name).getroot()
    assert root.tag == f"{ATOM}feed"
    return root


def resolves(site: Path, url: str) -> bool:
    assert url.startswith(SITE_URL), url
    path = url[len(SITE_URL) :].split("#", 1)[0]
    target = site / path
    return (target / "index.html").is_file() if path.endswith("/") or not path else target.is_file()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]


def check_feed(site: Path, feed: ET.Element) -> list[ET.Element]:
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = [x for x in feed.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert len(self_link) == 1 and resolves(site, self_link[0].get("href", ""))
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated", ""))
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e.findtext(f"{ATOM}title")
        stamp = datetime.fromisoformat(e.findtext(f"{ATOM}updated", ""))
        assert stamp.tzinfo is not None
        links = [x.get("href", "") for x in e.findall(f"{ATOM}link")]
        assert links and all(resolves(site, h) for h in links)
        content = e.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        parser = _Links()
        parser.feed(content.text or "")
        for href in parser.hrefs:
            assert not href.startswith("/"), href  # absolute, from site_url
            if href.startswith(SITE_URL):
                assert resolves(site, href), href
    return entries


def test_announcements_feed(built: SimpleNamespace) -> None:
    feed = parse(built.site, "announcements.xml")
    entries = check_feed(built.site, feed)
    assert feed.findtext(f"{ATOM}id") == "tag:registry.example.org,2026:feeds/announcements"
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "tag:registry.example.org,2026:ANN-2026-003",
        "tag:registry.example.org,2026:ANN-2026-002",
        "tag:registry.example.org,2026:ANN-2026-001",
    ]
    first = entries[0]
    assert (
        first.findtext(f"{ATOM}title") == "国家卫生健康委公告 2026年第3号：关于修订技术条件的公告"
    )
    assert first.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00+08:00"
    assert [x.get("href") for x in first.findall(f"{ATOM}link")] == [
        "https://registry.example.org/announcements/ANN-2026-003/"
    ]
    assert feed.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00+08:00"  # from the data


def test_changes_feed_interleaves_announcements_and_revisions(built: SimpleNamespace) -> None:
    feed = parse(built.site, "changes.xml")
    entries = check_feed(built.site, feed)
    h = built.hashes
    tag = "tag:registry.example.org,2026:"
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"{tag}revision:{h['mixed']}",
        f"{tag}ANN-2026-003",
        f"{tag}revision:{h['remove']}",
        f"{tag}revision:{h['comment']}",
        f"{tag}revision:{h['lists']}",
        f"{tag}ANN-2026-002",
        f"{tag}revision:{h['name']}",
        f"{tag}ANN-2026-001",
        f"{tag}revision:{h['import']}",
    ]
    by_id = {e.findtext(f"{ATOM}id"): e for e in entries}
    name = by_id[f"{tag}revision:{h['name']}"]
    assert name.findtext(f"{ATOM}title") == "数据修订：修改 名称、技术解读"
    assert name.findtext(f"{ATOM}updated") == "2026-02-01T09:30:00+08:00"
    assert [x.get("href") for x in name.findall(f"{ATOM}link")] == [
        "https://registry.example.org/approved/BMT-2026-001/#revisions"
    ]
    lists = by_id[f"{tag}revision:{h['lists']}"]  # three records: links to its /changes/ entry
    assert [x.get("href") for x in lists.findall(f"{ATOM}link")] == [
        f"https://registry.example.org/changes/2026-03/#revision-{h['lists'][:12]}"
    ]
    # the gitkit history edits a flat conditions file in place: the draft item is never shown
    # for people: the change in words, never a field path or a commit hash (issue 26)
    content = lists.findtext(f"{ATOM}content") or ""
    assert "修改 " in content and "医疗机构条件" in content
    assert "conditions.institution" not in content and h["lists"][:7] not in content
    assert feed.findtext(f"{ATOM}updated") == "2026-07-02T09:00:00+08:00"


def test_embargoed_data_is_in_no_feed_and_no_change_page(built: SimpleNamespace) -> None:
    text = "".join(
        (built.site / p).read_text(encoding="utf-8")
        for p in ("feeds/changes.xml", "feeds/announcements.xml", "changes/index.html")
    )
    for secret in ("GL-0003", "尚未公示的技术", "ANN-2099-001", built.hashes["embargoed"][:7]):
        assert secret not in text
    assert built.hashes["mixed"][:7] in text  # the commit shows, with its public record only


def test_changes_page_and_subscribe_links(built: SimpleNamespace) -> None:
    html = (built.site / "changes/index.html").read_text(encoding="utf-8")
    assert "<h1>变更记录</h1>" in html
    assert html.index(built.hashes["mixed"][:7]) < html.index("国家卫生健康委公告 2026年第3号")
    assert 'href="../feeds/changes.xml"' in html and 'href="../feeds/announcements.xml"' in html
    home = (built.site / "index.html").read_text(encoding="utf-8")
    # rel is a token list: "alternate feed" is an Atom autodiscovery link that Material's
    # language switcher (exact match on rel=alternate) leaves alone
    assert re.search(
        r'<link rel="alternate feed" type="application/atom\+xml" title="公告（Atom）" href="feeds/announcements.xml">',
        home,
    )
    assert ">订阅</a>" in home
    assert 'href="changes/"' in home  # in the navigation


def test_changes_are_one_page_per_month(
    kit: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.render.changes.INDEX_ITEMS", 100)
    reg = check_registry(kit.make_registry(tmp_path / "data"), AS_OF)
    site = build_site(reg)
    ids = list(site.records)
    commits = [
        Commit(
            f"{n:040x}",
            f"2026-02-{n // 24 + 1:02d}T{n % 24:02d}:00:00+08:00",
            f"修订 {n}",
            tuple(ids),
        )
        for n in range(120, 0, -1)
    ]
    history = History(
        available=True,
        by_record={
            rid: [Revision(c.commit, c.date, c.message, ()) for c in reversed(commits)]
            for rid in ids
        },
        commits=commits,
    )
    entries = change_entries(site, history)
    assert len(entries) == 120 + len(site.announcements)
    assert all(a.when >= b.when for a, b in zip(entries, entries[1:], strict=False))
    pages = changes_pages(site, history)
    months = list(dict.fromkeys(e.when.strftime("%Y-%m") for e in entries))  # newest first
    uris = ["changes/index.md"] + [f"changes/{m}.md" for m in reversed(months)]
    assert [p.src_uri for p in pages] == uris
    february = pages[uris.index("changes/2026-02.md")].render()
    assert february.count('class="reg-change ') == 120  # every revision of the month, no pager
    assert february.count('data-change="revision"') == 120 * len(ids)
    assert "<h1>变更记录：2026年2月</h1>" in february
    revision = next(e for e in entries if e.kind == "revision")
    assert entry_url(revision) == f"/changes/2026-02/#{revision.anchor}"
    assert pages[1].depth == 2
    # 120 × every record is more than the index holds: it shows the newest months only and
    # links February's page
    index = pages[0].render()
    assert 'id="m-2026-02"' not in index
    assert f'id="m-{months[0]}"' in index and 'href="/changes/2026-02/"' in index


def test_every_feed_of_the_site_is_valid_atom_with_resolving_links(built: SimpleNamespace) -> None:
    feeds = sorted((built.site / "feeds").rglob("*.xml"))
    records = sorted(p.stem for p in (built.site / "api" / "records").glob("*.json"))
    assert {p.stem for p in (built.site / "feeds" / "records").glob("*.xml")} == set(records)
    assert (built.site / "feeds" / "bans-suspensions.xml") in feeds
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        check_feed(built.site, root)


def test_record_feed_has_its_announcements_and_revisions(built: SimpleNamespace) -> None:
    entries = parse(built.site, "records/BAN-0001.xml").findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert any(i.endswith(":ANN-2026-002") or "ANN-" in i for i in ids)
    assert any(f"revision:{built.hashes['mixed']}" in i for i in ids)  # BAN-0001 changed in it


def test_bans_and_suspensions_feed_has_only_those(built: SimpleNamespace) -> None:
    for e in parse(built.site, "bans-suspensions.xml").findall(f"{ATOM}entry"):
        assert "ANN-" in (e.findtext(f"{ATOM}id") or "")  # announcements only, no revisions


def test_record_pages_link_their_feeds(built: SimpleNamespace) -> None:
    html = (built.site / "banned" / "BAN-0001" / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate feed" type="application/atom+xml"' in html
    assert 'href="../../feeds/records/BAN-0001.xml"' in html
    assert 'href="../../feeds/categories/' in html


STYLESHEET_PI = re.compile(
    rb'^<\?xml version=\'1.0\' encoding=\'UTF-8\'\?>\n<\?xml-stylesheet type="text/xsl" href="([^"]+)"\?>\n<feed '
)


def test_every_feed_opens_as_a_chinese_page_and_stays_atom(built: SimpleNamespace) -> None:
    """Each feed names the site's XSL (same origin, relative to the feed); the XSL turns it into
    a page that says what a feed is and lists its entries; XML parsers still read an Atom feed."""
    from lxml import etree

    xsl = built.site / "assets" / "feed.xsl"
    transform = etree.XSLT(etree.parse(str(xsl)))
    feeds = sorted((built.site / "feeds").rglob("*.xml"))
    assert len(feeds) > 5  # site-wide, category and record feeds
    for path in feeds:
        raw = path.read_bytes()
        m = STYLESHEET_PI.match(raw)
        assert m, path
        assert (path.parent / m.group(1).decode()).resolve() == xsl.resolve(), path
        root = ET.fromstring(raw)  # the instruction changes nothing for a feed reader
        assert root.tag == f"{ATOM}feed"
        page = str(transform(etree.parse(str(path))))
        assert "这是一个订阅源" in page and "添加订阅" in page, path
        assert escape_text(root.findtext(f"{ATOM}title", "")) in page
        for entry in root.findall(f"{ATOM}entry"):
            assert escape_text(entry.findtext(f"{ATOM}title", "")) in page
    assert b'disable-output-escaping="yes"' not in xsl.read_bytes()


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_subscribe_page_lists_every_feed_with_its_address(built: SimpleNamespace) -> None:
    page = (built.site / "subscribe" / "index.html").read_text(encoding="utf-8")
    written = [p.relative_to(built.site).as_posix() for p in (built.site / "feeds").glob("*.*")]
    written += [
        p.relative_to(built.site).as_posix()
        for p in (built.site / "feeds" / "categories").glob("*.xml")
    ]
    assert {f.path for f in FEEDS} <= set(written)
    for path in written:  # site-wide feeds, the calendar and every category
        assert f'value="{SITE_URL}{path}"' in page, path
    assert f'value="{SITE_URL}feeds/records/' in page  # one record's, as the example
    changes = (built.site / "changes" / "index.html").read_text(encoding="utf-8")
    assert 'href="../subscribe/"' in changes
