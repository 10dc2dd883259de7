"""The YAML loader: positions, and refusal of what a public record must not contain."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from generator.load import documents as loading
from generator.load.documents import MAX_DEPTH, Document, dotted, load_bytes, load_file
from generator.load.files import MAX_BYTES


def load(text: str | bytes) -> Document:
    return load_bytes(text.encode("utf-8") if isinstance(text, str) else text, "f.yaml")


def found(doc: Document) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in doc.problems]


def test_plain_document_with_positions() -> None:
    doc = load("id: GL-0001\nname: 名称\naliases:\n  - 甲\n  - {x: 1}\n")
    assert doc.problems == []
    assert doc.data == {"id": "GL-0001", "name": "名称", "aliases": ["甲", {"x": 1}]}
    assert doc.keys[("name",)] == (2, 1)
    assert doc.values[("name",)] == (2, 7)
    assert doc.values[("aliases", 0)] == (4, 5)
    assert doc.values[("aliases", 1, "x")] == (5, 9)
    assert doc.where(("aliases", 1, "missing")) == (5, 5)  # nearest known ancestor
    assert doc.where(("name",), key=True) == (2, 1)


def test_scalars_keep_dates_as_text_and_yaml_11_booleans() -> None:
    doc = load('d: 2026-06-15\nb: yes\nq: "yes"\nn: 3\nf: 1.5\nz: ~\ns: 2026-02-30\nt: "3"\n')
    assert doc.data == {
        "d": "2026-06-15",
        "b": True,
        "q": "yes",
        "n": 3,
        "f": 1.5,
        "z": None,
        "s": "2026-02-30",
        "t": "3",
    }


def test_crlf_line_endings() -> None:
    doc = load("id: GL-0001\r\nname: 名称\r\nname: 重复\r\n")
    assert found(doc) == [(3, 1, "E104")]


def test_utf8_bom_is_accepted_and_lines_unchanged() -> None:
    doc = load(b"\xef\xbb\xbfid: GL-0001\nname: x\n")
    assert doc.problems == []
    assert doc.data == {"id": "GL-0001", "name": "x"}
    assert doc.values[("name",)] == (2, 7)


def test_file_of_exactly_1_mib_is_read_one_byte_more_is_refused() -> None:
    body = b"id: GL-0001\n"
    exact = body + b"#" * (MAX_BYTES - len(body) - 1) + b"\n"
    assert len(exact) == MAX_BYTES
    assert load(exact).problems == []
    assert found(load(exact + b"\n")) == [(1, 1, "E101")]


def test_five_mib_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"id: GL-0001\n" + b"# padding\n" * (5 * 1024 * 1024 // 10))
    start = time.perf_counter()
    doc = load_file(path, "big.yaml")
    assert time.perf_counter() - start < 1
    assert found(doc) == [(1, 1, "E101")]
    assert str(path.stat().st_size) in doc.problems[0].message


def test_invalid_utf8_reports_the_line_and_column() -> None:
    doc = load("id: GL-0001\nname: 名称\npurpose: 目的".encode() + b"\xff\xfe" + b"\nx: 1\n")
    assert found(doc) == [(3, 10 + len("目的".encode()), "E102")]
    assert "第 3 行" in doc.problems[0].message
    assert doc.data is None


def test_invalid_utf8_after_bom_keeps_the_line() -> None:
    doc = load(b"\xef\xbb\xbfid: x\nname: caf\xe9\n")
    assert [(p.line, p.code) for p in doc.problems] == [(2, "E102")]


def test_truncated_multibyte_character_at_end_of_file() -> None:
    doc = load("id: x\nname: 名".encode()[:-1])
    assert [(p.line, p.code) for p in doc.problems] == [(2, "E102")]


def test_syntax_error() -> None:
    doc = load("id: GL-0001\nname: a: b\n")
    assert [(p.line, p.code) for p in doc.problems] == [(2, "E103")]
    assert doc.data is None


def test_unclosed_flow_sequence_is_a_syntax_error() -> None:
    doc = load("id: GL-0001\naliases: [a, b\nname: x\n")
    assert [p.code for p in doc.problems] == ["E103"]


def test_control_character_line_after_chinese_text() -> None:
    # libyaml reports a byte offset; the line must still be that of the character.
    doc = load(
        "id: GL-0001\npurpose: 很长的中文文字很长的中文文字很长的中文文字\nname: 名\x07称\nx: 1\n"
    )
    assert found(doc) == [(3, 8, "E103")]
    assert "U+0007" in doc.problems[0].message
    assert "\n" not in doc.problems[0].message


def test_duplicate_key_reports_the_second_occurrence() -> None:
    doc = load("id: GL-0001\nname: 甲\npurpose: x\nname: 乙\n")
    assert found(doc) == [(4, 1, "E104")]
    assert doc.problems[0].path == "name"
    assert "第 2 行" in doc.problems[0].message
    assert doc.data["name"] == "甲"  # the first one is kept, the second refused


def test_duplicate_key_nested_and_in_flow_mapping() -> None:
    doc = load(
        "actions:\n  - action: list\n    record: GL-0001\n    record: GL-0002\nx: {a: 1, a: 2}\n"
    )
    assert found(doc) == [(4, 5, "E104"), (5, 11, "E104")]
    assert doc.problems[0].path == "actions[0].record"


def test_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    doc = load(f'id: GL-0001\npurpose: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert found(doc) == [(2, 10, "E105")]
    assert "!!python/object/apply:os.system" in doc.problems[0].message
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str x\n",
        "a: !local x\n",
        "a: !!binary aGk=\n",
        "a: !!set {x}\n",
        "!!map {a: 1}\n",
        "a: !<tag:x> y\n",
    ],
)
def test_every_explicit_tag_is_refused(text: str) -> None:
    assert [p.code for p in load(text).problems] == ["E105"]


def test_anchor_and_alias_are_refused() -> None:
    doc = load("a: &x 1\nb: *x\n")
    assert found(doc) == [(1, 4, "E106"), (2, 4, "E106")]
    assert doc.data == {"a": 1, "b": None}  # the alias is never expanded


def test_billion_laughs_is_refused_without_expansion() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghijklmnop":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    start = time.perf_counter()
    doc = load("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1
    assert {p.code for p in doc.problems} == {"E106"}
    assert {p.line for p in doc.problems} == set(range(1, len(lines) + 1))


def test_multiple_documents_are_refused() -> None:
    assert found(load("a: 1\n---\nb: 2\n")) == [(2, 1, "E107")]


def test_nesting_limit() -> None:
    ok = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert load(ok).problems == []
    deep = "id: a\nx: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert found(load(deep)) == [(2, 3 + MAX_DEPTH, "E108")]


def test_very_deep_nesting_does_not_recurse() -> None:
    doc = load("x: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert [p.code for p in doc.problems] == ["E108"]


LOADERS = [
    pytest.param(
        getattr(yaml, "CSafeLoader", None),
        id="libyaml",
        marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml"),
    ),
    pytest.param(yaml.SafeLoader, id="pure-python"),
]
# Deeper than libyaml's own limit (1000 since PyYAML 6.0.4); E108 must name the line and column of
# the collection that opens level MAX_DEPTH + 1 (the root mapping is level 1).
N = 50_000
NESTED = {
    "flow sequence": ("id: a\nx: " + "[" * N + "]" * N + "\n", (2, 4 + MAX_DEPTH - 1)),
    "flow mapping": (
        "id: a\nx: " + "{a: " * N + "1" + "}" * N + "\n",
        (2, 4 + 4 * (MAX_DEPTH - 1)),
    ),
    "block mapping": ("".join(" " * i + "a:\n" for i in range(1100)) + " " * 1100 + "1\n", None),
    "block sequence": ("id: a\nx:\n" + "- " * N + "v\n", (3, 1 + 2 * (MAX_DEPTH - 1))),
}
NESTED["block mapping"] = (NESTED["block mapping"][0], (MAX_DEPTH + 1, MAX_DEPTH + 1))


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("shape", list(NESTED))
def test_deep_nesting_is_e108_at_our_limit_with_either_parser(
    monkeypatch: pytest.MonkeyPatch, loader: type, shape: str
) -> None:
    monkeypatch.setattr(loading, "_Loader", loader)
    text, where = NESTED[shape]
    assert found(load(text)) == [(*where, "E108")]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_libyaml_limit_is_handled_at_c_speed(monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml reads its own text again up to where it gave up; the slow parser is not needed."""

    class Forbidden(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            raise AssertionError("the pure-Python parser was used")

    monkeypatch.setattr(loading, "_Loader", yaml.CSafeLoader)
    monkeypatch.setattr(loading.yaml, "SafeLoader", Forbidden)
    for shape in ("flow sequence", "flow mapping"):
        text, where = NESTED[shape]
        assert found(load("名称: 值\n" + text)) == [(where[0] + 1, where[1], "E108")]


def _parser_with_limit(limit: int) -> type:
    """A stand-in for a future parser that stops nesting below our MAX_DEPTH."""

    class Limited(yaml.SafeLoader):
        def get_event(self):  # noqa: ANN202 - PyYAML's own signature
            event = super().get_event()
            self.depth = getattr(self, "depth", 0)
            if isinstance(event, yaml.CollectionStartEvent):
                self.depth += 1
                if self.depth > limit:
                    raise yaml.parser.ParserError(
                        "while increasing flow level",
                        event.start_mark,
                        "exceeded maximum nesting depth",
                        event.start_mark,
                    )
            return event

    return Limited


def test_a_parser_limit_below_ours_is_read_again_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loading, "_Loader", _parser_with_limit(5))
    text, where = NESTED["flow sequence"]
    assert found(load(text)) == [(*where, "E108")]


