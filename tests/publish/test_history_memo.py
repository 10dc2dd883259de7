"""The preview's history memo (publish/pipeline.py `_history`): an edit the walk of the branch
cannot see (a draft announcement git has never held, a record's working-tree text) keeps the
history; an edit that changes what the published view says about a file the walk met walks it
again. Either way the history is the one a fresh publish() reads."""

from __future__ import annotations

from datetime import date

from generator.publish.pipeline import Memo, Settings, publish
from tests.gitkit import GitRepo, base_files

AS_OF = date(2026, 11, 23)
DRAFT = "announcements/ANN-2026-009.yaml"
DRAFT_TEXT = """\
id: ANN-2026-009
number: 国家卫生健康委公告 2026年第9号
title: 关于增补备案指导清单条目的公告
date: 2026-11-20
body: |
  正文。
actions:
  - action: list
    record: GL-0009
"""


def _repo(tmp_path) -> GitRepo:  # type: ignore[no-untyped-def]
    repo = GitRepo(tmp_path / "repo")
    for rel, text in base_files().items():
        repo.write(rel, text)
    repo.commit("导入", "2026-01-05T10:00:00+08:00")
    repo.replace("approved/BMT-2026-001.yaml", "技术解读。", "技术解读，第二版。")
    repo.commit("修订解读", "2026-04-01T10:00:00+08:00")
    # what the editor is drafting, not yet committed: a new entry and the announcement listing it
    entry = base_files()["guidance-list/GL-0001.yaml"].replace("GL-0001", "GL-0009")
    repo.write("guidance-list/GL-0009.yaml", entry.replace("自体CAR-T细胞治疗技术", "新条目技术"))
    repo.write(DRAFT, DRAFT_TEXT)
    return repo


def _history(repo: GitRepo, memo: Memo):  # type: ignore[no-untyped-def]
    report, site = publish(repo.data, AS_OF, Settings(), memo)
    assert report.valid and site is not None, report.problems
    _, fresh = publish(repo.data, AS_OF, Settings())
    assert fresh is not None
    assert (site.history.by_record, site.history.commits) == (
        fresh.history.by_record,
        fresh.history.commits,
    )
    return site.history


def test_an_edit_the_walk_cannot_see_keeps_the_history(tmp_path) -> None:  # type: ignore[no-untyped-def]
    repo, memo = _repo(tmp_path), Memo()
    first = _history(repo, memo)
    assert first.revisions("BMT-2026-001"), "the committed revision is in the history"
    repo.replace(DRAFT, "title: 关于增补", "title: 关于再次增补")  # a published file changed
    assert _history(repo, memo) is first
    repo.replace("approved/BMT-2026-001.yaml", "第二版", "第三版")  # not committed: not history
    assert _history(repo, memo) is first


def test_an_edit_of_what_the_walk_asked_walks_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    repo, memo = _repo(tmp_path), Memo()
    first = _history(repo, memo)
    # the committed approval, edited in the working tree (the guard refuses it: E503), is no
    # longer the announcement git holds, so the record is no longer tied to it in any commit
    repo.replace("announcements/ANN-2026-002.yaml", "title: 关于", "title: 更正关于")
    again = _history(repo, memo)
    assert again is not first
    assert again.revisions("BMT-2026-001") != first.revisions("BMT-2026-001")
