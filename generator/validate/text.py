"""Characters that text from data/ may not carry (issue 13, classes 5 and 8).

Whatever validates must build: a page (HTML), a JSON file, an Atom feed (XML 1.0) and a
spreadsheet must all be able to carry every string. YAML's reader refuses control characters
written as such, but double-quoted escapes (`"\\0"`, `"\\x07"`, `"\\ud800"`, `"\\uFFFE"`) produce
them anyway: they are refused here (E111), at the value that holds them.

Invisible format characters (zero-width, bidi controls, other Unicode `Cf` and default-ignorable
code points) make two names that look alike differ, or reorder what a reader sees (the "Trojan
source" trick): they are folded away when names are compared for uniqueness (domain/names.py `fold`),
bidi embeddings, overrides and isolates are refused in every text, and any invisible character
is refused in a name-like field (name, alias, institution, applicant, number, title), where it can
only deceive (E212).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from generator.domain.characters import BIDI, FORBIDDEN, INVISIBLE
from generator.domain.errors import Problem, problem
from generator.load.documents import Document, Path_, dotted

_SPACE = re.compile(r"\s+")

NAME_KEYS = frozenset(
    {"name", "aliases", "applicant", "institutions", "number", "title", "authority"}
)


def describe(ch: str) -> str:
    """U+200B ZERO WIDTH SPACE (its Unicode name when it has one)."""
    name = unicodedata.name(ch, "")
    if not name and 0xD800 <= ord(ch) <= 0xDFFF:
        name = "代理项"
    elif not name and (0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE):
        name = "非字符"
    elif not name:
        name = "控制字符"
    return f"U+{ord(ch):04X} {name}"


def _strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str, bool]]:
    """(path, text, is a key) of every string in a loaded document (iteratively: no recursion)."""
    stack: list[tuple[Path_, Any]] = [(path, data)]
    while stack:
        p, value = stack.pop()
        if isinstance(value, str):
            yield p, value, False
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str):
                    yield (*p, k), k, True
                stack.append(((*p, k), v))
        elif isinstance(value, list):
            stack.extend(((*p, i), v) for i, v in enumerate(value))


def _name_like(path: Path_) -> bool:
    for part in reversed(path):
        if isinstance(part, str):
            return part in NAME_KEYS
    return False


def text_problems(doc: Document) -> list[Problem]:
    """E111 and E212 for every string (and key) of `doc`, at the value that holds it."""
    out: list[Problem] = []
    if not doc.suspect:
        return out
    for path, text, is_key in _strings(doc.data):
        if text.isascii() and text.isprintable():
            continue  # the common case, decided in C
        line, col = doc.where(path, key=is_key)
        where = dotted(path)
        if bad := FORBIDDEN.search(text):
            out.append(problem("E111", doc.file, line, col, where, char=describe(bad.group())))
            continue
        bidi = BIDI.search(text)
        hidden = bidi or (INVISIBLE.search(text) if not is_key and _name_like(path) else None)
        if hidden:
            out.append(problem("E212", doc.file, line, col, where, char=describe(hidden.group())))
    return out
