"""The README and docs/ stay in step with the code: the error catalogue with
generator/domain/errors.py, the command tables with the CLI and the Makefile, and every link
between the pages with the files and headings it names."""

from __future__ import annotations

import re
from pathlib import Path

from generator.domain.errors import CATALOGUE
from generator.shells.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
ERRORS = (DOCS / "errors.md").read_text(encoding="utf-8")
COMMANDS = (DOCS / "commands.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

# [text](target) and ![alt](target); the text may run over lines, the target may not
LINK = re.compile(r"\]\(([^()\s]+)\)")
CATALOGUE_ROW = re.compile(r"^\| (E\d{3}) \| ", re.M)


def test_every_code_is_documented() -> None:
    for code, (title, _template) in CATALOGUE.items():
        assert f"| {code} | {title} |" in ERRORS, code


def test_the_catalogue_table_names_no_code_that_is_gone() -> None:
    """A code removed from errors.py (as E302 was) leaves the table too."""
    assert sorted(CATALOGUE_ROW.findall(ERRORS)) == sorted(CATALOGUE)


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:400]
    assert "make serve" in head and "make test" in head


def test_readme_stays_a_page_for_newcomers() -> None:
    """The manual lives in docs/; the README says what it is and where to read on."""
    assert len(README.splitlines()) <= 120
    for page in sorted(DOCS.glob("*.md")):
        assert f"](docs/{page.name}" in README, f"the README does not link docs/{page.name}"


def _make_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)
    assert phony is not None
    return phony.group(1).split()


def test_every_make_target_and_command_has_its_line() -> None:
    for target in _make_targets():
        assert f"`make {target}`" in README, target
    for name in main.commands:
        assert re.search(rf"^\|.*`{name}[ `]", README, re.M), (
            f"registry {name} is not in the README"
        )
        assert f"`registry {name}" in COMMANDS, f"registry {name} is not in docs/commands.md"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """Links of `page` to a file that does not exist or a heading it does not have. Web addresses
    are not followed; nor is a target outside the repository (../shared/DESIGN.md, next to a
    checkout but not in a clone)."""
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.is_relative_to(root):
            continue
        if not file.exists():
            broken.append(f"{page.name}: {target} (no such file)")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{page.name}: {target} (no such heading)")
    return broken


def test_every_link_of_the_readme_and_docs_has_its_target() -> None:
    assert [b for page in PAGES for b in broken_links(page)] == []


def test_the_link_check_catches_a_missing_file_and_heading(tmp_path: Path) -> None:
    (tmp_path / "errors.md").write_text("# Errors\n\n## Error catalogue\n", encoding="utf-8")
    page = tmp_path / "probe.md"
    page.write_text(
        "# Probe\n[a](errors.md#error-catalogue) [b](gone.md) [c](errors.md#gone)\n"
        "[d](#probe) [e](#nothing) ![f](screenshots/none.png) [g](https://example.org/x)\n"
        "[h](../../outside.md)\n",
        encoding="utf-8",
    )
    assert broken_links(page, root=tmp_path.resolve()) == [
        "probe.md: gone.md (no such file)",
        "probe.md: errors.md#gone (no such heading)",
        "probe.md: #nothing (no such heading)",
        "probe.md: screenshots/none.png (no such file)",
    ]


def test_slugs_follow_github() -> None:
    assert slug("Security: nothing from data/ or git may escape") == (
        "security-nothing-from-data-or-git-may-escape"
    )
    assert slug("If MkDocs or Material stop being maintained") == (
        "if-mkdocs-or-material-stop-being-maintained"
    )
