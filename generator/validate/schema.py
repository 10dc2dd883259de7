"""Schema problems: pydantic's errors turned into our catalogue's, with the position in the file and the allowed values in Chinese."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.domain.errors import Problem, problem
from generator.domain.fields import NON_BLANK, Strict
from generator.domain.models import Action
from generator.domain.vocabulary import (
    ACTION_LABELS,
    FIELD_LABELS,
    GROUND_LABELS,
    ID_PATTERN_HELP,
    ROUTE_LABELS,
    YEARS,
)
from generator.load.documents import Document, Path_, dotted
from generator.validate.scaffolds import MARK

if TYPE_CHECKING:
    pass


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
        allowed = labelled(owner.model_fields, FIELD_LABELS) if owner else "见 registry schema"
        line, col = doc.where((*path, key), key=True)
        return problem("E201", f, line, col, dotted((*path, key)), key=key, allowed=allowed)
    if kind in ("missing", "union_tag_not_found"):
        key = loc[-1] if kind == "missing" else "action"
        line, col = doc.where(path)
        label = FIELD_LABELS.get(str(key))
        shown = f"“{key}”（{label}）" if label else f"“{key}”"
        return problem("E202", f, line, col, dotted((*path, key)), key=shown)
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
        allowed = labelled(
            re.findall(r"'([^']*)'", ctx.get("expected") or ctx.get("expected_tags") or "")
        )
        shown = ctx.get("tag", value)
        return problem("E207", f, line, col, where, value=shown, allowed=allowed)
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
        line, col = _link_position(doc, path, value, ctx)
        link = str(ctx["value"])
        link = link if len(link) <= 200 else link[:199] + "…"  # one readable line
        code = "E209" if kind == "markdown_link" else "E211"
        return problem(code, f, line, col, where, value=link)
    if kind == "duplicate_item":
        return problem("E210", f, line, col, where, value=ctx["value"])
    if kind == "ground_route":
        detail = (
            f"调出途径 {labelled([ctx['route']])} 不能使用理由 {labelled([ctx['value']])}；"
            f"可选：{labelled(ctx['allowed'].split(', '))}"
            "（界定指导原则 二(二)2）"
        )
        return problem("E406", f, line, col, where, detail=detail)
    allowed = err.get("msg", "")
    return problem("E207", f, line, col, where, value=value, allowed=allowed)


_MARK_BYTES = MARK.encode("utf-8")

_CODE_LABELS = {**ACTION_LABELS, **ROUTE_LABELS, **GROUND_LABELS}


def labelled(codes: Iterable[str], labels: dict[str, str] | None = None) -> str:
    """Allowed values for messages, each with its Chinese name: `direct（直接调出）、…`."""
    table = _CODE_LABELS if labels is None else labels
    return "、".join(f"{c}（{table[c]}）" if c in table else c for c in codes)


def _link_position(doc: Document, path: Path_, value: Any, ctx: dict[str, Any]) -> tuple[int, int]:
    """Line and column of a bad link or image inside a (possibly multi-line) text field.

    The check gives the link's line in the text (`line`, from the rendered tree) or its character
    offset (`offset`, from the source scan); a block scalar (`key: |`, the only multi-line form
    that keeps a final newline) starts on the line after its indicator. The column is where the
    link stands on that line of the file, when it stands there verbatim.
    """
    line, col = doc.where(path)
    text = value if isinstance(value, str) else ""
    if "offset" in ctx:
        text_line = text.count("\n", 0, int(ctx["offset"])) + 1
    else:
        text_line = int(ctx.get("line", 1))
    block = text.endswith("\n")
    if block or text_line > 1:
        line, col = line + text_line - (0 if block else 1), 1
    link = str(ctx.get("value", ""))
    try:
        lines = Path(doc.file).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError):
        return line, col
    if link and line <= len(lines) and (found := lines[line - 1].find(link, col - 1)) >= 0:
        return line, found + 1
    return line, col


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


# Problems of the loader after which the rest of the file is still whole: a duplicate key (its
# second value is dropped), a tag or an alias (that one value is not trusted). The schema and the
# checks across files still run on everything else.
_LOCAL_LOAD_CODES = frozenset({"E104", "E105", "E106"})


def _readable(doc: Document) -> bool:
    return isinstance(doc.data, dict) and all(p.code in _LOCAL_LOAD_CODES for p in doc.problems)


def _loader_paths(doc: Document) -> list[str]:
    """Dotted paths of the values the loader refused (a tag, an alias)."""
    return [p.path for p in doc.problems if p.code in ("E105", "E106")]


def _inside(where: str, paths: list[str]) -> bool:
    return any(where == p or where.startswith((p + ".", p + "[")) or not p for p in paths)


@functools.cache
def _adapter(model: type[Strict], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[misc]


@functools.cache
def _action_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Action)
