"""公告原件: the official file (PDF or OFD) an announcement may attach, checked byte for byte.

An announcement lists its originals under `attachments`, each a plain file name in
`data/attachments/` with its `size` and `sha256`. The site links the file and prints its hash on
the announcement page, and the dataset zip carries it, so that anyone can tell that what they
hold is the notice as published. Validation therefore reads every attached file and compares:

- E321: a name that is not a plain file name of data/attachments/ (no `/`, `\\`, `..`, hidden
  names; `.pdf` or `.ofd`), a hash that is not 64 hex digits, a size that is no byte count, a file
  over 50 MiB, or content that is not what the extension says (PDF starts with `%PDF-`, OFD is a
  ZIP container, GB/T 33190);
- E319: a name that is not in data/attachments/;
- E320: a file whose size or SHA-256 differs from the registered one.

Files are read with the records' own reader (`load.documents.read_regular`: regular files only,
opened without following links), and the folder is listed without following links: hidden files
are E112, links and devices E113, anything no announcement registers E311. The build reads each
file again through `verified_content`, which refuses a file changed since validation.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.domain.errors import Problem, problem
from generator.domain.models import ATTACHMENT_NAME, ATTACHMENTS_DIR, SHA256, Attachment
from generator.load.files import read_regular
from generator.validate.entries import Entry, Registry, display_path
from generator.validate.files import entry_problem

MAX_ATTACHMENT = 50 * 1024 * 1024  # an official notice is a few pages; a scan a few MiB
MAGIC = {".pdf": b"%PDF-", ".ofd": b"PK\x03\x04"}
NAME_RULE = (
    "只写 data/attachments/ 中的文件名，以字母或数字开头，由字母、数字、-、_ 和单个点组成，"
    "以 .pdf 或 .ofd 结尾；不能含 /、\\、.. 或以 . 开头。请把公告原件放进 data/attachments/ 并写它的文件名"
)
HASH_RULE = "应为 64 位十六进制数字（小写），即 sha256sum 输出的第一列"
SIZE_RULE = "应为文件的字节数（正整数），即 ls -l 显示的大小"


def _announcements(reg: Registry) -> tuple[list[Entry], bool]:
    """Announcements whose `attachments` validated, and whether every announcement's did."""
    entries = list(reg.announcements.values())
    partial = [e for (kind, _), e in sorted(reg.partial.items()) if kind == "announcement"]
    entries += [e for e in partial if e.ok("attachments")]
    return entries, all(e.ok("attachments") for e in partial)


def _listing(folder: Path, problems: list[Problem]) -> dict[str, Path | None]:
    """Regular files of data/attachments/ by name; everything else is reported (and mapped to
    None, so that an announcement naming it gets no second problem)."""
    out: dict[str, Path | None] = {}
    if not folder.is_dir() or folder.is_symlink():
        return out  # absent, or reported with the top-level entries (E113, E311)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        shown = display_path(folder / entry.name)
        bad = entry_problem(entry, shown)
        if bad is not None:
            problems.append(bad)
            out[entry.name] = None
        elif entry.is_dir(follow_symlinks=False):
            detail = f"data/attachments/ 中只放公告原件文件，不能有子目录 {entry.name}；请把文件直接放在 data/attachments/ 中"
            problems.append(problem("E311", shown, detail=detail))
        else:
            out[entry.name] = Path(entry.path)
    return out


def check_attachments(reg: Registry) -> Iterator[Problem]:
    """Every problem of data/attachments/ and of the announcements' `attachments`."""
    problems: list[Problem] = []
    files = _listing(reg.root / ATTACHMENTS_DIR, problems)
    entries, complete = _announcements(reg)
    used: set[str] = set()
    digests: dict[str, tuple[bytes | None, int, str | None]] = {}
    for entry in entries:
        for i, att in enumerate(getattr(entry.model, "attachments", None) or []):
            used.add(att.file)
            problems += _check_one(entry, i, att, files, digests)
    yield from problems
    if complete:  # an announcement whose attachments did not validate may register any file
        for name in sorted(n for n, path in files.items() if path and n not in used):
            detail = (
                f"data/attachments/{name} 没有被任何公告的 attachments 登记；"
                "请在公告中登记它（file、size、sha256），或删除该文件"
            )
            yield problem("E311", display_path(reg.root / ATTACHMENTS_DIR / name), detail=detail)


