"""Revision history from git (generator/load/revisions.py): field diffs, one pass over the log, no git,
shallow clones, and the two histories on a built record page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import WHEN, GitRepo, base_files, make_history_repo

from generator.load import git as gitrepo
from generator.load.field_changes import Change, field_changes
from generator.load.revisions import read_history
from generator.shells.build import build

ROOT = Path(__file__).resolve().parents[2]


def c(path: str, old: object, new: object) -> dict:
    return {"path": path, "old": old, "new": new}


# --- field_changes ------------------------------------------------------------------------------


def test_created_file_lists_every_field_with_old_null() -> None:
    assert [x.as_dict() for x in field_changes(None, {"id": "X", "aliases": ["a"]})] == [
        c("id", None, "X"),
        c("aliases", None, ["a"]),
    ]


def test_deleted_file_lists_every_field_with_new_null() -> None:
    assert [x.as_dict() for x in field_changes({"id": "X"}, None)] == [c("id", "X", None)]
    assert field_changes(None, None) == []


def test_scalar_nested_and_removed_fields() -> None:
    old = {"id": "X", "name": "甲", "scope": "范围", "ref": {"title": "T", "url": "https://a/"}}
    new = {"id": "X", "name": "乙", "ref": {"title": "T2", "url": "https://a/"}, "sample": True}
    got = field_changes(old, new)
    assert [x.as_dict() for x in got] == [
        c("name", "甲", "乙"),
        c("ref.title", "T", "T2"),
        c("sample", None, True),
        c("scope", "范围", None),
    ]
    assert got[1].loc == ("ref", "title")


def test_list_items_added_removed_and_replaced() -> None:
    def diff(a: list, b: list) -> list[dict]:
        return [x.as_dict() for x in field_changes({"l": a}, {"l": b})]

    assert diff(["a"], ["a", "b"]) == [c("l[1]", None, "b")]
    assert diff(["a", "b"], ["b"]) == [c("l[0]", "a", None)]
    assert diff(["a", "b", "c"], ["a", "x", "c"]) == [c("l[1]", "b", "x")]
    assert diff(["a", "b"], ["b", "a"]) == [c("l", ["a", "b"], ["b", "a"])]  # reordered only
    assert diff(["a", "b"], ["c", "d", "e"]) == [
        c("l[0]", "a", None),
        c("l[1]", "b", None),
        c("l[0]", None, "c"),
        c("l[1]", None, "d"),
        c("l[2]", None, "e"),
    ]
    refs_old = [{"title": "甲", "url": "https://a/"}, {"title": "乙"}]
    refs_new = [{"title": "甲", "url": "https://b/"}, {"title": "乙"}]
    assert diff(refs_old, refs_new) == [c("l[0].url", "https://a/", "https://b/")]


def test_types_are_compared_as_yaml_sees_them() -> None:
    assert [x.as_dict() for x in field_changes({"sample": 1}, {"sample": True})] == [
        c("sample", 1, True)
    ]
    assert field_changes({"l": [1]}, {"l": [True]}) == [Change("l[0]", 1, True)]
    assert field_changes({"a": "x"}, {"a": "x"}) == []


# --- a repository with a sequence of commits ----------------------------------------------------


@pytest.fixture
def hrepo(tmp_path: Path, kit: SimpleNamespace) -> SimpleNamespace:
    return make_history_repo(tmp_path / "repo", kit.BASE)


def rev(h: SimpleNamespace, step: str, *changes: dict, message: str) -> dict:
    return {
        "commit": h.hashes[step],
        "date": WHEN[step],
        "message": message,
        "changes": list(changes),
    }


# The public message is generated from the field changes (issue 13, class 7), never the commit's.


def test_revisions_of_an_approved_technology_include_its_conditions(hrepo: SimpleNamespace) -> None:
    history = read_history(hrepo.repo.data)
    assert history.available and not history.partial
    assert history.api("BMT-2026-001") == {
        "revisions": [
            rev(
                hrepo,
                "import",
                c("id", None, "BMT-2026-001"),
                c("name", None, "自体CD19 CAR-T细胞治疗技术"),
                c("aliases", None, ["CD19 CAR-T"]),
                c("category", None, "cell-therapy"),
                c("guidance_entry", None, "GL-0001"),
                c("applicant", None, "某某医院"),
                c("summary", None, "技术解读。\n"),
                c("conditions.id", None, "BMT-2026-001"),
                c("conditions.institution", None, ["三级甲等医院。"]),
                c("conditions.personnel", None, ["副主任医师及以上。"]),
                c("conditions.operating_spec", None, "操作规范。\n"),
                message="新建记录",
            ),
            rev(
                hrepo,
                "name",
                c("name", "自体CD19 CAR-T细胞治疗技术", "自体CD19 CAR-T细胞疗法"),
                c("summary", "技术解读。\n", "技术解读（修订）。\n"),
                message="修改 名称、技术解读",
            ),
            rev(
                hrepo,
                "lists",
                c("conditions.institution[1]", None, "设有重症医学科。"),
                message="修改 技术条件·医疗机构条件",
            ),
        ],
        "history_available": True,
        "history_partial": False,
    }
    assert [r.created for r in history.revisions("BMT-2026-001")] == [True, False, False]


def test_list_edits_comment_only_edits_and_new_fields(hrepo: SimpleNamespace) -> None:
    history = read_history(hrepo.repo.data)
    gl = history.api("GL-0001")["revisions"]
    assert [r["message"] for r in gl] == [
        "新建记录",
        "修改 别名",
        "只改动了注释或格式",
        "修改 别名",
    ]
    assert gl[1]["changes"] == [c("aliases[1]", None, "嵌合抗原受体T细胞")]
    assert gl[2]["changes"] == []  # a comment: the commit is listed, no field changed
    assert gl[3]["changes"] == [c("aliases[0]", "CAR-T", None)]
    ban = history.api("BAN-0001")["revisions"]
    assert ban[1] == rev(hrepo, "lists", c("aliases", None, ["胚胎基因编辑"]), message="修改 别名")


def test_commits_newest_first_and_announcement_only_commits_left_out(
    hrepo: SimpleNamespace,
) -> None:
    history = read_history(hrepo.repo.data)
    h = hrepo.hashes
    assert [x.commit for x in history.commits] == [
        h["remove"],
        h["comment"],
        h["lists"],
        h["name"],
        h["import"],
    ]
    assert history.commits[2].records == ("BAN-0001", "BMT-2026-001", "GL-0001")
    assert history.commits[2].date == WHEN["lists"]
    assert set(history.by_record) == {"GL-0001", "BMT-2026-001", "BAN-0001"}


def test_history_is_read_in_a_fixed_number_of_git_processes(
    tmp_path: Path, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One git log and one cat-file, whatever the number of records and commits."""
    repo = GitRepo(tmp_path / "big")
    for rel, text in kit.BASE.items():
        repo.write(rel, text)
    for i in range(40):
        repo.write(f"guidance-list/GL-{i + 100:04d}.yaml", f"id: GL-{i + 100:04d}\nname: 技术{i}\n")
    repo.commit("导入", "2026-01-01T00:00:00+08:00")
    for n in range(12):
        for i in range(0, 40, 7):
            repo.replace(f"guidance-list/GL-{i + 100:04d}.yaml", "\nname: ", f"\nname: 第{n}版")
        repo.commit(f"第 {n} 次修订", f"2026-02-{n + 1:02d}T00:00:00+08:00")
    calls: list[list[str]] = []

    class Counting(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, cmd, *a, **kw):  # type: ignore[no-untyped-def]
            calls.append(cmd)
            super().__init__(cmd, *a, **kw)

    monkeypatch.setattr(gitrepo.subprocess, "Popen", Counting)
    history = read_history(repo.data)
    assert len(history.revisions("GL-0100")) == 13
    subcommands = [
        next(x for x in cmd[1:] if not x.startswith("-") and "=" not in x) for cmd in calls
    ]
    assert subcommands == ["rev-parse", "rev-parse", "log", "cat-file"]


