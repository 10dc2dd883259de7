"""Filed clinical research projects (界定指导原则 二(二)2; issue 24): status from the project's own
events and its entry's delisting, at the boundaries (the day before, of and after each change).
The minimal registry of tests/conftest.py: GL-0001 listed 2026-01-10."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.publish.pipeline import check_registry
from generator.publish.verdict import verdict
from generator.publish.views import Site, build_site

D = date.fromisoformat
CR = "CR-2026-0001"


def project(filed: str = "2026-02-01", *events: tuple[str, str]) -> tuple[str, str]:
    data: dict[str, Any] = {
        "id": CR,
        "title": "自体CAR-T细胞治疗复发难治淋巴瘤的多中心临床研究",
        "guidance_entry": "GL-0001",
        "sponsor": "某某医院",
        "institutions": ["某某医院", "某某大学附属医院"],
        "filed": D(filed),
        "events": [{"date": D(d), "event": e} for d, e in events],
    }
    return f"research/{CR}.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def delist(n: int, day: str, route: str) -> tuple[str, str]:
    ground = "major_ethics_issue" if route == "direct" else "drug_approved"
    data = {
        "id": f"ANN-2026-{n:03d}",
        "number": f"国家卫生健康委公告 测试第{n}号",
        "title": f"测试公告 {n}",
        "date": D(day),
        "body": "正文。",
        "actions": [{"action": "delist", "record": "GL-0001", "route": route, "ground": ground}],
    }
    return f"announcements/ANN-2026-{n:03d}.yaml", yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture
def site_of(tmp_path: Path, kit: Any):
    counter = iter(range(1000))

    def make(as_of: str, *files: tuple[str, str]) -> Site:
        root = kit.make_registry(tmp_path / f"d{next(counter)}", dict(files))
        reg = check_registry(root, D(as_of))
        assert not reg.problems, [p.text() for p in reg.problems]
        return build_site(reg, f"{as_of}+t")

    return make


def status(site: Site) -> str:
    return site.records[CR].status.code


def test_ongoing_from_the_filed_date_embargoed_before(site_of) -> None:
    assert CR not in site_of("2026-01-31", project()).records  # filed later: not published
    site = site_of("2026-02-01", project())
    assert status(site) == "ongoing" and site.records[CR].status.since == D("2026-02-01")
    assert verdict(site.records[CR], site).code == "ongoing"


def test_a_direct_delisting_requires_termination_until_terminated(site_of) -> None:
    files = (project("2026-02-01", ("2026-06-20", "terminated")), delist(3, "2026-06-01", "direct"))
    assert status(site_of("2026-05-31", *files)) == "ongoing"  # the day before
    on = site_of("2026-06-01", *files)
    assert status(on) == "terminate_required"
    v = verdict(on.records[CR], on)
    assert "应当及时终止研究，并妥善保障已开展研究受试者的权益" in " ".join(v.sentences())
    change = on.records[CR].changes[-1]
    assert (change.cause, change.announcement) == ("derived", "ANN-2026-003")
    assert status(site_of("2026-06-19", *files)) == "terminate_required"
    assert status(site_of("2026-06-20", *files)) == "terminated"


def test_a_delisting_after_review_requires_a_new_ethics_review(site_of) -> None:
    files = (
        project("2026-02-01", ("2026-07-01", "ethics_continued"), ("2027-02-28", "completed")),
        delist(3, "2026-06-01", "after_review"),
    )
    on = site_of("2026-06-01", *files)
    assert status(on) == "ethics_review_required"
    assert "应重新进行伦理审查评估" in " ".join(verdict(on.records[CR], on).sentences())
    continued = site_of("2026-07-01", *files)
    assert status(continued) == "ongoing"
    assert "二（二）2（2）" in continued.records[CR].status.basis
    assert status(site_of("2027-02-27", *files)) == "ongoing"
    assert status(site_of("2027-02-28", *files)) == "completed"
    causes = [c.cause for c in site_of("2027-02-28", *files).records[CR].changes]
    assert causes == ["report", "derived", "report", "report"]


def test_a_project_that_ended_before_the_delisting_is_not_affected(site_of) -> None:
    files = (project("2026-02-01", ("2026-05-01", "completed")), delist(3, "2026-06-01", "direct"))
    assert status(site_of("2026-06-01", *files)) == "completed"


def test_an_approval_grown_from_the_entry_does_not_affect_research(site_of) -> None:
    # BMT-2026-001 (approved 2026-03-01) grew from GL-0001; the project is untouched by it
    site = site_of("2026-11-23", project())
    assert status(site) == "ongoing" and len(site.records[CR].changes) == 1


def test_every_output_of_the_site_has_the_project(tmp_path: Path, kit: Any) -> None:
    from sitekit import build_sample

    files = dict((project("2026-02-01"), delist(3, "2026-06-01", "after_review")))
    root = kit.make_registry(tmp_path / "data", files)
    site = build_sample(tmp_path / "site", root, D("2026-11-23"))
    page = (site / f"research/{CR}/index.html").read_text(encoding="utf-8")
    assert "须重新伦理审查" in page and "应重新进行伦理审查评估" in page
    assert f"/research/{CR}/" in (site / "research/index.html").read_text(encoding="utf-8")
    records = (site / "api/records.json").read_text(encoding="utf-8")
    assert CR in records and '"research"' in records
    assert CR in (site / "changes/index.html").read_text(encoding="utf-8")
