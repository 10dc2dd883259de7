"""Search keywords and the reproducible Pagefind bundle."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2

from generator.outputs.pagefind import canonicalize_filters
from generator.render.search import (
    encode,
    encoded_keywords,
    keywords,
    summary,
)


def _finds(query: str, *texts: str) -> bool:
    """Pagefind matches a metadata token when the query word is its prefix (the browser lower-cases
    the query, as `keywords` does the text)."""
    return any(token.startswith(query.lower()) for token in keywords(*texts).split())


def test_keywords_let_any_part_of_a_compound_match() -> None:
    name = "自体间充质干细胞治疗膝骨关节炎技术"
    for part in ("干细胞", "间充质", "间充质干细胞", "骨关节炎", "关节", "细胞治疗", "技术"):
        assert _finds(part, name), part
    assert not _finds("基因编辑", name)


def test_keywords_cover_aliases_category_and_latin_ids() -> None:
    text = ("GL-0003", "CAR-T", "自体CD19嵌合抗原受体T细胞", "细胞治疗")
    for part in ("GL-0003", "CAR-T", "CD19", "嵌合抗原受体", "细胞治疗"):
        assert _finds(part, *text), part


def test_keywords_are_unique_bounded_and_skip_single_characters() -> None:
    tokens = keywords("干细胞 干细胞", "的", "地中海贫血地中海贫血").split()
    assert len(tokens) == len(set(tokens))
    assert "的" not in tokens
    assert max(len(t) for t in tokens) <= 6


def test_keywords_normalise_width_and_case_and_drop_trailing_dots() -> None:
    tokens = keywords("ＣＡＲ－Ｔ治疗", "见 BMT-2026-001.").split()
    assert "car-t" in tokens and "bmt-2026-001" in tokens
    assert not any(t.endswith(".") for t in tokens)


def test_encoded_tokens_are_single_latin_words_and_keep_prefixes() -> None:
    """What search.js relies on: one lower-case ASCII word per token, no digits (no segmenter or
    Pagefind word splitting applies), and a prefix of the text is a prefix of the code."""
    token = encode("间充质干细胞")
    assert token.startswith("zq") and token.isascii() and token.isalpha() and token.islower()
    assert len(token) == 2 + 4 * 6
    assert token.startswith(encode("间充质"))
    assert not token.startswith(encode("干细胞"))
    assert encode("car-t") != encode("cart")
    codes = encoded_keywords("自体间充质干细胞治疗膝骨关节炎技术").split()
    assert any(c.startswith(encode("干细胞")) for c in codes)  # sub-word recall, encoded
    assert not any(c.startswith(encode("量子")) for c in codes)


def test_encoded_keywords_are_the_encoded_keywords_above_the_bmp_too() -> None:
    # the fast path cuts tokens out of one encoded run; a character above the BMP (seven
    # letters) takes the token-by-token path: both must equal encoding each plain token
    ext_b = "\U0002b81d"
    texts = (
        "自体间充质干细胞治疗膝骨关节炎技术",
        f"错{ext_b}畸形矫治",
        "CAR-T 治疗 CD19",
        "干细胞",
        "",
    )
    expected = " ".join(encode(t) for t in keywords(*texts).split())
    assert encoded_keywords(*texts) == expected
    assert f"错{ext_b}" in keywords(*texts)  # the slow path was taken


def test_encoded_keywords_skip_what_is_already_there() -> None:
    names = encoded_keywords("干细胞治疗")
    more = encoded_keywords("干细胞治疗", "细胞治疗", exclude=names).split()
    assert not set(more) & set(names.split())


def test_summary_is_the_first_real_sentence_in_plain_text() -> None:
    md = "**示例数据，非真实批准。** 本技术采集[患者](https://x.org)自身T细胞。第二句。\n\n### 标题"
    assert summary(md) == "本技术采集患者自身T细胞。"
    assert summary("", "### 概况\n\n用于治疗。") == "用于治疗。"
    long = "甲" * 200
    assert len(summary(long)) == 90 and summary(long).endswith("…")
    assert summary("", None or "") == ""


def _write(path: Path, obj: object) -> None:
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(obj)))


def _bundle(root: Path, order: list[str]) -> Path:
    bundle = root / "pagefind"
    (bundle / "filter").mkdir(parents=True)
    values = {"已批准技术": [3, 1], "公告": [2], "禁止技术": [0]}
    _write(bundle / "filter" / "zh_aaaaaaa.pf_filter", ["类型", [[v, values[v]] for v in order]])
    _write(
        bundle / "pagefind.zh_0000000000.pf_meta",
        ["1.5.2", [], [], [["类型", "zh_aaaaaaa"]], [], ["title"]],
    )
    entry = {
        "version": "1.5.2",
        "languages": {"zh": {"hash": "zh_0000000000", "wasm": None, "page_count": 4}},
    }
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    return bundle


def _files(bundle: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()
    }


def test_canonical_filters_do_not_depend_on_hash_map_order(tmp_path: Path) -> None:
    a = _bundle(tmp_path / "a", ["已批准技术", "公告", "禁止技术"])
    b = _bundle(tmp_path / "b", ["禁止技术", "已批准技术", "公告"])
    canonicalize_filters(a)
    canonicalize_filters(b)
    assert _files(a) == _files(b)
    entry = json.loads((a / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_hash = entry["languages"]["zh"]["hash"]
    meta = cbor2.loads(gzip.decompress((a / f"pagefind.{meta_hash}.pf_meta").read_bytes())[12:])
    name, filter_hash = meta[3][0]
    content = cbor2.loads(
        gzip.decompress((a / "filter" / f"{filter_hash}.pf_filter").read_bytes())[12:]
    )
    assert content == ["类型", [["公告", [2]], ["已批准技术", [1, 3]], ["禁止技术", [0]]]]


def test_encode_matches_the_plain_definition_for_any_text():
    """The cached translate table gives what the definition says: four letters per hex digit of
    each BMP code point, `z` and six above the BMP (as assets/search.js does)."""
    import random

    from generator.render.search import encode

    def letters(hexes: str) -> str:
        return "".join("abcdefghijklmnop"[int(h, 16)] for h in hexes)

    def plain(token: str) -> str:
        return "zq" + "".join(
            letters(f"{ord(c):04x}") if ord(c) <= 0xFFFF else "z" + letters(f"{ord(c):06x}")
            for c in token
        )

    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(
            chr(rng.choice([rng.randint(32, 0x9FFF), rng.randint(0x10000, 0x1FFFF)]))
            for _ in range(rng.randint(0, 8))
        )
        assert encode(text) == plain(text)


def test_summary_is_linear_in_unclosed_brackets() -> None:
    """500,000 `[` with no `]` in a summary: each `[` used to scan to the end of the line (minutes
    in the build, issue 23). Bounded by a CPU limit in a child process, not by a clock."""
    import subprocess
    import sys

    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_CPU, (5, 5));"
        "from generator.render.search import summary;"
        "print(summary('[' * 500_000 + 'x')[:3])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("[[["), done.stderr


def test_tokens_cover_every_cjk_block_and_encode_above_the_bmp() -> None:
    """Extension B–H characters are part of the runs (issue 27) and encode as `z` + six letters,
    a prefix code with the BMP's four: a query word's code is a prefix of the token's exactly when
    the word is a prefix of the token."""
    from generator.render.search import encode, keywords

    ext_b = "\U0002c317"
    tokens = keywords(f"错{ext_b}畸形矫治技术").split()
    assert f"{ext_b}畸形矫治技" in tokens and f"错{ext_b}畸形矫治" in tokens
    assert encode(ext_b) == "zq" + "z" + "acmdbh"  # 02c317 in letters a–p
    assert encode(f"{ext_b}畸形矫治技").startswith(encode(f"{ext_b}畸形"))
    assert not encode("畸形矫治").startswith(encode(ext_b))
