"""The published view: embargo, permalinks, edit and report links."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from generator.publish.pipeline import check_registry
from generator.publish.views import build_site

DATA = Path(__file__).resolve().parents[2] / "data"


def site(as_of: date = date(2026, 11, 23)):  # type: ignore[no-untyped-def]
    return build_site(check_registry(DATA, as_of), "2026-11-23+abcdef1")


def test_embargoed_records_and_announcements_are_left_out() -> None:
    s = site()
    assert "GL-0016" not in s.records
    assert all(a.date <= date(2026, 11, 23) for a in s.announcements)
    assert "GL-0016" in site(date(2026, 12, 15)).records


def test_edit_and_report_links_are_hidden_without_repo_url() -> None:
    s = site()
    r = s.records["BMT-2026-001"]
    assert s.edit_url(r) is None and s.report_url(r) is None


def test_edit_and_report_links_point_at_the_yaml_and_the_issue_form() -> None:
    s = site()
    s.repo_url, s.site_url = "https://github.com/example/registry/", "https://registry.example.org/"
    r = s.records["BMT-2026-001"]
    assert (
        s.edit_url(r)
        == "https://github.com/example/registry/edit/main/data/approved/BMT-2026-001.yaml"
    )
    report = urlparse(s.report_url(r) or "")
    assert report.path == "/example/registry/issues/new"
    query = parse_qs(report.query)
    assert "BMT-2026-001" in query["title"][0]
    assert "https://registry.example.org/approved/BMT-2026-001/" in query["body"][0]
    assert "2026-11-23+abcdef1" in query["body"][0]


def test_permalink_is_absolute_from_site_url() -> None:
    s = site()
    s.site_url = "https://registry.example.org/"
    assert (
        s.permalink("/approved/BMT-2026-001/")
        == "https://registry.example.org/approved/BMT-2026-001/"
    )
