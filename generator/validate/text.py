"""Characters that text from data/ may not carry (issue 13, classes 5 and 8).

Whatever validates must build: a page (HTML), a JSON file, an Atom feed (XML 1.0) and a
spreadsheet must all be able to carry every string. YAML's reader refuses control characters
written as such, but double-quoted escapes (`"\\0"`, `"\\x07"`, `"\\ud800"`, `"\\uFFFE"`) produce
them anyway: they are refused here (E111), at the value that holds them.

Invisible format characters (zero-width, bidi controls, other Unicode `Cf` and default-ignorable
code points) make two names that look alike differ, or reorder what a reader sees (the "Trojan
source" trick): they are folded away when names are compared for uniqueness (`fold_name`),
bidi embeddings, overrides and isolates are refused in every text, and any invisible character
is refused in a name-like field (name, alias, institution, applicant, number, title), where it can
only deceive (E212).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from generator.domain.errors import Problem, problem
from generator.load.documents import Document, Path_, dotted

# C0 controls but tab, LF, CR; DEL and C1 controls; surrogates (only reachable through escapes);
# the 66 non-characters (U+FDD0–U+FDEF and the last two code points of every plane).
_NONCHARS = "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARS + "]"
)
# Bidi embeddings, overrides and isolates: they reorder the text around them.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Invisible: Unicode Cf (format) characters, the default-ignorable code points, and the
# blank-looking fillers (Hangul fillers, braille blank) that render as nothing.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_SPACE = re.compile(r"\s+")
# One pass over a file's text: anything above, or a backslash that could spell it as an escape.
# (one class of BMP characters, which `re` tests with a bitmap; astral ranges in a class make
# it ~20× slower, so astral text, rare, is looked at only when it is there at all)
_ALL = "".join(p.pattern[1:-1] for p in (FORBIDDEN, BIDI, INVISIBLE))
_BMP = "".join(
    ch
    for i, ch in enumerate(_ALL)
    if ord(ch) < 0x10000 and not (ch == "-" and ord(_ALL[i - 1]) >= 0x10000)
)
SUSPECT_BMP = re.compile("[" + _BMP + "\\\\]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
SUSPECT_ANY = re.compile("[" + _ALL + "\\\\]")


class _Suspect:
    def search(self, text: str) -> object:
        if found := SUSPECT_BMP.search(text):
            return found
        return SUSPECT_ANY.search(text) if _ASTRAL.search(text) else None


SUSPECT = _Suspect()
NAME_KEYS = frozenset(
    {"name", "aliases", "applicant", "institutions", "number", "title", "authority"}
)


def fold_name(name: str) -> str:
    """Names compare after NFKC, with whitespace and invisible characters removed."""
    return _SPACE.sub("", INVISIBLE.sub("", unicodedata.normalize("NFKC", name)))


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
