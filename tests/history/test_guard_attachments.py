"""The guard and 公告原件 (issue 23): a registered attachment is published content.

Only whole new items appended after the registered ones are allowed; every registered item must stay
the same mapping (each key and value, no key added), in its place. Real git repositories.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from gitkit import GitRepo, base_files
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.history.guard import compare_trees, guard_problems

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


# --- any edit of a registered item is found (Hypothesis, no git: compare_trees on two folders) ---

_scalars = st.one_of(
    st.text(max_size=8), st.integers(-5, 5000), st.booleans(), st.none(), st.floats(0, 9)
)
_items = st.dictionaries(
    st.sampled_from(["file", "title", "size", "sha256", "note"]), _scalars, min_size=1
)


@st.composite
def _edits(draw: st.DrawFn) -> tuple[list[Any], list[Any], bool]:
    """(items at REF, items now, whether the change is only appending whole items)."""
    before = draw(st.lists(_items, min_size=1, max_size=3))
    after = copy.deepcopy(before)
    kind = draw(st.sampled_from(["append", "add key", "change", "remove key", "insert", "drop"]))
    i = draw(st.integers(0, len(before) - 1))
    if kind == "append":
        after += draw(st.lists(_items, min_size=1, max_size=2))
    elif kind == "add key":
        after[i][draw(st.text(min_size=1, max_size=5).filter(lambda k: k not in after[i]))] = 1
    elif kind == "change":
        key = draw(st.sampled_from(sorted(after[i])))
        after[i][key] = draw(_scalars.filter(lambda v: not _same_yaml(v, before[i][key])))
    elif kind == "remove key":
        del after[i][draw(st.sampled_from(sorted(after[i])))]
    elif kind == "insert":
        after.insert(i, draw(_items.filter(lambda x: not _same_yaml(x, before[i]))))
    else:
        del after[i]
    return before, after, kind == "append"


def _same_yaml(a: Any, b: Any) -> bool:
    return yaml.safe_dump(a) == yaml.safe_dump(b)


@settings(max_examples=60, deadline=None)
@given(_edits())
def test_every_edit_of_a_registered_item_is_found(
    tmp_path_factory: pytest.TempPathFactory, edit: tuple[list[Any], list[Any], bool]
) -> None:
    before, after, allowed = edit
    roots = []
    for items in (before, after):
        root = tmp_path_factory.mktemp("tree")
        ann = yaml.safe_load(base_files()[REL])
        (root / "announcements").mkdir()
        text = yaml.safe_dump({**ann, "attachments": items}, allow_unicode=True, sort_keys=False)
        (root / REL).write_text(text, encoding="utf-8")
        roots.append(root)
    problems = compare_trees(roots[0], roots[1], "main", TODAY)
    assert (problems == []) == allowed, (before, after, [p.path for p in problems])
    assert all(p.code == "E503" and p.path.startswith("attachments") for p in problems)
