"""`registry validate --base REF` (generator/history/guard.py): the public record is append-only."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from gitkit import GitRepo

from generator.history.guard import guard_problems
from generator.load.git import GitError
from generator.shells.cli import main

TODAY = date(2026, 11, 23)
EMBARGOED = """\
id: ANN-2026-003
number: 国家卫生健康委公告 2099年第1号
title: 关于修订技术条件的公告
date: 2099-12-01
body: |
  正文。
actions:
  - action: amend
    record: BMT-2026-001
    note: 修订条件
"""


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.write("announcements/ANN-2026-003.yaml", EMBARGOED)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def found(
    repo: GitRepo, kit: SimpleNamespace, today: date = TODAY
) -> list[tuple[str, int, int, str, str, str]]:
    return [
        (kit.relative(p.file, repo.data), p.line, p.column, p.code, p.path, p.message)
        for p in guard_problems(repo.data, "main", today)
    ]


def test_no_change_no_problem(repo: GitRepo, kit: SimpleNamespace) -> None:
    assert found(repo, kit) == []


def test_deleting_a_record_or_its_conditions(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.remove("guidance-list/GL-0001.yaml")
    repo.remove("conditions/BMT-2026-001.yaml")
    message = "与 main 相比删除了记录文件；公示记录不能删除，请恢复该文件，并改为发布新公告（如 delist、ban）"
    assert found(repo, kit) == [
        ("conditions/BMT-2026-001.yaml", 1, 1, "E501", "", message),
        ("guidance-list/GL-0001.yaml", 1, 1, "E501", "", message),
    ]


def test_renaming_a_record(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.rename("banned/BAN-0001.yaml", "banned/BAN-0009.yaml")
    repo.replace("banned/BAN-0009.yaml", "id: BAN-0001", "id: BAN-0009")
    assert found(repo, kit) == [
        (
            "banned/BAN-0001.yaml",
            1,
            1,
            "E502",
            "",
            "与 main 相比，记录文件由 banned/BAN-0001.yaml 改名为 banned/BAN-0009.yaml；"
            "公示记录不能改名，请保留原文件",
        )
    ]


def test_a_deleted_record_and_an_unrelated_new_one_is_not_a_rename(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    repo.remove("banned/BAN-0001.yaml")
    repo.write(
        "banned/BAN-0002.yaml",
        "id: BAN-0002\nname: 另一项技术\ncategory: other\ndescription: 别的。\n",
    )
    assert [x[3] for x in found(repo, kit)] == ["E501"]


def test_changing_a_published_announcement_points_at_each_changed_field(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    rel = "announcements/ANN-2026-001.yaml"
    repo.replace(rel, "  正文。", "  正文（更正）。")
    repo.replace(rel, "ground: 存在重大伦理问题", "ground: 违反伦理原则")
    message = "公告 ANN-2026-001 在 main 时已发布，不能修改；更正请发布新的 amend 公告"
    assert found(repo, kit) == [
        (rel, 5, 7, "E503", "body", message),
        (rel, 12, 13, "E503", "actions[1].ground", message),
    ]


def test_comments_and_formatting_of_an_announcement_are_fine(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    rel = "announcements/ANN-2026-002.yaml"
    repo.write(rel, "# 第2号公告\n" + repo.read(rel).replace("[某某医院]", "\n      - 某某医院"))
    assert found(repo, kit) == []


def test_deleting_or_renaming_a_published_announcement(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.remove("announcements/ANN-2026-002.yaml")
    repo.rename("announcements/ANN-2026-001.yaml", "announcements/ANN-2026-011.yaml")
    assert found(repo, kit) == [
        (
            "announcements/ANN-2026-001.yaml",
            1,
            1,
            "E502",
            "",
            "与 main 相比，记录文件由 announcements/ANN-2026-001.yaml 改名为 "
            "announcements/ANN-2026-011.yaml；公示记录不能改名，请保留原文件",
        ),
        (
            "announcements/ANN-2026-002.yaml",
            1,
            1,
            "E503",
            "",
            "公告 ANN-2026-002 在 main 时已发布，不能修改；更正请发布新的 amend 公告",
        ),
    ]


def test_an_announcement_under_embargo_today_may_be_edited_or_withdrawn(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    repo.replace("announcements/ANN-2026-003.yaml", "note: 修订条件", "note: 修订医疗机构条件")
    assert found(repo, kit) == []
    repo.remove("announcements/ANN-2026-003.yaml")
    assert found(repo, kit) == []


def test_published_means_dated_on_or_before_today(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.replace("announcements/ANN-2026-001.yaml", "  正文。", "  正文（更正）。")
    assert found(repo, kit, today=date(2026, 1, 9)) == []  # the day before its date
    assert [x[3] for x in found(repo, kit, today=date(2026, 1, 10))] == ["E503"]


def test_unknown_revision_or_no_repository(
    repo: GitRepo, tmp_path: Path, kit: SimpleNamespace
) -> None:
    with pytest.raises(GitError, match="找不到 git 版本 “no-such-branch”"):
        guard_problems(repo.data, "no-such-branch", TODAY)
    plain = kit.make_registry(tmp_path / "plain")
    with pytest.raises(GitError, match="不在 git 仓库中"):
        guard_problems(plain, "main", TODAY)


def test_cli_validate_with_base(repo: GitRepo) -> None:
    runner = CliRunner()
    args = ["validate", "--data", str(repo.data), "--as-of", "2026-11-23", "--base", "main"]
    ok = runner.invoke(main, args)
    assert ok.exit_code == 0, ok.output
    repo.remove("approved/BMT-2026-001.yaml")
    repo.remove("conditions/BMT-2026-001.yaml")
    bad = runner.invoke(main, args)
    assert bad.exit_code == 1
    lines = [x for x in bad.output.splitlines() if " E5" in x]
    assert [x.split(": ", 1)[0].rsplit("/", 2)[-2:] for x in lines] == [
        ["approved", "BMT-2026-001.yaml:1:1"],
        ["conditions", "BMT-2026-001.yaml:1:1"],
    ]
    json_out = runner.invoke(main, [*args, "--format", "json"])
    assert '"code": "E501"' in json_out.output
    usage = runner.invoke(main, [*args[:-1], "nope"])
    assert usage.exit_code == 2
    assert "找不到 git 版本 “nope”" in usage.output


# --- conditions versions are append-only once published (E504, 规范 第十七条) -------------------

VERSIONED = """\
id: BMT-2026-001
versions:
  - announcement: ANN-2026-002
    effective: 2026-03-01
    institution:
      - 三级甲等医院。
    personnel:
      - 副主任医师及以上。
    management: []
    operating_spec: |
      操作规范。
