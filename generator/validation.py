"""Load a whole `data/` directory, check it file by file and across files, and replay its status.

`check_registry` is the one entry point shared by the CLI and the MkDocs plugin: it never raises
for bad data; every problem is collected into the returned `Registry.problems`.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .errors import Problem, problem, sort_key
from .loading import Document, Path_, dotted, load_file, special_kind
from .models import (
    ID_PATTERN_HELP,
    NON_BLANK,
    RECORD_DIRS,
    TOP_FILES,
    YEARS,
    RegistryConfig,
    RiskGrades,
    Strict,
    id_kind,
)
from .status import KIND_LABELS, Replay, replay
from .textcheck import fold_name, text_problems

RECORD_KINDS = ("guidance", "approved", "banned")


@dataclass
class Entry:
    """A record file that passed its schema: its kind, model and where it came from."""

    kind: str
    model: Any
    doc: Document


@dataclass
class Registry:
    """Everything read from `data/`, plus the problems found and the replayed statuses."""

    root: Path
    as_of: date
    config: RegistryConfig | None = None
    grades: RiskGrades | None = None
    records: dict[str, Entry] = field(default_factory=dict)  # GL, BMT, BAN by id
    conditions: dict[str, Entry] = field(default_factory=dict)
    announcements: dict[str, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    replay: Replay | None = None
    # (kind, file stem) of record files that exist but could not be loaded: their own problems are
    # reported, so references to them are not reported again as dangling (no cascades).
    unreadable: set[tuple[str, str]] = field(default_factory=set)
    config_doc: Document | None = None  # registry.yaml, for positions of redirect problems

    @property
    def ok(self) -> bool:
        return not self.problems


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when that is shorter."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


# --- single-file schema -------------------------------------------------------------------------

_EXPECTED = {
    "string_type": "文本",
    "list_type": "列表",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "model_type": "映射（键: 值）",
    "model_attributes_type": "映射（键: 值）",
    "dict_type": "映射（键: 值）",
}


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    return f"文本 “{value}”"


def _unwrap(tp: Any) -> list[Any]:
    """Model classes reachable from an annotation (through Annotated, Optional, list, unions)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _unwrap(get_args(tp)[0])
    if origin in (list, Union, UnionType):
        return [m for arg in get_args(tp) for m in _unwrap(arg)]
    return [tp] if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that the mapping at `loc` is validated against (for allowed-field lists)."""
    candidates = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        by_tag = [c for c in candidates if _tag(c) == part]
        if by_tag:
            candidates = by_tag
            continue
        nxt = [
            m
            for c in candidates
            if part in c.model_fields
            for m in _unwrap(c.model_fields[part].annotation)
        ]
        if not nxt:
            return None
        candidates = nxt
    return candidates[0] if len(candidates) == 1 else None


def _tag(model: type[BaseModel]) -> str | None:
    f = model.model_fields.get("action")
    args = get_args(f.annotation) if f is not None else ()
    return args[0] if len(args) == 1 else None


def _walk(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Map a pydantic `loc` onto the data path, skipping union tags and validator steps."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        if (
            isinstance(cur, dict)
            and part in cur
            or isinstance(cur, list)
            and isinstance(part, int)
            and part < len(cur)
        ):
            cur = cur[part]
            out.append(part)
    return tuple(out)


def _schema_problem(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    path = _walk(doc.data, loc)
    f = doc.file
    if kind == "extra_forbidden":
        key = loc[-1]
        path = _walk(doc.data, loc[:-1])  # the mapping that holds the unknown key
        owner = _model_at(model, loc[:-1])
        allowed = ", ".join(owner.model_fields) if owner else "见 registry schema"
        line, col = doc.where((*path, key), key=True)
        return problem("E201", f, line, col, dotted((*path, key)), key=key, allowed=allowed)
    if kind in ("missing", "union_tag_not_found"):
        key = loc[-1] if kind == "missing" else "action"
        line, col = doc.where(path)
        return problem("E202", f, line, col, dotted((*path, key)), key=key)
    line, col = doc.where(path)
    where = dotted(path)
    value = err.get("input")
    if kind in _EXPECTED:
        hint = ""
        if kind == "string_type" and isinstance(value, bool):
            hint = "；YAML 会把 yes/no/on/off/true/false 当作布尔值，文本请加引号"
        elif kind == "string_type" and isinstance(value, int | float):
            hint = "；数字形式的文本请加引号"
        return problem(
            "E203",
            f,
            line,
            col,
            where,
            expected=_EXPECTED[kind],
            actual=_describe(value),
            hint=hint,
        )
    if kind == "date_range":
        low, high = YEARS
        return problem("E213", f, line, col, where, value=ctx["value"], low=low, high=high)
    if kind == "invalid_date":
        return problem("E205", f, line, col, where, value=ctx.get("value", value))
    if kind == "url_scheme":
        extra = "；如需站内链接请写在 Markdown 正文中" if str(value).startswith("/") else ""
        return problem("E206", f, line, col, where, value=value, extra=extra)
    if kind in ("literal_error", "union_tag_invalid"):
        allowed = ctx.get("expected") or ctx.get("expected_tags") or ""
        shown = ctx.get("tag", value)
        return problem("E207", f, line, col, where, value=shown, allowed=allowed.replace("'", ""))
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern == NON_BLANK:
            return problem("E208", f, line, col, where, what=f"字段 {where} " if where else "内容")
        if pattern in ID_PATTERN_HELP:
            shown, example = ID_PATTERN_HELP[pattern]
            return problem("E204", f, line, col, where, value=value, pattern=shown, example=example)
        slug = "小写字母、数字和连字符（例如 cell-therapy）"
        return problem("E207", f, line, col, where, value=value, allowed=slug)
    if kind == "too_short":
        what = f"字段 {where} " if where else "内容"
        return problem("E208", f, line, col, where, what=what)
    if kind in ("markdown_link", "markdown_image"):
        line, col = _text_line(value, line, col, ctx.get("line", 1))
        code = "E209" if kind == "markdown_link" else "E211"
        return problem(code, f, line, col, where, value=ctx["value"])
    if kind == "duplicate_item":
        return problem("E210", f, line, col, where, value=ctx["value"])
    if kind == "ground_route":
        detail = (
            f"调出途径 {ctx['route']} 不能使用理由 {ctx['value']}；可选：{ctx['allowed']}"
            "（界定指导原则 二(二)2）"
        )
        return problem("E406", f, line, col, where, detail=detail)
    allowed = err.get("msg", "")
    return problem("E207", f, line, col, where, value=value, allowed=allowed)


def _text_line(value: Any, line: int, col: int, text_line: int) -> tuple[int, int]:
    """File position of line `text_line` of a text value that starts at (line, col).

    A block scalar (`key: |`, the only multi-line form that keeps a final newline) starts on the
    line after its indicator; other scalars start where the value does.
    """
    if text_line <= 1 and not (isinstance(value, str) and value.endswith("\n")):
        return line, col
    block = isinstance(value, str) and value.endswith("\n")
    return line + text_line - (0 if block else 1), 1


def parse_model(doc: Document, model: type[Strict]) -> tuple[Any, list[Problem]]:
    """Validate a loaded document against its model; problems instead of exceptions."""
    if doc.problems:
        return None, []
    if doc.data is None:
        return None, [problem("E110", doc.file)]
    if not isinstance(doc.data, dict):
        return None, [
            problem(
                "E107", doc.file, detail=f"文件顶层应为映射（键: 值），实际是{_describe(doc.data)}"
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_schema_problem(doc, model, e) for e in exc.errors()]


# --- loading the directory ----------------------------------------------------------------------


def entry_problem(entry: os.DirEntry[str], shown: str) -> Problem | None:
    """A hidden name or anything but a regular file or directory under data/ (never followed)."""
    if entry.name.startswith("."):
        return problem("E112", shown, name=entry.name)
    if entry.is_symlink() or not (
        entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)
    ):
        what = special_kind(entry.stat(follow_symlinks=False).st_mode) or "特殊文件"
        return problem("E113", shown, name=entry.name, what=what)
    return None


def _yaml_files(folder: Path, shown: str, problems: list[Problem]) -> list[tuple[Path, str]]:
    """(path, path as shown in messages) of each record file; other files are reported."""
    out = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        bad = entry_problem(entry, f"{shown}/{name}")
        if bad is not None:
            problems.append(bad)
            continue
        if name.endswith(".md") and entry.is_file(follow_symlinks=False):
            continue
        if name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
            out.append((Path(entry.path), f"{shown}/{name}"))
            continue
        hint = "请改用 .yaml 扩展名" if name.endswith(".yml") else "本目录只放 .yaml 记录文件"
        problems.append(
            problem("E311", f"{shown}/{name}", detail=f"意外的文件或目录 {name}；{hint}")
        )
    return out


def _top_entries(root: Path, problems: list[Problem]) -> dict[str, os.DirEntry[str]]:
    """The entries of data/ that may be read: regular files and real directories, by name."""
    out = {}
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        p = root / entry.name
        bad = entry_problem(entry, display_path(p))
        if bad is not None:
            problems.append(bad)
            continue
        out[entry.name] = entry
        if entry.name in TOP_FILES or entry.name.endswith(".md"):
            if entry.is_file(follow_symlinks=False):
                continue
        elif entry.name in RECORD_DIRS and entry.is_dir(follow_symlinks=False):
            continue
        detail = f"data/ 下不认识的 {entry.name}；允许的目录：{', '.join(RECORD_DIRS)}"
        problems.append(problem("E311", display_path(p), detail=detail))
        del out[entry.name]
    return out


def load_registry(root: Path, as_of: date) -> Registry:
    reg = Registry(root=root, as_of=as_of)
    problems = reg.problems
    entries = _top_entries(root, problems)
    for name, model in TOP_FILES.items():
        path = root / name
        if name not in entries:
            if not os.path.lexists(path):
                problems.append(problem("E312", display_path(path), value=f"data/{name}"))
            continue
        doc = load_file(path, display_path(path))
        problems.extend(doc.problems or text_problems(doc))
        obj, errs = parse_model(doc, model)
        problems.extend(errs)
        if name == "registry.yaml":
            reg.config, reg.config_doc = obj, doc
        else:
            reg.grades = obj
    shown_root = display_path(root)  # computed once: relpath per file is measurable at 10k files
    for dirname, (kind, model) in RECORD_DIRS.items():
        if dirname not in entries:
            continue
        folder = root / dirname
        for path, shown in _yaml_files(folder, f"{shown_root}/{dirname}", problems):
            _load_record(reg, path, shown, kind, model)
    return reg


def _load_record(reg: Registry, path: Path, shown: str, kind: str, model: type[Strict]) -> None:
    doc = load_file(path, shown)
    reg.problems.extend(doc.problems or text_problems(doc))
    obj, errs = parse_model(doc, model)
    reg.problems.extend(errs)
    if obj is None:
        reg.unreadable.add((kind, path.stem))
        return
    if obj.id != path.stem:
        line, col = doc.where(("id",))
        reg.problems.append(
            problem("E301", doc.file, line, col, "id", value=obj.id, stem=path.stem)
        )
        reg.unreadable.add((kind, path.stem))
        return
    table = {"conditions": reg.conditions, "announcement": reg.announcements}.get(kind, reg.records)
    table[obj.id] = Entry(kind, obj, doc)


# --- across files -------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Names compare after NFKC (full-width → half-width) with all whitespace and invisible
    format characters (zero-width, bidi controls, …) removed."""
    return fold_name(name)


