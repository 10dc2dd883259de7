"""The blank records `registry new` writes, and the placeholders in them: every placeholder contains MARK, so validation finds one left in a record (E214) by reading these same templates (the two cannot drift)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.domain.kinds import DATA_FOLDERS
from generator.load.documents import load_bytes

DIRS = DATA_FOLDERS

MARK = "请填写"  # every placeholder contains it; nothing else in a template does

TEMPLATES = {
    "guidance": """\
# 备案指导清单条目（界定指导原则 二(二)1）。带 * 的字段必填；含“请填写”的值都要换成真实内容。
# 完成后须由一份公告的 list 行为纳入清单（registry new announcement）。
id: {id}
sample: false            # 示例数据请改为 true
name: 请填写规范技术名称      # * 同类记录中唯一（全角半角、空格不计）
aliases: []              # 别名、英文名、缩写，例如 [CAR-T]
category: 请填写分类编号      # * 可选：{categories}
purpose: 请填写医学目的        # *
mechanism: 请填写机制原理      # * 作用于分子、细胞水平的机制
indications: []          # 适应症列表，例如 [复发难治B细胞淋巴瘤]
filing_requirements: |   # 备案要求（Markdown；链接只能是 http(s) 网址或以 / 开头的站内路径）
  - 请填写备案时需提交的材料
references: []           # 例如 - {{title: 文件名称, url: "https://…", doc_no: 国卫科教发〔2026〕12号}}
""",
    "approved": """\
# 已批准临床转化应用的技术（规范 第十七条）。带 * 的字段必填；含“请填写”的值都要换成真实内容。
# 同时生成的还有 data/conditions/{id}.yaml（技术条件）和批准公告 data/announcements/{announcement}.yaml。
id: {id}
sample: false            # 示例数据请改为 true
name: 请填写技术名称           # * 同类记录中唯一（全角半角、空格不计）
aliases: []              # 别名、英文名、缩写
category: 请填写分类编号      # * 可选：{categories}
guidance_entry: 请填写备案指导清单条目编号   # * 来源条目，批准之日须在清单内（规范 第三条），例如 {guidance}
applicant: 请填写申请机构      # *
indications: []          # 适应症列表
summary: |               # 技术解读（Markdown）
  请填写技术解读。
references: []           # 例如 - {{title: 文件名称, url: "https://…", doc_no: 国卫医发〔2026〕3号}}
""",
    "conditions": """\
# 技术 {id} 的医疗机构与人员条件及临床应用操作规范（规范 第十四条、第十七条）。编号与技术相同。
# 这是简写形式：整份文件是由该技术 approve 公告发布的第一个版本。以后修订不要改动本版本，
# 而是改用 versions 列表追加新版本，每个版本由一份 amend 公告发布（见 DESIGN.md）。
id: {id}
sample: false            # 示例数据请改为 true
institution:             # * 医疗机构条件（每项一段 Markdown）
  - 请填写医疗机构条件
personnel:               # * 人员条件
  - 请填写人员条件
management: []           # 技术管理要求
training_qc: []          # 培训与质量控制
operating_spec: |        # * 临床应用操作规范（Markdown）
  ## 适用范围
  请填写临床应用操作规范。
# effective: {today}      # 施行日期（可选；默认公告日期，不得早于公告日期）
""",
    "banned": """\
# 禁止临床应用的技术（规范 第二十三条；界定指导原则 二(一)1）。带 * 的字段必填。
# 完成后须由一份公告的 ban 行为公布（registry new announcement）。
id: {id}
sample: false            # 示例数据请改为 true
name: 请填写技术名称           # * 同类记录中唯一
aliases: []
category: 请填写分类编号      # * 可选：{categories}
description: 请填写技术描述    # *
# scope: 禁止范围（可选）
references: []
""",
    "announcement": """\
# 公告。带 * 的字段必填；含“请填写”的值都要换成真实内容。已发布的公告不得修改：更正请另发
# amend 公告。日期晚于今天的公告到期前不公示。
id: {id}
sample: false                 # 示例数据请改为 true
number: 请填写文号             # * 唯一，例如 国家卫生健康委公告 {year}年第3号
title: 请填写公告标题           # * 例如 关于批准……临床转化应用的公告
date: {today}                 # * YYYY-MM-DD
body: |                       # * 公告正文（Markdown）
  请填写公告正文。
actions:                      # * 至少一项；每项的字段见下方说明
{actions}
# 各行为需要的字段（record 为记录编号）：
#   list           GL  纳入备案指导清单（界定指导原则 二(二)1）
#   delist         GL  route: {routes}
#                      ground: direct 可选 {direct}；after_review 可选 {review}
#   retain         GL  note（可选）论证后继续保留
#   emergency_use  GL  scope: 应用范围；until: 截止日期 YYYY-MM-DD（规范 第十九条）
#   approve        BMT risk_grade: {grades}；institutions: [参与研究的医疗机构, …]（第十七条）
#   open           BMT note（可选）期满后再评估证实获益远大于风险（第二十条第二款）
#   suspend        BMT ground: {suspend}；note（可选）
#   resume         BMT note（可选）再评估通过
#   ban            BMT/BAN ground: 禁止理由（文本）
#   amend          任意 note（可选）不改变状态；可发布技术条件的新版本
""",
}

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
    guidance: str = "GL-0001"


def _labels(codes: Any, labels: dict[str, str]) -> str:
    return "、".join(f"{c}（{labels[c]}）" for c in codes)


def render(kind: str, rid: str, today: date, voc: Vocabulary, **extra: str) -> str:
    """The text of one skeleton file."""
    from generator.domain.vocabulary import (
        DIRECT_GROUNDS,
        GROUND_LABELS,
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
    return TEMPLATES[kind].format(
        id=rid,
        today=today.isoformat(),
        year=today.year,
        categories=voc.categories,
        guidance=voc.guidance,
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
    texts = [render(kind, "X", today, voc) for kind in TEMPLATES]
    texts.append(render("announcement", "X", today, voc, record="X"))
    found = set()
    for text in texts:
        for s in _strings(load_bytes(text.encode(), "template").data):
            if MARK in s:
                found.add(s.strip())
    return frozenset(found)
