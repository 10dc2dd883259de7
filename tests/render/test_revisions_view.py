"""render/history_view.py and history_marks.py: the 修订记录 said for people (issue 26.2). Each
test fails on the old section (field paths, JSON arrays, raw Markdown, the old version struck)."""

from __future__ import annotations

from generator.domain.models import ApprovedTechnology
from generator.load.field_changes import field_changes
from generator.load.revisions import Revision
from generator.render.history_marks import marked_markdown
from generator.render.history_replay import replay
from generator.render.history_view import Vocab, groups, markdown_fields

VOCAB = Vocab.of(ApprovedTechnology)
V1 = {
    "announcement": "ANN-2026-002",
    "institution": ["三级医院。"],
    "personnel": ["医师。"],
    "operating_spec": "规范**一**。",
}
V2 = {
    **V1,
    "announcement": "ANN-2026-003",
    "institution": ["三级医院。", "设有重症医学科。"],
    "operating_spec": "规范**二**。",
    "effective": "2026-07-31",
}


def rev(old: dict, new: dict, created: bool = False) -> Revision:
    return Revision(
        "a" * 40, "2026-02-01T09:30:00+08:00", "", tuple(field_changes(old, new)), created
    )


def lines_of(old: dict, new: dict) -> list:
    revs = [rev({}, old, True), rev(old, new)]
    before, after = replay(revs)[1]
    return groups(revs[1], before, after, VOCAB, {})


def test_list_items_are_said_as_added_words_with_labels() -> None:
    got = lines_of(
        {"id": "BMT-2026-001", "aliases": ["甲"]}, {"id": "BMT-2026-001", "aliases": ["甲", "乙"]}
    )
    assert [(line.what, str(line.body)) for g in got for line in g.lines] == [("新增别名", "乙")]


def test_a_new_conditions_version_is_compared_with_the_one_before_not_struck() -> None:
    old = {"id": "BMT-2026-001", "conditions": {"id": "BMT-2026-001", "versions": [V1]}}
    new = {"id": "BMT-2026-001", "conditions": {"id": "BMT-2026-001", "versions": [V1, V2]}}
    (group,) = lines_of(old, new)
    assert group.href == "/announcements/ANN-2026-003/"
    (line,) = group.lines
    assert line.what == "发布第 2 版技术条件（施行日期 2026年7月31日）"
    subs = {s.what: str(s.body) for s in line.sub}
    assert subs["新增医疗机构条件"] == "设有重症医学科。"
    assert "<strong>" in subs["修改临床应用操作规范"] and "**" not in subs["修改临床应用操作规范"]
    assert "<del>" in subs["修改临床应用操作规范"] and "一" in subs["修改临床应用操作规范"]
    assert not any(s.removed for s in line.sub)  # the old version is not said as deleted


def test_marked_markdown_is_the_sanitised_rendering() -> None:
    html = str(
        marked_markdown("a <b>x</b> [l](javascript:1)", "a <script>y</script> [l](javascript:2)")
    )
    assert "<script" not in html and "<b>" not in html and "javascript:" not in html
    assert "&lt;" in html and "<ins>" in html  # shown as text, the changed word marked


def test_markdown_fields_come_from_the_models() -> None:
    assert markdown_fields(ApprovedTechnology) == {"summary"}
