"""iCalendar feeds (issue 17): read back with the icalendar library."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sitekit import build_sample

EXPECTED = {  # the sample's upcoming transitions as of 2026-11-23
    ("conditions-BMT-2026-003-ANN-2026-013", date(2027, 1, 1)),
    ("emergency-end-GL-0015-ANN-2026-012", date(2027, 3, 31)),
    ("period-end-BMT-2026-002", date(2027, 5, 20)),
    ("period-end-BMT-2026-003", date(2029, 6, 30)),
    ("period-end-BMT-2026-006", date(2029, 6, 30)),
    ("period-end-BMT-2026-001", date(2031, 6, 15)),
    ("period-end-BMT-2026-004", date(2031, 7, 10)),  # suspended: the nominal end
}
HOST = "@registry.example.org"


def _read(path: Path) -> Calendar:
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    return Calendar.from_ical(raw)


def _events(cal: Calendar) -> list:  # type: ignore[type-arg]
    return list(cal.walk("VEVENT"))


def test_registry_calendar_lists_the_upcoming_transitions(sample_site: Path) -> None:
    cal = _read(sample_site / "feeds/calendar.ics")
    assert str(cal["version"]) == "2.0" and "prodid" in cal
    events = _events(cal)
    got = {(str(e["uid"]).removesuffix(HOST), e.decoded("dtstart")) for e in events}
    assert got == EXPECTED
    for e in events:
        start, end = e["dtstart"], e["dtend"]
        # all-day: VALUE=DATE (a date, not a datetime), ending the next day
        assert start.params.get("VALUE") == "DATE" and end.params.get("VALUE") == "DATE"
        assert type(e.decoded("dtstart")) is date and type(e.decoded("dtend")) is date
        assert (e.decoded("dtend") - e.decoded("dtstart")).days == 1
        assert isinstance(e.decoded("dtstamp"), datetime)
        assert str(e["uid"]).endswith(HOST)
        assert str(e["url"]).startswith("https://registry.example.org/")
        assert "示例数据" in str(e["summary"])  # every sample record is labelled
    assert [e.decoded("dtstart") for e in events] == sorted(e.decoded("dtstart") for e in events)


def test_event_texts_cite_their_articles(sample_site: Path) -> None:
    events = {
        str(e["uid"]).removesuffix(HOST): e
        for e in _events(_read(sample_site / "feeds/calendar.ics"))
    }
    period = str(events["period-end-BMT-2026-001"]["description"])
    assert "规范 第二十条第二款" in period and "自 2031-06-16 起" in period
    suspended = str(events["period-end-BMT-2026-006"]["description"])
    assert "只有在再评估证实获益远大于风险时方可开展" in suspended and "公告开放" not in suspended
    emergency = str(events["emergency-end-GL-0015-ANN-2026-012"]["description"])
    assert "规范 第十九条" in emergency and "2027-04-01" in emergency
    conditions = str(events["conditions-BMT-2026-003-ANN-2026-013"]["description"])
    assert "规范 第十七条" in conditions and "第 3 版" in conditions
    assert "2026-11-23" not in period  # no as-of date: a file changes only with its events


def test_one_calendar_per_record_linked_from_its_page(sample_site: Path) -> None:
    records = sorted((sample_site / "api/records").glob("*.json"))
    for path in records:
        rid = path.stem
        cal = _read(sample_site / f"feeds/records/{rid}.ics")
        assert list(cal.walk("VTIMEZONE")), rid  # valid even without events (RFC 5545)
        for e in _events(cal):
            assert f"-{rid}" in str(e["uid"]), rid
    bmt = _events(_read(sample_site / "feeds/records/BMT-2026-001.ics"))
    assert [str(e["uid"]) for e in bmt] == ["period-end-BMT-2026-001" + HOST]
    html = (sample_site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    assert 'href="../../feeds/records/BMT-2026-001.ics"' in html
    downloads = (sample_site / "downloads/index.html").read_text(encoding="utf-8")
    assert "feeds/calendar.ics" in downloads
    assert "GL-0016" not in (sample_site / "feeds/calendar.ics").read_text(encoding="utf-8")


@pytest.mark.parametrize("as_of", [date(2027, 4, 1)])
def test_uids_are_stable_across_builds_and_past_events_leave(tmp_path: Path, as_of: date) -> None:
    later = build_sample(tmp_path / "later", as_of=as_of)
    events = _events(_read(later / "feeds/calendar.ics"))
    got = {(str(e["uid"]).removesuffix(HOST), e.decoded("dtstart")) for e in events}
    # the same UIDs for what is still ahead; what has passed is gone
    assert got == {(u, d) for u, d in EXPECTED if d >= as_of}
