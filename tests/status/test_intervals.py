"""Status on any date (issue 17): the intervals agree with replaying at every boundary date.

For every boundary of the sample data (each interval's first and last day) the day before, the day
of and the day after are checked: the interval that holds the day has exactly the status (code,
since, basis, announcement) and the emergency overlay that `replay(..., as_of=day)` derives. Days
after the as-of date are compared with a replay of the published announcements only (later ones
are embargoed: the intervals are what the published announcements schedule).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.publish.dated import dated
from generator.publish.pipeline import check_registry
from generator.publish.views import build_site
from generator.status.intervals import boundaries, interval_at, next_change
from generator.status.replay import replay

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
DAY = timedelta(days=1)


def _replayer(reg):  # type: ignore[no-untyped-def]
    inp = reg.derived.input  # as validation replays it
    published = inp.published(reg.as_of)

    def at(day: date):  # type: ignore[no-untyped-def]
        return replay(inp if day <= reg.as_of else published, day)

    return inp.kinds, at


@pytest.mark.parametrize("as_of", [date(2026, 11, 23), date(2027, 6, 1), date(2026, 6, 14)])
def test_intervals_agree_with_replay_at_every_boundary(as_of: date) -> None:
    reg = check_registry(DATA, as_of)
    assert not reg.problems
    site = build_site(reg)
    kinds, at = _replayer(reg)
    days = {
        b + d
        for r in site.records.values()
        for b in boundaries(r.intervals)
        for d in (-DAY, 0 * DAY, DAY)
    }
    assert len(days) > 6
    for day in sorted(days):
        rep = at(day)
        for rid in kinds:
            want = (rep.statuses.get(rid), rep.emergencies.get(rid))
            r = site.records.get(rid)
            iv = interval_at(r.intervals, day) if r else None
            got = (iv.status, iv.emergency) if iv else (None, None)
            if r is None:  # embargoed record: no interval at all, and none was published
                assert day > as_of or want == (None, None), (rid, day)
                continue
            assert got == want, (rid, day, got, want)


def test_intervals_agree_with_replay_on_a_synthetic_registry(tmp_path: Path) -> None:
    """Every action kind (suspend, resume, open by announcement, direct delisting bans, …) on
    400 synthetic records, at 60 boundary days drawn with a fixed seed."""
    import random

    from generator.synth.write import write_synthetic

    write_synthetic(tmp_path / "data", 400, seed=3)
    reg = check_registry(tmp_path / "data", date(2027, 3, 1))
    assert not reg.problems
    site = build_site(reg)
    kinds, at = _replayer(reg)
    days = sorted(
        {b + d for r in site.records.values() for b in boundaries(r.intervals) for d in (-DAY, DAY)}
        | {b for r in site.records.values() for b in boundaries(r.intervals)}
    )
    for day in random.Random(7).sample(days, 60):
        rep = at(day)
        for rid, r in site.records.items():
            if rid not in kinds:
                continue  # research projects: no announcement replays them (test_research.py)
            iv = interval_at(r.intervals, day)
            got = (iv.status, iv.emergency) if iv else (None, None)
            assert got == (rep.statuses.get(rid), rep.emergencies.get(rid)), (rid, day)


def test_the_interval_of_the_as_of_date_is_the_current_status() -> None:
    reg = check_registry(DATA, date(2026, 11, 23))
    site = build_site(reg)
    for r in site.records.values():
        iv = interval_at(r.intervals, site.as_of)
        assert iv is not None and iv.status == r.status and iv.emergency == r.emergency, r.id
        # consecutive, no gap, no overlap; only the last one may be open-ended
        for a, b in zip(r.intervals, r.intervals[1:], strict=False):
            assert a.end is not None and a.end + DAY == b.start and not a.same_state(b), r.id


def test_next_change_of_the_sample() -> None:
    site = build_site(check_registry(DATA, date(2026, 11, 23)))
    bmt = site.records["BMT-2026-001"]  # approved 2026-06-15, high: 限定期 to 2031-06-15
    nxt = next_change(bmt.intervals, site.as_of)
    assert nxt is not None and nxt.start == date(2031, 6, 16) and nxt.status.code == "open"
    data = dated(bmt, site)
    assert data["next_change"]["sentence"].startswith("将于 2031-06-16 起开放")
    assert "规范 第二十条第二款" in data["next_change"]["sentence"]
    # resumed after a suspension inside the period: no opening by time, no next change
    assert next_change(site.records["BMT-2026-006"].intervals, site.as_of) is None
    gl = dated(site.records["GL-0015"], site)  # emergency use until 2027-03-31
    assert gl["next_change"]["date"] == "2027-04-01"
    assert "规范 第十九条" in gl["next_change"]["sentence"]


def test_sentences_carry_labels_and_articles() -> None:
    site = build_site(check_registry(DATA, date(2026, 11, 23)))
    delisted = dated(site.records["GL-0002"], site)["intervals"][-1]
    assert delisted["reason"]["route_label"] == "直接调出"
    assert delisted["reason"]["ground_label"] == "安全性、有效性存在重大问题"
    assert "界定指导原则 二（二）2（1）" in delisted["sentence"]
    suspended = dated(site.records["BMT-2026-004"], site)["intervals"][-1]
    assert suspended["status"] == "suspended" and "规范 第二十三条第一款" in suspended["sentence"]
    assert suspended["reason"]["ground_label"] == "发生严重不良反应或出现不可控制的风险"
    for r in site.records.values():
        for entry in dated(r, site)["intervals"]:
            assert "依据：" in entry["sentence"] and entry["status_label"], r.id


def test_an_approval_carries_its_research_stage_on_every_day() -> None:
    """An approved technology's date field also answers for its guidance entry (界定指导原则 二):
    the entry's own intervals and sentences, not a copy of any rule; other kinds have none."""
    site = build_site(check_registry(DATA, date(2026, 11, 23)))
    for rid, r in site.records.items():
        research = dated(r, site).get("research")
        if r.kind != "approved":
            assert research is None, rid
            continue
        entry = site.records[r.model.guidance_entry]
        assert research["label"].endswith(f"备案指导清单条目 {entry.id}"), rid
        assert research["intervals"] == dated(entry, site)["intervals"], rid
        assert research["before"] == dated(entry, site)["before"], rid
    statuses = [
        i["status"] for i in dated(site.records["BMT-2026-005"], site)["research"]["intervals"]
    ]
    assert statuses == ["listed", "delisted"]  # GL-0002, delisted from 2026-10-15


