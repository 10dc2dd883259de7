"""domain/wordmarks.py: the word-level comparison the diff and the revision history share."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.domain.wordmarks import MAX_WORK, mark_words, tokens


def sides(runs: list[tuple[str, str]]) -> tuple[str, str]:
    old = "".join(t for m, t in runs if m != "ins")
    new = "".join(t for m, t in runs if m != "del")
    return old, new


def test_one_changed_chinese_character_is_marked_alone() -> None:
    runs = mark_words("高风险技术的限定期为五年。", "高风险技术的限定期为三年。")
    assert runs == [
        ("same", "高风险技术的限定期为"),
        ("del", "五"),
        ("ins", "三"),
        ("same", "年。"),
    ]


def test_latin_words_and_numbers_are_whole_tokens() -> None:
    assert mark_words("CAR-T 剂量 1.5 mg", "CAR-NK 剂量 2.5 mg") == [
        ("same", "CAR-"),
        ("del", "T"),
        ("ins", "NK"),
        ("same", " 剂量 "),
        ("del", "1"),
        ("ins", "2"),
        ("same", ".5 mg"),
    ]
    assert mark_words("dose twenty", "dose twelve") == [
        ("same", "dose "),
        ("del", "twenty"),
        ("ins", "twelve"),
    ]


def test_tokens_cut_cjk_alone_latin_whole_and_keep_punctuation_and_space() -> None:
    assert tokens("细胞，CAR-T  2026年") == ["细", "胞", "，", "CAR", "-", "T", "  ", "2026", "年"]
    assert "".join(tokens("a\n\n b。\r\n")) == "a\n\n b。\r\n"


def test_insertion_deletion_and_equal_texts() -> None:
    assert mark_words("", "") == []
    assert mark_words("不变", "不变") == [("same", "不变")]
    assert mark_words("", "新增") == [("ins", "新增")]
    assert mark_words("删除", "") == [("del", "删除")]
    assert mark_words("在参与研究的机构开展", "在参与研究且符合条件的机构开展") == [
        ("same", "在参与研究"),
        ("ins", "且符合条件"),
        ("same", "的机构开展"),
    ]


def test_a_lone_shared_character_between_two_changes_is_absorbed() -> None:
    assert mark_words("甲的丙", "乙的丁") == [("del", "甲的丙"), ("ins", "乙的丁")]


def test_frequent_characters_are_not_junk_in_long_texts() -> None:
    # autojunk would drop 的 (over 1% of a 200+ token text) and mark every 的 as changed
    old = "这是研究的对象的说明。" * 40 + "结尾甲"
    new = "这是研究的对象的说明。" * 40 + "结尾乙"
    runs = mark_words("开头" + old, "起首" + new)
    assert [m for m, _ in runs] == ["del", "ins", "same", "del", "ins"]


text_st = st.text(alphabet=st.sampled_from("的了研究ab 1,。\n-Ａ"), max_size=60)


@settings(max_examples=300, deadline=None)
@given(text_st, text_st)
def test_runs_join_back_to_both_texts(old: str, new: str) -> None:
    runs = mark_words(old, new)
    assert sides(runs) == (old, new)
    assert all(text for _, text in runs)
    assert all(a[0] != b[0] for a, b in zip(runs, runs[1:], strict=False))
    assert all(not (a[0] == "ins" and b[0] == "del") for a, b in zip(runs, runs[1:], strict=False))


def test_huge_inputs_fall_back_to_one_replacement_within_a_cpu_budget() -> None:
    """Above MAX_WORK the changed middle is one deletion and one insertion; the common head and
    tail still stay unmarked. Run under a 5-second CPU limit: SequenceMatcher on these 300,000 ×
    300,000 repetitive tokens would take hours."""
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_CPU, (5, 5))\n"
        "from generator.domain.wordmarks import mark_words\n"
        "n = 300_000\n"
        "runs = mark_words('头' + '甲' + '的了' * n + '尾', '头' + '了的' * n + '乙' + '尾')\n"
        "print([(m, len(t)) for m, t in runs])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(
        [("same", 1), ("del", 600_001), ("ins", 600_001), ("same", 1)]
    )
    assert MAX_WORK < 300_000**2


@pytest.mark.parametrize("n", [1_999, 2_001])
def test_the_limit_is_on_the_compared_middle(n: int) -> None:
    old, new = "甲" + "的" * (n - 1), "的" * (n - 1) + "乙"  # no common head or tail: n × n
    runs = mark_words(old, new)
    if n * n > MAX_WORK:
        assert runs == [("del", old), ("ins", new)]
    else:
        assert runs == [("del", "甲"), ("same", "的" * (n - 1)), ("ins", "乙")]
