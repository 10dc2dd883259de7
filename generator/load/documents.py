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

from generator.domain.characters import SUSPECT
from generator.domain.errors import Problem, problem
from generator.load.files import MAX_BYTES, read_regular
from generator.load.yaml_errors import yaml_error

MAX_DEPTH = 20

BOM = b"\xef\xbb\xbf"

# Characters YAML 1.1 does not accept in a stream (PyYAML's Reader.NON_PRINTABLE).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

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
    # False when the source text holds no character that textcheck refuses and no backslash
    # (the only way to write one as an escape): its values need not be checked one by one.
    suspect: bool = True
    # The text read: messages find columns in it (one line index per file, made on first use).
    source: str = field(default="", repr=False)
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    def line(self, number: int) -> str:
        self._lines = self.source.splitlines() if self._lines is None else self._lines
        return self._lines[number - 1] if 0 < number <= len(self._lines) else ""

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
    """Load `path`; never raises for bad content, problems are in the returned document. Only a
    regular file is read: a symlink, FIFO or device is E113, never read (no message can quote a
    file outside data/)."""
    return load_file_raw(path, display)[0]


def load_file_raw(path: Path, display: str | None = None) -> tuple[Document, bytes]:
    """`load_file`, and the bytes it read (empty when it read none)."""
    shown = display or str(path)
    raw, size, why = read_regular(path)
    if why is not None:
        if why.startswith("无法读取"):
            return Document(shown, problems=[problem("E107", shown, detail=why)]), b""
        return Document(shown, problems=[problem("E113", shown, name=path.name, what=why)]), b""
    if raw is None:
        return Document(shown, problems=[problem("E101", shown, size=size)]), b""
    return load_bytes(raw, shown), raw


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
        return Document(
            shown, problems=[problem("E102", shown, line, col, lineno=line, detail=f"字节 {bad}")]
        )
    if not text.strip():
        return Document(shown, data=None, problems=[problem("E110", shown)])
    doc = _Builder(shown).build(text)
    doc.suspect = suspect_text(text)
    doc.source = text
    return doc


def suspect_text(text: str) -> bool:
    return SUSPECT.search(text) is not None


class _Frame:
    """An open mapping or sequence while walking the event stream."""

    __slots__ = ("value", "path", "is_map", "key", "expect_key")

    def __init__(self, value: Any, path: Path_, is_map: bool) -> None:
        self.value = value
        self.path = path
        self.is_map = is_map
        self.key: str | None = None
        self.expect_key = is_map


_DISCARD = "<dup>"  # path segment for values of duplicate keys: checked, but not kept


