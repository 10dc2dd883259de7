"""`registry new KIND`: commented skeleton records that pass the schema once the blanks are filled."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from .models import ID_PATTERNS, id_kind

DIRS = {
    "guidance": "guidance-list",
    "approved": "approved",
    "conditions": "conditions",
    "banned": "banned",
    "announcement": "announcements",
}

TEMPLATES = {
    "guidance": """\
# 备案指导清单条目（界定指导原则 二(二)1）。带 * 的字段必填；完成后须由公告 list 纳入清单。
id: {id}
sample: false            # 示例数据请改为 true
name: 请填写规范技术名称      # * 同类记录中唯一（全角半角、空格不计）
aliases: []              # 别名、英文名、缩写，例如 [CAR-T]
category: other          # * 分类编号，见 data/registry.yaml 的 categories
purpose: 请填写医学目的        # *
mechanism: 请填写机制原理      # * 作用于分子、细胞水平的机制
indications: []          # 适应症列表
filing_requirements: |   # 备案要求（Markdown）
  - 请填写备案时需提交的材料
references: []           # 例如 - {{title: 文件名称, url: "https://…", doc_no: 国卫科教发〔2026〕12号}}
""",
    "approved": """\
# 已批准临床转化应用的技术（规范 第十七条）。还需要 data/conditions/{id}.yaml 和一份 approve 公告。
id: {id}
sample: false
name: 请填写技术名称           # *
aliases: []
category: other          # * 见 data/registry.yaml
guidance_entry: null     # 来源的备案指导清单条目，例如 GL-0001
applicant: 请填写申请机构      # *
indications: []
summary: |               # 技术解读（Markdown）
  请填写技术解读。
references: []
""",
    "conditions": """\
# 已批准技术的医疗机构与人员条件及临床应用操作规范（规范 第十四条、第十七条）。编号与技术相同。
id: {id}
sample: false
institution:             # * 医疗机构条件（每项一段 Markdown）
  - 请填写医疗机构条件
personnel:               # * 人员条件
  - 请填写人员条件
management: []           # 技术管理要求
training_qc: []          # 培训与质量控制
operating_spec: |        # * 临床应用操作规范（Markdown）
  ## 适用范围
  请填写。
effective: null          # 施行日期，例如 {today}
""",
    "banned": """\
# 禁止临床应用的技术（规范 第二十三条）。完成后须由公告 ban 公布。
id: {id}
sample: false
name: 请填写技术名称           # *
aliases: []
category: other          # *
description: 请填写技术描述    # *
scope: null              # 禁止范围
references: []
""",
    "announcement": """\
# 公告。已发布的公告不得修改：更正请另发 amend 公告。日期晚于今天的公告到期前不公示。
id: {id}
sample: false
number: 国家卫生健康委公告 {year}年第N号   # * 文号，唯一
title: 关于……的公告             # *
date: {today}                 # * YYYY-MM-DD
body: |                       # * 公告正文（Markdown）
  请填写公告正文。
actions:                      # * 至少一项；可选 list delist retain emergency_use approve open suspend resume ban amend
  - action: amend
    record: GL-0001
    note: 请填写说明
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


ID_KIND = {"conditions": "approved"}  # a conditions file carries its technology's id


def scaffold(kind: str, data_dir: Path, record_id: str | None, today: date, force: bool) -> Path:
    """Write the skeleton of a `kind` record into data/; ValueError (nothing written) when the id
    does not fit the kind's pattern or a link or special file is in the way."""
    folder = data_dir / DIRS[kind]
    if record_id is not None:
        wanted = ID_KIND.get(kind, kind)
        if id_kind(record_id) != wanted:
            pattern, example = ID_PATTERNS[wanted]
            raise ValueError(
                f"编号 “{record_id}” 不符合 {pattern}（例如 {example}）；未写入任何文件"
            )
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ValueError(f"{folder} 不是普通目录（可能是符号链接）；未写入任何文件")
    rid = record_id or next_id(kind, folder, today)
    path = folder / f"{rid}.yaml"
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise ValueError(f"{path} 是符号链接或特殊文件；未写入任何文件")
    if path.exists() and not force:
        raise ValueError(f"{path} 已存在；换一个 --id，或加 --force 覆盖")
    folder.mkdir(parents=True, exist_ok=True)
    text = TEMPLATES[kind].format(id=rid, today=today.isoformat(), year=today.year)
    # O_NOFOLLOW: a symlink put in place after the check above is still not written through
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
