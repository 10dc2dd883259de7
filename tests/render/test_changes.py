"""`/changes/` by month (generator/render/changes.py, templates/changes.html): a heading per month
with its count, every change labelled from the vocabulary, filters whose values and counts are the
page's own data, and one page per month."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.domain.kinds import KIND_LABELS
from generator.domain.vocabulary import ACTION_LABELS
from generator.history.changes import change_entries
from generator.publish.pipeline import publish
from generator.render.changes import (
    CAUSE_LABELS,
    Month,
    changes_pages,
    index_months,
    months_of,
)

DATA = Path(__file__).resolve().parents[2] / "data"
ITEM = re.compile(
    r'<p class="reg-item" data-change="([a-z_]+)" data-kind="([a-z]+)"><b>([^<]+)</b> '
    r'<a href="([^"]+)">'
)


@pytest.fixture(scope="module")
def sample() -> SimpleNamespace:
    report, site = publish(DATA, date(2026, 11, 23))
    assert report.valid and site is not None
    entries = change_entries(site, site.history)
    pages = {p.src_uri: p for p in changes_pages(site, site.history, entries)}
    return SimpleNamespace(
        site=site, entries=entries, pages=pages, index=pages["changes/index.md"].render()
    )


def _sections(html: str) -> list[tuple[str, int, str]]:
    """(month key, the heading's count, the section's HTML) in page order."""
    found = re.findall(
        r'<section class="reg-month" id="m-(\d{4}-\d\d)" data-month>(.*?)</section>', html, re.S
    )
    out = []
    for key, body in found:
        count = re.search(r"<span data-count>(\d+)</span> 项变化", body)
        assert count is not None, key
        out.append((key, int(count.group(1)), body))
    return out


def test_months_are_newest_first_each_with_its_heading_count_and_page(
    sample: SimpleNamespace,
) -> None:
    sections = _sections(sample.index)
    keys = [k for k, _, _ in sections]
    assert keys == sorted(keys, reverse=True) and len(keys) > 3
    for key, count, body in sections:
        assert count == len(ITEM.findall(body)) > 0, key
        year, month = key.split("-")
        assert f">{year}年{int(month)}月</a>" in body  # the heading links the month's page
        page = sample.pages[f"changes/{key}.md"].render()
        assert f"<h1>变更记录：{year}年{int(month)}月</h1>" in page
        assert len(ITEM.findall(page)) == count
    # the jump list names every month, in the same order
    nav = sample.index[sample.index.index('<nav class="reg-months"') :]
    assert re.findall(r'href="#m-(\d{4}-\d\d)"', nav[: nav.index("</nav>")]) == keys


def test_every_change_is_labelled_from_the_one_vocabulary(sample: SimpleNamespace) -> None:
    items = ITEM.findall(sample.index)
    labels = {**ACTION_LABELS, **CAUSE_LABELS}
    assert not set(ACTION_LABELS.values()) & set(CAUSE_LABELS.values())
    for change, kind, label, _ in items:
        assert label == labels[change], (change, label)
        assert kind in KIND_LABELS
    seen = {change for change, *_ in items}
    assert {"suspend", "ban", "approve", "derived", "report", "revision"} <= seen
    # a suspension item is a record the announcement of its entry suspends
    for entry in sample.entries:
        if entry.announcement is None:
            continue
        block = re.search(rf'<li id="{entry.anchor}".*?</li>', sample.index, re.S)
        if block is None:
            continue
        suspended = {a.record for a in entry.announcement.actions if a.action == "suspend"}
        shown = {m[3].split("/")[2] for m in ITEM.findall(block.group(0)) if m[0] == "suspend"}
        assert shown == suspended
    # the template and the script spell no label of their own
    root = Path(__file__).resolve().parents[2]
    for path in ("generator/render/templates/changes.html", "site_src/assets/changes.js"):
        text = (root / path).read_text(encoding="utf-8")
        assert not [w for w in labels.values() if f">{w}<" in text or f'"{w}"' in text], path


def test_filters_offer_the_page_s_values_with_their_counts(sample: SimpleNamespace) -> None:
    html = sample.index
    items = ITEM.findall(html)
    form = html[html.index('<form class="reg-change-filter"') : html.index("</form>")]
    assert " hidden " in form.split(">", 1)[0] + " "  # without script: no filter, all shown
    selects = dict(re.findall(r'<select name="(\w+)">(.*?)</select>', form, re.S))
    changes = re.findall(r'<option value="(\w+)">([^<]+)（(\d+)）</option>', selects["change"])
    assert {v: int(n) for v, _, n in changes} == Counter(c for c, *_ in items)
    assert all(label == {**ACTION_LABELS, **CAUSE_LABELS}[v] for v, label, _ in changes)
    kinds = re.findall(r'<option value="(\w+)">([^<]+)（(\d+)）</option>', selects["kind"])
    assert {v: int(n) for v, _, n in kinds} == Counter(k for _, k, *_ in items)
    assert all(label == KIND_LABELS[v] for v, label, _ in kinds)
    assert re.search(rf"<strong data-total>{len(items)}</strong>", form)
    assert 'src="../assets/changes.js"' in html and " hidden" not in "".join(
        re.findall(r'<p class="reg-item"[^>]*>', html)
    )


def test_the_index_holds_the_newest_months_within_its_budget(
    sample: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    months = months_of(sample.site, sample.entries)
    monkeypatch.setattr("generator.render.changes.INDEX_ITEMS", months[0].count + months[1].count)
    assert [m.key for m in index_months(months)] == [months[0].key, months[1].key]
    monkeypatch.setattr("generator.render.changes.INDEX_ITEMS", 1)  # always the newest month
    assert [m.key for m in index_months(months)] == [months[0].key]
    assert index_months([Month("2026-01", [])]) != []