class _Builder:
    """Turns the event stream into values; one instance per file. An explicit stack instead of
    recursion, `get_event` called directly: the hot path of `registry validate`."""

    def __init__(self, shown: str) -> None:
        self.doc = Document(shown)

    def error(self, code: str, mark: Any, path: Path_ = (), **kw: Any) -> None:
        self.doc.problems.append(
            problem(code, self.doc.file, mark.line + 1, mark.column + 1, dotted(path), **kw)
        )

    def build(self, text: str) -> Document:
        limit = self.parse_yaml(text, _Loader)
        if limit is not None:
            self._nested_too_deep(text, limit)
        return self.doc

    def parse_yaml(self, text: str, loader_class: Any) -> yaml.MarkedYAMLError | None:
        """Walk `text` into self.doc; returns the parser's own nesting-limit error, if it hit one."""
        loader = loader_class(text)
        try:
            self._document(loader.get_event)
        except _Stop:
            pass
        except yaml.MarkedYAMLError as exc:
            if _is_parser_depth_limit(exc):
                return exc
            line, col, detail = yaml_error(exc, text)
            self.doc.problems.append(problem("E103", self.doc.file, line, col, detail=detail))
            self.doc.data = None
        except yaml.YAMLError as exc:  # ReaderError: control characters and the like
            # libyaml reports a byte offset, the pure-Python reader a character offset: find the
            # offending character ourselves so that the line is right either way.
            bad = _NON_PRINTABLE.search(text)
            pos = bad.start() if bad else 0
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            if bad:
                detail = f"含有不允许的控制字符 U+{ord(bad.group()):04X}；请删除该字符"
            else:
                detail = f"无法读取（PyYAML：{' '.join(str(exc).split())}）"
            self.doc.problems.append(problem("E103", self.doc.file, line, col, detail=detail))
            self.doc.data = None
        finally:
            loader.dispose()
        return None

    def _nested_too_deep(self, text: str, limit: yaml.MarkedYAMLError) -> None:
        """libyaml stopped at its own nesting limit (1000) before our walk reached MAX_DEPTH (its
        scanner reads 1,024 characters ahead). E108 must name the line where nesting passes *our*
        limit: 1. the same parser on the text up to where it gave up, at C speed; 2. else the
        pure-Python parser (no limit; ~4× slower); 3. else where the parser gave up (deeper)."""
        mark = limit.problem_mark or limit.context_mark
        cut = getattr(mark, "index", 0) or 0
        if 0 < cut < len(text):
            self.doc = Document(self.doc.file)
            if self.parse_yaml(text[:cut], _Loader) is None and _has(self.doc, "E108"):
                return
        if _Loader is not yaml.SafeLoader:
            self.doc = Document(self.doc.file)
            if self.parse_yaml(text, yaml.SafeLoader) is None:
                return
        self.doc = Document(self.doc.file)
        if mark is None:  # pragma: no cover - libyaml and PyYAML always give a mark
            self.doc.problems.append(problem("E108", self.doc.file, limit=MAX_DEPTH))
        else:
            self.error("E108", mark, limit=MAX_DEPTH)

    def _document(self, get: Any) -> None:
        get()  # StreamStartEvent
        event = get()
        if not isinstance(event, DocumentStartEvent):
            return
        self.doc.data = self.walk_path(get)
        get()  # DocumentEndEvent
        extra = get()
        if not isinstance(extra, StreamEndEvent):
            self.error(
                "E107", extra.start_mark, detail="文件只能包含一个 YAML 文档；请删除多余的 ---"
            )

    def walk_path(self, get: Any) -> Any:
        values = self.doc.values
        stack: list[_Frame] = []
        root: Any = None
        while True:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                if not stack:
                    return root
                continue
            top = stack[-1] if stack else None
            if top is not None and top.expect_key:
                self.item_key(top, event)
                continue
            path = self._child_path(top)
            mark = event.start_mark
            values[path] = (mark.line + 1, mark.column + 1)
            if kind is AliasEvent:
                self.error("E106", mark, path, name="*" + event.anchor)
                value: Any = None
            else:
                if event.anchor is not None:
                    self.error("E106", mark, path, name="&" + event.anchor)
                if event.tag is not None:  # any explicit tag, `!!python/object` and `!!str` alike
                    self.error(
                        "E105", mark, path, tag=event.tag.replace("tag:yaml.org,2002:", "!!")
                    )
                if kind is ScalarEvent:
                    try:
                        value = _scalar(event)
                    except _TooLarge as exc:
                        self.error("E216", mark, path, digits=exc.args[0], limit=MAX_DIGITS)
                        value = None
                else:
                    if len(stack) >= MAX_DEPTH:
                        self.error("E108", mark, path, limit=MAX_DEPTH)
                        raise _Stop
                    value = {} if kind is MappingStartEvent else []
            if top is None:
                root = value
            elif top.is_map:
                if top.key is not None:
                    top.value[top.key] = value
                top.expect_key = True
            else:
                top.value.append(value)
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                stack.append(_Frame(value, path, kind is MappingStartEvent))
            elif top is None:
                return root

    @staticmethod
    def _child_path(top: _Frame | None) -> Path_:
        if top is None:
            return ()
        if top.is_map:
            return (*top.path, top.key if top.key is not None else _DISCARD)
        return (*top.path, len(top.value))

    def item_key(self, top: _Frame, event: Any) -> None:
        mark = event.start_mark
        if type(event) is not ScalarEvent:
            self.error("E109", mark, top.path, detail="映射或列表")
            raise _Stop
        if event.anchor is not None:
            self.error("E106", mark, top.path, name="&" + event.anchor)
        if event.tag is not None:
            self.error("E105", mark, top.path, tag=event.tag.replace("tag:yaml.org,2002:", "!!"))
        key = event.value
        child = (*top.path, key)
        top.expect_key = False
        if key in top.value:  # report the second occurrence; its value is read but not kept
            self.error("E104", mark, child, key=key, first_line=self.doc.keys[child][0])
            top.key = None
            return
        self.doc.keys[child] = (mark.line + 1, mark.column + 1)
        top.key = key


def _is_parser_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml's "exceeded maximum nesting depth" (scanner: flow or block level; parser: states)."""
    return "nesting depth" in str(exc.problem or "")


def _has(doc: Document, code: str) -> bool:
    return any(p.code == code for p in doc.problems)


class _Stop(Exception):
    """Abandon a file whose structure makes further reading pointless."""


_FIRST_CHARS = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)

_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(event: ScalarEvent) -> Any:
    """Plain scalars get YAML 1.1 core types; dates stay text so the models can report bad ones."""
    value = event.value
    if not event.implicit[0]:  # quoted or block scalar: always text
        return value
    if not value:
        return None
    if value[0] not in _FIRST_CHARS:  # the resolver keys its patterns by first character
        return value
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    suffix = tag.rsplit(":", 1)[-1]
    if suffix == "null":
        return None
    if suffix == "bool":
        return value.lower() in _BOOL_TRUE
    if suffix == "int":
        return _integer(tag, value)
    if suffix == "float":
        return _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, value))
    return value


MAX_DIGITS = 100  # integers in records are years and counts; a longer one is E216


class _TooLarge(ValueError):
    """Over MAX_DIGITS (args[0]: about how many): Python converts at most 4,300 digits, and a
    base-60 `1:0:0:…` or hex literal can make a number that no message could print."""


def _integer(tag: str, value: str) -> int:
    if (digits := len(value.replace("_", "").lstrip("+-"))) <= MAX_DIGITS:
        number = int(_CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, value)))
        if (digits := int(number.bit_length() * 0.30103) + 1) <= MAX_DIGITS:
            return number
    raise _TooLarge(digits)