def _at(entry: Entry, i: int, field: str, code: str, **kw: object) -> Problem:
    line, col = entry.doc.where(("attachments", i, field))
    return problem(code, entry.doc.file, line, col, f"attachments[{i}].{field}", **kw)


def _format_problems(entry: Entry, i: int, att: Attachment) -> list[Problem]:
    out = []
    if not ATTACHMENT_NAME.fullmatch(att.file):
        out.append(_at(entry, i, "file", "E321", what="文件名", value=att.file, allowed=NAME_RULE))
    if not SHA256.fullmatch(att.sha256):
        out.append(
            _at(entry, i, "sha256", "E321", what="SHA-256", value=att.sha256, allowed=HASH_RULE)
        )
    if att.size < 1:
        out.append(
            _at(entry, i, "size", "E321", what="文件大小", value=att.size, allowed=SIZE_RULE)
        )
    return out


def _check_one(
    entry: Entry,
    i: int,
    att: Attachment,
    files: dict[str, Path | None],
    digests: dict[str, tuple[bytes | None, int, str | None]],
) -> list[Problem]:
    out = _format_problems(entry, i, att)
    if out and not ATTACHMENT_NAME.fullmatch(att.file):
        return out  # a name that could leave data/attachments/ is never opened
    if att.file not in files:
        return [*out, _at(entry, i, "file", "E319", value=att.file)]
    path = files[att.file]
    if path is None:
        return out  # a hidden file, link or device: reported at the file (E112, E113)
    if att.file not in digests:
        digests[att.file] = read_regular(path, MAX_ATTACHMENT)
    raw, size, why = digests[att.file]
    if why is not None:  # swapped for a link or a device after listing
        return [*out, problem("E113", display_path(path), name=att.file, what=why)]
    if raw is None:
        allowed = f"附件不能超过 {MAX_ATTACHMENT} 字节（50 MiB）；请放入公告原件本身"
        return [*out, _at(entry, i, "file", "E321", what="文件大小", value=size, allowed=allowed)]
    return out + _content_problems(entry, i, att, raw)


def _content_problems(entry: Entry, i: int, att: Attachment, raw: bytes) -> list[Problem]:
    ext = "." + att.file.rsplit(".", 1)[-1]
    if not raw.startswith(MAGIC[ext]):
        kind = "PDF 文件应以 %PDF- 开头" if ext == ".pdf" else "OFD 文件是 ZIP 容器，应以 PK 开头"
        allowed = f"扩展名为 {ext} 的附件内容必须是该格式（{kind}）；请放入公告原件本身"
        return [_at(entry, i, "file", "E321", what="内容", value=att.file, allowed=allowed)]
    out = []
    if len(raw) != att.size:
        out.append(
            _at(
                entry,
                i,
                "size",
                "E320",
                value=att.file,
                what="大小",
                declared=f"{att.size} 字节",
                actual=f"{len(raw)} 字节",
                key="size",
            )
        )
    actual = hashlib.sha256(raw).hexdigest()
    if SHA256.fullmatch(att.sha256) and actual != att.sha256:
        kw = {"what": "SHA-256", "declared": att.sha256, "actual": actual, "key": "sha256"}
        out.append(_at(entry, i, "sha256", "E320", value=att.file, **kw))
    return out


def verified_content(data_dir: Path, att: Attachment) -> bytes:
    """The bytes of a validated attachment, read again at build time; raises ValueError (one
    Chinese line) when the file is gone or no longer the one registered."""
    if not ATTACHMENT_NAME.fullmatch(att.file):
        raise ValueError(f"附件文件名不允许：{att.file!r}")
    raw, _size, why = read_regular(data_dir / ATTACHMENTS_DIR / att.file, MAX_ATTACHMENT)
    if why is not None or raw is None or hashlib.sha256(raw).hexdigest() != att.sha256:
        raise ValueError(f"附件 data/attachments/{att.file} 在校验后被改动或删除；请重新构建")
    return raw


def attachments_of(announcements: Iterable[object]) -> list[tuple[str, Attachment]]:
    """(announcement id, attachment) of every attachment of the given announcements."""
    return [(a.id, att) for a in announcements for att in getattr(a, "attachments", [])]
