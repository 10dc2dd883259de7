"""`registry diff` and research projects (临床研究备案项目): a new project reads as a study record
(title, the entry it is filed under, sponsor, institutions, filing date, events), a changed one
field by field with the project's own field labels, and every status change of a project (its
own events, its entry's delisting) is in the status section. Real git repositories."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import GitRepo

from generator.history.diff import diff_report

AS_OF = date(2026, 11, 23)
REL = "research/CR-2026-0001.yaml"
PROJECT = """\
id: CR-2026-0001
title: 自体CAR-T细胞治疗复发难治B细胞淋巴瘤的*多中心*临床研究
guidance_entry: GL-0001
sponsor: 某某大学附属医院
institutions: [某某大学附属医院, 某某医院]
filed: 2026-02-01
filing_no: 备-2026-001
events:
  - {date: 2026-06-01, event: completed, note: 按方案完成随访}
"""
DELIST = """\
id: ANN-2026-005
number: 国家卫生健康委公告 2026年第5号
title: 关于调整备案指导清单的公告
date: 2026-10-01
body: 正文。
actions:
  - {action: delist, record: GL-0001, route: after_review, ground: technology_approved}
"""


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def summary(repo: GitRepo) -> str:
    text, ok = diff_report(repo.data, "main", None, AS_OF, AS_OF)
    assert ok, text
    return text


def section(text: str, title: str) -> list[str]:
    part = text.split(f"### {title}", 1)[1].split("\n### ", 1)[0]
    return [line for line in part.splitlines()[1:] if line.strip()]


def test_a_new_project_reads_as_a_study_record(repo: GitRepo) -> None:
    repo.write(REL, PROJECT)
    text = summary(repo)
    name = r"自体CAR-T细胞治疗复发难治B细胞淋巴瘤的\*多中心\*临床研究"
    assert section(text, "新增记录") == [
        f"- `CR-2026-0001` {name}（临床研究备案项目）",
        "  - 备案所依据的备案指导清单条目：`GL-0001` 自体CAR-T细胞治疗技术",
        "  - 临床研究发起机构：某某大学附属医院",
        "  - 临床研究机构：某某大学附属医院、某某医院",
        "  - 备案日期：2026-02-01，备案编号 备-2026-001",
        "  - 研究进展：2026-06-01 研究结束（`completed`）：“按方案完成随访”",
    ]
    assert section(text, "状态变化（2）") == [
        f"- `CR-2026-0001` {name}：未公示 → 进行中（ongoing），自 2026-02-01 起，"
        "依据界定指导原则 二（参照《备案指导清单》备案后开展临床研究）",
        f"- `CR-2026-0001` {name}：进行中（ongoing） → 已结束（completed），自 2026-06-01 起，"
        "依据备案机构报告研究结束",
    ]


def test_a_project_filed_after_the_as_of_date_is_not_yet_published(repo: GitRepo) -> None:
    repo.write(REL, PROJECT.replace("2026-02-01", "2026-12-01").replace("2026-06-01", "2027-01-05"))
    text = summary(repo)
    assert (
        "  - 备案日期：2026-12-01，备案编号 备-2026-001（尚未公示，2026-12-01 起自动公示）" in text
    )
    assert "未公示 → 进行中（ongoing），自 2026-12-01 起" in text


def test_an_appended_event_and_a_corrected_field_with_the_projects_labels(
    repo: GitRepo,
) -> None:
    repo.write(REL, PROJECT.split("events:")[0])
    repo.write("announcements/ANN-2026-005.yaml", DELIST)
    repo.commit("备案和调出", "2026-10-02T10:00:00+08:00")
    repo.replace(REL, "某某医院]", "某某医院, 另一医院]")
    repo.write(
        REL,
        repo.read(REL) + "events:\n  - {date: 2026-11-01, event: ethics_continued, note: 同意}\n",
    )
    text = summary(repo)
    assert section(text, "修改的记录（1）")[1:] == [
        "  - 临床研究机构 第 3 项 `institutions[2]`：新增 “另一医院”",
        "  - 新增研究进展 `events[0]`：2026-11-01 经重新伦理审查继续实施（`ethics_continued`）："
        "“同意”",
    ]
    (line,) = section(text, "状态变化（1）")
    assert line.endswith(
        "：须重新伦理审查（ethics_review_required） → 进行中（ongoing），自 2026-11-01 起，"
        "依据界定指导原则 二（二）2（2）（经重新伦理审查评估，继续实施至研究结束）"
    )


def test_a_delisting_lists_the_projects_it_changes(repo: GitRepo) -> None:
    """The project's file does not change: its status does, as a consequence with its basis."""
    repo.write(REL, PROJECT.split("events:")[0])
    repo.commit("备案", "2026-02-01T10:00:00+08:00")
    repo.write("announcements/ANN-2026-005.yaml", DELIST)
    text = summary(repo)
    lines = section(text, "状态变化（2）")
    assert lines[0] == (
        "- `CR-2026-0001` 自体CAR-T细胞治疗复发难治B细胞淋巴瘤的\\*多中心\\*临床研究："
        "进行中（ongoing） → 须重新伦理审查（ethics_review_required），自 2026-10-01 起，"
        "国家卫生健康委公告 2026年第5号，依据界定指导原则 二（二）2（2）"
        "（来源清单条目论证后调出：应重新进行伦理审查评估）"
    )
    assert lines[1].startswith("- `GL-0001` 自体CAR-T细胞治疗技术：在清单内（listed） → 已调出")
    assert "修改的记录" not in text and "新增记录" not in text
