"""The README's error catalogue stays in step with generator/errors.py."""

from pathlib import Path

from generator.domain.errors import CATALOGUE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_code_is_documented() -> None:
    for code, (title, _template) in CATALOGUE.items():
        assert f"| {code} | {title} |" in README, code


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:400]
    assert "make serve" in head and "make test" in head
