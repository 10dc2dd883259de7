"""The two histories as pages: the 修订记录 section of each record page, and `/changes/`.

`/changes/` answers "what changed this month": the changes grouped by month, newest first, each
change one item with what it is (an announcement's action, by its label in
`vocabulary.ACTION_LABELS`; a change by law without an act, by the end of a period or by an
institution's report; an editorial revision) and the kind of record it changed
(`kinds.KIND_LABELS`). The index shows the newest months, up to `INDEX_ITEMS` changes (always at
least the newest month); every month has its own page `/changes/YYYY-MM/`, so a month's address
is stable. The filters (assets/changes.js) match each item's `data-change` and `data-kind`; the
page sends the values and their labels, never a rule, and without script every change is shown.
`/subscribe/` lists every feed (`FEEDS` here, which outputs/feeds.py writes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup

from generator.domain.checkpoint import Checkpointed
from generator.domain.kinds import KIND_LABELS, RECORD_KINDS
from generator.domain.vocabulary import ACTION_LABELS
from generator.history.changes import MAX_RECORDS, ChangeEntry, change_entries, local_time
from generator.load.revisions import History
from generator.publish.timeline import consequence_text
from generator.publish.views import (
    RecordView,
    Site,
    announcement_url,
    category_feed,
    record_feed,
)
from generator.render.jinja import render
from generator.render.page import GeneratedPage, root_prefix

INDEX_ITEMS = 400  # changes on /changes/ before the older months are left to their own pages

MAX_VALUE = 200  # characters of a changed value shown on a page; the JSON API has all of it

# What a change that no action of an announcement names is, as the filter and the item say it.
# (The actions' labels are vocabulary.ACTION_LABELS; these four are the other causes of
# status/stream.py and the editorial revision: they belong beside CONSEQUENCE_LABELS there.)
CAUSE_LABELS = {
    "derived": "依法随之发生",
    "time": "期限届满",
    "report": "机构报告",
    "revision": "数据修订",
}


def month_key(entry: ChangeEntry) -> str:
    """`YYYY-MM` of an entry, in Beijing time (its date as the page shows it)."""
    return entry.when.strftime("%Y-%m")


def month_url(key: str) -> str:
    return f"/changes/{key}/"


def month_title(key: str) -> str:
    year, month = key.split("-")
    return f"{year}年{int(month)}月"


def entry_url(entry: ChangeEntry) -> str:
    """Site-absolute link of an entry: its record, announcement, or its month's page."""
    if entry.kind == "announcement":
        return announcement_url(entry.key)
    if entry.kind == "status":
        return f"{entry.records[0].url}#timeline"
    if len(entry.records) == 1:
        return f"{entry.records[0].url}#revisions"
    return f"{month_url(month_key(entry))}#{entry.anchor}"


def change_label(change: str) -> str:
    """An action's label (vocabulary.ACTION_LABELS) or another cause's (CAUSE_LABELS)."""
    return ACTION_LABELS.get(change) or CAUSE_LABELS[change]


@dataclass(frozen=True)
class Item:
    """One change of one record inside an entry: what the filters count and show."""

    change: str  # an action code (vocabulary.ACTION_LABELS) or a CAUSE_LABELS key
    record: RecordView
    text: str = ""  # the sentence of a change no action names

    @property
    def label(self) -> str:
        return change_label(self.change)

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.record.kind]

    @property
    def anchor(self) -> str:
        return "#timeline" if self.change != "revision" else "#revisions"

    @cached_property  # the newest months are on /changes/ and on their own pages
    def html(self) -> Markup:
        """The item's line, made here rather than in the template: a month of the 10,000-record
        registry holds about 2,000 items, and Jinja's attribute lookups took 10× the time."""
        r = self.record
        text = Markup("<br>%s") % self.text if self.text else ""
        return Markup(
            '<p class="reg-item" data-change="%s" data-kind="%s"><b>%s</b> '
            '<a href="%s%s">%s</a>（%s）<small>%s</small>%s</p>'
        ) % (
            self.change,
            r.kind,
            self.label,
            r.url,
            self.anchor,
            r.name,
            r.id,
            self.kind_label,
            text,
        )


def entry_items(site: Site, entry: ChangeEntry) -> list[Item]:
    """The changes of one entry, record by record (records not published are not shown)."""
    if entry.kind == "revision":
        return [Item("revision", r) for r in entry.records]
    items = []
    if entry.announcement is not None:
        acts = ((a.action, a.record) for a in entry.announcement.actions)
        items += [Item(action, site.records[rid]) for action, rid in acts if rid in site.records]
    for c in entry.consequences:
        if c.record in site.records:
            cause = c.cause if c.cause in CAUSE_LABELS else "derived"
            r = site.records[c.record]
            text = entry.text if c.cause == "report" else consequence_text(site, c)
            items.append(Item(cause, r, text.removeprefix(f"{r.name}（{r.id}）：")))
    return items


