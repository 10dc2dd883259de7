"""How `registry diff` writes one change: Chinese field labels, values shortened and escaped for
Markdown, a changed text with only its changed words marked, conditions versions by number.

A changed text is one line with `<del>` for what goes and `<ins>` for what comes (the words of
domain/wordmarks.py `mark_words`). GitHub renders both tags (its sanitiser keeps them), and unlike
`~~…~~` and `**…**` they need no flanking space: Chinese has none, and `**，**` would print its
asterisks. They are the only HTML the summary writes; every character of the data inside them goes
through `md_escape` (which escapes `<`, `>`, `&` and every Markdown character), so no data text can
open, close or imitate a tag or start a line. (@mentions and #references are broken where the
summary becomes a comment, .github/workflows/pr-comment.yml: the summary is the pull request's own
output, so that job trusts none of it.)
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from generator.domain.characters import BIDI, FORBIDDEN, INVISIBLE
from generator.domain.kinds import labels_for
from generator.domain.models import ResearchProject
from generator.domain.vocabulary import (
    FIELD_LABELS,
    RESEARCH_EVENT_LABELS,
    STATUS_LABELS,
)
from generator.domain.wordmarks import Mark, mark_words
from generator.history.guard import expanded_versions
from generator.load.documents import load_bytes
from generator.load.field_changes import Change, field_changes, make_change
from generator.status.states import Status

MAX_VALUE = 120  # characters of a value shown in the summary; the diff on GitHub has the rest
CONTEXT = 20  # unchanged characters kept on each side of a marked change
_TAGS: dict[Mark, tuple[str, str]] = {"del": ("<del>", "</del>"), "ins": ("<ins>", "</ins>")}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!&])")
_LINE_BREAK = re.compile("\r\n|[\n\r]")  # the others are escaped by `visible`

# What a terminal or a CI log would act on instead of showing it: C0 controls but the line feed
# (ESC starts every control sequence: clear the screen, move the cursor, OSC 52 sets the
# clipboard), DEL, C1 controls (U+009B is a one-character CSI, U+009D an OSC), the line and
# paragraph separators, bidi controls and invisible format characters (they reorder or hide what a
# reviewer reads), surrogates (the undecodable bytes of a file name) and non-characters.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029"
    + BIDI.pattern[1:-1]
    + INVISIBLE.pattern[1:-1]
    + FORBIDDEN.pattern[1:-1]
    + "]"
)


def visible(text: str) -> str:
    """`text` with every character of `_UNSAFE` written as `\\uXXXX` (`\\UXXXXXXXX` above the BMP).

    `registry diff` passes its whole output through this, once, at the end: whatever the data,
    a file name, a ref or git put into it, no control reaches the reviewer's terminal.
    """
    return _UNSAFE.sub(_code_point, text)


def _code_point(m: re.Match[str]) -> str:
    n = ord(m.group())
    return f"\\u{n:04X}" if n <= 0xFFFF else f"\\U{n:08X}"


def one_line(text: str) -> str:
    """A line break in a value shown as `\\n`: data cannot start a line of the summary of its own."""
    return _LINE_BREAK.sub(r"\\n", text)


def md_escape(text: str) -> str:
    """Escape text for Markdown (GitHub job summaries render HTML and Markdown), on one line."""
    return one_line(_MD_SPECIAL.sub(r"\\\1", text))


def code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks or line breaks it holds (CommonMark:
    a fence longer than any run of backticks inside, padded when the text starts or ends with one)."""
    text = one_line(text)
    fence = "`" * (max((len(r) for r in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _value(v: Any) -> str:
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    if len(text) > MAX_VALUE:
        text = text[: MAX_VALUE - 1] + "…"
    return f"“{md_escape(text)}”"


def marked(old: str, new: str) -> str:
    """`old` changed into `new`, on one line, with only the changed words marked, e.g.
    `限定期为<del>五</del><ins>三</ins>年。`; a changed run longer than MAX_VALUE characters is cut
    (its length said), an unchanged one keeps CONTEXT characters next to each change."""
    runs = mark_words(old, new)
    out: list[str] = []
    for i, (mark, text) in enumerate(runs):
        if mark == "same":
            first, last = i == 0, i == len(runs) - 1
            out.append(md_escape(_context(text, keep_head=not first, keep_tail=not last)))
        else:
            opening, closing = _TAGS[mark]
            out.append(f"{opening}{md_escape(_cut(text))}{closing}")
    return "".join(out)


def _context(text: str, keep_head: bool, keep_tail: bool) -> str:
    """An unchanged run shortened to CONTEXT characters next to each change it touches."""
    head = text[:CONTEXT] if keep_head else ""
    tail = text[-CONTEXT:] if keep_tail else ""
    if len(text) <= len(head) + len(tail) + 1:
        return text
    return f"{head}…{tail}"


def _cut(text: str) -> str:
    if len(text) <= MAX_VALUE:
        return text
    return f"{text[: MAX_VALUE - 1]}…（共 {len(text)} 字）"


def field_labels(model: type | None = None) -> dict[str, str]:
    """The Chinese field labels as `model`'s files name their fields (domain/kinds.py)."""
    return labels_for(model)


def field_label(loc: tuple[Any, ...], labels: dict[str, str] = FIELD_LABELS) -> str:
    """`("conditions", "institution", 1)` → `技术条件 · 医疗机构条件 第 2 项` (see `field_labels`)."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            if parts:
                parts[-1] += f" 第 {part + 1} 项"
        else:
            parts.append(labels.get(str(part), str(part)))
    return " · ".join(parts)


def _version_line(c: Change) -> str | None:
    """An added or removed conditions version, said in one line (not its fields one by one)."""
    loc = c.loc
    if len(loc) != 3 or loc[:2] != ("conditions", "versions") or not isinstance(loc[2], int):
        return None
    item = c.new if c.old is None else c.old if c.new is None else None
    if not isinstance(item, dict):
        return None
    ann = md_escape(str(item.get("announcement", "")))
    when = item.get("effective")
    start = f"自 {md_escape(str(when))} 起施行" if when else "自公告之日起施行"
    verb = "新增" if c.old is None else "删除"
    return f"{verb}技术条件第 {loc[2] + 1} 版：由公告 {ann} 发布，{start} {code(c.path)}"


def event_text(item: Any) -> str:
    """One research event as a reviewer reads it: `2026-11-01 研究结束（completed）：note`."""
    if not isinstance(item, dict):
        return _value(item)
    event = str(item.get("event", ""))
    text = f"{md_escape(str(item.get('date', '')))} {RESEARCH_EVENT_LABELS.get(event, '')}"
    text += f"（{code(event)}）"
    return text + (f"：{_value(item['note'])}" if item.get("note") is not None else "")


def itemised(changes: list[Change]) -> list[Change]:
    """`changes` with the events of a project whose `events` appear or disappear as a whole (the
    key added or removed, or a list from or to empty) given one by one, as an appended event is."""
    out: list[Change] = []
    for c in changes:
        old, new = c.old or [], c.new or []
        lists = isinstance(old, list) and isinstance(new, list)
        if c.loc == ("events",) and lists and (not old or not new):
            out += [make_change(("events", i), None, e) for i, e in enumerate(new)]
            out += [make_change(("events", i), e, None) for i, e in enumerate(old)]
        else:
            out.append(c)
    return out


def _event_line(c: Change, labels: dict[str, str]) -> str | None:
    """A research event added or removed as a whole, said in one line (not field by field)."""
    loc = c.loc
    if len(loc) != 2 or loc[0] != "events" or not isinstance(loc[1], int):
        return None
    if (c.old is None) == (c.new is None):
        return None
    verb = "新增" if c.old is None else "删除"
    return f"{verb}{labels.get('events', 'events')} {code(c.path)}：{event_text(c.new or c.old)}"


def project_lines(data: dict[str, Any], entry_name: str, as_of: date) -> list[str]:
    """A new research project, as a study record reads (ClinicalTrials.gov: title, sponsor,
    sites, dates, history): the entry it is filed under, sponsor, institutions, filing date and
    number, and its events. The title is on the line above."""
    labels = field_labels(ResearchProject)
    insts = data.get("institutions")
    sites = "、".join(md_escape(str(x)) for x in insts) if isinstance(insts, list) else ""
    entry = md_escape(entry_name) if entry_name else ""
    filed = md_escape(str(data.get("filed", "")))
    out = [
        f"{labels['guidance_entry']}：{code(str(data.get('guidance_entry', '')))} {entry}".rstrip(),
        f"{labels['sponsor']}：{md_escape(str(data.get('sponsor', '')))}",
        f"{labels['institutions']}：{sites}",
        f"{labels['filed']}：{filed}",
    ]
    if data.get("filing_no") is not None:
        out[-1] += f"，{labels['filing_no']} {md_escape(str(data['filing_no']))}"
    when = date_of({"date": data.get("filed")})
    if when is not None and when > as_of:
        out[-1] += f"（尚未公示，{when.isoformat()} 起自动公示）"
    events = data.get("events")
    for item in events if isinstance(events, list) else []:
        out.append(f"{labels['events']}：{event_text(item)}")
    return out


def change_line(c: Change, labels: dict[str, str] = FIELD_LABELS) -> str:
    """One changed field (labels: as the file's model names its fields, see `field_labels`)."""
    special = _version_line(c) or _event_line(c, labels)
    if special is not None:
        return special
    label = field_label(c.loc, labels) if c.loc else ""
    if c.old is None:
        what = f"新增 {_value(c.new)}"
    elif c.new is None:
        what = f"删除 {_value(c.old)}"
    elif isinstance(c.old, str) and isinstance(c.new, str):
        what = f"“{marked(c.old, c.new)}”"
    else:
        what = f"{_value(c.old)} → {_value(c.new)}"
    path = code(c.path) if c.path else "（整个文件）"
    return f"{label} {path}：{what}" if label else f"{path}：{what}"


def parse_yaml(raw: bytes | None) -> Any:
    return None if raw is None else load_bytes(raw, "").data


def file_diff(old: bytes | None, new: bytes | None, prefix: tuple[str, ...] = ()) -> list[Change]:
    a, b = parse_yaml(old), parse_yaml(new)
    if (old is not None and not isinstance(a, dict)) or (
        new is not None and not isinstance(b, dict)
    ):
        text = [x.decode("utf-8", "replace") if x is not None else None for x in (old, new)]
        return [Change(".".join(prefix), text[0], text[1], prefix)]
    return field_changes(a, b, prefix)


def conditions_diff(
    rid: str, old: bytes | None, new: bytes | None, base_anns: dict, head_anns: dict
) -> list[Change]:
    """Conditions compared version by version (the shorthand expanded): a new version is shown
    against the one before it, so that a reviewer sees what the amendment changes."""
    a, b = parse_yaml(old), parse_yaml(new)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return file_diff(old, new, ("conditions",))
    before = expanded_versions(rid, a, base_anns)
    after = expanded_versions(rid, b, {**base_anns, **head_anns})
    out: list[Change] = []
    previous: dict[str, Any] | None = None
    for aid, (_loc, content) in after.items():
        if aid in before:
            out += field_changes(before[aid][1], content, ("conditions", aid))
        else:
            out += field_changes(previous, content, ("conditions", f"{aid}（新版本）"))
        previous = content
    for aid in before:
        if aid not in after:
            out.append(Change(f"conditions.{aid}", "（版本）", None, ("conditions", aid)))
    return out


def date_of(raw: bytes | dict[str, Any] | None) -> date | None:
    """The `date` of a file (raw, or parsed already), None when it has no valid one."""
    data = raw if isinstance(raw, dict) else parse_yaml(raw)
    if isinstance(data, dict):
        try:
            return date.fromisoformat(str(data.get("date")))
        except ValueError:
            return None
    return None


def status_text(st: Status | None) -> str:
    return "未公示" if st is None else f"{STATUS_LABELS[st.code]}（{st.code}）"
