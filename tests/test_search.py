"""Search keywords and the reproducible Pagefind bundle."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2

from generator.search import canonicalize_filters, keywords


def test_keywords_contain_the_words_inside_compounds() -> None:
    words = keywords("自体间充质干细胞治疗膝骨关节炎技术").split()
    assert "干细胞" in words
    assert "间充质" in words
    assert "骨关节炎" in words or "关节炎" in words


def test_keywords_keep_latin_ids_and_aliases() -> None:
    words = keywords("GL-0003", "CAR-T", "自体CD19嵌合抗原受体T细胞").split()
    assert {"GL-0003", "CAR-T", "CD19"} <= set(words)


def test_keywords_are_unique_and_skip_single_characters() -> None:
    words = keywords("干细胞 干细胞", "的").split()
    assert words.count("干细胞") == 1
    assert "的" not in words


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
