"""The one way names are compared: for uniqueness (E309, E310), the rule that a banned name is
never allowed elsewhere (E408, 界定指导原则 二(一)1), `/check/`, `registry check` and search.

Two names are the same when they agree after NFKC (full-width → half-width), lower case, and
without whitespace, punctuation or invisible characters: “CAR-T”, “CAR T”, “ＣＡＲ－Ｔ” and
“car‐t” are one name, so one query can never be answered both 已禁止 and 在清单内. The browser
receives `FOLD_PATTERN` as data (in the /check/ index) and folds exactly like `fold`; a
JavaScript RegExp without the `u` flag reads BMP characters only, hence the BMP class there (names
cannot hold astral invisible characters anyway: E212).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from generator.domain.characters import INVISIBLE, INVISIBLE_BMP

_PUNCTUATION = r"\s\-‐‑‒–—―−·・•()\[\]{}【】《》〈〉<>「」『』\"'“”‘’,，、.。:：;；/\\_~!?！？"

# Whitespace, punctuation and invisible characters ignored when comparing (after NFKC and lower
# case); the pattern the browser folds with.
FOLD_PATTERN = "[" + _PUNCTUATION + INVISIBLE_BMP + "]+"

_FOLD = re.compile(FOLD_PATTERN)

# traditional → simplified, one character each: OpenCC's TSCharacters.txt as pairs of code points
# (written with site_src/assets/t2s.js, the browser's copy of the same data, by
# generator/render/search_t2s.py; tests/domain/test_names.py checks the two agree)
T2S_PAIRS = (Path(__file__).with_name("t2s.txt")).read_text(encoding="utf-8").strip()
_T2S = str.maketrans({T2S_PAIRS[i]: T2S_PAIRS[i + 1] for i in range(0, len(T2S_PAIRS), 2)})


@lru_cache(maxsize=1 << 17)  # the same names are folded by several checks, and again by each
def fold(text: str) -> str:  # preview run: NFKC is most of the cost (measured: 0.23 s of 0.8 s)
    """Comparison form of a name, alias, id or institution (see the module docstring)."""
    return _FOLD.sub("", INVISIBLE.sub("", unicodedata.normalize("NFKC", text or "").lower()))


def simplify(text: str) -> str:
    """`text` in simplified characters, character for character: a query typed as 幹細胞 asks for
    干细胞 (names in the data are simplified; `/check/`, search and `registry check` convert the
    query only, then fold it)."""
    return (text or "").translate(_T2S)


def typos(q: str, key: str) -> int:
    """Fewest edits that turn `q` into some part of `key` (Sellers' approximate substring match):
    a typo inside a partial name. assets/names.js `typos` is the browser's copy."""
    prev = [0] * (len(key) + 1)
    for i in range(1, len(q) + 1):
        cur = [i]
        for j in range(1, len(key) + 1):
            same = prev[j - 1] + (q[i - 1] != key[j - 1])
            cur.append(min(same, prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return min(prev)


def longest_run(a: str, b: str) -> int:
    """Length of the longest part of `a` found unbroken in `b` (assets/names.js `longestRun`)."""
    best = 0
    for i in range(len(a)):
        n = best + 1
        while i + n <= len(a) and a[i : i + n] in b:
            best = n
            n += 1
    return best


def common_subsequence(a: str, b: str) -> int:
    """Length of the longest common subsequence: the characters of `a` found in order in `b`
    (示例第一医院 in 示例大学附属第一医院: 6). assets/names.js `commonSubsequence` is the copy."""
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j in range(1, len(b) + 1):
            cur.append(prev[j - 1] + 1 if ch == b[j - 1] else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]