@dataclass
class Month:
    key: str
    entries: list[tuple[ChangeEntry, list[Item]]]

    @property
    def title(self) -> str:
        return month_title(self.key)

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.entries)

    @property
    def url(self) -> str:
        return month_url(self.key)


def months_of(site: Site, entries: list[ChangeEntry]) -> list[Month]:
    """The entries by month, newest first (entries are already newest first)."""
    months: dict[str, Month] = {}
    for e in entries:
        key = month_key(e)
        # Checkpointed: the preview's settle may stop inside the page's loop
        months.setdefault(key, Month(key, Checkpointed())).entries.append((e, entry_items(site, e)))
    return list(months.values())


def filter_options(months: Iterable[Month]) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, count) of each filter, in the vocabulary's order, only values present."""
    changes: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for m in months:
        for _, items in m.entries:
            for it in items:
                changes[it.change] = changes.get(it.change, 0) + 1
                kinds[it.kind] = kinds.get(it.kind, 0) + 1
    order = [*ACTION_LABELS, *CAUSE_LABELS]
    return {
        "change": [(c, change_label(c), changes[c]) for c in order if c in changes],
        "kind": [(k, KIND_LABELS[k], kinds[k]) for k in RECORD_KINDS if k in kinds],
    }


def index_months(months: list[Month]) -> list[Month]:
    """The newest months whose changes together stay within INDEX_ITEMS (at least one)."""
    shown, total = [], 0
    for m in months:
        if shown and total + m.count > INDEX_ITEMS:
            break
        shown.append(m)
        total += m.count
    return shown


def _page(site: Site, history: History, src_uri: str, title: str, **values: Any) -> GeneratedPage:
    root = root_prefix(GeneratedPage(src_uri, "", str).depth)

    def _render() -> str:
        return render(
            "changes.html",
            site=site,
            url=lambda p: p,
            root=root,
            history=history,
            local=local_time,
            max_records=MAX_RECORDS,
            options=filter_options(values["months"]),
            causes=CAUSE_LABELS,
            **values,
        )

    return GeneratedPage(src_uri, title, _render)


def changes_pages(
    site: Site, history: History, entries: list[ChangeEntry] | None = None
) -> list[GeneratedPage]:
    """`/changes/` (the newest months) and one page per month (`entries`:
    `change_entries`, when already made)."""
    entries = change_entries(site, history) if entries is None else entries
    months = months_of(site, entries)
    shown = index_months(months)
    pages = [
        _page(
            site,
            history,
            "changes/index.md",
            "变更记录",
            months=shown,
            all_months=months,
            month=None,
        )
    ]
    for n, m in reversed(list(enumerate(months))):  # oldest first: the newest page comes last
        newer = months[n - 1] if n else None
        older = months[n + 1] if n + 1 < len(months) else None
        values = {"months": [m], "all_months": months, "month": m, "newer": newer, "older": older}
        pages.append(_page(site, history, f"changes/{m.key}.md", f"变更记录：{m.title}", **values))
    return pages


# --- 订阅: every feed we write ---------------------------------------------------------------

FEED_SIZE = 50  # newest entries per feed; the site has the rest
CALENDAR_PATH = "feeds/calendar.ics"  # outputs/calendar.py CALENDAR (render/ cannot import it)


@dataclass(frozen=True)
class Feed:
    """A site-wide feed: its file under site/, its title, what it holds and the page it follows."""

    path: str
    title: str
    about: str
    page: str


FEEDS = (
    Feed(
        "feeds/changes.xml",
        "变更记录",
        "本库的全部变更，与“变更记录”页相同：公告作出的行为、依法随之发生的变化、期限届满、"
        "机构报告和数据修订。",
        "/changes/",
    ),
    Feed(
        "feeds/announcements.xml",
        "公告",
        "只有公告：批准、暂停、恢复、禁止、纳入和调出清单等具有法律效力的决定。",
        "/announcements/",
    ),
    Feed(
        "feeds/bans-suspensions.xml",
        "禁止与暂停应用",
        "医疗机构不能错过的变化：禁止临床应用、暂停应用（再评估），包括依法随之发生的"
        "“不再按《条例》开展”和紧急应用期满。",
        "/banned/",
    ),
)


def subscribe_page(site: Site) -> GeneratedPage:
    """`/subscribe/`: every feed with what it holds and its address to copy (absolute from
    site_url), and how to subscribe."""
    src_uri = "subscribe/index.md"
    root = root_prefix(GeneratedPage(src_uri, "", str).depth)
    example = next(iter(site.records.values()), None)

    def _render() -> str:
        return render(
            "subscribe.html",
            site=site,
            root=root,
            feeds=FEEDS,
            size=FEED_SIZE,
            calendar=CALENDAR_PATH,
            categories=[(name, category_feed(c)) for c, name in site.categories.items()],
            example=example,
            example_feed=record_feed(example.id) if example is not None else None,
            address=lambda path: site.permalink("/" + path.lstrip("/")),
        )

    return GeneratedPage(src_uri, "订阅", _render)
