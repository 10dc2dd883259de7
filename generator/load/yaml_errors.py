"""A YAML syntax error in Chinese, at the place an editor must look (E103): an unclosed quote or
bracket where it opens, not where the parser gave up."""

from __future__ import annotations

from typing import Any

import yaml


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _tab_in_indent(text: str, mark: Any) -> int | None:
    """Column (1-based) of a tab in the indentation of the line where parsing failed: the tab is
    the cause there, whatever the parser then complained about (a stray “mapping values”…)."""
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    row = lines[mark.line]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    return indent.index("\t") + 1 if "\t" in indent else None


def yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, Chinese explanation) of a YAML syntax error. An unclosed quote or bracket
    is reported where it opens (PyYAML's context mark), not where the parser gave up (often the
    end of the file); other problems where they are found."""
    ctx, prob = str(exc.context or ""), str(exc.problem or "")
    opened, found = exc.context_mark, exc.problem_mark
    where = f"（解析到第 {found.line + 1} 行时发现）" if found is not None else ""
    at_open: str | None = None
    if "quoted scalar" in ctx and "end of stream" in prob:
        at_open = "这里开始的引号没有闭合，一直到文件末尾都没有对应的结束引号；请补上结束引号"
    elif "flow sequence" in ctx:
        at_open = "这里开始的方括号 [ 没有闭合，或列表项之间缺少逗号；请补上 ] 或逗号"
    elif "flow mapping" in ctx:
        at_open = "这里开始的花括号 { 没有闭合，或项之间缺少逗号；请补上 } 或逗号"
    elif "simple key" in ctx:
        at_open = "这一行的键后面缺少冒号；请写成“键: 值”（冒号后加一个空格）"
    if at_open is not None and opened is not None:
        return opened.line + 1, opened.column + 1, at_open + where
    line, col = (found.line + 1, found.column + 1) if found is not None else (1, 1)
    char = _char_at(text, found)
    tab = _tab_in_indent(text, found)
    if tab is not None or "tab character" in prob or ("any token" in prob and char == "\t"):
        col = tab if tab is not None else col
        # said in Chinese only (制表符, the key 制表键): an editor who does not read English
        # must still see what the invisible character is and how to stop typing it
        detail = (
            "这里有一个制表符，缩进和对齐只能用空格，不能用制表符；"
            "请把它换成空格（可在编辑器中设置按制表键时插入空格）"
        )
    elif "mapping values are not allowed" in prob:
        detail = (
            "这里不能再出现“键: 值”：文本中含有“: ”时请给整段文本加引号；如果是新的键，请检查缩进"
        )
    elif "expected key" in prob or "expected '-' indicator" in prob:
        detail = "缩进不一致，这一行与上面的键或列表项没有对齐；请只用空格，对齐同一级的缩进"
    elif "cannot start any token" in prob:
        detail = f"字符 “{char}” 不能作为值的开头（YAML 保留字符）；请给整个值加引号"
    elif "unknown escape character" in prob:
        detail = "双引号中的反斜杠转义无效；反斜杠本身请写成 \\\\，或改用单引号"
    elif "end of stream" in prob:
        detail = "文件在这里意外结束；请检查引号、括号是否成对"
    else:
        original = " ".join(x for x in (ctx, prob) if x)
        detail = f"格式错误（PyYAML：{original}）；请检查缩进、冒号和引号"
    return line, col, detail
