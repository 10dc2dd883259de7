"""Reading data/ into a `Registry`: every file checked against its schema, problems collected, the fields that validated kept for the checks across files."""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.domain.errors import Problem, problem
from generator.domain.fields import Strict
from generator.domain.kinds import RECORD_DIRS
from generator.domain.models import (
    ATTACHMENTS_DIR,
    CONTENT_FIELDS,
    TOP_FILES,
    RegistryConfig,
    RiskGrades,
    VersionedConditions,
)
from generator.load.documents import Document, dotted, load_file, load_file_raw
from generator.load.files import special_kind
from generator.validate.cache import FileCache, StatKey, merge, stat_key
from generator.validate.entries import (
    Entry,
    Registry,
    category_choices,
    display_path,
    grade_choices,
)
from generator.validate.placeholders import (
    partial_entry,
    placeholder_paths,
    placeholder_problems,
    without_placeholder_fields,
)
from generator.validate.schema import (
    MARK_BYTES,
    is_readable,
    loader_paths,
    parse_model,
    path_inside,
    schema_adapter,
    schema_problem,
    unwrap_type,
    walk_path,
)
from generator.validate.text import text_problems


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


def _yaml_files(
    folder: Path, shown: str, problems: list[Problem]
) -> list[tuple[os.DirEntry[str], str]]:
    """(entry, path as shown in messages) of each record file; other files are reported."""
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
            out.append((entry, f"{shown}/{name}"))
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
        elif entry.name in (*RECORD_DIRS, ATTACHMENTS_DIR) and entry.is_dir(follow_symlinks=False):
            continue  # attachments/: 公告原件, checked by validate/attachments.py
        allowed = ", ".join([*RECORD_DIRS, ATTACHMENTS_DIR])
        detail = f"data/ 下不认识的 {entry.name}；允许的目录：{allowed}"
        problems.append(problem("E311", display_path(p), detail=detail))
        del out[entry.name]
    return out


def load_registry(root: Path, as_of: date, cache: FileCache | None = None) -> Registry:
    reg = Registry(root=root, as_of=as_of)
    problems = reg.problems
    entries = _top_entries(root, problems)
    for name, model in TOP_FILES.items():
        path = root / name
        if name not in entries:
            if not os.path.lexists(path):
                problems.append(problem("E312", display_path(path), value=f"data/{name}"))
            continue
        reg.files += 1
        doc = load_file(path, display_path(path))
        problems.extend(doc.problems or text_problems(doc))
        obj, errs = parse_model(doc, model)
        problems.extend(errs)
        if obj is None and errs:
            obj = _partial_vocabulary(doc, model)
            reg.incomplete_top.add(name)
        if name == "registry.yaml":
            reg.config, reg.config_doc = obj, doc
        else:
            reg.grades, reg.grades_doc = obj, doc
    shown_root = display_path(root)  # computed once: relpath per file is measurable at 10k files
    if cache is not None:
        cache.begin(as_of, tuple(_top_key(root / name) for name in TOP_FILES))
    seen: set[str] = set()
    for dirname, (kind, model) in RECORD_DIRS.items():
        if dirname not in entries:
            continue
        folder = root / dirname
        for entry, shown in _yaml_files(folder, f"{shown_root}/{dirname}", problems):
            if cache is None:
                _load_record(reg, Path(entry.path), shown, kind, model)
                continue
            seen.add(shown)
            _load_cached(reg, cache, entry, shown, kind, model)
    if cache is not None:
        cache.keep_only(seen)
    return reg


def _top_key(path: Path) -> StatKey | None:
    try:
        return stat_key(os.lstat(path))
    except OSError:
        return None


def _load_cached(
    reg: Registry,
    cache: FileCache,
    entry: os.DirEntry[str],
    shown: str,
    kind: str,
    model: type[Strict],
) -> None:
    """`_load_record`, reusing the last run's result for a file that did not change (no Path
    made for it: ten thousand of them are a tenth of a second of a preview's edit)."""
    try:
        key = stat_key(entry.stat(follow_symlinks=False))
    except OSError:  # gone meanwhile: read as the uncached path reads it (its own problem)
        _load_record(reg, Path(entry.path), shown, kind, model)
        return
    one = cache.get(shown, key)
    if one is None:
        one = Registry(root=reg.root, as_of=reg.as_of, config=reg.config, grades=reg.grades)
        _load_record(one, Path(entry.path), shown, kind, model)
        cache.put(shown, key, one)
    merge(reg, one)


