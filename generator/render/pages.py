"""Page generation: one `GeneratedPage` (page.py) per page of the site, rendered lazily to HTML.

Pages are rendered from our templates, never from Markdown, so record pages cost MkDocs no Markdown
parsing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

from generator.domain.checkpoint import Checkpointed
from generator.domain.kinds import FOLDERS, SPECS, STATUS_ORDER, dispatch, spec
from generator.domain.names import FOLD_PATTERN, fold
from generator.domain.vocabulary import GROUND_LABELS, ROUTE_LABELS, STATUS_LABELS
from generator.publish.timeline import consequence_text, timeline_items
from generator.publish.verdict import verdict
from generator.publish.views import (
    RecordView,
    Site,
    action_label,
    category_feed,
    event_details,
    record_feed,
)
from generator.render.check import check_pages
from generator.render.jinja import render
from generator.render.page import GeneratedPage
from generator.render.record_data import record_extras
from generator.render.search import encoded_keywords, summary

# views of the kind spec (domain/kinds.py): a list page per record kind, in the spec's order
LIST_PAGES = {s.kind: (s.label, s.list_intro) for s in SPECS}


def filed_under(site: Site) -> dict[str, list[RecordView]]:
    """The research projects filed under each guidance entry (界定指导原则 二), oldest filing first:
    the list on the entry's page. An approval grown from the entry has no such list: it does not
    affect research."""
    return site.filed


def _context(site: Site) -> dict[str, Any]:
    anns = {a.id: a for a in site.announcements}
    projects = filed_under(site)
    return {
        "projects": lambda gid: projects.get(gid, []),
        "site": site,
        "url": lambda p: p,
        "site_ann": anns.get,
        "record": site.records.get,
        "action_label": action_label,
        "details": lambda ev: event_details(ev.fields, site.grades),
        "route_label": ROUTE_LABELS.__getitem__,
        "ground_label": lambda g: GROUND_LABELS.get(g, g),
        "fold_pattern": FOLD_PATTERN,  # the browser folds list-filter queries with it
        "extras": lambda r: record_extras(site, r),  # issue 17: date field, citation, calendar
        "timeline": lambda r: timeline_items(site, r),  # acts and consequences (status/stream.py)
        "consequence": lambda c: consequence_text(site, c),
    }


def record_search(site: Site, r: RecordView) -> dict[str, Any]:
    """Search metadata of a record page: encoded tokens of its id, name and aliases (`kn`, weighted
    high: a record whose name matches ranks first) and of its category, indications and kind (`kw`),
    and the sentence a result shows. Longer texts are left to Pagefind's own index: every token
    costs index time (measured: purpose texts and announcement bodies as tokens added 12 s to
    Pagefind at 10,000 records)."""
    m, s = r.model, spec(r.kind)
    # a number the record carries besides its id (a project's 备案编号) identifies it as well
    names = [r.id, r.name, *r.aliases, *_texts(getattr(m, "filing_no", None))]
    research = ""
    g = site.records.get(getattr(m, s.source)) if s.source else None
    if g is not None and s.announced:  # one technology, one result: grown from the entry, whose
        names += [g.id, g.name, *g.aliases]  # names find it too
        research = f"临床研究阶段：{g.kind_label} {g.id} {g.status_label}"
    elif g is not None:  # a project filed under the entry is no stage of a technology
        research = f"备案所依据的清单条目：{g.id} {g.status_label}"
    # and their folded forms (domain/names.py, the one fold of /check/ and validation): CART
    # finds CAR-T as /check/ does
    # (only where a name has Latin letters or digits: folding joins those across punctuation,
    # while its Chinese runs are the name's own)
    kn = encoded_keywords(*names, *(fold(n) for n in names if _LATIN_OR_DIGIT.search(n)))
    words = [w for f in spec(r.kind).searched for w in _texts(getattr(m, f, None))]
    kw = encoded_keywords(r.category_name, *words, r.kind_label, exclude=kn)
    text = _SUMMARIES[r.kind](m)
    return {
        "kn": kn,
        "kw": kw,
        "summary": text,
        "aliases": "、".join(r.aliases),
        "research": research,
        # a guidance entry with a published approval is searched as that technology (above)
        "indexed": not (r.kind == "guidance" and site.grown.get(r.id)),
    }


_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]")


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or ()]


# the sentence a search result shows, per kind (every kind of domain/kinds.py has one)
_SUMMARIES: dict[str, Callable[[Any], str]] = {
    "guidance": lambda m: summary(m.purpose, m.mechanism),
    "approved": lambda m: summary(m.summary or "", "；".join(m.indications)),
    "banned": lambda m: summary(m.description),
    "research": lambda m: summary(m.summary or "", f"{m.sponsor}发起，{m.filed.isoformat()} 备案"),
}
dispatch(_SUMMARIES, "render/pages.py summaries")


def record_page(
    site: Site, r: RecordView, ctx: dict[str, Any], revisions: Callable[[str], str] | None = None
) -> GeneratedPage:
    def _render() -> str:
        return render(
            "record.html",
            r=r,
            v=verdict(r, site),  # the one source of every legal sentence on the page
            search=record_search(site, r),
            # rendered with the page, not when the page list is made (the preview makes the
            # list on every edit and renders a few pages of it)
            revisions_html=revisions(r.id) if revisions else "",
            **ctx,
        )

    feeds = (
        (f"{r.name}：公告与修订（Atom）", record_feed(r.id)),
        (f"分类“{r.category_name}”的更新（Atom）", category_feed(r.category)),
    )
    published = max((ev.date for ev in r.timeline), default=None)
    return GeneratedPage(
        f"{FOLDERS[r.kind]}/{r.id}.md",
        r.name,
        _render,
        feeds,
        pub_date=published.isoformat() if published else None,
        shell=True,
    )


def announcement_pages(site: Site, ctx: dict[str, Any]) -> list[GeneratedPage]:
    pages = []
    for a in site.announcements:

        def _render(a: Any = a) -> str:
            pairs = site.announcement_records(a)
            # the body too: Pagefind alone misses compounds inside it (地中海 in 地中海贫血)
            # the names of (at most 10 of) the records it acts on, so that an announcement is found
            # by the technology it concerns; its body is left to Pagefind's own index (cost)
            named = [r.name for _, r in pairs if r][:10]
            kn = encoded_keywords(a.id, a.number, a.title)
            search = {
                "kn": kn,
                "kw": encoded_keywords(*named, exclude=kn),
                "summary": summary(a.body),
            }
            return render(
                "announcement.html",
                a=a,
                pairs=pairs,
                consequences=site.consequences.get(a.id, []),
                search=search,
                details_of=lambda act: _action_details(act, site),
                **ctx,
            )

        pages.append(
            GeneratedPage(
                f"announcements/{a.id}.md",
                a.title,
                _render,
                pub_date=a.date.isoformat(),
                shell=True,
            )
        )
    return pages


def _action_details(act: Any, site: Site) -> list[tuple[str, str]]:
    return event_details(
        act.model_dump(exclude={"action", "record"}, exclude_none=True), site.grades
    )


def list_rows(site: Site, kind: str) -> list[RecordView]:
    """The records a list page and its home-page count show: `/banned/` holds every banned
    record, the approved technologies banned or ended by a direct delisting included."""
    return site.banned() if kind == "banned" else site.by_kind(kind)


def list_page(site: Site, kind: str, ctx: dict[str, Any]) -> GeneratedPage:
    title, intro = LIST_PAGES[kind]
    rows = Checkpointed(list_rows(site, kind))  # the preview's settle may stop inside the loop
    statuses = [(c, STATUS_LABELS[c]) for c in STATUS_ORDER[kind]]
    if kind == "guidance":
        statuses.append(("emergency_use", "紧急应用"))

    def _render() -> str:
        return render(
            "list.html", title=title, intro=intro, rows=rows, kind=kind, statuses=statuses, **ctx
        )

    return GeneratedPage(f"{FOLDERS[kind]}/index.md", title, _render)


def home_page(site: Site, ctx: dict[str, Any]) -> GeneratedPage:
    def _render() -> str:
        cards = []
        for kind, (title, _) in LIST_PAGES.items():
            rows = list_rows(site, kind)
            counts = Counter(r.status.code for r in rows)
            per = [(c, STATUS_LABELS[c], counts[c]) for c in STATUS_ORDER[kind] if counts[c]]
            cards.append(
                {"title": title, "url": f"/{FOLDERS[kind]}/", "total": len(rows), "counts": per}
            )
        latest = list(reversed(site.announcements))[:8]
        return render("home.html", cards=cards, latest=latest, **ctx)

    return GeneratedPage("index.md", "首页", _render)


def announcements_index(site: Site, ctx: dict[str, Any]) -> GeneratedPage:
    rows = list(reversed(site.announcements))
    return GeneratedPage(
        "announcements/index.md", "公告", lambda: render("announcements.html", rows=rows, **ctx)
    )


def risk_grades_page(site: Site, ctx: dict[str, Any]) -> GeneratedPage:
    counts = Counter(r.risk_grade.id for r in site.by_kind("approved") if r.risk_grade)
    rows = [(g, counts[g.id]) for g in site.grades.values()]
    return GeneratedPage(
        "risk-grades/index.md", "风险分级", lambda: render("risk_grades.html", rows=rows, **ctx)
    )


def site_pages(site: Site, revisions: Callable[[str], str] | None = None) -> list[GeneratedPage]:
    """Every generated page of the site; `revisions(id)` supplies the 修订记录 section."""
    ctx = _context(site)
    pages = [home_page(site, ctx), announcements_index(site, ctx), risk_grades_page(site, ctx)]
    pages += [list_page(site, kind, ctx) for kind in LIST_PAGES]
    pages += [record_page(site, r, ctx, revisions) for r in site.records.values()]
    pages += announcement_pages(site, ctx)
    pages += check_pages(site)
    return pages


def pages_of(
    site: Site, ids: Collection[str], revisions: Callable[[str], str] | None = None
) -> list[GeneratedPage]:
    """The record and announcement pages of `ids` only, made as `site_pages` makes them (the
    preview writes these at once after an edit)."""
    ctx = _context(site)
    pages = [record_page(site, site.records[i], ctx, revisions) for i in ids if i in site.records]
    return pages + [p for p in announcement_pages(site, ctx) if page_id(p.src_uri) in ids]


def page_id(src_uri: str) -> str:
    """The record or announcement id of a page's source address (`approved/X.md` → `X`)."""
    return src_uri.removesuffix(".md").rsplit("/", 1)[-1]