def test_api_carries_the_intervals_and_the_check_index_its_texts(sample_site: Path) -> None:
    site = build_site(check_registry(DATA, date(2026, 11, 23)))
    for rid, r in site.records.items():
        api = json.loads((sample_site / f"api/records/{rid}.json").read_text(encoding="utf-8"))
        want = dated(r, site)
        assert api["status_intervals"] == want["intervals"], rid
        assert api["next_change"] == want["next_change"], rid
    index = json.loads((sample_site / "api/check-index.json").read_text(encoding="utf-8"))
    assert index["dated"]["after_as_of"].startswith("所选日期晚于数据截至日 2026-11-23")
    assert "规范 第二十条第三款" in index["dated"]["before"]
    assert index["dated"]["records"] == "api/records/"


def test_record_page_has_the_date_field_and_the_table(sample_site: Path) -> None:
    html = (sample_site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    assert 'id="reg-dated-day"' in html and 'type="date"' in html
    assert "状态变化表" in html and "2031-06-16" in html
    assert "下一次变化：将于 2031-06-16 起开放" in html
    island = html.split('<script type="application/json" id="reg-dated-data">')[1].split(
        "</script>"
    )[0]
    data = json.loads(island)
    assert [i["from"] for i in data["intervals"]] == ["2026-06-15", "2031-06-16"]
    assert "<" not in island  # escaped: no text in the data can close the element
    assert "assets/dated.js" in html