def _at(entry: Entry, path: Path_, code: str, **kw: Any) -> Problem:
    line, col = entry.doc.where(path)
    return problem(code, entry.doc.file, line, col, dotted(path), **kw)


def _check_references(reg: Registry) -> Iterable[Problem]:
    cats = [c.id for c in reg.config.categories] if reg.config else []
    for entry in reg.records.values():
        m = entry.model
        if reg.config and m.category not in cats:
            yield _at(entry, ("category",), "E303", value=m.category, allowed=", ".join(cats))
        ref = getattr(m, "guidance_entry", None)
        if ref is None or ("guidance", ref) in reg.unreadable:
            continue
        if ref not in reg.records or reg.records[ref].kind != "guidance":
            yield _at(entry, ("guidance_entry",), "E305", what="备案指导清单条目", value=ref)
    for rid, entry in reg.records.items():
        if (
            entry.kind == "approved"
            and rid not in reg.conditions
            and ("conditions", rid) not in reg.unreadable
        ):
            yield _at(entry, ("id",), "E306", value=rid)
    for rid, entry in reg.conditions.items():
        if ("approved", rid) in reg.unreadable:
            continue
        if rid not in reg.records or reg.records[rid].kind != "approved":
            yield _at(entry, ("id",), "E307", value=rid)