def test_without_git_the_history_is_unavailable(tmp_path: Path, kit: SimpleNamespace) -> None:
    data = kit.make_registry(tmp_path / "tarball" / "data")
    history = read_history(data)
    assert not history.available
    assert "不在 git 仓库中" in history.reason
    assert history.api("BMT-2026-001") == {
        "revisions": [],
        "history_available": False,
        "history_partial": False,
    }


def test_a_shallow_clone_gives_a_partial_history(hrepo: SimpleNamespace, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "3", f"file://{hrepo.repo.root}", str(clone)],
        check=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    history = read_history(clone / "data")
    assert history.available and history.partial
    assert "浅克隆" in history.reason
    # Depth 3: the announcement, the removal, and the comment commit at the boundary, which git
    # shows as creating every file: it is left out.
    gl = history.api("GL-0001")
    assert gl["history_partial"] is True
    assert [r["message"] for r in gl["revisions"]] == ["修改 别名"]
    assert history.revisions("BMT-2026-001") == []


# --- the record page: two histories, clearly apart ----------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("history-site")
    made = make_history_repo(root / "repo", base_files())
    site = root / "site"
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        build(ROOT / "mkdocs.yml", site, made.repo.data, date(2026, 11, 23))
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    return SimpleNamespace(site=site, **vars(made))


def test_record_page_separates_the_legal_timeline_from_the_revisions(
    built: SimpleNamespace,
) -> None:
    html = (built.site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    legal = html.index("法律时间线（公告）")
    revisions = html.index("修订记录（公示文字的编辑修改）")
    assert legal < revisions
    section = html[revisions : html.index("</section>", revisions)]
    assert "不改变法律状态" in section
    # for people: the change in words, only the changed words marked, no commit hash (issue 26)
    assert built.hashes["name"][:7] not in section
    assert "修改名称" in section
    assert "治疗技术" in section and "疗法" in section
    assert section.count("<del") >= 1 and section.count("<ins") >= 1
    # the flat conditions were edited in place (refused as E504 now): the history shows the text
    # published today, from the commit that made it, never the version it replaced (issue 23)
    assert "设有重症医学科。" in section
    assert "新建记录" in section
    assert "2026年2月1日" in section
    # the legal timeline above it holds announcements only, no commits
    assert built.hashes["name"][:7] not in html[legal:revisions]


def test_api_record_carries_the_revisions(built: SimpleNamespace) -> None:
    data = json.loads((built.site / "api/records/GL-0001.json").read_text(encoding="utf-8"))
    assert data["history_available"] is True and data["history_partial"] is False
    assert [r["commit"] for r in data["revisions"]] == [
        built.hashes[k] for k in ("import", "lists", "comment", "remove")
    ]
    assert data["revisions"][3]["changes"] == [c("aliases[0]", "CAR-T", None)]


def test_build_without_git_says_history_is_unavailable(
    tmp_path: Path, kit: SimpleNamespace
) -> None:
    data = kit.make_registry(tmp_path / "plain" / "data")
    site = tmp_path / "site"
    build(ROOT / "mkdocs.yml", site, data, date(2026, 11, 23))
    html = (site / "approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    assert "修订记录不可用" in html
    record = json.loads((site / "api/records/BMT-2026-001.json").read_text(encoding="utf-8"))
    assert record["revisions"] == [] and record["history_available"] is False
    shutil.rmtree(site)
