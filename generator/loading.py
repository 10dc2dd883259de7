"""Read one YAML file into plain Python values, remembering where every key and value stands.

`yaml.safe_load` is not enough for a public record: it keeps the last of two duplicate keys, expands
anchors (the billion-laughs bomb) and forgets positions. We walk the parser's event stream instead,
which lets us refuse tags, anchors and aliases before anything is expanded, spot duplicate keys, and
record a (line, column) for every path so that later checks can point at the exact spot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .errors import Problem, problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
BOM = b"\xef\xbb\xbf"
# Characters YAML 1.1 does not accept in a stream (PyYAML's Reader.NON_PRINTABLE).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

try:  # the C parser is several times faster; fall back when libyaml is missing
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_RESOLVER = yaml.resolver.Resolver()
_BOOL_TRUE = {"yes", "true", "on", "y"}

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed file: its data, the position of every value and key, and its problems."""

    file: str
    data: Any = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of `path` (its key when `key`), falling back to the nearest known ancestor."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def dotted(path: Path_) -> str:
    """`actions[0].record` style field path for messages."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_file(path: Path, display: str | None = None) -> Document:
    """Load `path`; never raises for bad content, problems are in the returned document."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Document(shown, problems=[problem("E107", shown, detail=f"无法读取文件：{exc.strerror}")])
    return load_bytes(raw, shown)


def load_bytes(raw: bytes, shown: str) -> Document:
    if len(raw) > MAX_BYTES:
        return Document(shown, problems=[problem("E101", shown, size=len(raw))])
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 4].hex(" ")
        return Document(shown, problems=[problem("E102", shown, line, col, lineno=line, detail=f"字节 {bad}")])
    if not text.strip():
        return Document(shown, data=None, problems=[problem("E110", shown)])
    return _Builder(shown).build(text)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    return repr(value)


class _Builder:
    """Turns the event stream into values; one instance per file."""

    def __init__(self, shown: str) -> None:
        self.doc = Document(shown)

    def error(self, code: str, mark: Any, path: Path_ = (), **kw: Any) -> None:
        self.doc.problems.append(
            problem(code, self.doc.file, mark.line + 1, mark.column + 1, dotted(path), **kw)
        )

    def build(self, text: str) -> Document:
        try:
            self.events = iter(yaml.parse(text, Loader=_Loader))
            self._document()
        except _Stop:
            pass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            self.doc.problems.append(
                problem(
                    "E103",
                    self.doc.file,
                    (mark.line + 1) if mark else 1,
                    (mark.column + 1) if mark else 1,
                    detail=detail or "格式错误",
                )
            )
            self.doc.data = None
        except yaml.YAMLError as exc:  # ReaderError: control characters and the like
            # libyaml reports a byte offset, the pure-Python reader a character offset: find the
            # offending character ourselves so that the line is right either way.
            bad = _NON_PRINTABLE.search(text)
            pos = bad.start() if bad else 0
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            detail = f"含有不允许的控制字符 U+{ord(bad.group()):04X}" if bad else " ".join(str(exc).split())
            self.doc.problems.append(problem("E103", self.doc.file, line, col, detail=detail))
            self.doc.data = None
        return self.doc

    def _document(self) -> None:
        for event in self.events:
            if isinstance(event, DocumentStartEvent):
                break
        else:
            return
        first = next(self.events)
        self.doc.data = self._node(first, (), 0)
        next(self.events)  # DocumentEndEvent
        extra = next(self.events)
        if not isinstance(extra, StreamEndEvent):
            self.error("E107", extra.start_mark, detail="文件只能包含一个 YAML 文档；请删除多余的 ---")

    def _check_node(self, event: Any, path: Path_) -> None:
        if event.anchor is not None:
            self.error("E106", event.start_mark, path, name="&" + event.anchor)
        tag = getattr(event, "tag", None)
        if tag is not None:  # any explicit tag, `!!python/object` and `!!str` alike
            self.error("E105", event.start_mark, path, tag=tag.replace("tag:yaml.org,2002:", "!!"))

    def _node(self, event: Any, path: Path_, depth: int) -> Any:
        if isinstance(event, AliasEvent):
            self.error("E106", event.start_mark, path, name="*" + event.anchor)
            return None
        self._check_node(event, path)
        self.doc.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, ScalarEvent):
            return _scalar(event)
        if depth >= MAX_DEPTH:
            self.error("E108", event.start_mark, path, limit=MAX_DEPTH)
            raise _Stop
        if isinstance(event, SequenceStartEvent):
            return self._sequence(path, depth)
        if isinstance(event, MappingStartEvent):
            return self._mapping(path, depth)
        raise _Stop  # pragma: no cover - the parser guarantees one of the above

    def _sequence(self, path: Path_, depth: int) -> list[Any]:
        items: list[Any] = []
        for event in self.events:
            if isinstance(event, SequenceEndEvent):
                return items
            items.append(self._node(event, (*path, len(items)), depth + 1))
        return items  # pragma: no cover

    def _mapping(self, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for event in self.events:
            if isinstance(event, MappingEndEvent):
                return out
            mark = event.start_mark
            key = self._node(event, (*path, "<key>"), depth + 1)
            value_event = next(self.events)
            if not isinstance(key, str):
                self.error("E109", mark, path, detail=_kind(key))
                self._node(value_event, (*path, "<key>"), depth + 1)
                continue
            child = (*path, key)
            if key in out:
                first = self.doc.keys[child][0]
                self.error("E104", mark, child, key=key, first_line=first)
                self._node(value_event, (*path, "<dup>"), depth + 1)
                continue
            self.doc.keys[child] = (mark.line + 1, mark.column + 1)
            out[key] = self._node(value_event, child, depth + 1)
        return out  # pragma: no cover


class _Stop(Exception):
    """Abandon a file whose structure makes further reading pointless."""


def _scalar(event: ScalarEvent) -> Any:
    """Plain scalars get YAML 1.1 core types; dates stay text so the models can report bad ones."""
    value = event.value
    if not event.implicit[0]:  # quoted or block scalar: always text
        return value
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    suffix = tag.rsplit(":", 1)[-1]
    if suffix == "null":
        return None
    if suffix == "bool":
        return value.lower() in _BOOL_TRUE
    if suffix in ("int", "float"):
        node = yaml.ScalarNode(tag, value)
        ctor = yaml.constructor.SafeConstructor()
        return ctor.construct_object(node)
    return value