def _check_names(reg: Registry) -> Iterable[Problem]:
    for kind in RECORD_KINDS:
        owners: dict[str, str] = {}
        entries = [(rid, e) for rid, e in sorted(reg.records.items()) if e.kind == kind]
        for rid, entry in entries:
            key = name_key(entry.model.name)
            if key in owners:
                yield _at(entry, ("name",), "E309", value=entry.model.name, other=owners[key])
            else:
                owners[key] = rid
        for rid, entry in entries:
            for i, alias in enumerate(entry.model.aliases):
                other = owners.get(name_key(alias))
                if other is not None and other != rid:
                    yield _at(
                        entry,
                        ("aliases", i),
                        "E310",
                        value=alias,
                        other=f"{KIND_LABELS[kind]} {other}",
                    )


def _check_announcements(reg: Registry) -> Iterable[Problem]:
    numbers: dict[str, str] = {}
    named: set[str] = set()
    for aid, entry in sorted(reg.announcements.items()):
        key = name_key(entry.model.number)
        if key in numbers:
            yield _at(entry, ("number",), "E313", value=entry.model.number, other=numbers[key])
        numbers.setdefault(key, aid)
        named.update(a.record for a in entry.model.actions)
    if any(kind == "announcement" for kind, _ in reg.unreadable):
        return  # an unreadable announcement may name any record
    for rid, entry in sorted(reg.records.items()):
        if rid not in named:
            yield _at(entry, ("id",), "E308", value=rid)


