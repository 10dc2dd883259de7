"""`registry new KIND`: commented skeletons that pass validation once their placeholders are filled.

Every placeholder a template writes contains 请填写 ("please fill in"). `placeholders()` reads them
back out of the templates themselves, and validation rejects any value still equal to one (E214),
so the skeletons and the check cannot drift apart. `registry new approved` writes the three files
an approval needs: the record, its conditions and the `approve` announcement that names it.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from generator.domain.kinds import ID_PATTERNS, id_kind
from generator.load.documents import load_file
from generator.load.files import MISSING, data_root_fault
from generator.validate.scaffolds import DIRS, Vocabulary, render

PATTERN = {
    "guidance": ("GL-", 4),
    "banned": ("BAN-", 4),
}


def next_id(kind: str, folder: Path, today: date) -> str:
    """Next free id of `kind`: GL/BAN count up; BMT/ANN count up within the current year."""
    taken = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    if kind in PATTERN:
        prefix, width = PATTERN[kind]
    else:
        prefix, width = (
            ("BMT-" if kind in ("approved", "conditions") else "ANN-") + f"{today.year}-",
            3,
        )
    numbers = [
        int(m.group(1)) for t in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", t))
    ]
    return f"{prefix}{(max(numbers, default=0) + 1):0{width}d}"


def _vocabulary(data_dir: Path) -> Vocabulary:
    voc: dict[str, str] = {}
    reg = load_file(data_dir / "registry.yaml").data
    if isinstance(reg, dict) and isinstance(reg.get("categories"), list):
        cats = [c for c in reg["categories"] if isinstance(c, dict) and "id" in c]
        if cats:
            voc["categories"] = "、".join(f"{c['id']}（{c.get('name', '')}）" for c in cats)
    grades = load_file(data_dir / "risk-grades.yaml").data
    if isinstance(grades, dict) and isinstance(grades.get("grades"), list):
        gs = [g for g in grades["grades"] if isinstance(g, dict) and "id" in g]
        if gs:
            voc["grades"] = "、".join(
                f"{g['id']}（{g.get('name', '')}，{g.get('exclusive_years', '?')} 年）" for g in gs
            )
    folder = data_dir / DIRS["guidance"]
    first = sorted(folder.glob("GL-*.yaml"))[:1] if folder.is_dir() else []
    if first:
        data = load_file(first[0]).data
        name = data.get("name") if isinstance(data, dict) else None
        voc["guidance"] = f"{first[0].stem}（{name}）" if isinstance(name, str) else first[0].stem
    return Vocabulary(**voc)


def plan(kind: str, data_dir: Path, record_id: str | None, today: date) -> list[tuple[Path, str]]:
    """(path, text) of every file `registry new KIND` writes."""
    voc = _vocabulary(data_dir)
    rid = record_id or next_id(kind, data_dir / DIRS[kind], today)
    if kind != "approved":
        return [(data_dir / DIRS[kind] / f"{rid}.yaml", render(kind, rid, today, voc))]
    ann = next_id("announcement", data_dir / DIRS["announcement"], today)
    return [
        (
            data_dir / DIRS["approved"] / f"{rid}.yaml",
            render("approved", rid, today, voc, announcement=ann),
        ),
        (data_dir / DIRS["conditions"] / f"{rid}.yaml", render("conditions", rid, today, voc)),
        (
            data_dir / DIRS["announcement"] / f"{ann}.yaml",
            render("announcement", ann, today, voc, record=rid),
        ),
    ]


ID_KIND = {"conditions": "approved"}  # a conditions file carries its technology's id


def _check_id(kind: str, record_id: str) -> None:
    """An --id that does not fit the kind's pattern is refused before anything is written, so no
    path can be built from it (`../x`, `/etc/x`, `GL-0001/../../x`)."""
    wanted = ID_KIND.get(kind, kind)
    if id_kind(record_id) != wanted:
        pattern, example = ID_PATTERNS[wanted]
        raise ValueError(f"编号 “{record_id}” 不符合 {pattern}（例如 {example}）；未写入任何文件")


def _write(path: Path, text: str) -> None:
    # O_NOFOLLOW: a symlink put in place after the checks is still not written through
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def scaffold(
    kind: str, data_dir: Path, record_id: str | None, today: date, force: bool
) -> list[Path]:
    """Write the skeleton(s) of `kind`; ValueError and nothing written when the id does not fit
    the kind's pattern, the data root or anything on the way is a link or special file, or a
    file exists (unless force)."""
    if record_id is not None:
        _check_id(kind, record_id)
    fault = data_root_fault(data_dir)  # a linked data/ would be written through, even outside
    if fault not in (None, MISSING):
        raise ValueError(f"记录目录 {data_dir} {fault}；未写入任何文件（E114）")
    files = plan(kind, data_dir, record_id, today)
    for path, _ in files:
        folder = path.parent
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ValueError(f"{folder} 不是普通目录（可能是符号链接）；未写入任何文件")
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise ValueError(f"{path} 是符号链接或特殊文件；未写入任何文件")
    existing = [path for path, _ in files if path.exists()]
    if existing and not force:
        raise ValueError(f"{existing[0]} 已存在；换一个 --id，或加 --force 覆盖")
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, text)
    return [path for path, _ in files]
