"""Search: keywords that make Pagefind find words inside longer Chinese terms, and running Pagefind.

Pagefind segments Chinese text at index time with its own dictionary and the query in the browser
with `Intl.Segmenter`; the two disagree (地中海贫血 is indexed as 地中 + 海 + 贫血, the query 地中海
stays whole), so compounds fail to match. Pagefind 1.5 also searches metadata, and metadata is
indexed as whitespace-separated tokens with prefix matching, without re-segmentation. So every
indexed page carries a `keywords` metadata field holding, for each run of Chinese characters in its
name, aliases, category and short texts, every suffix of up to `SUFFIX` characters: any part of the
run is then the start of some token. 干细胞 finds 间充质干细胞 (token 干细胞治疗膝…), 细胞治疗 finds a
CAR-T entry filed under 细胞治疗. Latin words (ids, CAR-T, CD19) are kept whole.

We first used jieba's search mode for these tokens; suffixes need no dictionary (jieba split 间充质
and 脱靶 apart), find every substring rather than dictionary words, and cost no segmentation: jieba
took about 3 s at 10,000 records.

Pagefind 1.5 then splits a Chinese query with `Intl.Segmenter` (干细胞 → 干 + 细胞), ranks pages that
match *any* of the words and falls back to shorter index words (量子 matched 量 in 高通量), so the
raw index finds unrelated pages and ranks announcements that say 细胞 above the record named 干细胞.
The tokens are therefore written *encoded* (`encode`): each character as four letters, one Latin
word per token, which no segmenter splits. `assets/search.js` encodes the query the same way, asks
Pagefind for each query word separately and keeps the pages that match every word (see there).
Tokens go into attribute-form metadata (`data-pagefind-meta="kn:…"`), which Pagefind searches but
never shows in an excerpt: `kn` holds the record's id, name and aliases, weighted high, so that a
record whose name matches ranks first; `kw` the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Every CJK block: radicals, Extension A, the unified ideographs, compatibility ideographs, and
# Extensions B–H with the compatibility supplement (above the BMP: medical terms have them, e.g.
# 错𬌗畸形). assets/search.js splits queries with the same class.
CJK_CLASS = (
    "\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af\U0002f800-\U0002fa1f"
)
_CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
_LATIN = re.compile(r"[a-z0-9][a-z0-9\-+.]*")
SUFFIX = 6  # longest token; the browser splits longer queries into words of a few characters


def _words(texts: tuple[str, ...]) -> Iterator[tuple[bool, str]]:
    """(is Chinese, word) of `texts` in order: each run of Chinese characters and each Latin word
    (two characters or more) of the texts, NFKC-normalised and lower-cased first, as the browser
    does with the query."""
    for raw in texts:
        if not raw:
            continue
        text = unicodedata.normalize("NFKC", raw).lower()
        for run in _CJK_RUN.findall(text):
            yield True, run
        for found in _LATIN.findall(text):
            word = found.rstrip(".-")
            if len(word) > 1:
                yield False, word


def keywords(*texts: str) -> str:
    """Space-separated, de-duplicated search tokens (plain text) of `texts`: every suffix of up to
    `SUFFIX` characters of each Chinese run (single characters left out: Pagefind's own index has
    them) and each Latin word whole."""
    seen: dict[str, None] = {}
    for chinese, word in _words(texts):
        if chinese:
            for i in range(len(word) - 1):
                seen.setdefault(word[i : i + SUFFIX], None)
        else:
            seen.setdefault(word, None)
    return " ".join(seen)


_LETTERS = "abcdefghijklmnop"  # one letter per hex digit: no digit/letter or case boundary to split


def encode(token: str) -> str:
    """A token as one Latin word: `zq`, then per character four letters a–p (its code point in
    hex) or, above the BMP, `z` and six (the letters never include `z`, so no character's code is
    the start of another's). Prefixes survive: a query word encoded the same way is a prefix of
    the encoded token exactly when it is a prefix of the token. Same function in
    assets/search.js (`encode`)."""
    return "zq" + token.translate(_ENCODED)


class _Encoded(dict[int, str]):
    """str.translate table built on demand: code point → its letters (see `encode`). Tokens repeat
    across records, so each character is worked out once per build instead of once per occurrence
    (was 6 s of a 10,000-record build)."""

    def __missing__(self, cp: int) -> str:
        digits = f"{cp:04x}" if cp <= 0xFFFF else f"{cp:06x}"
        value = ("z" if cp > 0xFFFF else "") + "".join(_LETTERS[int(h, 16)] for h in digits)
        self[cp] = value
        return value


_ENCODED = _Encoded()


def encoded_keywords(*texts: str, exclude: str = "") -> str:
    """`keywords(*texts)`, each token encoded, without the tokens already in `exclude` (encoded).

    A run of characters of the Basic Multilingual Plane is encoded once and its tokens cut out of
    that (four letters a character): a fifth of the page rendering at 10,000 records was encoding
    every token again (tests/render/test_search.py checks it against `encode`)."""
    seen: dict[str, None] = {}
    for chinese, word in _words(texts):
        coded = word.translate(_ENCODED)
        if not chinese:
            seen.setdefault(coded, None)
        elif len(coded) == 4 * len(word):
            for i in range(0, 4 * (len(word) - 1), 4):
                seen.setdefault(coded[i : i + 4 * SUFFIX], None)
        else:  # a character above the BMP takes seven letters: token by token
            for i in range(len(word) - 1):
                seen.setdefault(word[i : i + SUFFIX].translate(_ENCODED), None)
    skip = set(exclude.split())
    return " ".join(t for t in ("zq" + c for c in seen) if t not in skip)


# `[^\[\]]`: a link text holds no bracket, so each `[` scans only to the next one (with `[^\]]`,
# a summary of 500,000 `[` and no `]` took minutes: every `[` scanned to the end of the line)
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\(([^()]*)\)")
_MD_MARK = re.compile(r"[*_`#>|]+")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
SUMMARY = 90  # characters of the sentence a search result shows


def summary(*texts: str) -> str:
    """The first sentence of the first non-empty text, as plain text: the line a search result
    shows under the title (Markdown marks and links reduced to their text, at most `SUMMARY`)."""
    for text in texts:
        for line in (text or "").splitlines():
            if line.lstrip().startswith("#"):  # a heading is no sentence
                continue
            plain = " ".join(_MD_MARK.sub(" ", _MD_LINK.sub(r"\1", line)).split())
            if not plain or set(plain) <= set("-: "):
                continue
            for sentence in _SENTENCE_END.split(plain):
                sentence = sentence.strip()
                # the sample note is shown as a label on the result already
                if sentence and not sentence.startswith("示例数据"):
                    return sentence if len(sentence) <= SUMMARY else sentence[: SUMMARY - 1] + "…"
    return ""
