"""The package's shape is part of the design: stage folders in a one-way flow, each importing only
from the stages before it (README, "Architecture"); no module over ~400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = (
    "domain",
    "load",
    "validate",
    "status",
    "publish",
    "history",
    "render",
    "outputs",
    "shells",
)
MAX_LINES = 420


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.stem != "__main__")


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "generator" and parts[1] in STAGES else None


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every `generator.*` module imported, with its line (lazy imports inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "<relative>"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in found if m.startswith("generator") or m == "<relative>"]


def violations(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE.parent)
    own = _stage(".".join(rel.with_suffix("").parts))
    out = []
    for line, module in _imports(path):
        if module == "<relative>":
            out.append(f"{rel}:{line}: relative import (write generator.<stage>.<module>)")
            continue
        target = _stage(module)
        if own is None or target is None:
            out.append(f"{rel}:{line}: {module} is outside the stage folders")
        elif STAGES.index(target) > STAGES.index(own):
            out.append(f"{rel}:{line}: {own}/ imports the later stage {module}")
    return out


def test_every_module_lives_in_a_stage_folder() -> None:
    stray = [p.name for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")]
    assert stray == []
    assert sorted(
        p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"
    ) == sorted(STAGES)


def test_stages_import_only_from_earlier_stages() -> None:
    found = [v for p in _modules() for v in violations(p)]
    assert found == []


def test_the_direction_check_catches_a_later_import(tmp_path: Path) -> None:
    probe = PACKAGE / "validate" / "_probe_for_test.py"
    probe.write_text("def f():\n    from generator.render.jinja import render\n", encoding="utf-8")
    try:
        assert violations(probe) == [
            "generator/validate/_probe_for_test.py:2: validate/ imports the later stage "
            "generator.render.jinja"
        ]
    finally:
        probe.unlink()


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_short(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines"


MAX_FUNCTION = 65  # "no function over ~60 lines"


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{n.name}: {n.end_lineno - n.lineno + 1} lines"
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        and n.end_lineno is not None
        and n.end_lineno - n.lineno + 1 > MAX_FUNCTION
    ]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_functions_stay_short(path: Path) -> None:
    assert _long_functions(path) == []
