"""Schema problems: pydantic's errors turned into our catalogue's, with the position in the file and the allowed values in Chinese."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.domain.errors import Problem, problem
from generator.domain.fields import CELL_JOIN, CELL_LIMIT, NON_BLANK, Strict
from generator.domain.fields import ID_HELP as ID_PATTERN_HELP
from generator.domain.kinds import labels_for
from generator.domain.models import Action
from generator.domain.vocabulary import (
    ACTION_LABELS,
    GROUND_LABELS,
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


def unwrap_type(tp: Any) -> list[Any]:
    """Model classes reachable from an annotation (through Annotated, Optional, list, unions)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return unwrap_type(get_args(tp)[0])
    if origin in (list, Union, UnionType):
        return [m for arg in get_args(tp) for m in unwrap_type(arg)]
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
            for m in unwrap_type(c.model_fields[part].annotation)
        ]
        if not nxt:
            return None
        candidates = nxt
    return candidates[0] if len(candidates) == 1 else None


def _tag(model: type[BaseModel]) -> str | None:
    f = model.model_fields.get("action")
    args = get_args(f.annotation) if f is not None else ()
    return args[0] if len(args) == 1 else None


def walk_path(data: Any, loc: tuple[Any, ...]) -> Path_:
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


@dataclass(frozen=True)
class _Spot:
    """Where a schema error points: the file, the path of the value and its position."""

    doc: Document
    path: Path_
    line: int
    col: int

    def problem(self, code: str, **kw: Any) -> Problem:
        return problem(code, self.doc.file, self.line, self.col, dotted(self.path), **kw)


