"""`check_registry`: the bad-input corpus, one case per error code at least, and cross-file rules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.domain.errors import CATALOGUE, Problem
from generator.publish.pipeline import check_registry
from generator.validate.entries import name_key

AS_OF = date(2026, 11, 23)
CASE_DIRS = sorted(p for p in (Path(__file__).parents[1] / "bad_inputs").iterdir() if p.is_dir())

# E5xx need a git base revision (`--base`). (Unique ids need no code of their own: ids equal file names, one kind per
# directory). Every other code must have a case in tests/bad_inputs/.
NOT_IN_CORPUS = {
    "E501",
    "E502",
    "E503",
    "E504",
    "E505",
}  # need a git history: tests/history/test_guard.py


def check(root: Path, as_of: date = AS_OF):  # type: ignore[no-untyped-def]
    return check_registry(root, as_of)


def test_base_registry_is_valid(registry_dir: Path) -> None:
    reg = check(registry_dir)
    assert reg.problems == []
    assert {rid: st.code for rid, st in reg.replay.statuses.items()} == {
        "GL-0001": "listed",
        "BMT-2026-001": "restricted",
        "BAN-0001": "banned",
    }
    assert set(reg.records) == {"GL-0001", "BMT-2026-001", "BAN-0001"}
    assert set(reg.conditions) == {"BMT-2026-001"}
    assert set(reg.announcements) == {"ANN-2026-001", "ANN-2026-002"}


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_bad_input_case(kit: SimpleNamespace, case: Path, tmp_path: Path) -> None:
    root = tmp_path / "data"
    expected = kit.build_case(case, root)
    reg = check(root)
    assert kit.triples(reg, root) == expected
    for p in reg.problems:
        assert isinstance(p, Problem)
        assert p.code in CATALOGUE and p.line >= 1 and p.column >= 1
        assert "\n" not in p.message and "\n" not in p.text()


def test_corpus_covers_every_code() -> None:
    covered = {
        line.rsplit(":", 1)[1]
        for case in CASE_DIRS
        for line in (case / "expect.txt").read_text().split()
    }
    assert covered == set(CATALOGUE) - NOT_IN_CORPUS
    assert len(CASE_DIRS) >= 34


def test_problems_are_sorted_and_unique(kit: SimpleNamespace, tmp_path: Path) -> None:
    reg = check(
        kit.make_registry(
            tmp_path,
            {
                "guidance-list/GL-0001.yaml": kit.BASE["guidance-list/GL-0001.yaml"]
                + "b: 1\na: 2\n",
                "banned/BAN-0002.yaml": "id: BAN-0002\nname: x\ncategory: nope\ndescription: y\n",
            },
        )
    )
    keys = [(p.file, p.line, p.column, p.code) for p in reg.problems]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) == 4


def test_messages_are_chinese_and_carry_the_field_path(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    reg = check(
        kit.make_registry(
            tmp_path,
            {
                "announcements/ANN-2026-002.yaml": kit.BASE["announcements/ANN-2026-002.yaml"]
                + "    reason: x\n",
            },
        )
    )
    (p,) = reg.problems
    assert (p.code, p.path) == ("E201", "actions[0].reason")
    assert "未知字段" in p.message and "risk_grade" in p.message
    assert p.text().endswith("[actions[0].reason]")


# --- reading files ---------------------------------------------------------------------------


def test_utf8_bom_files_are_accepted(kit: SimpleNamespace, tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    files = {rel: bom + text.encode() for rel, text in kit.BASE.items()}
    reg = check(kit.make_registry(tmp_path, files))
    assert reg.problems == []
    assert reg.records["GL-0001"].model.name == "自体CAR-T细胞治疗技术"


def test_five_mib_file_is_refused(kit: SimpleNamespace, tmp_path: Path) -> None:
    big = kit.BASE["guidance-list/GL-0001.yaml"].encode() + b"# " + b"x" * (5 * 1024 * 1024) + b"\n"
    root = kit.make_registry(tmp_path, {"guidance-list/GL-0001.yaml": big})
    assert kit.triples(check(root), root) == {("guidance-list/GL-0001.yaml", 1, "E101")}


def test_python_tag_is_never_executed(kit: SimpleNamespace, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = kit.BASE["guidance-list/GL-0001.yaml"].replace(
        "purpose: 治疗复发难治淋巴瘤。",
        f'purpose: !!python/object/apply:os.system ["touch {marker}"]',
    )
    root = kit.make_registry(tmp_path / "data", {"guidance-list/GL-0001.yaml": text})
    assert kit.triples(check(root), root) == {("guidance-list/GL-0001.yaml", 5, "E105")}
    assert not marker.exists()


# --- no cascades: a broken file is reported once -----------------------------------------------


@pytest.mark.parametrize(
    ("rel", "code"),
    [
        ("guidance-list/GL-0001.yaml", "E103"),  # named by ANN-2026-001 and by guidance_entry
        ("approved/BMT-2026-001.yaml", "E103"),  # named by ANN-2026-002, has conditions
        ("conditions/BMT-2026-001.yaml", "E103"),  # its technology would lack conditions
        ("announcements/ANN-2026-001.yaml", "E103"),  # GL-0001 and BAN-0001 would be unnamed
        ("risk-grades.yaml", "E103"),  # every approve would name an unknown grade
    ],
)
def test_unreadable_file_does_not_cascade(
    kit: SimpleNamespace, tmp_path: Path, rel: str, code: str
) -> None:
    root = kit.make_registry(tmp_path, {rel: "id: [unclosed\n"})
    assert {(f, c) for f, _line, c in kit.triples(check(root), root)} == {(rel, code)}


# --- cross-file rules ---------------------------------------------------------------------------


def test_name_key_folds_width_and_whitespace() -> None:
    assert name_key("ＣＡＲ－Ｔ") == name_key("CAR-T")
    assert name_key(" CD19\u3000CAR-T ") == name_key("CD19 CAR-T")
    assert name_key("CAR-T") != name_key("CAR-NK")


def test_guidance_entry_and_approved_technology_may_share_a_name(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    approved = kit.BASE["approved/BMT-2026-001.yaml"].replace(
        "自体CD19 CAR-T细胞治疗技术", "自体CAR-T细胞治疗技术"
    )
    root = kit.make_registry(tmp_path, {"approved/BMT-2026-001.yaml": approved})
    assert check(root).problems == []


def test_alias_equal_to_a_name_of_another_kind_is_allowed(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    # an approved technology may carry the name of the guidance entry it grew out of
    approved = kit.BASE["approved/BMT-2026-001.yaml"].replace(
        "aliases: [CD19 CAR-T]", "aliases: [CD19 CAR-T, 自体CAR-T细胞治疗技术]"
    )
    files = {"approved/BMT-2026-001.yaml": approved}
    assert check(kit.make_registry(tmp_path, files)).problems == []


def test_banned_alias_equal_to_a_listed_name_is_an_error(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    # 界定指导原则 二(一)1: GL-0001 is listed and BAN-0001 banned by ANN-2026-001; the ban comes
    # second in the file, so it is the action that breaks the rule (line 11: its `record`)
    banned = kit.BASE["banned/BAN-0001.yaml"] + "aliases: [自体CAR-T细胞治疗技术]\n"
    root = kit.make_registry(tmp_path, {"banned/BAN-0001.yaml": banned})
    assert kit.triples(check(root), root) == {("announcements/ANN-2026-001.yaml", 11, "E408")}


def test_guidance_entry_must_name_a_guidance_record(kit: SimpleNamespace, tmp_path: Path) -> None:
    approved = kit.BASE["approved/BMT-2026-001.yaml"].replace(
        "guidance_entry: GL-0001", "guidance_entry: GL-0002"
    )
    root = kit.make_registry(tmp_path, {"approved/BMT-2026-001.yaml": approved})
    assert kit.triples(check(root), root) == {("approved/BMT-2026-001.yaml", 5, "E305")}


def test_record_named_only_by_embargoed_announcement_is_valid_but_unpublished(
    kit: SimpleNamespace,
    tmp_path: Path,
) -> None:
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].replace("2026-03-01", "2027-01-01")
    root = kit.make_registry(tmp_path, {"announcements/ANN-2026-002.yaml": ann})
    reg = check(root)
    assert reg.problems == []
    assert reg.replay.statuses["BMT-2026-001"] is None
    assert [a.id for a in reg.replay.published] == ["ANN-2026-001"]
    assert check(root, date(2027, 1, 1)).replay.statuses["BMT-2026-001"].code == "restricted"


def test_illegal_action_in_embargoed_announcement_is_reported(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    ann = (
        "id: ANN-2027-001\nnumber: 国家卫生健康委公告 2027年第1号\ntitle: t\ndate: 2027-06-01\n"
        "body: 正文\nactions:\n  - action: resume\n    record: BMT-2026-001\n"
    )
    root = kit.make_registry(tmp_path, {"announcements/ANN-2027-001.yaml": ann})
    assert kit.triples(check(root), root) == {("announcements/ANN-2027-001.yaml", 7, "E402")}


def test_sample_flag_is_allowed_in_every_file(kit: SimpleNamespace, tmp_path: Path) -> None:
    files = {rel: "sample: true\n" + text for rel, text in kit.BASE.items()}
    assert check(kit.make_registry(tmp_path, files)).problems == []


def test_markdown_notes_are_ignored(kit: SimpleNamespace, tmp_path: Path) -> None:
    root = kit.make_registry(tmp_path, {"README.md": "# 说明\n", "guidance-list/说明.md": "x\n"})
    assert check(root).problems == []


def test_hidden_files_are_errors(kit: SimpleNamespace, tmp_path: Path) -> None:
    """Git reads .gitattributes/.gitignore anywhere in data/: no hidden name is allowed (E112)."""
    root = kit.make_registry(tmp_path, {"guidance-list/.gitkeep": "", ".DS_Store": ""})
    assert {(kit.relative(p.file, root), p.code) for p in check(root).problems} == {
        ("guidance-list/.gitkeep", "E112"),
        (".DS_Store", "E112"),
    }


def test_special_files_are_never_opened(kit: SimpleNamespace, tmp_path: Path) -> None:
    """A FIFO would block a reader forever, a symlink could point at any file: neither is read,
    and no message quotes what a link points to (E113)."""
    import os

    outside = tmp_path / "secret.yaml"
    outside.write_text("id: 机密内容-不应出现在任何消息中\n", encoding="utf-8")
    root = kit.make_registry(tmp_path / "data")
    os.mkfifo(root / "announcements" / "ANN-2026-003.yaml")
    (root / "approved" / "BMT-2026-002.yaml").symlink_to(outside)
    (root / "banned" / "BAN-0009.yaml").symlink_to(root / "banned" / "BAN-0001.yaml")
    (root / "guidance-list" / "sub").symlink_to(tmp_path, target_is_directory=True)
    problems = check(root).problems  # returns at all: the FIFO was not opened for a blocking read
    assert {(p.file.rsplit("/", 1)[-1], p.code) for p in problems} == {
        ("ANN-2026-003.yaml", "E113"),
        ("BMT-2026-002.yaml", "E113"),
        ("BAN-0009.yaml", "E113"),
        ("sub", "E113"),
    }
    for p in problems:
        assert "机密" not in p.text() and str(tmp_path / "secret") not in p.message


def test_a_file_swapped_for_a_symlink_after_listing_is_refused(tmp_path: Path) -> None:
    """O_NOFOLLOW on the open itself: the check after listing cannot be raced."""
    from generator.load.documents import load_file

    target = tmp_path / "t.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    link = tmp_path / "l.yaml"
    link.symlink_to(target)
    assert [p.code for p in load_file(link).problems] == ["E113"]


def test_missing_record_directories_are_fine(kit: SimpleNamespace, tmp_path: Path) -> None:
    root = kit.make_registry(
        tmp_path,
        {
            "approved/BMT-2026-001.yaml": None,
            "conditions/BMT-2026-001.yaml": None,
            "announcements/ANN-2026-002.yaml": None,
        },
    )
    assert not (root / "approved").exists()
    assert check(root).problems == []


def test_problem_paths_are_relative_to_the_working_directory(
    kit: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = "id: BAN-0003\nname: x\ncategory: other\ndescription: y\n"
    root = kit.make_registry(tmp_path / "data", {"banned/BAN-0002.yaml": bad})
    monkeypatch.chdir(tmp_path)
    for given in (Path("data"), root):
        (p,) = [p for p in check(given).problems if p.code == "E301"]
        assert (p.file, p.line, p.column, p.code, p.path) == (
            "data/banned/BAN-0002.yaml",
            1,
            5,
            "E301",
            "id",
        )


def test_values_with_line_breaks_keep_each_problem_on_one_line(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    ann = (
        "id: ANN-2026-003\nnumber: 第3号\ntitle: t\ndate: 2026-06-01\nbody: b\nactions:\n"
        '  - action: suspend\n    record: BMT-2026-001\n    ground: "坏\\n理由"\n'
        '  - action: amend\n    record: "GL-0001\\n"\n'
    )
    root = kit.make_registry(tmp_path, {"announcements/ANN-2026-003.yaml": ann})
    reg = check(root)
    assert kit.triples(reg, root) == {
        ("announcements/ANN-2026-003.yaml", 9, "E207"),
        ("announcements/ANN-2026-003.yaml", 11, "E204"),
    }
    for p in reg.problems:
        assert "\n" not in p.text()
    assert "坏\\n理由" in reg.problems[0].message


# --- every mistake in one run (issue 15) -------------------------------------------------------

EVERY_MISTAKE_RECORD = """\
id: BMT-2026-003
name: 自体CD19 CAR-T细胞治疗技术
aliases: [二代, 二代]
category: 细胞治疗
guidance_entry: GL-0999
applicant: 请填写申请机构
memo: 多余的字段
summary: |
  第一段正常。

  详见 [说明](javascript:alert(1)) 与更多。
