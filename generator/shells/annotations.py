"""`registry validate --format github`: one GitHub workflow command per problem, so that each error
appears as an annotation at its file and line, in the pull request's "Files changed" too.

The text of a problem comes from the data, and the data of a pull request is hostile: a message
that could end the command's line would start a command of its own (`::add-mask::`, `::set-output`,
`::stop-commands::`). Every value is escaped as GitHub's runner unescapes it (actions/toolkit
`escapeData` and `escapeProperty`): `%`, CR and LF in the message; those and `:` and `,` in the
properties (file, line, col, title). Any other control or line separator left in (a Problem made
without `errors.problem`) is written as `\\uXXXX`, so one problem is always one line.

GitHub shows at most 10 error annotations of a step (and 50 of a job); the rest stay in the log.
So after the tenth a notice says how many there are and where the whole list is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from generator.domain.errors import Problem

# GitHub's limit of error annotations a step shows (the log keeps every line)
SHOWN_PER_STEP = 10

# What .NET's line reader (the runner's) or a terminal could take for a line end or act on
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u0085\u2028\u2029]")


def escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_root(data_dir: Path) -> Path | None:
    """The nearest folder above `data_dir` holding `.git` (a folder, or a file for a worktree)."""
    here = Path(os.path.abspath(data_dir))
    return next((d for d in (here, *here.parents) if (d / ".git").exists()), None)


def repository_path(file: str, root: Path | None) -> str:
    """`file` (as shown: relative to the working directory, or absolute) relative to the
    repository's root, which is how GitHub maps an annotation to a file of the pull request."""
    if root is None:
        return Path(file).as_posix()
    rel = os.path.relpath(os.path.abspath(file), root)
    return Path(file).as_posix() if rel.startswith("..") else Path(rel).as_posix()


def annotation(p: Problem, root: Path | None) -> str:
    props = {
        "file": repository_path(p.file, root),
        "line": str(p.line),
        "col": str(p.column),
        "title": p.code,
    }
    where = f" [{p.path}]" if p.path else ""
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::error {head}::{escape_data(p.message + where)}"


def annotations(problems: Iterable[Problem], data_dir: Path) -> list[str]:
    """One `::error` line per problem, then a notice when GitHub will not show them all."""
    root = repository_root(data_dir)
    lines = [annotation(p, root) for p in problems]
    if len(lines) > SHOWN_PER_STEP:
        lines.append(
            "::notice title="
            + escape_property("校验错误")
            + "::"
            + escape_data(
                f"共 {len(lines)} 个错误，GitHub 每个步骤只显示前 {SHOWN_PER_STEP} 个批注；"
                "完整列表见本步骤的日志和拉取请求中的“变更摘要”评论"
            )
        )
    return lines
