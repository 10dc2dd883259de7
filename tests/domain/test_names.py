"""The one name comparison (domain/names.py): traditional characters in a query, and the one
table the browser and Python share."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.domain.names import (
    T2S_PAIRS,
    common_subsequence,
    fold,
    longest_run,
    simplify,
    typos,
)
from generator.render.search_t2s import OUT, script_of
from generator.shells.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_browser_and_python_read_the_same_table() -> None:
    assert OUT.read_text(encoding="utf-8") == script_of(T2S_PAIRS)


def test_a_traditional_query_is_simplified_character_by_character() -> None:
    assert simplify("幹細胞") == "干细胞"
    assert simplify("CAR-T細胞療法") == "CAR-T细胞疗法"
    assert simplify("") == "" and simplify("干细胞") == "干细胞"
    assert fold(simplify("嵌合抗原受體T細胞")) == fold("嵌合抗原受体T细胞")


def test_registry_check_answers_a_traditional_query_as_check_does() -> None:
    """/check/ (check.js) simplifies before folding; `registry check` gives the same answer."""
    args = ["check", "--data", str(ROOT / "data"), "--as-of", "2026-11-23", "--json"]
    simplified = CliRunner().invoke(main, [*args[:1], "干细胞", *args[1:]])
    traditional = CliRunner().invoke(main, [*args[:1], "幹細胞", *args[1:]])
    assert simplified.exit_code == 0 and '"found": true' in simplified.output
    assert traditional.exit_code == 0
    assert traditional.output == simplified.output.replace('"干细胞"', '"幹細胞"')


@pytest.mark.parametrize(
    ("q", "key", "edits"),
    [
        ("干细胞", "间充质干细胞治疗", 0),  # inside: no edit
        ("干细抱", "间充质干细胞治疗", 1),  # one wrong
        ("干胞", "间充质干细胞治疗", 1),  # one missing
        ("干细细胞", "间充质干细胞治疗", 1),  # one extra
        ("abc", "", 3),
        ("", "abc", 0),
    ],
)
def test_typos(q: str, key: str, edits: int) -> None:
    assert typos(q, key) == edits


@pytest.mark.parametrize(
    ("a", "b", "run"),
    [
        ("干细胞美容", "间充质干细胞治疗", 3),
        ("abc", "xyz", 0),
        ("abcabcd", "zabcdz", 4),
        ("", "a", 0),
    ],
)
def test_longest_run(a: str, b: str, run: int) -> None:
    assert longest_run(a, b) == run


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        ("示例第一医院", "示例大学附属第一医院", 6),
        ("人民医院", "示例省人民医院", 4),
        ("abc", "cba", 1),
        ("", "x", 0),
    ],
)
def test_common_subsequence(a: str, b: str, n: int) -> None:
    assert common_subsequence(a, b) == n
