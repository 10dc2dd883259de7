"""The engine pages that loop over every record (the list pages, /changes/) pass a checkpoint
(domain/checkpoint.py) for every row, so that the preview's settle stops inside such a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.domain.checkpoint import stopping_at
from generator.publish.views import Site
from generator.render.changes import changes_pages
from generator.render.pages import site_pages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(sample_published: Site) -> Site:
    return sample_published


def _checks(render: object) -> int:
    calls = []
    with stopping_at(lambda: calls.append(1)):
        render()  # type: ignore[operator]
    return len(calls)


@pytest.mark.parametrize(
    ("uri", "kind"), [("guidance-list/index.md", "guidance"), ("approved/index.md", "approved")]
)
def test_a_list_page_checks_once_a_row_at_least(site: Site, uri: str, kind: str) -> None:
    page = next(p for p in site_pages(site) if p.src_uri == uri)
    assert _checks(page.render) >= len(site.by_kind(kind))


def test_changes_checks_once_an_entry_at_least(site: Site) -> None:
    page = next(p for p in changes_pages(site, site.history) if p.src_uri == "changes/index.md")
    assert _checks(page.render) >= len(site.announcements)
