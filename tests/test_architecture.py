"""The package's shape is part of the design: stage folders in a one-way flow, each importing only
from the stages before it (docs/architecture.md); no module over ~400 lines."""

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
    "synth",
    "publish",
    "history",
    "render",
    "outputs",
    "shells",
)
MAX_LINES = 400


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


MAX_FUNCTION = 60  # issue 24: no function over 60 lines


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


# --- each kind declared once (issue 24) ------------------------------------------------------------

RECORD_KIND_NAMES = frozenset({"guidance", "approved", "banned", "research"})
KIND_NAMES = RECORD_KIND_NAMES | {"conditions", "announcement"}
SPEC = PACKAGE / "domain" / "kinds.py"


def kind_tables(source: str) -> list[int]:
    """Lines of literal tables of kinds: a dict with two or more kind names as keys, or a tuple,
    list or set of two or more kind names. Those belong in domain/kinds.py (every other table is a
    view of it); a dispatch table of handlers is checked against the spec by `kinds.dispatch`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):  # keyed by record kinds ("conditions" is a field name too)
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            values_are_code = all(
                isinstance(v, (ast.Name, ast.Lambda, ast.Attribute)) for v in node.values
            )
            if len(RECORD_KIND_NAMES.intersection(keys)) >= 2 and not values_are_code:
                found.append(node.lineno)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(KIND_NAMES.intersection(items)) >= 2:
                found.append(node.lineno)
    return found


def test_kind_tables_are_spelled_only_in_the_spec() -> None:
    found = [
        f"{p.relative_to(PACKAGE)}:{line}"
        for p in _modules()
        if p != SPEC
        for line in kind_tables(p.read_text(encoding="utf-8"))
    ]
    assert found == [], "a table of kinds outside domain/kinds.py: make it a view of the spec"


def test_the_kind_table_check_catches_one() -> None:
    assert kind_tables('X = {"guidance": "备案指导清单", "approved": "已批准技术"}') == [1]
    assert kind_tables('K = ("guidance", "approved", "banned")') == [1]
    assert kind_tables('D = {"guidance": f, "approved": g}') == []  # handlers: kinds.dispatch


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of the module graph (lazy imports inside functions included), once each."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def _imported_modules(path: Path, names: set[str]) -> set[str]:
    """The project modules `path` imports, lazy imports included; `from generator.outputs import
    openapi_dated` names the module `generator.outputs.openapi_dated`, not the package."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            found.update(m for m in subs if m in names)
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    own = _module_name(path) if path.is_relative_to(PACKAGE.parent) else ""
    out = set()
    for module in found:
        while module and module not in names:
            module = module.rpartition(".")[0]
        if module and module != own:
            out.add(module)
    return out


def test_no_module_imports_in_a_circle() -> None:
    names = {_module_name(p) for p in _modules()}
    graph = {_module_name(p): _imported_modules(p, names) for p in _modules()}
    assert import_cycles(graph) == []


def test_the_cycle_check_reads_a_module_named_by_its_package(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from generator.outputs import feeds\n", encoding="utf-8")
    assert "generator.outputs.feeds" in _imported_modules(probe, {"generator.outputs.feeds"})


def test_the_cycle_check_catches_a_lazy_one() -> None:
    assert import_cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b", "a"]]
