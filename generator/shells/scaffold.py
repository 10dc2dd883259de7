"""`registry new KIND`: commented skeletons that pass validation once their placeholders are filled.

Every placeholder a template writes contains 请填写 ("please fill in"). `placeholders()` reads them
back out of the templates themselves, and validation rejects any value still equal to one (E214),
so the skeletons and the check cannot drift apart. `registry new approved` writes the three files
an approval needs: the record, its conditions and the `approve` announcement that names it.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.models import ID_PATTERNS, id_kind
from generator.load.documents import load_bytes, load_file

DIRS = {
    "guidance": "guidance-list",
    "approved": "approved",
    "conditions": "conditions",
    "banned": "banned",
    "announcement": "announcements",
}
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

PATTERN = {
    "guidance": ("GL-", 4),
    "banned": ("BAN-", 4),
}


def next_id(kind: str, folder: Path, today: date) -> str:
    """Next free id of `kind`: GL/BAN count up; BMT/ANN count up within the current year."""
    taken = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    if kind in PATTERN:
        prefix, width = PATTERN[kind]
    else:
        prefix, width = (
            ("BMT-" if kind in ("approved", "conditions") else "ANN-") + f"{today.year}-",
            3,
        )
    numbers = [
        int(m.group(1)) for t in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", t))
    ]
    return f"{prefix}{(max(numbers, default=0) + 1):0{width}d}"


@dataclass(frozen=True)
class Vocabulary:
    """What the comments list as allowed values, read from the data directory when it is valid."""

    categories: str = "other（其他）"
    grades: str = "high（高风险，5 年）、medium（中风险，3 年）、low（低风险，1 年）"
    guidance: str = "GL-0001"


def _vocabulary(data_dir: Path) -> Vocabulary:
    voc: dict[str, str] = {}
    reg = load_file(data_dir / "registry.yaml").data
    if isinstance(reg, dict) and isinstance(reg.get("categories"), list):
        cats = [c for c in reg["categories"] if isinstance(c, dict) and "id" in c]
        if cats:
            voc["categories"] = "、".join(f"{c['id']}（{c.get('name', '')}）" for c in cats)
    grades = load_file(data_dir / "risk-grades.yaml").data
    if isinstance(grades, dict) and isinstance(grades.get("grades"), list):
        gs = [g for g in grades["grades"] if isinstance(g, dict) and "id" in g]
        if gs:
            voc["grades"] = "、".join(
                f"{g['id']}（{g.get('name', '')}，{g.get('exclusive_years', '?')} 年）" for g in gs
            )
    folder = data_dir / DIRS["guidance"]
    first = sorted(folder.glob("GL-*.yaml"))[:1] if folder.is_dir() else []
    if first:
        data = load_file(first[0]).data
        name = data.get("name") if isinstance(data, dict) else None
        voc["guidance"] = f"{first[0].stem}（{name}）" if isinstance(name, str) else first[0].stem
    return Vocabulary(**voc)


def _labels(codes: Any, labels: dict[str, str]) -> str:
    return "、".join(f"{c}（{labels[c]}）" for c in codes)


def render(kind: str, rid: str, today: date, voc: Vocabulary, **extra: str) -> str:
    """The text of one skeleton file."""
    from generator.domain.models import DIRECT_GROUNDS, REVIEW_GROUNDS, SUSPEND_GROUNDS
    from generator.status.replay import GROUND_LABELS, ROUTE_LABELS

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


def plan(kind: str, data_dir: Path, record_id: str | None, today: date) -> list[tuple[Path, str]]:
    """(path, text) of every file `registry new KIND` writes."""
    voc = _vocabulary(data_dir)
    rid = record_id or next_id(kind, data_dir / DIRS[kind], today)
    if kind != "approved":
        return [(data_dir / DIRS[kind] / f"{rid}.yaml", render(kind, rid, today, voc))]
    ann = next_id("announcement", data_dir / DIRS["announcement"], today)
    return [
        (
            data_dir / DIRS["approved"] / f"{rid}.yaml",
            render("approved", rid, today, voc, announcement=ann),
        ),
        (data_dir / DIRS["conditions"] / f"{rid}.yaml", render("conditions", rid, today, voc)),
        (
            data_dir / DIRS["announcement"] / f"{ann}.yaml",
            render("announcement", ann, today, voc, record=rid),
        ),
    ]


ID_KIND = {"conditions": "approved"}  # a conditions file carries its technology's id


def _check_id(kind: str, record_id: str) -> None:
    """An --id that does not fit the kind's pattern is refused before anything is written, so no
    path can be built from it (`../x`, `/etc/x`, `GL-0001/../../x`)."""
    wanted = ID_KIND.get(kind, kind)
    if id_kind(record_id) != wanted:
        pattern, example = ID_PATTERNS[wanted]
        raise ValueError(f"编号 “{record_id}” 不符合 {pattern}（例如 {example}）；未写入任何文件")


def _write(path: Path, text: str) -> None:
    # O_NOFOLLOW: a symlink put in place after the checks is still not written through
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def scaffold(
    kind: str, data_dir: Path, record_id: str | None, today: date, force: bool
) -> list[Path]:
    """Write the skeleton(s) of `kind`; ValueError and nothing written when the id does not fit
    the kind's pattern, a link or special file is in the way, or a file exists (unless force)."""
    if record_id is not None:
        _check_id(kind, record_id)
    files = plan(kind, data_dir, record_id, today)
    for path, _ in files:
        folder = path.parent
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ValueError(f"{folder} 不是普通目录（可能是符号链接）；未写入任何文件")
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise ValueError(f"{path} 是符号链接或特殊文件；未写入任何文件")
    existing = [path for path, _ in files if path.exists()]
    if existing and not force:
        raise ValueError(f"{existing[0]} 已存在；换一个 --id，或加 --force 覆盖")
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, text)
    return [path for path, _ in files]


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
