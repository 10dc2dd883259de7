"""Feeds, `/changes/` and calendars with filed research projects (临床研究备案项目, issue 24): a
project has its own Atom feed with what its institutions reported and the delisting of its entry as
a consequence (界定指导原则 二(二)2); its category's feed is its entry's; nothing of an embargoed
project or of an event reported after the as-of date; no calendar event (the seeds set no date)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from research_kit import (
    COMPLETED,
    EMBARGOED,
    EMBARGOED_TITLE,
    ETHICS,
    LATE_NOTE,
    TERMINATED,
    TERMINATION_NOTE,
    research_site,
)

from generator.outputs.calendar import calendar_files
from generator.outputs.feeds import feed_files
from generator.publish.views import Site
from generator.render.changes import changes_pages

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://registry.example.org/"
TERMINATE = "应当及时终止研究，并妥善保障已开展研究受试者的权益"


@pytest.fixture
def site(tmp_path: Path, kit: SimpleNamespace) -> Site:
    return research_site(tmp_path / "data", kit)


@pytest.fixture
def feeds(site: Site) -> dict[str, bytes]:
    return dict(feed_files(site, site.history, SITE_URL))


def entries(feeds: dict[str, bytes], name: str) -> list[dict[str, str]]:
    root = ET.fromstring(feeds[name])
    assert root.tag == f"{ATOM}feed"
    out = []
    for e in root.findall(f"{ATOM}entry"):
        category = e.find(f"{ATOM}category")
        out.append(
            {
                "id": e.findtext(f"{ATOM}id", ""),
                "title": e.findtext(f"{ATOM}title", ""),
                "content": e.findtext(f"{ATOM}content", ""),
                "link": e.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]
                "term": category.get("term", "") if category is not None else "",
            }
        )
    ids = [e["id"] for e in out]
    assert len(ids) == len(set(ids)), name
    return out


def test_a_project_has_its_own_feed_of_reports_and_consequences(feeds: dict[str, bytes]) -> None:
    mine = entries(feeds, f"feeds/records/{TERMINATED}.xml")
    assert [e["title"] for e in mine] == [
        "机构报告：某基因治疗罕见病的单中心临床研究（终止研究）",
        "国家卫生健康委公告 测试第5号：测试公告 5",
        "机构报告：某基因治疗罕见病的单中心临床研究（备案）",
    ]
    terminated, delisting, filed = mine
    assert terminated["term"] == "report" and terminated["link"].endswith(
        f"/research/{TERMINATED}/#timeline"
    )
    assert (
        f"说明：{TERMINATION_NOTE}" in terminated["content"] and "已终止" in terminated["content"]
    )
    # the delisting of its entry, as a consequence in the seeds' words, never as an act
    assert TERMINATE in delisting["content"] and "公告没有点名本项目" in delisting["content"]
    assert delisting["term"] == "announcement"
    assert "参照《备案指导清单》条目 某基因治疗技术（GL-0002） 备案" in filed["content"]
    ethics = entries(feeds, f"feeds/records/{ETHICS}.xml")
    assert [e["id"].rsplit(":", 2)[-2:] for e in ethics if e["term"] == "report"] == [
        ["2026-07-01", ETHICS],
        ["2026-02-01", ETHICS],
    ]
    assert any("应重新进行伦理审查评估" in e["content"] for e in ethics)


def test_the_changes_feed_has_the_reports_and_the_consequence(feeds: dict[str, bytes]) -> None:
    changes = entries(feeds, "feeds/changes.xml")
    reports = [e["title"] for e in changes if e["term"] == "report"]
    assert len(reports) == 6  # three filings, ethics_continued, terminated, one completion
    (delisting,) = [e for e in changes if e["id"].endswith(":ANN-2026-005")]
    assert "公告未点名、依法随之发生的状态变化" in delisting["content"]
    assert TERMINATE in delisting["content"] and TERMINATED in delisting["content"]


def test_a_category_feed_follows_the_project_s_entry(feeds: dict[str, bytes]) -> None:
    # GL-0002 (and its projects) are 基因编辑; GL-0001 and its project 细胞治疗
    gene = " ".join(e["id"] for e in entries(feeds, "feeds/categories/gene-editing.xml"))
    cell = " ".join(e["id"] for e in entries(feeds, "feeds/categories/cell-therapy.xml"))
    assert TERMINATED in gene and COMPLETED in gene and ETHICS not in gene
    assert ETHICS in cell and TERMINATED not in cell
    assert "ANN-2026-005" in gene and "ANN-2026-004" in cell


def test_changes_page_shows_reports_as_their_own_entries(site: Site) -> None:
    html = changes_pages(site, site.history)[0].render()
    item = re.search(rf'<li id="status-2026-09-01-{TERMINATED}".*?</li>', html, re.S)
    assert item is not None
    assert "机构报告" in item.group(0) and f"说明：{TERMINATION_NOTE}" in item.group(0)
    assert f"/research/{TERMINATED}/#timeline" in item.group(0)
    announcement = re.search(r'<li id="announcement-ANN-2026-005".*?</li>', html, re.S)
    assert announcement is not None and TERMINATE in announcement.group(0)
    assert "后果" in announcement.group(0)


def test_nothing_embargoed_or_reported_later_in_feeds_or_changes(
    site: Site, feeds: dict[str, bytes]
) -> None:
    assert f"feeds/records/{EMBARGOED}.xml" not in feeds
    texts = [feeds["feeds/changes.xml"].decode()]
    texts += [b.decode() for b in feeds.values()]
    texts += [page.render() for page in changes_pages(site, site.history)]
    for secret in (EMBARGOED, EMBARGOED_TITLE, LATE_NOTE, "2026-12-15"):
        assert not any(secret in t for t in texts), secret
    # what was reported by the as-of date is there, in the feeds and on the page alike
    assert all(f"说明：{TERMINATION_NOTE}" in t for t in (texts[0], texts[-1]))


def test_no_calendar_event_for_a_project(tmp_path: Path, kit: SimpleNamespace) -> None:
    # as of the day GL-0002 is delisted directly: the project's change falls on the as-of date,
    # and still nothing is scheduled for it (the seeds give 及时终止研究 no date)
    site = research_site(tmp_path / "data", kit, date(2026, 8, 1))
    files = dict(calendar_files(site))
    for rid in (TERMINATED, COMPLETED, ETHICS):
        cal = Calendar.from_ical(files[f"feeds/records/{rid}.ics"])
        assert list(cal.walk("VEVENT")) == [], rid
    whole = Calendar.from_ical(files["feeds/calendar.ics"])
    assert not any("CR-" in str(e.get("summary")) for e in whole.walk("VEVENT"))
