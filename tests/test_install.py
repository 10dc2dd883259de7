"""Installs that cannot drift: every make target installs from the lock file, with hashes.

These read the files that decide what gets installed (Makefile, uv.lock, requirements-bootstrap.txt,
pyproject.toml); the fresh-clone run itself is `.ci/run` (see docs/dependencies.md, "The lock file").
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TARGETS = ["build", "serve", "test", "test-fast", "bench", "lint", "format", "validate"]


def rule(target: str) -> tuple[list[str], list[str]]:
    """Prerequisites and recipe lines of `target` in the Makefile."""
    match = re.search(rf"^{re.escape(target)}:(.*)\n((?:\t.*\n|#.*\n)*)", MAKEFILE, re.M)
    assert match, f"no rule for {target}"
    return match.group(1).split(), [line.strip() for line in match.group(2).splitlines()]


def test_every_target_goes_through_the_locked_install() -> None:
    for target in TARGETS:
        assert "setup" in rule(target)[0], target
    assert rule("setup")[0] == ["$(STAMP)"]
    prerequisites, recipe = rule("$(STAMP)")
    assert {"uv.lock", "pyproject.toml", "$(UV)"} <= set(prerequisites)  # a new lock reinstalls
    assert any("$(UV) sync --locked --extra test" in line for line in recipe)
    # uv never downloads a Python: it uses the one the Makefile found
    assert "export UV_PYTHON_DOWNLOADS := never" in MAKEFILE
    assert "export UV_PYTHON := $(CURDIR)/$(PY)" in MAKEFILE


def test_uv_itself_is_installed_by_hash_at_the_locked_version() -> None:
    prerequisites, recipe = rule("$(UV)")
    assert prerequisites == ["requirements-bootstrap.txt"]
    assert any("--require-hashes --no-deps -r requirements-bootstrap.txt" in x for x in recipe)
    text = (ROOT / "requirements-bootstrap.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^([a-z0-9-]+)==(\S+)", text, re.M)
    locked = {p["name"]: p["version"] for p in LOCK["package"]}
    assert pins == [("uv", locked["uv"])]
    assert len(re.findall(r"--hash=sha256:[0-9a-f]{64}", text)) >= 10  # one per platform wheel


def test_lock_has_an_exact_version_and_hashes_for_every_package() -> None:
    packages = [p for p in LOCK["package"] if p["name"] != PYPROJECT["project"]["name"]]
    assert len(packages) > 50
    for package in packages:
        assert re.fullmatch(r"\d+(\.\d+)*(\.post\d+)?", package["version"]), package["name"]
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files, package["name"]
        assert all(f["hash"].startswith("sha256:") for f in files), package["name"]


def test_make_lock_is_the_one_command_that_upgrades() -> None:
    _, recipe = rule("lock")
    assert recipe[0] == "$(UV) lock --upgrade"
    upgrades = [line for line in MAKEFILE.splitlines() if "--upgrade" in line or "lock -U" in line]
    assert upgrades == ["\t$(UV) lock --upgrade"]


def test_upper_bounds_keep_mkdocs_1_and_material_9() -> None:
    deps = PYPROJECT["project"]["dependencies"]
    assert "mkdocs>=1.6.1,<2" in deps  # MkDocs 2.0 has no plugin system
    assert "mkdocs-material>=9.5,<10" in deps  # maintenance until its end of life in 2027
    assert any(
        d.startswith("properdocs>=") for d in PYPROJECT["project"]["optional-dependencies"]["test"]
    )