# A redirect source path: ASCII segments that start with a letter or digit (so no `.`, `..`,
# hidden names, backslashes, percent-escapes, NUL or look-alike Unicode), each ending in `/`.
REDIRECT_PATH = re.compile(r"^/(?:[A-Za-z0-9][A-Za-z0-9._~\-]{0,99}/){1,6}$", re.ASCII)

# Top-level names of what the site generates (compared in lower case: a case-insensitive file
# system would let /Approved/ overwrite /approved/). Only old record addresses under a section
# (`/approved/<old-id-or-name>/`) may use one of them.
RESERVED_DIRS = {
    "",
    "guidance-list",
    "approved",
    "banned",
    "announcements",
    "risk-grades",
    "changes",
    "check",
    "api",
    "downloads",
    "about",
    "assets",
    "pagefind",
    "feeds",
    "search",
    "sitemap.xml",
    "sitemap.xml.gz",
    "404.html",
    "index.html",
    "robots.txt",
    "favicon.ico",
    "stylesheets",
    "javascripts",
    "overrides",
    "schemas",
}
SECTION_DIRS = ("guidance-list", "approved", "banned", "announcements")
SECTION_SUBPAGES = {"page", "index.html", "print"}


def redirect_source_problem(reg: Registry, old: str) -> str | None:
    """Why `old` cannot be a redirect source (None when it can): the page it would write must
    stay inside the site and must not be any file the site generates."""
    if id_kind(old) is not None:
        if old in reg.records or old in reg.announcements:
            return f"“{old}” 是现有记录的编号，不能再作为旧编号重定向；请删除这一项"
        return None
    if not REDIRECT_PATH.match(old):
        return (
            f"“{old}” 既不是记录编号，也不是以 / 开头和结尾、只含字母数字和 ._~- 的站内路径"
            "（例如 /approved/old-name/）；不允许 ..、反斜杠、百分号编码和空白；请改正"
        )
    parts = old.strip("/").lower().split("/")
    if parts[0] not in RESERVED_DIRS:
        return None
    taken = {rid.lower() for rid in (*reg.records, *reg.announcements)}
    if (
        parts[0] in SECTION_DIRS
        and len(parts) == 2
        and parts[1] not in taken
        and parts[1] not in SECTION_SUBPAGES
    ):
        return None
    return f"“{old}” 是本站生成的页面或文件的地址，不能用作重定向来源；请删除这一项"