def test_a_parser_that_cannot_get_past_its_limit_still_gives_e108(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limited = _parser_with_limit(5)
    monkeypatch.setattr(loading, "_Loader", limited)
    monkeypatch.setattr(loading.yaml, "SafeLoader", limited)
    doc = load("id: a\nx: [[[[[[[[]]]]]]]]\n")
    assert found(doc) == [(2, 4 + 4, "E108")]  # where the parser gave up, deeper than our limit
    assert doc.data is None


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}"])
def test_non_text_keys_are_refused(key: str) -> None:
    doc = load(f"id: x\n? {key}\n: v\n")
    assert [(p.line, p.code) for p in doc.problems] == [(2, "E109")]
    assert doc.data is None or "v" not in doc.data.values()


def test_quoted_number_key_is_text() -> None:
    assert load('"1": v\n').data == {"1": "v"}


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(raw: bytes) -> None:
    assert found(load(raw)) == [(1, 1, "E110")]


def test_comments_only_file_has_no_data() -> None:
    doc = load("# 注释\n")
    assert doc.problems == [] and doc.data is None


def test_unreadable_path_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    doc = load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert [p.code for p in doc.problems] == ["E107"]


def test_dotted() -> None:
    assert dotted(("actions", 0, "record")) == "actions[0].record"
    assert dotted(("aliases", 2)) == "aliases[2]"
    assert dotted(()) == ""


@pytest.mark.parametrize(
    "text",
    [
        "a:\n\tb: 1\n",
        "a:\n  - x\n\t- y\n",
        "a: 1\n  \tb: 2\n",
        "a:\n  b: |\n    x\n\ty\n",
        "\ta: 1\n",
    ],
)
def test_a_tab_is_named_in_chinese(text: str) -> None:
    """Issue 25: the tab error said its key word, Tab, in English only."""
    (found,) = load_bytes(text.encode(), "data/x.yaml").problems
    assert found.code == "E103" and "制表符" in found.message
    assert re.findall(r"[A-Za-z]+", found.message) == [
        "YAML"
    ]  # no English word but the format's name
