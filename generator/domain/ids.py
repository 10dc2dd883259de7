"""Id formats: each file kind's id pattern and an example, written once (DESIGN.md, Data).

A format is named by its prefix, not by a kind: the kind spec (domain/kinds.py) says which format
its records use, and the field types (domain/fields.py) check it. Patterns are ASCII: `\\d` would
also accept full-width and other Unicode digits (GL-０００１), and pydantic-core's Rust regex
reads `\\d` as any Unicode digit, so the constraint spells `[0-9]`; matching is `fullmatch`, so a
trailing newline ("GL-0001\\n") does not slip past `$`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IdFormat:
    regex: str  # as shown in messages, e.g. ^GL-\d{4}$
    example: str
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", re.compile(self.regex, re.ASCII))

    def matches(self, value: str) -> bool:
        return self._compiled.fullmatch(value) is not None

    @property
    def body(self) -> str:
        """The pattern without anchors, with ASCII digits only (for pydantic-core)."""
        return self.regex.strip("^$").replace("\\d", "[0-9]")


GL = IdFormat(r"^GL-\d{4}$", "GL-0001")
BMT = IdFormat(r"^BMT-\d{4}-\d{3}$", "BMT-2026-001")
BAN = IdFormat(r"^BAN-\d{4}$", "BAN-0001")
ANN = IdFormat(r"^ANN-\d{4}-\d{3}$", "ANN-2026-001")
CR = IdFormat(r"^CR-\d{4}-\d{4}$", "CR-2026-0001")


def union_pattern(*formats: IdFormat) -> str:
    """One anchored pattern accepting any of `formats` (the pydantic constraint of an id field)."""
    return "^(?:" + "|".join(f.body for f in formats) + ")$"


def union_help(*formats: IdFormat) -> tuple[str, str]:
    """(the patterns as shown in messages, an example) of an id field accepting `formats`."""
    return " 或 ".join(f.regex for f in formats), formats[0].example
