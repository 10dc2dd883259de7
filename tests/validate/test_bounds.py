"""Validation and build are bounded (issue 23): any file within the 1 MiB limit validates, and
renders, within a CPU-time and memory budget set with resource limits on a child process (no
wall-clock assertion). Each case broke the old code: a quadratic link pre-scan (9 s), images
found by re-rendering every prefix (4 GB, killed), one re-read of the file per link error (90 s),
100,000 nested block quotes (the sanitiser: minutes), a 5,000-digit integer (a traceback)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import BASE, make_registry

N = 1_000_000 - 400  # the field fills the file up to the 1 MiB limit
CPU_SECONDS = 5  # validate: well under 2 s measured; 9 s to minutes before
MEMORY = 1 << 30  # address space: validate peaks near 250 MB


def run_limited(code: str, cpu: int = CPU_SECONDS, memory: int = MEMORY) -> tuple[int, str]:
    """Run Python `code` in a child under RLIMIT_CPU and RLIMIT_AS; (exit code, its output)."""
    limits = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", limits + code], capture_output=True, text=True, timeout=600
    )
    return proc.returncode, proc.stderr + proc.stdout


def validate_code(data: Path) -> str:
    argv = ["registry", "validate", "--data", str(data), "--as-of", "2026-11-23"]
    return f"import runpy, sys\nsys.argv = {argv!r}\nrunpy.run_module('generator', run_name='__main__')\n"


def summary(body: str) -> dict[str, str | bytes | None]:
    text = "\n".join("  " + line for line in body.split("\n"))
    base = BASE["approved/BMT-2026-001.yaml"]
    return {"approved/BMT-2026-001.yaml": base.replace("  技术解读。\n", text + "\n")}


CASES = {
    # "[" lines without "]": the reference-definition pattern scanned to the end from each line
    "link_prescan": (summary(("[" + "a" * 50 + "\n") * (N // 60) + "](/ok)"), set()),
    # 25,000 images: each searched by re-rendering every prefix of the field
    "many_images": (
        summary("\n".join(f"![p](https://t.example/{i}.png)" for i in range(N // 40))),
        {"E211"},
    ),
    "image_at_the_end": (
        summary("text line\n" * (N // 12) + "![p](https://t.example/p.png)"),
        {"E211"},
    ),
    # a link only the parse sees (an entity), in 33,000 list items: one file re-read per error
    "entity_links": (
        {
            "conditions/BMT-2026-001.yaml": "id: BMT-2026-001\ninstitution:\n"
            + "".join(f'  - "[a](&#47;/e.x/{i})"\n' for i in range(N // 30))
            + "personnel:\n  - 副主任医师及以上。\noperating_spec: |\n  操作规范。\n"
        },
        {"E209"},
    ),
    "nested_quotes": (summary(">" * (N // 2) + " x"), {"E215"}),
    "nested_lists": (summary("- " * (N // 3) + "x"), {"E215"}),
    "nested_emphasis": (summary("*" * (N // 3) + "x" + "*" * (N // 3)), {"E215"}),
    "huge_integer": (
        {"risk-grades.yaml": BASE["risk-grades.yaml"].replace("5}", "9" * 5000 + "}")},
        {"E216"},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_validation_is_bounded(name: str, tmp_path: Path) -> None:
    files, codes = CASES[name]
    make_registry(tmp_path, files)
    rc, out = run_limited(validate_code(tmp_path))
    assert "Traceback" not in out and rc == (1 if codes else 0), out[-2000:]
    found = {word for line in out.splitlines() for word in line.split() if word[:2] == "E2"}
    assert found == codes, out[-2000:]


def test_the_deepest_valid_markdown_renders_within_budget() -> None:
    """What validates renders: a 1 MiB field at the nesting limit, through cmark and the
    sanitiser, 20 times (the parse tree and HTML of each call are freed: the old wrapper leaked
    ~50 MB per call, past this memory limit by the tenth)."""
    code = textwrap.dedent(
        """
        from generator.domain.markdown import MAX_NESTING, inspect, markdown
        text = (">" * (MAX_NESTING - 1) + " x\\n\\n") * (1_000_000 // (MAX_NESTING + 4))
        assert inspect(text).too_deep is None
        html = str(markdown(text))
        assert html.count("<blockquote>") == text.count(">")
        for _ in range(20):
            markdown.__wrapped__("a *b* [c](/d) " * 70_000)
        """
    )
    rc, out = run_limited(code, cpu=30)
    assert rc == 0, out[-2000:]
