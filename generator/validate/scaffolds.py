"""The blank files `registry new` writes, and the placeholders in them.

One skeleton per file kind, `templates/<kind>.yaml` beside this module, found through the kind
spec (domain/kinds.py: a kind without its template fails loudly). A template is a `str.format`
text (`{id}`, `{today}`, the allowed values …; `{{` for a brace). Every placeholder contains MARK,
so validation finds one left in a record (E214) by reading these same templates: `placeholders()`
renders them all and collects the values that hold MARK, and the two cannot drift apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.kinds import DATA_FOLDERS, FILES, file_spec
from generator.load.documents import load_bytes

DIRS = DATA_FOLDERS
TEMPLATE_DIR = Path(__file__).parent / "templates"

MARK = "请填写"  # every placeholder contains it; nothing else in a template does


@functools.cache
def template(kind: str) -> str:
    """The skeleton of file kind `kind` (KeyError for a kind the spec does not declare)."""
    return (TEMPLATE_DIR / f"{file_spec(kind).kind}.yaml").read_text(encoding="utf-8")


# every file kind's skeleton, by kind: a view of the spec (and of the folder above)
TEMPLATES = {s.kind: template(s.kind) for s in FILES}

ACTION_SKELETONS = {
    "amend": """\
  - action: amend             # 修订说明，不改变状态
    record: 请填写记录编号      # * 例如 GL-0001、BMT-2026-001、BAN-0001
    note: 请填写说明
""",
    "approve": """\
  - action: approve           # 批准临床转化应用（规范 第十七条）
    record: {record}
    risk_grade: 请填写风险等级   # * 可选：{grades}
    institutions:             # * 参与临床研究的医疗机构，至少一家
      - 请填写参与研究的医疗机构
""",
}


@dataclass(frozen=True)
class Vocabulary:
    """What the comments list as allowed values, read from the data directory when it is valid."""

    categories: str = "other（其他）"
    grades: str = "high（高风险，5 年）、medium（中风险，3 年）、low（低风险，1 年）"
    listed: str = "（未能读取 data/；见站点的 /guidance-list/）"


def _labels(codes: Any, labels: dict[str, str]) -> str:
    return "、".join(f"{c}（{labels[c]}）" for c in codes)


def render(kind: str, rid: str, today: date, voc: Vocabulary, **extra: str) -> str:
    """The text of one skeleton file."""
    from generator.domain.models import RESEARCH_EVENTS
    from generator.domain.vocabulary import (
        DIRECT_GROUNDS,
        GROUND_LABELS,
        RESEARCH_EVENT_LABELS,
        REVIEW_GROUNDS,
        ROUTE_LABELS,
        SUSPEND_GROUNDS,
    )

    record = extra.get("record")
    actions = (
        ACTION_SKELETONS["approve"].format(record=record, grades=voc.grades)
        if record
        else ACTION_SKELETONS["amend"]
    )
    return template(kind).format(
        id=rid,
        today=today.isoformat(),
        year=today.year,
        categories=voc.categories,
        listed=voc.listed,
        events=_labels(RESEARCH_EVENTS, RESEARCH_EVENT_LABELS),
        grades=voc.grades,
        announcement=extra.get("announcement", "ANN-…"),
        actions=actions.rstrip("\n"),
        routes=_labels(ROUTE_LABELS, ROUTE_LABELS),
        direct=_labels(DIRECT_GROUNDS, GROUND_LABELS),
        review=_labels(REVIEW_GROUNDS, GROUND_LABELS),
        suspend=_labels(SUSPEND_GROUNDS, GROUND_LABELS),
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@functools.cache
def placeholders() -> frozenset[str]:
    """Every placeholder value the skeletons write (stripped), read from the templates themselves."""
    today, voc = date(2026, 1, 1), Vocabulary()
    texts = [render(s.kind, "X", today, voc) for s in FILES]
    texts.append(render("announcement", "X", today, voc, record="X"))
    found = set()
    for text in texts:
        for s in _strings(load_bytes(text.encode(), "template").data):
            if MARK in s:
                found.add(s.strip())
    return frozenset(found)