def _conditions_model(doc: Document) -> tuple[type[Strict], list[Problem]]:
    """A conditions file is versioned (`versions`) or the one-version shorthand; never both."""
    if not isinstance(doc.data, dict) or "versions" not in doc.data:
        return RECORD_DIRS["conditions"][1], []
    mixed = []
    for key in doc.data:
        if key in CONTENT_FIELDS:
            line, col = doc.where((key,), key=True)
            mixed.append(problem("E316", doc.file, line, col, key, key=key))
    return VersionedConditions, mixed


_VOCABULARY = {RegistryConfig: "categories", RiskGrades: "grades"}


def _partial_vocabulary(doc: Document, model: type[Strict]) -> Any:
    """registry.yaml or risk-grades.yaml with problems: its categories or grades that do validate,
    so that the records are still checked against them in the same run (None when there are none).
    """
    data = doc.data if isinstance(doc.data, dict) and not doc.problems else None
    name = _VOCABULARY[model]
    items = data.get(name) if data is not None else None
    if not isinstance(items, list):
        return None
    item_model = unwrap_type(model.model_fields[name].annotation)[0]
    good = []
    for item in items:
        try:
            good.append(item_model.model_validate(item))
        except ValidationError:
            continue
    values: dict[str, Any] = {name: good}
    if model is RegistryConfig and isinstance(data.get("redirects"), dict):
        with contextlib.suppress(ValidationError):  # bad redirects: reported, not checked
            values["redirects"] = schema_adapter(model, "redirects").validate_python(
                data["redirects"]
            )
    return model.model_construct(**values) if good else None


def _load_record(reg: Registry, path: Path, shown: str, kind: str, model: type[Strict]) -> None:
    reg.files += 1
    doc, raw = load_file_raw(path, shown)  # never follows a link, never opens a FIFO (E113)
    reg.problems.extend(doc.problems or text_problems(doc))
    if kind == "conditions" and not doc.problems:
        model, mixed = _conditions_model(doc)
        if mixed:  # E316: which of the two forms is meant is unknown; nothing of it is used
            reg.problems.extend(mixed)
            reg.unreadable.add((kind, path.stem))
            reg.partial[(kind, path.stem)] = Entry(
                kind, model.model_construct(), doc, frozenset({"*"})
            )
            return
    # every placeholder contains MARK: only files that do are walked (a few % of validate time)
    held = placeholder_paths(doc) if MARK_BYTES in raw else {}
    obj, errors = _validate(doc, model, reg)
    reg.problems.extend(without_placeholder_fields(errors, doc, held))
    reg.problems.extend(placeholder_problems(reg, doc, held))
    if obj is not None and not held and not doc.problems and obj.id == path.stem:
        table = {"conditions": reg.conditions, "announcement": reg.announcements}.get(
            kind, reg.records
        )
        table[obj.id] = Entry(kind, obj, doc)
        return
    # Not a complete record: keep what did validate for the checks across files, so that one
    # run reports every problem (no second round once the schema problems are fixed).
    entry = partial_entry(kind, doc, model, obj, held)
    written = getattr(entry.model, "id", None) if entry.ok("id") else None
    if written is not None and written != path.stem:
        line, col = doc.where(("id",))
        reg.problems.append(
            problem("E301", doc.file, line, col, "id", value=written, stem=path.stem)
        )
        entry.bad = entry.bad | {"id"}
    reg.unreadable.add((kind, path.stem))
    reg.partial[(kind, path.stem)] = entry


def _validate(doc: Document, model: type[Strict], reg: Registry) -> tuple[Any, list[Any]]:
    """(model or None, [(pydantic error, problem)]); file-level problems (E107, E110) as problems."""
    if doc.problems and not is_readable(doc):
        return None, []
    if doc.data is None or not isinstance(doc.data, dict):
        return None, parse_model(doc, model)[1]
    refused = loader_paths(doc)
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [
            (e, _vocabulary_problem(reg, doc, e) or schema_problem(doc, model, e))
            for e in exc.errors()
            if not path_inside(dotted(walk_path(doc.data, tuple(e["loc"]))), refused)
        ]


def _vocabulary_problem(reg: Registry, doc: Document, err: Any) -> Problem | None:
    """A category or risk grade that is not even an id (细胞治疗): list the ids with their names."""
    loc = tuple(err["loc"])
    if (
        err["type"] != "string_pattern_mismatch"
        or not loc
        or loc[-1] not in ("category", "risk_grade")
    ):
        return None
    path = walk_path(doc.data, loc)
    line, col = doc.where(path)
    value = str(err.get("input"))
    if loc[-1] == "category":
        return problem(
            "E303",
            doc.file,
            line,
            col,
            dotted(path),
            value=value,
            allowed=category_choices(reg, value),
        )
    return problem(
        "E304", doc.file, line, col, dotted(path), value=value, allowed=grade_choices(reg, value)
    )
