"""`registry validate --format github` (shells/annotations.py): one workflow command per problem.

The runner reads a step's output line by line and takes a line that starts with `::` for a
command (actions/runner `ActionCommand.TryParseV2`), so the hostile part is the message: it must
never end the line. `runner_commands` below reads output the way the runner does and unescapes the
values with the runner's mappings, so the tests check what GitHub would see, not our own strings.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.domain.errors import Problem, problem
from generator.shells.annotations import (
    SHOWN_PER_STEP,
    annotation,
    annotations,
    escape_data,
    escape_property,
)

REPO = Path(__file__).resolve().parents[2]
# actions/runner ActionCommand: the escape mappings, unescaped in this order
DATA_MAP = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
PROPERTY_MAP = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]
HOSTILE = [
    "a\n::set-output name=x::y",
    "a\r\n::add-mask::secret",
    "a\r::stop-commands::tok",
    "%0A::add-mask::already-escaped",
    "100%, a:b, c,d",
    "a\u2028::error::fake\u2029\x85x\x0bx\x0cx\x1ex",
]
EXOTIC = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def unescape(text: str, mapping: list[tuple[str, str]]) -> str:
    for plain, escaped in mapping:
        text = text.replace(escaped, plain)
    return text


def runner_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """(command, properties, message) for every line the runner would take for a command; .NET's
    line reader ends a line at CR, LF or CRLF; the runner trims the line before parsing."""
    found = []
    for line in output.splitlines():  # stricter than .NET: U+2028, NEL, VT, FF end a line too
        line = line.strip()
        if not line.startswith("::"):
            continue
        head, _, message = line[2:].partition("::")
        command, _, props = head.partition(" ")
        pairs = (p.partition("=") for p in props.split(",") if p)
        found.append(
            (
                command,
                {k: unescape(v, PROPERTY_MAP) for k, _, v in pairs},
                unescape(message, DATA_MAP),
            )
        )
    return found


def shown(text: str) -> str:
    """`text` as the formatter keeps it: line separators other than CR and LF as `\\uXXXX`."""
    return EXOTIC.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_message_or_file_name_is_one_command(text: str) -> None:
    """Made as a Problem directly (not through `problem`, which escapes line breaks already), so
    the formatter alone must keep the command on one line and every value intact."""
    bad = Problem("E204", f"data/{text}.yaml", 3, 7, text, path=text)
    out = annotation(bad, None)
    assert len(out.splitlines()) == 1
    [(command, props, message)] = runner_commands(out)
    assert command == "error"
    assert props == {"file": f"data/{shown(text)}.yaml", "line": "3", "col": "7", "title": "E204"}
    assert message == f"{shown(text)} [{shown(text)}]"


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50%\r\n:,") == "50%25%0D%0A:,"
    assert escape_property("50%\r\n:,") == "50%25%0D%0A%3A%2C"
    assert escape_data("a\u2028b\x85c") == "a\\u2028b\\u0085c"
    for text in HOSTILE:
        assert unescape(escape_data(text), DATA_MAP) == shown(text)
        assert unescape(escape_property(text), PROPERTY_MAP) == shown(text)


def test_a_catalogue_problem_from_hostile_data_is_one_command() -> None:
    p = problem(
        "E204",
        "data/announcements/A.yaml",
        2,
        5,
        path="id",
        value="x\n::add-mask::y",
        pattern="p",
        example="e",
    )
    [(command, props, message)] = runner_commands(annotation(p, None))
    assert (command, props["line"], props["col"], props["title"]) == ("error", "2", "5", "E204")
    assert "::add-mask::y" in message and "\n" not in message  # `problem` wrote it as \n


def test_more_than_github_shows_ends_with_a_notice() -> None:
    many = [
        problem("E204", "data/x.yaml", n, value=str(n), pattern="p", example="e")
        for n in range(1, 13)
    ]
    lines = annotations(many, Path("data"))
    commands = runner_commands("\n".join(lines))
    assert [c for c, _, _ in commands] == ["error"] * 12 + ["notice"]
    assert f"共 12 个错误，GitHub 每个步骤只显示前 {SHOWN_PER_STEP} 个批注" in commands[-1][2]
    assert len(annotations(many[:SHOWN_PER_STEP], Path("data"))) == SHOWN_PER_STEP


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--as-of", "2026-11-23", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.fixture
def invalid_repo(kit: SimpleNamespace, tmp_path: Path) -> Path:
    """A repository whose data holds a hostile value and two ordinary errors."""
    repo = tmp_path / "repo"
    kit.make_registry(
        repo / "data",
        {
            "guidance-list/GL-0001.yaml": kit.BASE["guidance-list/GL-0001.yaml"] + "nmae: x\n",
            "banned/BAN-0002.yaml": "id: BAN-0002\nname: 未公告\ncategory: other\ndescription: d\n",
            "banned/BAN-0003.yaml": (
                'id: "BAN-0003\\n::add-mask::x\\r\\n::set-output name=a::b%0A,:"\n'
                "name: n\ncategory: other\ndescription: d\n"
            ),
        },
    )
    (repo / ".git").mkdir()  # what repository_root looks for
    return repo


def test_cli_github_format_matches_the_text_format(invalid_repo: Path) -> None:
    text = cli("--data", "data", cwd=invalid_repo)
    github = cli("--data", "data", "--format", "github", cwd=invalid_repo)
    assert text.returncode == github.returncode == 1
    assert github.stderr == text.stderr  # the count, on stderr
    commands = runner_commands(github.stdout)
    assert len(commands) == len(github.stdout.splitlines()) == len(text.stdout.splitlines()) >= 3
    seen = {f"{p['file']}:{p['line']}:{p['col']}: {p['title']} {m}" for _, p, m in commands}
    assert seen == set(text.stdout.splitlines())
    assert all(c == "error" and p["file"].startswith("data/") for c, p, _ in commands)
    assert any("::add-mask::x" in m for _, _, m in commands)


def test_cli_paths_are_relative_to_the_repository_root(invalid_repo: Path) -> None:
    """GitHub maps `file=` from the repository's root, wherever the command ran."""
    from_root = runner_commands(
        cli("--data", "data", "--format", "github", cwd=invalid_repo).stdout
    )
    inside = runner_commands(
        cli("--data", ".", "--format", "github", cwd=invalid_repo / "data").stdout
    )
    absolute = runner_commands(
        cli(
            "--data", str(invalid_repo / "data"), "--format", "github", cwd=invalid_repo.parent
        ).stdout
    )
    files = sorted(p["file"] for _, p, _ in from_root)
    assert files and all(f.startswith("data/") for f in files)
    assert sorted(p["file"] for _, p, _ in inside) == files
    assert sorted(p["file"] for _, p, _ in absolute) == files


def test_cli_text_and_json_unchanged(invalid_repo: Path) -> None:
    text = cli("--data", "data", cwd=invalid_repo).stdout.splitlines()
    items = json.loads(cli("--data", "data", "--format", "json", cwd=invalid_repo).stdout)
    assert all(re.match(r"^data/[^:]+:\d+:\d+: E\d{3} ", line) for line in text)
    assert len(items) == len(text)
    assert not any(line.startswith("::") for line in text)