"""
SECOND = """\
  - announcement: ANN-2026-003
    institution:
      - 三级甲等医院。
    personnel:
      - 主任医师。
    operating_spec: |
      操作规范（修订）。
"""


def codes(repo: GitRepo, kit: SimpleNamespace, today: date = TODAY) -> list[tuple[str, int, str]]:
    return [(rel, line, code) for rel, line, _c, code, _p, _m in found(repo, kit, today)]


def test_rewriting_the_shorthand_as_versions_is_no_change(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    # the flat file is the version of the approve announcement (ANN-2026-002, 2026-03-01); an
    # absent `effective` is the announcement's date and absent lists are empty
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED)
    assert found(repo, kit) == []


def test_appending_a_version_is_allowed(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + SECOND)
    assert found(repo, kit) == []


def test_changing_a_published_version_is_an_error(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.write(
        "conditions/BMT-2026-001.yaml", VERSIONED.replace("副主任医师及以上", "主治医师及以上")
    )
    assert codes(repo, kit) == [("conditions/BMT-2026-001.yaml", 8, "E504")]
    # the same edit in the flat file
    repo.write(
        "conditions/BMT-2026-001.yaml",
        kit.BASE["conditions/BMT-2026-001.yaml"].replace("副主任医师及以上", "主治医师"),
    )
    ((rel, line, _col, code, path, message),) = found(repo, kit)
    assert (rel, line, code, path) == ("conditions/BMT-2026-001.yaml", 5, "E504", "personnel[0]")
    assert "ANN-2026-002" in message and "amend" in message


def test_changing_the_effective_date_of_a_published_version_is_an_error(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED.replace("2026-03-01", "2026-04-01"))
    assert codes(repo, kit) == [("conditions/BMT-2026-001.yaml", 4, "E504")]


def test_removing_a_published_version_is_an_error(repo: GitRepo, kit: SimpleNamespace) -> None:
    amend = EMBARGOED.replace("2099-12-01", "2026-06-01")
    repo.write("announcements/ANN-2026-003.yaml", amend)
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + SECOND)
    repo.commit("第二版", "2026-06-01T10:00:00+08:00")
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED)
    # the last version removed: reported at `versions`, where the list it stood in is
    assert codes(repo, kit) == [("conditions/BMT-2026-001.yaml", 2, "E504")]


def test_a_conditions_file_that_does_not_parse_is_not_every_version_removed(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    """A YAML syntax error (the preview sees it mid-edit) is its own error (E10x from validation),
    not one E504 per published version of the file."""
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + "  - announcement: [\n")
    assert codes(repo, kit) == []


THIRD = SECOND.replace("ANN-2026-003", "ANN-2026-004").replace("（修订）", "（再修订）")


def test_a_removed_version_is_reported_where_it_stood(repo: GitRepo, kit: SimpleNamespace) -> None:
    amend = EMBARGOED.replace("2099-12-01", "2026-06-01")
    repo.write("announcements/ANN-2026-003.yaml", amend)
    later = amend.replace("ANN-2026-003", "ANN-2026-004").replace("2026-06-01", "2026-07-01")
    repo.write("announcements/ANN-2026-004.yaml", later.replace("2099年第1号", "2099年第2号"))
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + SECOND + THIRD)
    repo.commit("第二、三版", "2026-07-01T10:00:00+08:00")
    # the middle version removed: at the line of the version that now stands in its place (the
    # working file, the one the editor opens), not at line 1
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + THIRD)
    ((rel, line, col, code, _path, message),) = found(repo, kit)
    assert (rel, line, col, code) == ("conditions/BMT-2026-001.yaml", 12, 5, "E504")
    assert repo.read("conditions/BMT-2026-001.yaml").splitlines()[11].strip() == (
        "- announcement: ANN-2026-004"
    )
    assert "ANN-2026-003" in message and "该版本被删除" in message


def test_a_version_of_an_embargoed_announcement_may_change_until_its_date(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    # ANN-2026-003 is dated 2099-12-01: its version is not public yet
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + SECOND)
    repo.commit("第二版（未公布）", "2026-06-01T10:00:00+08:00")
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + SECOND.replace("主任医师", "副主任医师"))
    assert found(repo, kit) == []
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED)  # withdrawn before its date
    assert found(repo, kit) == []
    # on the announcement's date (today in Beijing) it is published: the same edit is an error
    repo.write("conditions/BMT-2026-001.yaml", VERSIONED + SECOND.replace("主任医师", "副主任医师"))
    assert codes(repo, kit, date(2099, 12, 1)) == [("conditions/BMT-2026-001.yaml", 16, "E504")]


# --- nothing in the repository can switch the guard off (issue 13, class 1) -------------------

HOSTILE_ATTRIBUTES = """\
data/announcements/** export-ignore
data/announcements export-ignore
*.yaml export-subst filter=evil diff=evil -text
"""


def _arm(repo: GitRepo, tmp_path: Path) -> Path:
    """A repository whose attributes and config would hide or rewrite files and run programs."""
    marker = tmp_path / "program-ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    repo.git("config", "filter.evil.clean", str(script))
    repo.git("config", "filter.evil.smudge", str(script))
    repo.git("config", "filter.evil.process", str(script))
    repo.git("config", "diff.evil.textconv", str(script))
    repo.git("config", "diff.external", str(script))
    repo.git("config", "core.fsmonitor", str(script))
    repo.git("config", "core.pager", str(script))
    return marker


def test_attributes_and_config_cannot_hide_a_deleted_announcement(
    repo: GitRepo, kit: SimpleNamespace, tmp_path: Path
) -> None:
    """export-ignore on data/announcements (top level and in data/), filters and textconv in
    .git/config: REF is read blob by blob, so the deletion is still seen and no program runs."""
    (repo.root / ".gitattributes").write_text(HOSTILE_ATTRIBUTES, encoding="utf-8")
    repo.write(".gitattributes", "announcements/** export-ignore\n* export-ignore\n")
    repo.write("announcements/.gitignore", "*\n")
    repo.git("add", "-f", "-A")
    repo.git("commit", "-q", "-m", "attributes", env={"GIT_COMMITTER_DATE": "2026-01-06T10:00"})
    marker = _arm(repo, tmp_path)
    repo.remove("announcements/ANN-2026-001.yaml")
    repo.replace("announcements/ANN-2026-002.yaml", "date: 2026-03-01", "date: 2026-03-02")
    codes = [
        (kit.relative(p.file, repo.data), p.code) for p in guard_problems(repo.data, "main", TODAY)
    ]
    assert ("announcements/ANN-2026-001.yaml", "E503") in codes
    assert ("announcements/ANN-2026-002.yaml", "E503") in codes
    from generator.history.diff import diff_report
    from generator.load.revisions import read_history

    read_history(repo.data)
    diff_report(repo.data, "main", None, TODAY)
    assert not marker.exists(), "a program from the repository's config or attributes ran"
    # and validation itself refuses the hidden files in data/
    from generator.publish.pipeline import check_registry

    hidden = {
        kit.relative(p.file, repo.data)
        for p in check_registry(repo.data, TODAY).problems
        if p.code == "E112"
    }
    assert hidden == {".gitattributes", "announcements/.gitignore"}


def test_environment_cannot_redirect_git(
    repo: GitRepo, kit: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_DIR or GIT_EXTERNAL_DIFF from outside do not change which repository is read."""
    other = GitRepo(tmp_path / "other")
    other.write("registry.yaml", "title: x\n")
    other.commit("other", "2026-01-05T10:00:00+08:00")
    monkeypatch.setenv("GIT_DIR", str(other.root / ".git"))
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", "/bin/false")
    repo.remove("guidance-list/GL-0001.yaml")
    codes = [p.code for p in guard_problems(repo.data, "main", TODAY)]
    assert codes == ["E501"]


def test_a_record_replaced_by_a_symlink_is_a_deletion(repo: GitRepo, kit: SimpleNamespace) -> None:
    """The link is never followed (its target could be the old content, or any file)."""
    saved = repo.data / "saved.txt"
    saved.write_text(repo.read("guidance-list/GL-0001.yaml"), encoding="utf-8")
    repo.remove("guidance-list/GL-0001.yaml")
    (repo.data / "guidance-list" / "GL-0001.yaml").symlink_to(saved)
    assert [p.code for p in guard_problems(repo.data, "main", TODAY)] == ["E501"]


def test_the_guard_itself_refuses_a_linked_data_root(tmp_path: Path) -> None:
    """Second line of defence behind the commands (issue 23): guard_problems on a data root that
    is a symlink compares nothing and reports E114 instead."""
    from generator.history.guard import guard_problems

    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "data"
    link.symlink_to(real)
    (problem,) = guard_problems(link, "HEAD")
    assert problem.code == "E114"