def schema_problem(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    """One pydantic error as the catalogue's problem, at the position of what it is about."""
    loc, kind = tuple(err["loc"]), err["type"]
    if kind in ("extra_forbidden", "missing", "union_tag_not_found"):
        return _key_problem(doc, model, loc, kind)
    path = walk_path(doc.data, loc)
    spot = _Spot(doc, path, *doc.where(path))
    value, ctx = err.get("input"), err.get("ctx") or {}
    if kind in _EXPECTED:
        return _type_problem(spot, kind, value)
    handler = _VALUE_PROBLEMS.get(kind)
    if handler is not None:
        return handler(spot, value, ctx, kind)
    return spot.problem("E207", value=value, allowed=err.get("msg", ""))


def _key_problem(doc: Document, model: type[BaseModel], loc: tuple[Any, ...], kind: str) -> Problem:
    """An unknown key (E201) or a missing one (E202)."""
    if kind == "extra_forbidden":
        key = loc[-1]
        path = walk_path(doc.data, loc[:-1])  # the mapping that holds the unknown key
        owner = _model_at(model, loc[:-1])
        allowed = labelled(owner.model_fields, labels_for(owner)) if owner else "见 registry schema"
        line, col = doc.where((*path, key), key=True)
        return problem("E201", doc.file, line, col, dotted((*path, key)), key=key, allowed=allowed)
    path = walk_path(doc.data, loc)
    key = loc[-1] if kind == "missing" else "action"
    line, col = doc.where(path)
    label = labels_for(_model_at(model, loc[:-1])).get(str(key))
    shown = f"“{key}”（{label}）" if label else f"“{key}”"
    return problem("E202", doc.file, line, col, dotted((*path, key)), key=shown)


def _type_problem(spot: _Spot, kind: str, value: Any) -> Problem:
    hint = ""
    if kind == "string_type" and isinstance(value, bool):
        hint = "；YAML 会把 yes/no/on/off/true/false 当作布尔值，文本请加引号"
    elif kind == "string_type" and isinstance(value, int | float):
        hint = "；数字形式的文本请加引号"
    return spot.problem("E203", expected=_EXPECTED[kind], actual=_describe(value), hint=hint)


def _what(spot: _Spot) -> str:
    where = dotted(spot.path)
    return f"字段 {where} " if where else "内容"


def _pattern_problem(spot: _Spot, value: Any, ctx: dict[str, Any], _kind: str) -> Problem:
    pattern = ctx.get("pattern", "")
    if pattern == NON_BLANK:
        return spot.problem("E208", what=_what(spot), advice="请填写内容或删除该字段")
    if pattern in ID_PATTERN_HELP:
        shown, example = ID_PATTERN_HELP[pattern]
        return spot.problem("E204", value=value, pattern=shown, example=example)
    return spot.problem("E207", value=value, allowed="小写字母、数字和连字符（例如 cell-therapy）")


def _choice_problem(spot: _Spot, value: Any, ctx: dict[str, Any], _kind: str) -> Problem:
    expected = ctx.get("expected") or ctx.get("expected_tags") or ""
    allowed = labelled(re.findall(r"'([^']*)'", expected))
    return spot.problem("E207", value=ctx.get("tag", value), allowed=allowed)


def _nesting_problem(spot: _Spot, value: Any, ctx: dict[str, Any], _kind: str) -> Problem:
    line, _col = _link_position(spot.doc, spot.path, value, {"line": ctx["line"]})
    return problem("E215", spot.doc.file, line, 1, dotted(spot.path), limit=ctx["limit"])


def _too_long_problem(spot: _Spot, value: Any, ctx: dict[str, Any], kind: str) -> Problem:
    where = dotted(spot.path)
    if kind == "cell_too_long":  # a list whose items share one cell
        what = f"列表 {where} 各项（以“{CELL_JOIN}”连接）合计"
        length, hint = ctx["length"], "，或删去部分条目"
    else:
        what = f"字段 {where} " if where else "文本"
        length, hint = len(value) if isinstance(value, str) else 0, ""
    return spot.problem("E217", what=what, length=length, limit=CELL_LIMIT, hint=hint)


def _link_problem(spot: _Spot, value: Any, ctx: dict[str, Any], kind: str) -> Problem:
    line, col = _link_position(spot.doc, spot.path, value, ctx)
    link = str(ctx["value"])
    link = link if len(link) <= 200 else link[:199] + "…"  # one readable line
    code = "E209" if kind == "markdown_link" else "E211"
    return problem(code, spot.doc.file, line, col, dotted(spot.path), value=link)


def _ground_route_problem(spot: _Spot, _value: Any, ctx: dict[str, Any], _kind: str) -> Problem:
    detail = (
        f"调出途径 {labelled([ctx['route']])} 不能使用理由 {labelled([ctx['value']])}；"
        f"可选：{labelled(ctx['allowed'].split(', '))}"
        "（界定指导原则 二(二)2）"
    )
    return spot.problem("E406", detail=detail)


def _url_problem(spot: _Spot, value: Any, _ctx: dict[str, Any], _kind: str) -> Problem:
    extra = "；如需站内链接请写在 Markdown 正文中" if str(value).startswith("/") else ""
    return spot.problem("E206", value=value, extra=extra)


_VALUE_PROBLEMS = {
    "date_range": lambda s, v, c, k: s.problem(
        "E213", value=c["value"], low=YEARS[0], high=YEARS[1]
    ),
    "invalid_date": lambda s, v, c, k: s.problem("E205", value=c.get("value", v)),
    "url_scheme": _url_problem,
    "literal_error": _choice_problem,
    "union_tag_invalid": _choice_problem,
    "string_pattern_mismatch": _pattern_problem,
    # a required list (institutions …) stays required: deleting it would only be E202
    "too_short": lambda s, v, c, k: s.problem("E208", what=_what(s), advice="请至少填写一项"),
    "markdown_link": _link_problem,
    "markdown_image": _link_problem,
    "markdown_nesting": _nesting_problem,
    "string_too_long": _too_long_problem,
    "cell_too_long": _too_long_problem,
    "duplicate_item": lambda s, v, c, k: s.problem("E210", value=c["value"]),
    "ground_route": _ground_route_problem,
}


MARK_BYTES = MARK.encode("utf-8")

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
    if link and (found := doc.line(line).find(link, col - 1)) >= 0:
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
        return None, [schema_problem(doc, model, e) for e in exc.errors()]


# Problems of the loader after which the rest of the file is still whole: a duplicate key (its
# second value is dropped), a tag or an alias (that one value is not trusted). The schema and the
# checks across files still run on everything else.
_LOCAL_LOAD_CODES = frozenset({"E104", "E105", "E106", "E216"})


def is_readable(doc: Document) -> bool:
    return isinstance(doc.data, dict) and all(p.code in _LOCAL_LOAD_CODES for p in doc.problems)


def loader_paths(doc: Document) -> list[str]:
    """Dotted paths of the values the loader refused (a tag, an alias, a number too long)."""
    return [p.path for p in doc.problems if p.code in ("E105", "E106", "E216")]


def path_inside(where: str, paths: list[str]) -> bool:
    return any(where == p or where.startswith((p + ".", p + "[")) or not p for p in paths)


@functools.cache
def schema_adapter(model: type[Strict], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[misc]


@functools.cache
def action_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Action)
