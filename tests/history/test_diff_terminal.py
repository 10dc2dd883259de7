"""`registry diff` never writes a terminal control from the data (issue 23).

A reviewer runs `registry diff` in a terminal, and CI puts it in a log: an ESC from a record could
clear the screen, rewrite the lines above (hide an error), or set the clipboard (OSC 52). The data
need not be valid for diff to run, so nothing upstream (E111) keeps them out: every string reaches
stdout through one `visible()` at the end. Here every kind of field, a key, a raw byte in a file, a
file name with ESC and one with an undecodable byte, and a ref carry controls; the bytes of stdout
and stderr are checked, from a real process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import GitRepo
from hypothesis import given, settings
from hypothesis import strategies as st

# As YAML escapes in double-quoted scalars: clear screen, cursor home, OSC 52 (clipboard) ended
# by BEL, an 8-bit CSI, NUL, DEL, CR, NEL (U+0085), a line separator, a bidi override, a tab.
HOSTILE_YAML = r"\e[2J\e[H\e]52;c;cHduZWQ=\a\x9b31m\0\x7f\r\N\L\u202e\t"
HOSTILE = "\x1b[2J\x1b[H\x1b]52;c;cHduZWQ=\x07\x9b31m\x00\x7f\r\x85\u2028\u202e\t"
H = f'"{HOSTILE_YAML}"'

GUIDANCE = f"""\
id: GL-0001
name: {H}
aliases: [{H}]
category: {H}
purpose: {H}
mechanism: {H}
{H}: {H}
"""
APPROVED = f"""\
id: BMT-2026-001
name: {H}
aliases: [CD19 CAR-T]
category: cell-therapy
guidance_entry: GL-0001
applicant: {H}
summary: {H}
"""
CONDITIONS = f"""\
id: BMT-2026-001
versions:
  - announcement: {H}
    effective: {H}
    institution: [{H}]
    personnel: [{H}]
    operating_spec: {H}
"""
NEW_ANNOUNCEMENT = f"""\
id: {H}
number: {H}
title: {H}
date: {H}
body: {H}
actions:
  - action: suspend
    record: {H}
    ground: {H}
"""
REGISTRY = f"""\
title: {H}
authority: 测试机关
disclaimer: 测试数据。
categories:
  - {{id: cell-therapy, name: {H}}}
  - {{id: gene-editing, name: 基因编辑}}
  - {{id: other, name: 其他}}
"""

# Bytes that act on a terminal: C0 but LF and TAB, DEL. C1 (U+0080–U+009F) is checked on the
# decoded text: in UTF-8 its bytes are continuation bytes that every Chinese character has too.
_C0_DEL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
_C1_AND_CO = re.compile("[\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def assert_inert(out: bytes) -> str:
    """`out` holds no terminal control; returns it decoded (it must be valid UTF-8)."""
    assert not [hex(b[0]) for b in _C0_DEL.findall(out)]
    text = out.decode("utf-8")  # strict: a lone 0x9B byte (8-bit CSI) would fail here
    assert not [hex(ord(c)) for c in _C1_AND_CO.findall(text)]
    return text


def run_diff(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[bytes]:
    code = "from generator.shells.cli import main; main()"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(
        [sys.executable, "-c", code, "diff", *args, "--data", str(repo.data)],
        cwd=repo.root,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def make_hostile(repo: GitRepo) -> None:
    """A pull request whose every field, some keys and file names carry terminal controls."""
    repo.write("guidance-list/GL-0001.yaml", GUIDANCE)
    repo.write("approved/BMT-2026-001.yaml", APPROVED)
    repo.write("conditions/BMT-2026-001.yaml", CONDITIONS)
    repo.write("registry.yaml", REGISTRY)
    repo.replace("risk-grades.yaml", "name: 高风险", f"name: {H}")
    repo.write("announcements/ANN-2026-009.yaml", NEW_ANNOUNCEMENT)
    repo.replace("announcements/ANN-2026-001.yaml", "title: ", f"title: {H}\nx: ")  # E503
    repo.write(f"banned/BAN-{HOSTILE[:25].replace('/', '')}.yaml", f"id: {H}\nname: {H}\n")
    # raw bytes, not escapes: the YAML does not parse, and the file is shown as text
    raw = HOSTILE.encode() + b"\x1b]0;title\x07\xc2\x9b2J\n"
    (repo.data / "banned" / "BAN-0001.yaml").write_bytes(b"id: BAN-0001\nname: " + raw)


def name_not_utf8(repo: GitRepo) -> None:
    """A file name that is not UTF-8 (0x9B alone is the 8-bit CSI)."""
    os.close(
        os.open(bytes(repo.data / "guidance-list") + b"/GL-\x9b2J.yaml", os.O_CREAT | os.O_WRONLY)
    )


def test_hostile_data_and_file_names_reach_stdout_escaped(repo: GitRepo) -> None:
    make_hostile(repo)
    result = run_diff(repo, "main", "--as-of", "2026-11-23")
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    text = assert_inert(result.stdout)
    assert_inert(result.stderr)
    # not vacuous: the controls are in the summary, shown, in names, values, files and errors
    shown = r"\u001B[2J\u001B[H\u001B]52;c;cHduZWQ=\u0007\u009B31m\u0000\u007F"
    assert text.count(shown) >= 20
    assert "E503" in text and "E111" in text
    for label in ("名称", "别名", "申请机构", "医疗机构条件", "正文", "风险等级", "站点"):
        assert label in text, label


def test_a_file_name_that_is_not_utf8(repo: GitRepo) -> None:
    name_not_utf8(repo)
    result = run_diff(repo, "main", "--as-of", "2026-11-23")
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    assert r"GL-\uDC9B2J" in assert_inert(result.stdout)  # the undecodable byte, shown


def test_the_same_between_two_revisions(repo: GitRepo) -> None:
    make_hostile(repo)
    name_not_utf8(repo)
    repo.commit("恶意提交", "2026-11-20T10:00:00+08:00")
    result = run_diff(repo, "main~1", "main", "--as-of", "2026-11-23")
    assert result.returncode == 1
    assert r"\u001B[2J" in assert_inert(result.stdout)


def test_a_ref_with_controls_is_escaped_in_the_error(repo: GitRepo) -> None:
    result = run_diff(repo, "nope\x1b[2J\x9b", "--as-of", "2026-11-23")
    assert result.returncode == 2
    assert_inert(result.stdout)
    assert r"nope\u001B[2J\u009B" in assert_inert(result.stderr)


def test_visible_escapes_each_class_and_keeps_text() -> None:
    from generator.history.diff_text import visible

    assert visible("名称\n\t") == "名称\n\\u0009"
    assert visible("\x1b\x9b\x7f\u202e\u2028\u200b\ufeff\U000e0001\udc9b") == (
        r"\u001B\u009B\u007F\u202E\u2028\u200B\uFEFF\U000E0001\uDC9B"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_visible_leaves_no_control_in_any_text(text: str) -> None:
    from generator.history.diff_text import code, md_escape, visible

    for shown in (visible(text), visible(md_escape(text)), visible(code(text))):
        assert not _C1_AND_CO.search(shown)
        assert not _C0_DEL.search(shown.encode("utf-8"))
    assert visible(text).count("\n") == text.count("\n")  # only our own line breaks stay
    assert "\n" not in visible(md_escape(text)) + visible(code(text))  # a value stays on its line
