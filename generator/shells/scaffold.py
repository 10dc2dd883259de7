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

from generator.domain.ids import IdFormat
from generator.domain.kinds import file_spec
from generator.load.documents import load_file
from generator.load.files import MISSING, data_root_fault
from generator.validate.scaffolds import DIRS, Vocabulary, render

# what `next_id` understands of an id format (domain/ids.py): a prefix of capitals and a hyphen,
# optionally a four-digit year and a hyphen, then a serial number of a fixed width
_FORMAT = re.compile(r"\^([A-Z]+-)(\\d\{4\}-)?\\d\{(\d+)\}\$")
LISTED_SHOWN = 12  # entries named in a skeleton's comment; the rest are counted


def id_parts(ids: IdFormat, today: date) -> tuple[str, int]:
    """(the prefix every new id starts with, the width of its serial number) of an id format:
    `^GL-\\d{4}$` → ("GL-", 4); `^CR-\\d{4}-\\d{4}$` → ("CR-2026-", 4) in 2026, as its example
    (CR-2026-0001) shows: the first group of two is the year. A format of another shape is a
    programming error, said loudly (teach this function the new shape)."""
    m = _FORMAT.fullmatch(ids.regex)
    if m is None:
        raise ValueError(f"registry new cannot number ids of the format {ids.regex}")
    prefix, yearly, width = m.group(1), m.group(2), int(m.group(3))
    return (f"{prefix}{today.year}-" if yearly else prefix), width


def next_id(kind: str, folder: Path, today: date) -> str:
    """Next free id of file kind `kind` in `folder`: one more than the highest number taken (with
    the current year, for the formats that carry one: BMT, ANN, CR)."""
    prefix, width = id_parts(file_spec(kind).ids, today)
    taken = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    numbers = [
        int(m.group(1))
        for t in taken
        if (m := re.fullmatch(re.escape(prefix) + r"([0-9]+)", t, re.ASCII))
    ]
    return f"{prefix}{(max(numbers, default=0) + 1):0{width}d}"


def _one_line(text: str) -> str:
    """Text from data put in a comment: on one line (a line break would end the comment)."""
    return " ".join(text.split())


def _listed(data_dir: Path, today: date) -> str | None:
    """The guidance entries listed today (id and name), as the data's replay says; None when
    the data cannot be replayed (a registry with problems still replays what is valid)."""
    from generator.publish.pipeline import check_registry

    if not (data_dir / DIRS["guidance"]).is_dir():
        return None
    reg = check_registry(data_dir, today)
    statuses = reg.replay.statuses if reg.replay is not None else {}
    listed = sorted(
        rid
        for rid, e in reg.records.items()
        if e.kind == "guidance" and (st := statuses.get(rid)) is not None and st.code == "listed"
    )
    if not listed:
        return "（没有）"
    lines = [f"{r} {_one_line(reg.records[r].model.name)}" for r in listed[:LISTED_SHOWN]]
    if len(listed) > LISTED_SHOWN:
        lines.append(f"……共 {len(listed)} 条，全部见 /guidance-list/")
    return "\n#     ".join(lines)  # one comment line each (see the templates)


def _vocabulary(data_dir: Path, today: date) -> Vocabulary:
    voc: dict[str, str] = {}
    reg = load_file(data_dir / "registry.yaml").data
    if isinstance(reg, dict) and isinstance(reg.get("categories"), list):
        cats = [c for c in reg["categories"] if isinstance(c, dict) and "id" in c]
        if cats:
            voc["categories"] = _one_line(
                "、".join(f"{c['id']}（{c.get('name', '')}）" for c in cats)
            )
    grades = load_file(data_dir / "risk-grades.yaml").data
    if isinstance(grades, dict) and isinstance(grades.get("grades"), list):
        gs = [g for g in grades["grades"] if isinstance(g, dict) and "id" in g]
        if gs:
            voc["grades"] = _one_line(
                "、".join(
                    f"{g['id']}（{g.get('name', '')}，{g.get('exclusive_years', '?')} 年）"
                    for g in gs
                )
            )
    if (listed := _listed(data_dir, today)) is not None:
        voc["listed"] = listed
    return Vocabulary(**voc)


def plan(kind: str, data_dir: Path, record_id: str | None, today: date) -> list[tuple[Path, str]]:
    """(path, text) of every file `registry new KIND` writes."""
    voc = _vocabulary(data_dir, today)
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


def _check_id(kind: str, record_id: str) -> None:
    """An --id that does not fit the kind's format is refused before anything is written, so no
    path can be built from it (`../x`, `/etc/x`, `GL-0001/../../x`). A conditions file carries its
    technology's id: the spec gives it the same format."""
    ids = file_spec(kind).ids
    if not ids.matches(record_id):
        raise ValueError(
            f"编号 “{record_id}” 不符合 {ids.regex}（例如 {ids.example}）；未写入任何文件"
        )


def conditions_owner(data_dir: Path, record_id: str | None) -> str:
    """The approved technology a new conditions file belongs to (its file name is that id): the
    one --id names, which must exist, or without --id the only approved technology that has no
    conditions yet. Anything else is a usage error: a conditions file of no technology is an
    orphan (E307), and a next free number would name none."""
    ids = file_spec("conditions").ids  # file names that are no id name no technology
    approved = {stem for stem in _stems(data_dir / DIRS["approved"]) if ids.matches(stem)}
    if record_id is not None:
        if record_id not in approved:
            raise ValueError(
                f"没有已批准技术 {record_id}（{data_dir / DIRS['approved'] / record_id}.yaml）："
                "技术条件文件属于一项已批准技术，文件名就是它的编号；未写入任何文件。"
                "新批准的技术请用 registry new approved，它同时生成技术条件文件和批准公告"
            )
        return record_id
    without = sorted(approved - _stems(data_dir / DIRS["conditions"]))
    if len(without) == 1:
        return without[0]
    hint = (
        f"尚无技术条件文件的已批准技术：{'、'.join(without[:LISTED_SHOWN])}"
        + ("……" if len(without) > LISTED_SHOWN else "")
        if without
        else "每项已批准技术都已有技术条件文件：修订请在原文件的 versions 末尾追加新版本"
    )
    raise ValueError(
        "registry new conditions 需要 --id：技术条件属于一项已批准技术，文件名就是它的编号"
        f"（例如 --id BMT-2026-001）。{hint}；新批准的技术请用 registry new approved。"
        "未写入任何文件"
    )


def _stems(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()


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
    if kind == "conditions":
        record_id = conditions_owner(data_dir, record_id)
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
