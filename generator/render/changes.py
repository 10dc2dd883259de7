"""The two histories as pages: the 修订记录 section of each record page, and `/changes/` (50 entries a page: `/changes/`, `/changes/page/2/`, …)."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator.history.changes import MAX_RECORDS, ChangeEntry, change_entries, local_time
from generator.load.revisions import History, Revision
from generator.publish.timeline import consequence_text
from generator.publish.views import Site, announcement_url
from generator.render.jinja import render
from generator.render.page import GeneratedPage

PAGE_SIZE = 50

MAX_VALUE = 200  # characters of a changed value shown on a page; the JSON API has all of it


def show_value(v: Any) -> str:
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _revisions_context(history: History) -> dict[str, Any]:
    return {"history": history, "local": local_time, "show": show_value}


def revisions_html(history: History, rid: str, repo_url: str | None = None) -> Markup:
    """The 修订记录 section of one record page (goes into record.html as `revisions_html`);
    the short hash links to the commit when `repo_url` is set."""
    revisions: list[Revision] = history.revisions(rid)
    repo = (repo_url or "").rstrip("/")
    return Markup(
        render("revisions.html", revisions=revisions, repo_url=repo, **_revisions_context(history))
    )


def page_uri(number: int) -> str:
    return "changes/index.md" if number == 1 else f"changes/page/{number}.md"


def page_url(number: int) -> str:
    return "/changes/" if number == 1 else f"/changes/page/{number}/"


def entry_url(entry: ChangeEntry, index: int) -> str:
    """Site-absolute link of an entry (`index` is its position in `change_entries`)."""
    if entry.kind == "announcement":
        return announcement_url(entry.key)
    if entry.kind == "status":
        return f"{entry.records[0].url}#timeline"
    if len(entry.records) == 1:
        return f"{entry.records[0].url}#revisions"
    return f"{page_url(index // PAGE_SIZE + 1)}#{entry.anchor}"


def changes_pages(
    site: Site, history: History, entries: list[ChangeEntry] | None = None
) -> list[GeneratedPage]:
    """`/changes/` and its further pages (`entries`: `change_entries`, when already made)."""
    entries = change_entries(site, history) if entries is None else entries
    count = max(1, -(-len(entries) // PAGE_SIZE))
    pages = []
    for number in range(1, count + 1):
        chunk = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]

        def _render(number: int = number, chunk: list[ChangeEntry] = chunk) -> str:
            return render(
                "changes.html",
                site=site,
                url=lambda p: p,
                entries=chunk,
                number=number,
                count=count,
                total=len(entries),
                page_url=page_url,
                history=history,
                local=local_time,
                max_records=MAX_RECORDS,
                consequence=consequence_text,
            )

        title = "变更记录" if number == 1 else f"变更记录（第 {number} 页）"
        pages.append(GeneratedPage(page_uri(number), title, _render))
    return pages
