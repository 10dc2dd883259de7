"""Search keywords and the reproducible Pagefind bundle."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2

from generator.search import canonicalize_filters, keywords


def _finds(query: str, *texts: str) -> bool:
    """Pagefind matches a metadata token when the query word is its prefix."""
    return any(token.startswith(query) for token in keywords(*texts).split())


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
