"""What changed inside a text, word by word: the one comparison `registry diff` and the public
revision history both mark changed text with.

Chinese has no spaces, so a "word" here is one token of `tokens`: each CJK character (Han, kana,
Hangul) alone, a run of other letters and digits (a Latin word, a number, `CAR-T` as `CAR`, `-`,
`T`) whole, a run of whitespace whole, and every other character (punctuation, full-width
punctuation, symbols) alone. Token sequences are compared with `difflib.SequenceMatcher`
(`autojunk=False`: its heuristic throws away frequent characters such as 的 and 。 in any text
over 200 tokens, which would mark them as changed).

Bounded: the common head and tail are cut off first (linear), and when what remains is too big to
compare within `MAX_WORK` token pairs (SequenceMatcher is quadratic in the worst case) the middle
is said as one deletion and one insertion: the whole changed stretch replaced.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Mark = Literal["same", "del", "ins"]

# Token pairs (len(old middle) × len(new middle)) compared at most. SequenceMatcher's worst case is
# about this many steps: 2,000 × 2,000 tokens of the most repetitive text takes well under a second.
MAX_WORK = 4_000_000

_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[^\W_])+|\s+|.", re.DOTALL)


def tokens(text: str) -> list[str]:
    """`text` cut into the tokens `mark_words` compares; they join back to `text` exactly."""
    return _TOKEN.findall(text)


def mark_words(old: str, new: str) -> list[tuple[Mark, str]]:
    """How `new` differs from `old`, as runs of text marked `same`, `del` (only in `old`) or `ins`
    (only in `new`).

    Guarantees (the API both the diff and the revision history rely on):
    - the `same` and `del` texts, in order, join to `old`; the `same` and `ins` texts join to `new`;
    - no run is empty, and two neighbouring runs never have the same mark;
    - where text is replaced, its `del` run comes right before its `ins` run;
    - equal texts give `[("same", old)]` (nothing at all when both are empty);
    - changes are whole tokens (see `tokens`): a changed character of Chinese is marked alone,
      a changed Latin word or number whole;
    - time is bounded: above `MAX_WORK` the changed middle is one `del` and one `ins`.
    The texts are returned as given: escaping them for where they are shown is the caller's task.
    """
    a, b = tokens(old), tokens(new)
    head = _common_head(a, b)
    tail = _common_tail(a[head:], b[head:])
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    runs: list[tuple[Mark, str]] = [("same", "".join(a[:head]))]
    if len(mid_a) * len(mid_b) > MAX_WORK:
        runs += [("del", "".join(mid_a)), ("ins", "".join(mid_b))]
    else:
        runs += _compared(mid_a, mid_b)
    runs.append(("same", "".join(a[len(a) - tail :])))
    return _merged(_absorbed(_merged(runs)))


def _common_head(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_tail(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _compared(a: list[str], b: list[str]) -> list[tuple[Mark, str]]:
    runs: list[tuple[Mark, str]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(a[i1:i2])))
            continue
        runs += [("del", "".join(a[i1:i2])), ("ins", "".join(b[j1:j2]))]
    return runs


def _merged(runs: list[tuple[Mark, str]]) -> list[tuple[Mark, str]]:
    """Empty runs dropped, neighbours with one mark joined, and in each stretch of changes every
    deletion before every insertion (so a reader sees old text, then new)."""
    out: list[tuple[Mark, str]] = []
    dels: list[str] = []
    inss: list[str] = []
    for mark, text in [*runs, ("same", "")]:
        if mark == "del":
            dels.append(text)
        elif mark == "ins":
            inss.append(text)
        else:
            out += [(m, t) for m, t in (("del", "".join(dels)), ("ins", "".join(inss))) if t]
            dels, inss = [], []
            if text and out and out[-1][0] == "same":
                out[-1] = ("same", out[-1][1] + text)
            elif text:
                out.append(("same", text))
    return out


def _absorbed(runs: list[tuple[Mark, str]]) -> list[tuple[Mark, str]]:
    """A lone shared character between two changes (the 的 of 甲的丙 → 乙的丁) made part of both:
    `~~甲的丙~~**乙的丁**` reads better than four marks around one unchanged character. Only a
    single non-space character with changes on both sides is absorbed."""
    out = list(runs)
    i = 1
    while i < len(out) - 1:
        mark, text = out[i]
        left, right = out[i - 1], out[i + 1]
        lone = mark == "same" and len(text) == 1 and not text.isspace()
        if lone and left[0] != "same" and right[0] != "same":
            out[i : i + 1] = [("del", text), ("ins", text)]
            i += 2
            continue
        i += 1
    return out
