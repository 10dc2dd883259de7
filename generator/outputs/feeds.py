"""Atom feeds: `feeds/announcements.xml` (the announcements) and `feeds/changes.xml` (announcements
and record revisions, as on `/changes/`), built with feedgen.

Deterministic: every `updated` comes from the data (an announcement's date at 00:00 Beijing time, a
commit's date), never from the clock, so two builds of the same commit give the same bytes. Entry
ids are stable tag URIs (`tag:<host>,2026:ANN-2026-003`, `tag:<host>,2026:revision:<commit>`) and
every link is absolute, from MkDocs `site_url`. Only published data is in the feeds: they are made
from `views.Site`, which has no embargoed announcement or record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, time
from typing import Any
from urllib.parse import urlparse

from feedgen.feed import FeedGenerator
from markupsafe import escape

from generator.domain.dates import SHANGHAI
from generator.domain.markdown import markdown
from generator.domain.models import RiskGrade
from generator.domain.vocabulary import ACTION_LABELS
from generator.history.changes import ChangeEntry, change_entries, report_text
from generator.load.revisions import History
from generator.publish.timeline import consequence_text
from generator.publish.views import RecordView, Site, category_feed, event_details, record_feed
from generator.render.changes import FEED_SIZE, FEEDS, Feed, entry_url
from generator.status.stream import StatusChange

TAG_YEAR = "2026"
SAMPLE = "（示例数据）"


class _Links:
    def __init__(self, site_url: str | None, site: Site) -> None:
        self.site = site
        base = site_url or "/"
        self.base = base if base.endswith("/") else base + "/"
        self.host = urlparse(self.base).hostname or "registry.invalid"
        self._contents: dict[tuple[str, str], str] = {}

    def abs(self, path: str) -> str:
        """Site-absolute path (`/approved/X/`) → absolute URL under site_url."""
        # plain concatenation: urljoin cost 2 s over the 10,000 per-record feeds
        return self.base + path.lstrip("/")

    def html(self, html: str) -> str:
        return html.replace('href="/', f'href="{self.base}')

    def say(self, c: StatusChange) -> str:
        if c.cause == "report":  # a research project's own event (history/changes.py)
            return report_text(self.site, c)
        return consequence_text(self.site, c)

    def tag(self, specific: str) -> str:
        return f"tag:{self.host},{TAG_YEAR}:{specific}"

    def content(self, entry: ChangeEntry) -> str:
        """Entry HTML, made once: an announcement appears in the feed of every record it names."""
        key = (entry.kind, entry.key)
        if key not in self._contents:
            self._contents[key] = _content(entry, self)
        return self._contents[key]


def _content(entry: ChangeEntry, links: _Links) -> str:
    parts: list[str] = []
    if entry.sample:
        parts.append("<p><strong>示例数据</strong>：用于演示格式，不是真实的决定。</p>")
    if entry.announcement is not None:
        a = entry.announcement
        parts.append(f"<p>{escape(a.number)} · {a.date.isoformat()}</p>")
        parts.append(str(markdown(a.body)))
        items = []
        for act in a.actions:
            rec = next((r for r in entry.records if r.id == act.record), None)
            what = escape(ACTION_LABELS[act.action])
            why = _reasons(act)  # delist, suspend, ban grounds in Chinese, not codes only
            if rec is None:
                items.append(f"<li>{what}：{escape(act.record)}{why}</li>")
            else:
                items.append(
                    f'<li>{what}：<a href="{rec.url}">{escape(rec.name)}</a>（{rec.id}）{why}</li>'
                )
        parts.append("<p>本公告涉及的记录：</p><ul>" + "".join(items) + "</ul>")
        if entry.consequences:
            after = "".join(f"<li>{escape(links.say(c))}</li>" for c in entry.consequences)
            parts.append(f"<p>公告未点名、依法随之发生的状态变化：</p><ul>{after}</ul>")
    elif entry.kind == "status":
        parts.append("".join(f"<p>{escape(links.say(c))}</p>" for c in entry.consequences))
    else:
        # for people: what changed in words (field_changes.summarise), no hash, no field path
        parts.append("<p>数据修订（公示文字的编辑修改，不改变法律状态）</p><ul>")
        for rec, rev in entry.revisions[:20]:
            what = escape(rev.message)
            label = "（示例数据）" if rec.sample and not entry.sample else ""
            parts.append(
                f'<li><a href="{rec.url}#revisions">{escape(rec.name)}</a>（{rec.id}）{label}：'
                f"{what}</li>"
            )
        if len(entry.revisions) > 20:
            parts.append(f"<li>等 {len(entry.revisions)} 条记录</li>")
        parts.append("</ul>")
    return links.html("".join(parts))


def _reasons(act: Any) -> str:
    """（调出途径：…；理由：…） of an action, with the Chinese labels of views.event_details."""
    fields = act.model_dump(include={"route", "ground"}, exclude_none=True)
    pairs = event_details(fields)
    return "（" + "；".join(f"{escape(k)}：{escape(v)}" for k, v in pairs) + "）" if pairs else ""


def _record_content(
    entry: ChangeEntry, r: RecordView, links: _Links, grades: dict[str, RiskGrade]
) -> str:
    """What an entry did to one record: a few lines instead of the whole announcement (a record's
    feed is read by someone watching that record; the announcement link has the rest)."""
    sample = "<p><strong>示例数据</strong>：不是真实的决定。</p>" if entry.sample else ""
    mine = [c for c in entry.consequences if c.record == r.id]
    if mine:  # a change the entry caused without naming the record, or one by time
        said = "".join(f"<p>{escape(links.say(c))}</p>" for c in mine)
        head = (
            f"<p>{escape(entry.announcement.number)}：</p>"
            if entry.announcement is not None
            else ""
        )
        return links.html(sample + head + said)
    if entry.announcement is not None:
        items = ""
        for act in entry.announcement.actions:
            if act.record != r.id:
                continue
            fields = act.model_dump(exclude={"action", "record"}, exclude_none=True)
            details = "；".join(
                f"{escape(k)}：{escape(v)}" for k, v in event_details(fields, grades)
            )
            items += (
                f"<li>{escape(ACTION_LABELS[act.action])}{'：' if details else ''}{details}</li>"
            )
        head = f"<p>{escape(entry.announcement.number)}，涉及 {escape(r.name)}（{r.id}）：</p>"
        return links.html(sample + head + f"<ul>{items}</ul>")
    rev = next((rev for rec, rev in entry.revisions if rec.id == r.id), None)
    changes = rev.changes if rev is not None else []
    fields = "、".join(str(escape(c.path or "整个文件")) for c in changes[:10])
    if rev is not None and rev.created:
        fields = "新建记录"
    what = fields or "只改动了注释或格式"
    return links.html(sample + f"<p>数据修订（编辑历史，不改变法律状态）：{what}</p>")


def atom(
    entries: list[tuple[int, ChangeEntry]],
    site: Site,
    links: _Links,
    name: str,
    title: str,
    page: str,
    content: Callable[[ChangeEntry], str] | None = None,
) -> bytes:
    """One Atom feed; `content` makes an entry's HTML (default: the whole announcement or commit)."""
    fg = FeedGenerator()
    fg.id(links.tag(f"feeds/{name}"))
    fg.title(f"{site.config.title}：{title}")
    fg.author({"name": site.config.authority})
    fg.link(href=links.abs(f"/feeds/{name}.xml"), rel="self", type="application/atom+xml")
    fg.link(href=links.abs(page), rel="alternate", type="text/html")
    fg.link(href=links.abs("/subscribe/"), rel="related", type="text/html")  # how to subscribe
    fg.language("zh-CN")
    fg.generator(generator="bmt-registry")
    fg.rights(site.config.disclaimer)
    newest = max((e.when for _, e in entries), default=None)
    fg.updated(newest or datetime.combine(site.as_of, time(0, 0), SHANGHAI))
    for _, e in entries:
        fe = fg.add_entry(order="append")
        if e.kind == "announcement":
            fe.id(links.tag(e.key))
            fe.title(f"{e.announcement.number}：{e.title}{SAMPLE if e.sample else ''}")  # type: ignore[union-attr]
        elif e.kind == "status":  # by time, or reported by a research project's institutions
            fe.id(links.tag(f"status:{e.key}"))
            fe.title(f"{e.label}：{e.title}{SAMPLE if e.sample else ''}")
        else:
            fe.id(links.tag(f"revision:{e.key}"))
            fe.title(f"数据修订：{e.title}{SAMPLE if e.sample else ''}")
        fe.updated(e.when)
        fe.published(e.when)
        fe.link(href=links.abs(entry_url(e)), rel="alternate", type="text/html")
        fe.category(term="report" if e.reported else e.kind, label=e.label)
        fe.content((content or links.content)(e), type="html")
    return styled(fg.atom_str(pretty=True), f"feeds/{name}.xml")


