"""`check_registry`: the bad-input corpus, one case per error code at least, and cross-file rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.errors import CATALOGUE, Problem
from generator.validation import check_registry, name_key

AS_OF = date(2026, 11, 23)
CASE_DIRS = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if p.is_dir())

# E5xx need a git base revision (`--base`). (Unique ids need no code of their own: ids equal file names, one kind per
# directory). Every other code must have a case in tests/bad_inputs/.
NOT_IN_CORPUS = {"E501", "E502", "E503"}


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
    banned = kit.BASE["banned/BAN-0001.yaml"] + "aliases: [自体CAR-T细胞治疗技术]\n"
    assert check(kit.make_registry(tmp_path, {"banned/BAN-0001.yaml": banned})).problems == []


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
    from generator.loading import load_file

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
        (p,) = check(given).problems
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
