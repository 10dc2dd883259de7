"""The guard and 公告原件 (issue 23): a registered attachment is published content.

Only whole new items appended after the registered ones are allowed; every registered item must stay
the same mapping (each key and value, no key added), in its place. Real git repositories.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import GitRepo

from generator.history.guard import guard_problems

TODAY = date(2026, 11, 23)
REL = "announcements/ANN-2026-001.yaml"
FIRST = """\
attachments:
  - file: ANN-2026-001.pdf
    size: 1070
    sha256: 94ec616aac431806f5e8d9c3ec6c2f8c85882315f4283a21f9cacb855ffbb1ac
"""
SECOND = """\
  - file: ANN-2026-001-附件.pdf
    title: 附件
    size: 2048
    sha256: 0000000000000000000000000000000000000000000000000000000000000001
"""


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    """ANN-2026-001 (published 2026-01-10) registers one attachment, without a title."""
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.write(REL, kit.BASE[REL] + FIRST)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def found(repo: GitRepo) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in guard_problems(repo.data, "main", TODAY)]


def test_appending_a_whole_item_is_allowed(repo: GitRepo) -> None:
    repo.write(REL, repo.read(REL) + SECOND)
    assert found(repo) == []


def test_attaching_to_an_announcement_without_attachments_is_allowed(
    repo: GitRepo, kit: SimpleNamespace
) -> None:
    other = "announcements/ANN-2026-002.yaml"
    repo.write(other, repo.read(other) + "attachments:\n" + SECOND)
    assert found(repo) == []


def test_comments_and_key_order_inside_an_item_are_no_change(repo: GitRepo) -> None:
    repo.replace(
        REL,
        "  - file: ANN-2026-001.pdf\n    size: 1070\n",
        "  - size: 1070 # 字节\n    file: ANN-2026-001.pdf\n",
    )
    assert found(repo) == []


def test_adding_a_field_to_a_registered_item_is_an_error(repo: GitRepo) -> None:
    """The hole of issue 23: a key added inside an existing item passed as an 'addition'."""
    repo.replace(REL, "    size: 1070\n", "    title: 公告原文\n    size: 1070\n")
    problems = guard_problems(repo.data, "main", TODAY)
    assert [(p.code, p.path, p.line) for p in problems] == [("E503", "attachments[0].title", 15)]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("    size: 1070\n", "    size: 1071\n", "attachments[0].size"),
        ("    size: 1070\n", "    size: '1070'\n", "attachments[0].size"),
        ("    size: 1070\n", "", "attachments[0].size"),
        ("ANN-2026-001.pdf", "ANN-2026-001-v2.pdf", "attachments[0]"),  # another file
    ],
)
def test_changing_or_removing_a_field_of_a_registered_item_is_an_error(
    repo: GitRepo, old: str, new: str, where: str
) -> None:
    repo.replace(REL, old, new)
    assert found(repo) == [("E503", where)]


def test_an_item_inserted_before_a_registered_one_is_an_error(repo: GitRepo) -> None:
    repo.replace(REL, "attachments:\n", "attachments:\n" + SECOND)
    assert found(repo) == [("E503", "attachments[0]")]


def test_removing_or_reordering_registered_items_is_an_error(repo: GitRepo) -> None:
    repo.write(REL, repo.read(REL) + SECOND)
    repo.commit("附上第二个附件", "2026-02-01T10:00:00+08:00")
    text = repo.read(REL)
    first, second = (
        text.index("  - file: ANN-2026-001.pdf"),
        text.index("  - file: ANN-2026-001-附"),
    )
    repo.write(REL, text[:first] + text[second:] + text[first:second])
    assert found(repo) == [("E503", "attachments[0]"), ("E503", "attachments[1]")]
    repo.write(REL, text[:second])
    assert found(repo) == [("E503", "attachments[1]")]
    repo.write(REL, text[:first].replace("attachments:\n", ""))
    assert found(repo) == [("E503", "attachments[0]"), ("E503", "attachments[1]")]


def test_an_edit_hidden_next_to_an_append_is_still_found(repo: GitRepo) -> None:
    repo.replace(REL, "    size: 1070\n", "    title: 公告原文\n    size: 1070\n")
    repo.write(REL, repo.read(REL) + SECOND)
    assert found(repo) == [("E503", "attachments[0].title")]


def test_an_embargoed_announcement_may_still_change_its_attachments(repo: GitRepo) -> None:
    repo.replace(REL, "    size: 1070\n", "    title: 公告原文\n    size: 1070\n")
    assert [p.code for p in guard_problems(repo.data, "main", date(2026, 1, 9))] == []
