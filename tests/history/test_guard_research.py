"""The guard and research projects (临床研究备案项目, DESIGN.md, Data): a project file is a record
(deleted: E501, renamed: E502); once the project is published (filed on or before today, Beijing)
its `events` are append-only (E505): an event it reported stays, unchanged, in its place; new
events are appended. Its other fields may be corrected. Real git repositories (tests/gitkit.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from gitkit import GitRepo

from generator.history.guard import guard_problems
from generator.shells.cli import main

TODAY = date(2026, 11, 23)
REL = "research/CR-2026-0001.yaml"
PROJECT = """\
id: CR-2026-0001
title: 自体CAR-T细胞治疗复发难治B细胞淋巴瘤的多中心临床研究
guidance_entry: GL-0001
sponsor: 某某大学附属医院
institutions: [某某大学附属医院, 某某医院]
filed: 2026-02-01
events:
  - date: 2026-06-01
    event: completed
    note: 按方案完成随访
"""
EMBARGOED = PROJECT.replace("CR-2026-0001", "CR-2026-0002").replace("2026-02-01", "2099-01-01")


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.write(REL, PROJECT)
    r.write("research/CR-2026-0002.yaml", EMBARGOED)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def found(repo: GitRepo, today: date = TODAY) -> list[tuple[str, int, str, str]]:
    return [
        (p.file.rsplit("/", 2)[-2] + "/" + p.file.rsplit("/", 1)[-1], p.line, p.code, p.path)
        for p in guard_problems(repo.data, "main", today)
    ]


# Each test of what is allowed also makes one forbidden edit: the guard must report that one
# and nothing else (so none of them passes on a guard that checks nothing).
EDIT = ("    note: 按方案完成随访", "    note: 提前完成")


def test_appending_an_event_is_allowed(repo: GitRepo) -> None:
    repo.write(REL, repo.read(REL) + "  - {date: 2026-07-01, event: terminated, note: 补报}\n")
    assert found(repo) == []
    repo.replace(REL, *EDIT)
    assert found(repo) == [(REL, 10, "E505", "events[0].note")]


def test_comments_and_flow_style_are_no_change(repo: GitRepo) -> None:
    events = "  - date: 2026-06-01\n    event: completed\n    note: 按方案完成随访\n"
    flow = "  # 研究结束\n  - {date: 2026-06-01, event: completed, note: 按方案完成随访}\n"
    repo.write(REL, "# 项目\n" + repo.read(REL).replace(events, flow))
    assert found(repo) == []
    repo.replace(REL, "note: 按方案完成随访", "note: 提前完成")
    assert found(repo) == [(REL, 10, "E505", "events[0].note")]


def test_other_fields_may_be_corrected(repo: GitRepo) -> None:
    repo.replace(REL, "多中心临床研究", "多中心单臂临床研究")
    repo.replace(REL, "[某某大学附属医院, 某某医院]", "[某某大学附属医院]")
    repo.replace(REL, "filed: 2026-02-01", "filed: 2026-02-02\nfiling_no: 备-2026-001")
    repo.replace(REL, *EDIT)
    assert found(repo) == [(REL, 11, "E505", "events[0].note")]


@pytest.mark.parametrize(
    ("old", "new", "line", "path"),
    [
        ("    event: completed", "    event: terminated", 9, "events[0].event"),
        ("  - date: 2026-06-01", "  - date: 2026-06-02", 8, "events[0].date"),
        ("    note: 按方案完成随访", "    note: 提前完成", 10, "events[0].note"),
        ("    note: 按方案完成随访\n", "", 8, "events[0].note"),  # a field removed
        (
            "    note: 按方案完成随访\n",
            "    note: 按方案完成随访\n    extra: 1\n",
            11,
            "events[0].extra",
        ),
    ],
)
def test_changing_a_published_event_is_an_error_at_its_line(
    repo: GitRepo, old: str, new: str, line: int, path: str
) -> None:
    repo.replace(REL, old, new)
    assert found(repo) == [(REL, line, "E505", path)]


def test_removing_or_replacing_a_published_event_is_an_error(repo: GitRepo) -> None:
    body = PROJECT.split("events:")[0]
    repo.write(REL, body + "events: []\n")
    assert found(repo) == [(REL, 7, "E505", "events[0]")]
    repo.write(REL, body)  # the key removed altogether
    assert found(repo) == [(REL, 1, "E505", "events[0]")]
    repo.write(REL, body + "events: 研究结束\n")  # not a list any more
    assert found(repo) == [(REL, 7, "E505", "events")]


def test_an_event_inserted_before_a_published_one_is_an_error(repo: GitRepo) -> None:
    """Compared by position: the new item stands where the published one was."""
    repo.replace(REL, "events:\n", "events:\n  - {date: 2026-05-01, event: terminated}\n")
    assert {x[3] for x in found(repo)} == {"events[0].date", "events[0].event", "events[0].note"}
    assert {(x[1], x[2]) for x in found(repo)} == {(8, "E505")}


def test_a_project_not_yet_published_may_change(repo: GitRepo) -> None:
    """CR-2026-0002 is filed in 2099 at the base: nothing of it is public yet."""
    rel = "research/CR-2026-0002.yaml"
    repo.replace(rel, "    event: completed", "    event: terminated")
    repo.replace(rel, "filed: 2099-01-01", "filed: 2026-01-01")  # the base's date is what counts
    repo.replace(REL, *EDIT)
    assert found(repo) == [(REL, 10, "E505", "events[0].note")]


def test_published_means_filed_on_or_before_today(repo: GitRepo) -> None:
    repo.replace(REL, "    event: completed", "    event: terminated")
    assert found(repo, today=date(2026, 1, 31)) == []  # the day before it was filed
    assert [x[2] for x in found(repo, today=date(2026, 2, 1))] == ["E505"]


def test_deleting_or_renaming_a_project_is_an_error(repo: GitRepo) -> None:
    """A regression test: research/ is guarded because the guarded folders are a view of the
    kind specs (load/git.py GUARDED_DIRS), not because of code of its own."""
    repo.rename(REL, "research/CR-2026-0009.yaml")
    repo.replace("research/CR-2026-0009.yaml", "id: CR-2026-0001", "id: CR-2026-0009")
    repo.remove("research/CR-2026-0002.yaml")
    assert found(repo) == [
        (REL, 1, "E502", ""),
        ("research/CR-2026-0002.yaml", 1, "E501", ""),
    ]


def test_cli_validate_with_base_reports_every_problem_with_its_line(repo: GitRepo) -> None:
    """`registry validate --base`: the guard's E505 and validation's own problems, all at once."""
    repo.replace(REL, "    event: completed", "    event: ended")  # E207 and E505
    repo.replace(REL, "  - date: 2026-06-01", "  - date: 2026-06-02")  # E505
    repo.remove("research/CR-2026-0002.yaml")  # E501
    args = ["validate", "--data", str(repo.data), "--as-of", "2026-11-23", "--base", "main"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 1
    lines = [
        x.split(": ", 1)[0].rsplit("/", 2)[-2:] + [x.split(" ")[1]]
        for x in out.output.splitlines()
        if ": E" in x
    ]
    assert sorted(lines) == sorted(
        [
            ["research", "CR-2026-0001.yaml:8:11", "E505"],
            ["research", "CR-2026-0001.yaml:9:12", "E207"],
            ["research", "CR-2026-0001.yaml:9:12", "E505"],
            ["research", "CR-2026-0002.yaml:1:1", "E501"],
        ]
    )
    e505 = next(x for x in out.output.splitlines() if "E505" in x)
    assert "CR-2026-0001" in e505 and "main" in e505 and "追加" in e505