def _check_redirects(reg: Registry) -> Iterable[Problem]:
    """`redirects` in registry.yaml: an old id or site path → the current id of a record."""
    if reg.config is None or reg.config_doc is None:
        return
    from .redirects import redirect_source_dir

    doc = reg.config_doc
    seen: dict[str, str] = {}
    for old, target in reg.config.redirects.items():
        line, col = doc.where(("redirects", old), key=True)
        where = f"redirects.{old}"
        if target not in reg.records:
            detail = f"重定向 {old} 的目标 “{target}” 不是现有记录的编号；请写成现有记录的编号，例如 BMT-2026-001"
            yield problem("E314", doc.file, line, col, where, detail=detail)
        why = redirect_source_problem(reg, old)
        if why is not None:
            yield problem("E314", doc.file, line, col, where, detail=why)
            continue
        key = redirect_source_dir(old).lower()
        if key in seen:
            detail = f"“{old}” 与 “{seen[key]}” 指向同一地址；请删除其中一项"
            yield problem("E314", doc.file, line, col, where, detail=detail)
        seen.setdefault(key, old)


def _replay(reg: Registry) -> Iterable[Problem]:
    kinds = {rid: e.kind for rid, e in reg.records.items()}
    grades = {g.id: g.exclusive_years for g in reg.grades.grades} if reg.grades else {}
    anns = [e.model for e in reg.announcements.values()]
    reg.replay = replay(anns, kinds, grades, reg.as_of)
    broken = {rid for kind, rid in reg.unreadable if kind in RECORD_KINDS}
    for issue in reg.replay.issues:
        if issue.code == "E305" and issue.kwargs.get("value") in broken:
            continue  # the record's file exists; its own problems are already reported
        if issue.code == "E304" and reg.grades is None:
            continue  # risk-grades.yaml is missing or unreadable: reported once, not per approval
        entry = reg.announcements[issue.announcement]
        yield _at(entry, ("actions", issue.index, issue.field), issue.code, **issue.kwargs)


def check_registry(root: Path, as_of: date) -> Registry:
    """Load, validate and replay `root`; the returned registry carries every problem found."""
    # Loading makes ~50 small objects per record and no reference cycles: the cyclic garbage
    # collector only burns time here (measured: 3.3 s → 2.1 s at 10,000 records).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        reg = load_registry(root, as_of)
        for check in (
            _check_references,
            _check_names,
            _check_announcements,
            _check_redirects,
            _replay,
        ):
            reg.problems.extend(check(reg))
        reg.problems = sorted(set(reg.problems), key=sort_key)
    finally:
        if was_enabled:
            gc.enable()
    return reg
