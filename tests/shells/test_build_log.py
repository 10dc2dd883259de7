"""The build log says nothing about our section shells (issue 25): MkDocs logged "Page skipped:
'banned/REGSHELLID….md'. Generated empty output." once per section and build, for the shells the
plugin empties on purpose (render/shell.py), and editors took it for a lost page."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.shells.build import build
from generator.shells.mkdocs_plugin import _ShellLogFilter

ROOT = Path(__file__).resolve().parents[2]


def test_a_build_logs_no_skipped_shell(
    tmp_path: Path, kit: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    data = kit.make_registry(tmp_path / "data")
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(ROOT / "mkdocs.yml", tmp_path / "site", data, kit.AS_OF)
    lines = [r.getMessage() for r in caplog.records]
    assert any("Documentation built" in line for line in lines)  # the log was captured
    assert [line for line in lines if "Page skipped" in line or "REGSHELLID" in line] == []


def test_other_skipped_pages_are_still_logged() -> None:
    flt = _ShellLogFilter({"banned/REGSHELLID1.md": "banned"})

    def record(msg: str) -> logging.LogRecord:
        return logging.LogRecord("mkdocs.commands.build", logging.INFO, "", 0, msg, None, None)

    assert not flt.filter(record("Page skipped: 'banned/REGSHELLID1.md'. Generated empty output."))
    assert flt.filter(record("Page skipped: 'about.md'. Generated empty output."))
    assert flt.filter(record("Documentation built in 1.00 seconds"))
