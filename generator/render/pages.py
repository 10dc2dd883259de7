"""Page generation: one `GeneratedPage` (page.py) per page of the site, rendered lazily to HTML.

Pages are rendered from our templates, never from Markdown, so record pages cost MkDocs no Markdown
parsing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from generator.domain.names import fold
from generator.domain.vocabulary import (
    FOLDERS,
    GROUND_LABELS,
    KIND_LABELS,
    ROUTE_LABELS,
    STATUS_LABELS,
)
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
from generator.render.extras import record_extras
from generator.render.jinja import render
from generator.render.page import GeneratedPage
from generator.render.search import encoded_keywords, summary

STATUS_ORDER = {
    "guidance": ("listed", "delisted"),
    "approved": ("restricted", "open", "suspended", "banned"),
    "banned": ("banned",),
}
LIST_PAGES = {
    "guidance": (
        KIND_LABELS["guidance"],
        "《生物医学新技术临床研究备案指导清单》列出可以按规范技术名称和备案要求**备案开展临床研究**的技术"
        "（界定指导原则 二）。在清单内不等于批准临床应用。调出清单的条目保留在此，注明调出途径和理由。",
    ),
    "approved": (
        KIND_LABELS["approved"],
        "经批准临床转化应用的生物医学新技术（规范 第十七条），附风险等级、限定期、参与研究机构、"
        "医疗机构和人员条件以及临床应用操作规范。限定期（高风险批准后5年、中风险3年、低风险1年）内"
        "仅限在参与该技术临床研究且符合条件的医疗机构内开展（规范 第二十条第二款）。",
    ),
    "banned": (
        KIND_LABELS["banned"],
        "禁止或不再按《条例》开展的技术：法律、行政法规和国家有关规定明令禁止的技术（界定指导原则 二（一）1）；"
        "国家卫生健康委公告禁止临床应用的已批准技术，包括经再评估不能保证安全、有效的（规范 第二十三条第四款）；"
        "以及来源清单条目被直接调出、不再按照《条例》有关规定开展临床研究和临床转化应用的已批准技术"
        "（界定指导原则 二（二）2（1））。",
    ),
}


def _context(site: Site) -> dict[str, Any]:
    anns = {a.id: a for a in site.announcements}
    return {
        "site": site,
        "url": lambda p: p,
        "site_ann": anns.get,
        "record": site.records.get,
        "action_label": action_label,
        "details": lambda ev: event_details(ev.fields, site.grades),
        "route_label": ROUTE_LABELS.__getitem__,
        "ground_label": lambda g: GROUND_LABELS.get(g, g),
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
    m = r.model
    names = [r.id, m.name, *m.aliases]
    research = ""
    g = site.records.get(m.guidance_entry) if r.kind == "approved" else None
    if g is not None:  # one technology, one result: its guidance entry's names find it too
        names += [g.id, g.model.name, *g.model.aliases]
        research = f"临床研究阶段：{g.kind_label} {g.id} {g.status_label}"
    # and their folded forms (domain/names.py, the one fold of /check/ and validation): CART
    # finds CAR-T as /check/ does
    kn = encoded_keywords(*names, *(fold(n) for n in names))
    indications = getattr(m, "indications", [])
    kw = encoded_keywords(r.category_name, *indications, r.kind_label, exclude=kn)
    if r.kind == "guidance":
        text = summary(m.purpose, m.mechanism)
    elif r.kind == "approved":
        text = summary(m.summary or "", "；".join(indications))
    else:
        text = summary(m.description)
    return {
        "kn": kn,
        "kw": kw,
        "summary": text,
        "aliases": "、".join(m.aliases),
        "research": research,
        # a guidance entry with a published approval is searched as that technology (above)
        "indexed": not (r.kind == "guidance" and site.grown.get(r.id)),
    }


def record_page(
    site: Site, r: RecordView, ctx: dict[str, Any], revisions_html: str = ""
) -> GeneratedPage:
    def _render() -> str:
        return render(
            "record.html",
            r=r,
            v=verdict(r, site),  # the one source of every legal sentence on the page
            search=record_search(site, r),
            revisions_html=revisions_html,
            **ctx,
        )

    feeds = (
        (f"{r.name}：公告与修订（Atom）", record_feed(r.id)),
        (f"分类“{r.category_name}”的更新（Atom）", category_feed(r.model.category)),
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
    rows = list_rows(site, kind)
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
    pages += [
        record_page(site, r, ctx, revisions(r.id) if revisions else "")
        for r in site.records.values()
    ]
    pages += announcement_pages(site, ctx)
    pages += check_pages(site)
    return pages
