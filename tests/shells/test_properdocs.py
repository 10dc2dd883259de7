"""A second engine: ProperDocs, the maintained continuation of MkDocs 1.x, builds the same site.

If MkDocs stops being maintained, ProperDocs is the drop-in replacement (docs/dependencies.md, "If
MkDocs or Material stop being maintained"). It reads our mkdocs.yml, loads our plugin through the same
`mkdocs.plugins` entry point and Material through `mkdocs.themes`, and redirects `mkdocs.*` imports
to its own modules. This test keeps that promise checked: both engines build the sample site with
the same as-of and SOURCE_DATE_EPOCH, and the trees must be identical file by file, apart from the
generator meta tag that names the engine.

It is never skipped: ProperDocs is a test dependency in uv.lock (`make setup` installs it), so it
runs in `make test` and in the pull-request workflow's `make test-fast`; without the `properdocs`
command the test fails with that message rather than passing unseen.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

from sitekit import AS_OF, EPOCH, ROOT, config_with

BIN = Path(sys.executable).parent
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


def _start(engine: str, out: Path) -> subprocess.Popen[bytes]:
    assert (BIN / engine).is_file(), f"{BIN / engine} is missing: run `make setup` (uv.lock)"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    config = config_with(out.with_name(f"{engine}-config"), as_of=AS_OF.isoformat())
    cmd = [str(BIN / engine), "build", "--quiet", "-f", str(config), "-d", str(out)]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _generators(tree: dict[str, bytes]) -> set[bytes]:
    return {
        m for name, data in tree.items() if name.endswith(".html") for m in GENERATOR.findall(data)
    }


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path) -> None:
    builds = {engine: _start(engine, tmp_path / engine) for engine in ("mkdocs", "properdocs")}
    for engine, proc in builds.items():
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{engine} build failed:\n{output.decode(errors='replace')}"
    mk, pd = _tree(tmp_path / "mkdocs"), _tree(tmp_path / "properdocs")

    # Both read the plugin options of the config (no environment variables carry them).
    as_of = f'<meta name="registry-as-of" content="{AS_OF.isoformat()}">'.encode()
    assert as_of in mk["index.html"] and as_of in pd["index.html"]
    # The two builds really were made by two engines, each named in the meta tag of every page.
    assert all(g.startswith(b"mkdocs-1.") for g in _generators(mk)), _generators(mk)
    assert all(b"ProperDocs" in g for g in _generators(pd)), _generators(pd)
    pages = [name for name in mk if name.endswith(".html")]
    tagged = [name for name in pages if GENERATOR.search(mk[name])]  # redirect pages have none
    assert len(tagged) > 40 and all(len(GENERATOR.findall(mk[name])) <= 1 for name in pages)

    assert sorted(mk.keys() - pd.keys()) == [], "only MkDocs wrote these files"
    assert sorted(pd.keys() - mk.keys()) == [], "only ProperDocs wrote these files"
    differ = [
        name
        for name in mk
        if GENERATOR.sub(b"", mk[name]) != GENERATOR.sub(b"", pd[name])  # the only allowed change
    ]
    if differ:
        first = differ[0]
        diff = difflib.unified_diff(
            mk[first].decode(errors="replace").splitlines(),
            pd[first].decode(errors="replace").splitlines(),
            "mkdocs/" + first,
            "properdocs/" + first,
            lineterm="",
            n=1,
        )
        shown = "\n".join(list(diff)[:40])
        raise AssertionError(f"{len(differ)} files differ, first {differ[:10]}:\n{shown}")
