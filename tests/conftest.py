"""Fixtures for the validation tests: a minimal valid registry that cases overlay files onto.

`BASE` is the smallest registry that passes `registry validate --as-of 2026-11-23`: one record of
each kind, the conditions of the approved one, and two announcements naming all three. Line numbers
in `tests/bad_inputs/*/expect.txt` refer to the files as the case writes them (or to these files
when a case does not replace them), so keep the line layout below stable.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

AS_OF = date(2026, 11, 23)

BASE: dict[str, str] = {
    "registry.yaml": """\
title: 生物医学新技术公示库（测试）
authority: 测试机关
disclaimer: 测试数据。
categories:
  - {id: cell-therapy, name: 细胞治疗}
  - {id: gene-editing, name: 基因编辑}
  - {id: other, name: 其他}
""",
    "risk-grades.yaml": """\
grades:
  - {id: high, name: 高风险, exclusive_years: 5}
  - {id: medium, name: 中风险, exclusive_years: 3}
  - {id: low, name: 低风险, exclusive_years: 1}
""",
    "guidance-list/GL-0001.yaml": """\
id: GL-0001
name: 自体CAR-T细胞治疗技术
aliases: [CAR-T]
category: cell-therapy
purpose: 治疗复发难治淋巴瘤。
mechanism: 基因修饰的自体T细胞识别肿瘤抗原。
""",
    "approved/BMT-2026-001.yaml": """\
id: BMT-2026-001
name: 自体CD19 CAR-T细胞治疗技术
aliases: [CD19 CAR-T]
category: cell-therapy
guidance_entry: GL-0001
applicant: 某某医院
summary: |
  技术解读。
""",
    "conditions/BMT-2026-001.yaml": """\
id: BMT-2026-001
institution:
  - 三级甲等医院。
personnel:
  - 副主任医师及以上。
operating_spec: |
  操作规范。
""",
    "banned/BAN-0001.yaml": """\
id: BAN-0001
name: 生殖系基因编辑技术
category: gene-editing
description: 以生殖为目的编辑人类胚胎。
""",
    "announcements/ANN-2026-001.yaml": """\
id: ANN-2026-001
number: 国家卫生健康委公告 2026年第1号
title: 关于发布备案指导清单的公告
date: 2026-01-10
body: |
  正文。
actions:
  - action: list
    record: GL-0001
  - action: ban
    record: BAN-0001
    ground: 存在重大伦理问题
""",
    "announcements/ANN-2026-002.yaml": """\
id: ANN-2026-002
number: 国家卫生健康委公告 2026年第2号
title: 关于批准临床转化应用的公告
date: 2026-03-01
body: |
  正文。
actions:
  - action: approve
    record: BMT-2026-001
    risk_grade: high
    institutions: [某某医院]
""",
}

_HEX = re.compile(rb"\\x([0-9a-fA-F]{2})")


def unescape(raw: bytes) -> bytes:
    r"""`\xNN` in a `.escaped` case file stands for the raw byte NN (for non-UTF-8 cases)."""
    return _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def make_registry(root: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Write BASE under `root`, then overlay `files` (None deletes the base file); returns `root`."""
    merged: dict[str, str | bytes | None] = {**BASE, **(files or {})}
    for rel, content in merged.items():
        path = root / rel
        if content is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def pad_file(path: Path, size: int) -> None:
    """Append YAML comment lines to `path` until it is at least `size` bytes long."""
    line = b"# " + b"x" * 1021 + b"\n"
    current = path.stat().st_size if path.exists() else 0
    with path.open("ab") as fh:
        fh.write(line * ((size - current) // len(line) + 1))


_CONTROL = {"expect.txt", "remove.txt", "pad.txt", "special.txt"}


def make_special(root: Path, line: str) -> None:
    """`path symlink TARGET` or `path fifo`: a file git cannot hold as such in the corpus."""
    rel, kind, *rest = line.split()
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if kind == "symlink":
        target = rest[0].replace("{root}", str(root))
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        raise ValueError(line)


def build_case(case: Path, root: Path) -> set[tuple[str, int, str]]:
    """Write the base registry under `root` with the case overlaid; returns the expected problems.

    A case directory holds the files that differ from BASE (a `.escaped` suffix means `\\xNN`
    escapes stand for raw bytes), `expect.txt` (`path:LINE:CODE` lines), and optionally
    `remove.txt` (base files to delete), `pad.txt` (`path SIZE`: grow that file to SIZE bytes) and
    `special.txt` (`path symlink TARGET` / `path fifo`: symlinks and FIFOs, made at test time).
    """
    files: dict[str, str | bytes | None] = {}
    for f in sorted(case.rglob("*")):
        if f.is_dir() or (f.parent == case and f.name in _CONTROL):
            continue
        rel, data = f.relative_to(case).as_posix(), f.read_bytes()
        if rel.endswith(".escaped"):
            rel, data = rel.removesuffix(".escaped"), unescape(data)
        files[rel] = data
    if (case / "remove.txt").exists():
        files.update(dict.fromkeys((case / "remove.txt").read_text(encoding="utf-8").split()))
    make_registry(root, files)
    if (case / "special.txt").exists():
        for line in (case / "special.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                make_special(root, line)
    if (case / "pad.txt").exists():
        rel, size = (case / "pad.txt").read_text(encoding="utf-8").split()
        pad_file(root / rel, int(size))
    expected = set()
    for line in (case / "expect.txt").read_text(encoding="utf-8").split():
        rel, lineno, code = line.rsplit(":", 2)
        expected.add((rel, int(lineno), code))
    return expected


def relative(problem_file: str, root: Path) -> str:
    """A problem's file, relative to the registry root (messages may use cwd-relative paths)."""
    p = Path(problem_file)  # the last part may be a symlink (E113): do not follow it
    return (p.parent.resolve() / p.name).relative_to(root.resolve()).as_posix()


def triples(reg, root: Path) -> set[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return {(relative(p.file, root), p.line, p.code) for p in reg.problems}


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for test modules (`from conftest import` is ambiguous: tests/browser has
    its own conftest.py)."""
    return SimpleNamespace(
        AS_OF=AS_OF,
        BASE=BASE,
        make_registry=make_registry,
        build_case=build_case,
        triples=triples,
        relative=relative,
    )


@pytest.fixture
def registry_dir(tmp_path: Path) -> Path:
    """A fresh copy of the minimal valid registry."""
    return make_registry(tmp_path / "data")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample registry's site as of 2026-11-23. Shared: tests must not modify it."""
    from sitekit import build_sample

    return build_sample(tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def sample_published():  # type: ignore[no-untyped-def]
    """The sample registry's published view as of 2026-11-23, without git history. Shared: tests
    must not modify it."""
    from generator.publish.pipeline import Settings, publish

    _, site = publish(Path(__file__).resolve().parents[1] / "data", AS_OF, Settings(history=False))
    assert site is not None
    return site