references:
  - {title: 文献, url: "ftp://example.org/x"}
"""
EVERY_MISTAKE_ANNOUNCEMENT = """\
id: ANN-2026-003
number: 国家卫生健康委公告 2026年第1号
title: 关于暂停的公告
date: 2026-05-01
body: 正文。
actions:
  - action: suspend
    record: BMT-2026-001
    ground: 安全问题
  - action: delist
    record: GL-0001
    route: direct
    ground: drug_approved
  - action: resume
    record: BAN-0001
"""


def test_every_mistake_is_reported_in_one_run(kit: SimpleNamespace, tmp_path: Path) -> None:
    """One record with a mistake of every kind, per file and across files, and an announcement
    with bad and good actions: one run reports them all (no second round after fixing some)."""
    root = kit.make_registry(
        tmp_path,
        {
            "approved/BMT-2026-002.yaml": EVERY_MISTAKE_RECORD,
            "announcements/ANN-2026-003.yaml": EVERY_MISTAKE_ANNOUNCEMENT,
            "guidance-list/GL-0002.yaml": 'id: GL-0002\nname: "未闭合\ncategory: other\n',
        },
    )
    reg = check(root)
    rec, ann, gl = (
        "approved/BMT-2026-002.yaml",
        "announcements/ANN-2026-003.yaml",
        ("guidance-list/GL-0002.yaml"),
    )
    assert kit.triples(reg, root) == {
        (rec, 1, "E301"),  # id differs from the file name ...
        (rec, 1, "E306"),  # ... and, by its file name, no conditions
        (rec, 1, "E308"),  # ... and named by no announcement
        (rec, 2, "E309"),  # duplicate name (cross-file, although the file failed its schema)
        (rec, 3, "E210"),  # duplicate alias
        (rec, 4, "E303"),  # category written as its Chinese name
        (rec, 5, "E305"),  # unknown guidance entry (cross-file)
        (rec, 6, "E214"),  # placeholder left
        (rec, 7, "E201"),  # unknown key
        (rec, 11, "E209"),  # unsafe link, on its own line of the Markdown field
        (rec, 13, "E206"),  # bad reference URL
        (ann, 2, "E313"),  # duplicate announcement number
        (ann, 9, "E207"),  # bad suspend ground
        (ann, 13, "E406"),  # ground does not fit the route
        (ann, 14, "E401"),  # the one good action is still replayed
        (gl, 2, "E103"),  # unclosed quote, where it opens
        (gl, 1, "E308"),  # an unreadable file still has its name
    }


def test_no_cascades_from_a_dropped_action(kit: SimpleNamespace, tmp_path: Path) -> None:
    """An approve with a bad risk grade is not replayed; the later amend of the same record would
    then be E405 (not approved yet): suppressed, a direct consequence of the E304."""
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].replace(
        "risk_grade: high", "risk_grade: 高风险"
    )
    amend = (
        "id: ANN-2026-003\nnumber: 第3号\ntitle: t\ndate: 2026-06-01\nbody: b\nactions:\n"
        "  - action: amend\n    record: BMT-2026-001\n"
    )
    root = kit.make_registry(
        tmp_path,
        {"announcements/ANN-2026-002.yaml": ann, "announcements/ANN-2026-003.yaml": amend},
    )
    assert kit.triples(check(root), root) == {("announcements/ANN-2026-002.yaml", 10, "E304")}


def test_announcement_with_a_bad_date_hides_only_its_own_records(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].replace("2026-03-01", "2026-02-30")
    extra = (
        "id: ANN-2026-003\nnumber: 第3号\ntitle: t\ndate: 2026-06-01\nbody: b\nactions:\n"
        "  - action: suspend\n    record: BMT-2026-001\n    ground: other\n"
        "  - action: retain\n    record: BAN-0001\n"
    )
    root = kit.make_registry(
        tmp_path,
        {"announcements/ANN-2026-002.yaml": ann, "announcements/ANN-2026-003.yaml": extra},
    )
    assert kit.triples(check(root), root) == {
        ("announcements/ANN-2026-002.yaml", 4, "E205"),  # its approve cannot be placed in time
        ("announcements/ANN-2026-003.yaml", 10, "E401"),  # unrelated: still reported
    }


# --- messages say what is allowed, with the Chinese names ----------------------------------------


def _messages(kit: SimpleNamespace, tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    reg = check(kit.make_registry(tmp_path, files))
    return {p.code: p.message for p in reg.problems}


def test_e303_lists_the_categories_with_their_names(kit: SimpleNamespace, tmp_path: Path) -> None:
    banned = kit.BASE["banned/BAN-0001.yaml"].replace("gene-editing", "基因编辑")
    msg = _messages(kit, tmp_path, {"banned/BAN-0001.yaml": banned})["E303"]
    assert "cell-therapy（细胞治疗）、gene-editing（基因编辑）、other（其他）" in msg
    assert "这里要写它的编号 gene-editing" in msg
    banned = kit.BASE["banned/BAN-0001.yaml"].replace("gene-editing", "gene-therapy")
    msg = _messages(kit, tmp_path / "2", {"banned/BAN-0001.yaml": banned})["E303"]
    assert "gene-editing（基因编辑）" in msg and "这里要写" not in msg


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("gene-editng", "gene-editing（基因编辑）"),  # a letter left out
        ("Gene Editing", "gene-editing（基因编辑）"),  # folded as names are: case, space, dash
        ("基因编", "gene-editing（基因编辑）"),  # the name, mistyped
        ("cell_therapy", "cell-therapy（细胞治疗）"),
    ],
)
def test_e303_suggests_the_closest_categories(
    kit: SimpleNamespace, tmp_path: Path, typo: str, meant: str
) -> None:
    banned = kit.BASE["banned/BAN-0001.yaml"].replace("gene-editing", f'"{typo}"')
    msg = _messages(kit, tmp_path, {"banned/BAN-0001.yaml": banned})["E303"]
    assert f"您是否指 {meant}" in msg


def test_e303_suggests_nothing_far_from_every_category(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    banned = kit.BASE["banned/BAN-0001.yaml"].replace("gene-editing", "radiology")
    msg = _messages(kit, tmp_path, {"banned/BAN-0001.yaml": banned})["E303"]
    assert "您是否指" not in msg and "other（其他）" in msg


@pytest.mark.parametrize("grade", ["高风险", "extreme"])
def test_e304_lists_the_risk_grades_with_names_and_years(
    kit: SimpleNamespace, tmp_path: Path, grade: str
) -> None:
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].replace(
        "risk_grade: high", f"risk_grade: {grade}"
    )
    msg = _messages(kit, tmp_path, {"announcements/ANN-2026-002.yaml": ann})["E304"]
    assert "high（高风险，5 年）、medium（中风险，3 年）、low（低风险，1 年）" in msg
    assert ("这里要写它的编号 high" in msg) == (grade == "高风险")


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            "suspend\n    record: BMT-2026-001\n    ground: bad",
            "new_understanding（对安全性、有效性有认识上的改变）",
        ),
        (
            "delist\n    record: GL-0001\n    route: away\n    ground: drug_approved",
            "direct（直接调出）、after_review（论证后调出）",
        ),
        ("approv\n    record: BMT-2026-001", "approve（批准临床转化应用）"),
        (
            "delist\n    record: GL-0001\n    route: after_review\n    ground: major_ethics_issue",
            "drug_approved（适应症、机制原理基本相同的药品已批准上市）",
        ),
    ],
)
def test_grounds_routes_and_actions_are_listed_with_labels(
    kit: SimpleNamespace, tmp_path: Path, action: str, expected: str
) -> None:
    ann = (
        "id: ANN-2026-003\nnumber: 第3号\ntitle: t\ndate: 2026-06-01\nbody: b\nactions:\n"
        f"  - action: {action}\n"
    )
    msgs = _messages(kit, tmp_path, {"announcements/ANN-2026-003.yaml": ann})
    assert any(expected in m for m in msgs.values()), msgs


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ('id: GL-0001\nname: "未闭合\ncategory: other\npurpose: x\n', 2, 7, "引号没有闭合"),
        ("id: GL-0001\naliases: [a, b\ncategory: other\npurpose: x\n", 2, 10, "方括号 [ 没有闭合"),
        ("id: GL-0001\nname: {a: b\ncategory: other\n", 2, 7, "花括号 { 没有闭合"),
        ("id: GL-0001\nname: 名称: 副标题\n", 2, 9, "请给整段文本加引号"),
        ("id: GL-0001\nname: x\n category: other\n", 3, 10, "请检查缩进"),
        ("id: GL-0001\naliases:\n\t- x\n", 3, 1, "制表符"),
    ],
)
def test_e103_is_chinese_and_points_where_the_quote_or_bracket_opens(
    kit: SimpleNamespace, tmp_path: Path, text: str, line: int, col: int, words: str
) -> None:
    reg = check(kit.make_registry(tmp_path, {"guidance-list/GL-0001.yaml": text}))
    (p,) = [p for p in reg.problems if p.code == "E103"]
    assert (p.line, p.column) == (line, col), p.text()
    assert words in p.message
    assert "PyYAML" not in p.message and not re.search(r"[a-z]{4,}", p.message), p.message


def test_e209_quotes_the_whole_link_at_its_own_line(kit: SimpleNamespace, tmp_path: Path) -> None:
    approved = kit.BASE["approved/BMT-2026-001.yaml"] + (
        "  第二行。\n\n  第四行 [点此](javascript:alert(document.cookie)) 结束。\n"
    )
    reg = check(kit.make_registry(tmp_path, {"approved/BMT-2026-001.yaml": approved}))
    (p,) = reg.problems
    assert (p.code, p.line, p.column) == ("E209", 11, 7)
    assert "“[点此](javascript:alert(document.cookie))”" in p.message


def test_e211_placeholders_come_from_the_templates() -> None:
    from generator.validate.scaffolds import MARK, TEMPLATES, placeholders

    found = placeholders()
    assert {"请填写技术名称", "请填写申请机构", "请填写分类编号", "请填写风险等级"} <= found
    # every 请填写 value line of every template is known to the check
    lines = [
        line.split(":", 1)[-1].split("#", 1)[0].strip().lstrip("- ")
        for text in TEMPLATES.values()
        for line in text.splitlines()
        if MARK in line.split("#", 1)[0]
    ]
    assert len(lines) >= 15 and all(any(v in x for x in found) for v in lines), lines
    assert all(MARK in x for x in found)


def test_a_duplicate_key_or_a_tag_does_not_hide_the_rest_of_the_file(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    """E104/E105/E106 refuse one value; the schema and the checks across files still run."""
    banned = (
        "id: BAN-0002\nname: 生殖系基因编辑技术\ncategory: other\ncategory: gene-editing\n"
        "description: !!str 描述\nmemo: x\n"
    )
    root = kit.make_registry(tmp_path, {"banned/BAN-0002.yaml": banned})
    rel = "banned/BAN-0002.yaml"
    assert kit.triples(check(root), root) == {
        (rel, 4, "E104"),  # duplicate key
        (rel, 5, "E105"),  # tag: that value is refused, not also reported as anything else
        (rel, 6, "E201"),  # unknown key: found in the same run
        (rel, 2, "E309"),  # duplicate name of BAN-0001: found in the same run
        (rel, 1, "E308"),  # named by no announcement: found in the same run
    }


def test_a_bad_category_entry_does_not_hide_unknown_categories_of_records(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    registry = kit.BASE["registry.yaml"] + "  - {id: 基因, name: 基因}\n"
    banned = kit.BASE["banned/BAN-0001.yaml"].replace("gene-editing", "gene-therapy")
    root = kit.make_registry(tmp_path, {"registry.yaml": registry, "banned/BAN-0001.yaml": banned})
    reg = check(root)
    assert kit.triples(reg, root) == {
        ("registry.yaml", 8, "E207"),  # the bad category id
        ("banned/BAN-0001.yaml", 3, "E303"),  # checked against the good ones in the same run
    }
    (p,) = [p for p in reg.problems if p.code == "E303"]
    assert "gene-editing（基因编辑）" in p.message and "基因（" not in p.message


def test_site_info_is_optional_and_checked(kit: SimpleNamespace, tmp_path: Path) -> None:
    """registry.yaml `site_info` (政府网站发展指引: 主办单位, 网站标识码, ICP/公安备案号, 联系方式)."""
    good = (
        "site_info:\n  organizer: 示例单位\n  site_code: bm01000001\n"
        "  icp: 京ICP备12345678号-1\n  police: 京公网安备11010502000001号\n  contact: 010-00000000\n"
    )
    files = {"registry.yaml": kit.BASE["registry.yaml"] + good}
    assert check(kit.make_registry(tmp_path / "good", files)).problems == []
    bad = "site_info:\n  site_code: 12345\n  icp: ICP12345678\n  police: 京公网安备123号\n"
    files = {"registry.yaml": kit.BASE["registry.yaml"] + bad}
    problems = check(kit.make_registry(tmp_path / "bad", files)).problems
    got = {(p.path, p.code) for p in problems}
    assert got == {
        ("site_info.site_code", "E203"),  # a number, not text
        ("site_info.icp", "E207"),
        ("site_info.police", "E207"),
    }, problems
    icp = next(p for p in problems if p.path == "site_info.icp")
    assert "ICP 备案号" in icp.message and "京ICP备12345678号-1" in icp.message
    base_lines = kit.BASE["registry.yaml"].count("\n")
    assert icp.line == base_lines + 3


def test_a_file_name_cannot_fake_a_line_of_the_report() -> None:
    """One problem, one line: a line feed or a Unicode line separator in a file name is shown
    escaped, like every other control (issue 23)."""
    from generator.domain.errors import problem

    for sep in ("\n", "\r", "\u2028", "\u2029", "\x85"):
        p = problem("E110", f"data/a{sep}data/x.yaml:1:1: E999 伪造", 1, 1)
        assert len(p.text().splitlines()) == 1 and sep not in p.text()


@pytest.mark.parametrize("typo", ["BMT-2026-010", "BMT-2026-01", "bmt-2026-001 "])
def test_a_mistyped_record_id_is_not_also_told_to_add_an_action(
    kit: SimpleNamespace, tmp_path: Path, typo: str
) -> None:
    """Issue 25: E305 (or E204) at the action says to correct the id; E308 for the record it
    meant said to add an action, which the editor had just written."""
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].replace("BMT-2026-001", f'"{typo}"')
    reg = check(kit.make_registry(tmp_path, {"announcements/ANN-2026-002.yaml": ann}))
    codes = {p.code for p in reg.problems}
    assert codes & {"E305", "E204"} and "E308" not in codes


def test_an_unnamed_record_far_from_every_dangling_id_is_still_e308(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].replace("BMT-2026-001", "GL-0099")
    reg = check(kit.make_registry(tmp_path, {"announcements/ANN-2026-002.yaml": ann}))
    assert {(p.code, Path(p.file).name) for p in reg.problems} >= {("E308", "BMT-2026-001.yaml")}
