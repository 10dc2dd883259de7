"""Characters a record must not hold (controls, non-characters, bidi and invisible ones), as patterns shared by the loader (which flags a file for a closer look) and validation (E111, E212)."""

from __future__ import annotations

import re

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

# One pass over a file's text: anything above, or a backslash that could spell it as an escape.
# (one class of BMP characters, which `re` tests with a bitmap; astral ranges in a class make
# it ~20× slower, so astral text, rare, is looked at only when it is there at all)
_ALL = "".join(p.pattern[1:-1] for p in (FORBIDDEN, BIDI, INVISIBLE))


def bmp_class(body: str) -> str:
    """The BMP part of a character-class body: astral code points and their ranges left out."""
    return "".join(
        ch
        for i, ch in enumerate(body)
        if ord(ch) < 0x10000 and not (ch == "-" and i and ord(body[i - 1]) >= 0x10000)
    )


_BMP = bmp_class(_ALL)

# Bidi and invisible characters of the BMP, as a class body: what a query pasted from a PDF or a
# chat message may carry unseen (publish/lookup.py folds them away; the browser gets the same
# pattern, and a JavaScript RegExp without the `u` flag reads BMP characters only).
INVISIBLE_BMP = bmp_class(BIDI.pattern[1:-1] + INVISIBLE.pattern[1:-1])

SUSPECT_BMP = re.compile("[" + _BMP + "\\\\]")

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

SUSPECT_ANY = re.compile("[" + _ALL + "\\\\]")


class _Suspect:
    def search(self, text: str) -> object:
        if found := SUSPECT_BMP.search(text):
            return found
        return SUSPECT_ANY.search(text) if _ASTRAL.search(text) else None


SUSPECT = _Suspect()