def feed_files(
    site: Site,
    history: History,
    site_url: str | None,
    changes: list[ChangeEntry] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(path under site/, bytes) of every feed (`changes`: `change_entries`, when already made)."""
    links = _Links(site_url, site)
    entries = list(enumerate(change_entries(site, history) if changes is None else changes))
    everything, announced, watched = FEEDS  # in the order render/changes.py declares them
    anns = [(i, e) for i, e in entries if e.kind == "announcement"]
    yield _site_feed(announced, anns, site, links)
    yield _site_feed(everything, entries, site, links)
    yield from _watch_feeds(site, links, entries)
    yield _site_feed(watched, [(i, e) for i, e in entries if _watched(e)], site, links)


def _site_feed(
    feed: Feed, entries: list[tuple[int, ChangeEntry]], site: Site, links: _Links
) -> tuple[str, bytes]:
    """One of the site-wide feeds `render/changes.py` FEEDS declares (and /subscribe/ lists)."""
    name = feed.path.removeprefix("feeds/").removesuffix(".xml")
    return feed.path, atom(entries[:FEED_SIZE], site, links, name, feed.title, feed.page)


STYLESHEET = "assets/feed.xsl"  # site_src/assets/feed.xsl: the feed as a page, in Chinese
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"


def styled(xml: bytes, path: str) -> bytes:
    """The feed with a processing instruction naming the site's XSL stylesheet, so that a browser
    shows a readable page instead of raw XML; feed readers ignore it. The address is relative to
    the feed (`path` under site/), so it is same-origin wherever the site is served."""
    if not xml.startswith(_DECLARATION):
        raise ValueError("feedgen no longer starts its output with the expected XML declaration")
    href = "../" * path.count("/") + STYLESHEET
    pi = f'<?xml-stylesheet type="text/xsl" href="{href}"?>\n'.encode()
    return _DECLARATION + pi + xml[len(_DECLARATION) :]


WATCHED = ("ban", "suspend")  # what a hospital's compliance office must not miss (规范 第二十三条)


def _watched(e: ChangeEntry) -> bool:
    """A ban or suspension, typed or derived (a direct delisting ends the approved technologies
    grown from the entry: 界定指导原则 二(二)2(1)), or an emergency use that ran out."""
    if any(c.code == "banned" or c.emergency_ended for c in e.consequences):
        return True
    return e.announcement is not None and any(a.action in WATCHED for a in e.announcement.actions)


def _watch_feeds(
    site: Site, links: _Links, entries: list[tuple[int, ChangeEntry]]
) -> Iterator[tuple[str, bytes]]:
    """One feed per record and one per category."""
    by_record: dict[str, list[tuple[int, ChangeEntry]]] = defaultdict(list)
    by_category: dict[str, list[tuple[int, ChangeEntry]]] = defaultdict(list)
    for item in entries:
        for r in item[1].records:
            by_record[r.id].append(item)
        for category in dict.fromkeys(r.category for r in item[1].records):
            by_category[category].append(item)
    for rid, r in site.records.items():
        title = f"{r.name}（{rid}）"

        def about(e: ChangeEntry, r: RecordView = r) -> str:
            return _record_content(e, r, links, site.grades)

        yield (
            record_feed(rid),
            atom(by_record[rid][:FEED_SIZE], site, links, f"records/{rid}", title, r.url, about),
        )
    for category, name in site.categories.items():
        chosen = by_category[category][:FEED_SIZE]
        yield (
            category_feed(category),
            atom(chosen, site, links, f"categories/{category}", f"分类：{name}", "/changes/"),
        )
