"""The change log (history/changes.py) with filed research projects (临床研究备案项目, issue 24):
what the institutions reported is an entry of its own; the delisting of the entry a project was
filed under is a consequence listed under the delisting announcement, never an act of it.

A scenario on the minimal registry of tests/conftest.py: GL-0001 listed 2026-01-10 and delisted
after review 2026-06-01 (ANN-2026-003); a project filed under it 2026-02-01 that continued after a
new ethics review 2026-07-01 and reports its completion on 2026-12-15, after the as-of date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from generator.history.changes import ChangeEntry, change_entries, report_text
from generator.load.revisions import History
from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site

D = date.fromisoformat
CR = "CR-2026-0001"
AS_OF = D("2026-11-23")
PROJECT = {
    "id": CR,
    "title": "自体CAR-T细胞治疗复发难治淋巴瘤的多中心临床研究",
    "guidance_entry": "GL-0001",
    "sponsor": "某某医院",
    "institutions": ["某某医院", "某某大学附属医院"],
    "filed": D("2026-02-01"),
    "filing_no": "备案-2026-0001",
    "events": [
        {"date": D("2026-07-01"), "event": "ethics_continued", "note": "伦理委员会同意继续"},
        {"date": D("2026-12-15"), "event": "completed", "note": "截至日之后的报告"},
    ],
}
DELIST = {
    "id": "ANN-2026-003",
    "number": "国家卫生健康委公告 测试第3号",
    "title": "测试调出公告",
    "date": D("2026-06-01"),
    "body": "正文。",
    "actions": [
        {
            "action": "delist",
            "record": "GL-0001",
            "route": "after_review",
            "ground": "drug_approved",
        }
    ],
}


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def site(tmp_path: Path, kit: SimpleNamespace) -> Site:
    files = {
        f"research/{CR}.yaml": _yaml(PROJECT),
        "announcements/ANN-2026-003.yaml": _yaml(DELIST),
    }
    reg = check_registry(kit.make_registry(tmp_path / "data", files), AS_OF)
    assert not reg.problems, [p.text() for p in reg.problems]
    return build_site(reg, "2026-11-23+abcdef0")


def entries(site: Site) -> list[ChangeEntry]:
    return change_entries(site, History(available=False))


def test_each_reported_event_is_an_entry_of_its_own(site: Site) -> None:
    mine = [e for e in entries(site) if e.reported]
    assert [(e.key, e.title) for e in mine] == [
        (f"2026-07-01:{CR}", f"{PROJECT['title']}（经重新伦理审查继续实施）"),
        (f"2026-02-01:{CR}", f"{PROJECT['title']}（备案）"),
    ]  # newest first; the completion dated after the as-of date is not there
    assert all(e.kind == "status" and e.label == "机构报告" for e in mine)
    assert all([r.id for r in e.records] == [CR] and e.announcement is None for e in mine)
    assert [c.cause for e in mine for c in e.consequences] == ["report", "report"]


def test_a_report_says_who_reported_what_and_its_basis(site: Site) -> None:
    continued, filed = (e.text for e in entries(site) if e.reported)
    assert continued.startswith(f"{PROJECT['title']}（{CR}）：备案机构报告经重新伦理审查继续实施")
    assert "说明：伦理委员会同意继续" in continued
    assert "界定指导原则 二（二）2（2）" in continued and "进行中" in continued
    assert (
        "某某医院 于 2026-02-01 参照《备案指导清单》条目 自体CAR-T细胞治疗技术（GL-0001） 备案"
        in filed
    )
    assert "备案编号 备案-2026-0001" in filed and "界定指导原则 二" in filed
    changes = site.records[CR].changes_until(AS_OF)
    assert report_text(site, changes[0]) == filed


def test_the_delisting_is_a_consequence_under_its_announcement(site: Site) -> None:
    assert [c.record for c in site.consequences["ANN-2026-003"]] == [CR]
    (entry,) = [e for e in entries(site) if e.key == "ANN-2026-003"]
    assert [r.id for r in entry.records] == ["GL-0001", CR]  # named, then what it changed
    (change,) = entry.consequences
    assert (change.record, change.cause, change.code) == (CR, "derived", "ethics_review_required")
    # not an entry of its own, and not a report
    assert not any(e.kind == "status" and e.key.startswith("2026-06-01") for e in entries(site))


def test_nothing_of_a_project_before_its_filing_or_after_the_as_of_date(
    tmp_path: Path, kit: SimpleNamespace
) -> None:
    files = {f"research/{CR}.yaml": _yaml({**PROJECT, "events": []})}
    reg = check_registry(kit.make_registry(tmp_path / "data", files), D("2026-01-31"))
    assert not reg.problems
    site = build_site(reg, "2026-01-31+abcdef0")
    assert not any(r.id == CR for e in entries(site) for r in e.records)
