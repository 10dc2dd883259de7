"""Synthetic prose and YAML snippets: names, aliases, references, Markdown texts, registry.yaml and risk-grades.yaml."""

from __future__ import annotations

import random
from json.encoder import encode_basestring as _json_string

from generator.synth.plan import Rec
from generator.synth.words import (
    CATEGORIES,
    CITIES,
    GRADE_NAMES,
    GRADE_YEARS,
    GRADES,
    HOSPITALS,
    PLATFORMS,
    Platform,
)


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar: a JSON string (json.dumps(text, ensure_ascii=False)) is one."""
    return _json_string(text)


def yaml_block(key: str, text: str, indent: str = "") -> str:
    """`key: |` literal block for Markdown, falling back to a quoted scalar when not safe."""
    lines = text.split("\n")
    safe = (
        text
        and text[0] not in " \n"
        and not any(c in text for c in "\r\t\x85\u2028\u2029\ufeff")
        and all(line == line.rstrip() for line in lines)
        and all(line.isprintable() for line in lines)
    )
    if not safe:
        return f"{indent}{key}: {yaml_quote(text)}\n"
    inner = indent + "  "
    body = "".join(f"{inner}{line}\n" if line else "\n" for line in lines)
    return f"{indent}{key}: |\n{body}"


def yaml_list(key: str, items: list[str], indent: str = "") -> str:
    if not items:
        return ""
    return f"{indent}{key}:\n" + "".join(f"{indent}  - {yaml_quote(i)}\n" for i in items)


def pick_institutions(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        name = rng.choice(HOSPITALS).format(c=rng.choice(CITIES))
        if name not in out:
            out.append(name)
    return out


def _reference(rng: random.Random, year: int) -> str:
    n = rng.randint(1, 60)
    path = f"{rng.getrandbits(40):010x}"
    title = rng.choice(
        (
            "生物医学新技术临床转化应用审批工作规范（试行）",
            "生物医学新技术与药品、医疗器械界定指导原则（暂行）",
            "医疗技术临床应用管理办法",
            "涉及人的生命科学和医学研究伦理审查办法",
        )
    )
    out = f"  - title: {yaml_quote(title)}\n"
    if rng.random() < 0.85:
        out += f"    url: {yaml_quote(f'https://www.nhc.gov.cn/qjjys/s7946/{year}{rng.randint(1, 12):02d}/{path}.shtml')}\n"
    if rng.random() < 0.6:
        out += f"    doc_no: {yaml_quote(f'国卫科教发〔{year}〕{n}号')}\n"
    return out


def make_references(rng: random.Random, year: int) -> str:
    k = rng.choice((0, 1, 1, 2, 2, 3))
    if not k:
        return ""
    return "references:\n" + "".join(_reference(rng, year) for _ in range(k))


class UsedNames:
    """Names taken within one kind; new ones get `（方案N）` with the smallest free N."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.taken

    def add(self, name: str) -> None:
        self.taken.add(name)

    def unique(self, base: str) -> str:
        name, n = base, self.next.get(base, 1)
        while name in self.taken:  # names never contain whitespace, so NFKC keys stay distinct
            n += 1
            name = f"{base}（方案{n}）"
        self.next[base] = n
        self.taken.add(name)
        return name


def tech_name(rng: random.Random, rec: Rec, used: UsedNames) -> tuple[str, str]:
    p = rng.choice(PLATFORMS)
    agent, short, diseases = rng.choice(p.agents)
    rec.platform = p
    rec.disease = rng.choice(diseases.split("、"))
    return used.unique(f"{agent}{p.verb}{rec.disease}技术"), short


def make_aliases(rng: random.Random, short: str, verb: str, disease: str) -> list[str]:
    r = rng.random()
    if r < 0.55:
        return []
    out = [f"{short}{verb}{disease}"]
    if r > 0.85:
        out.append(f"{short}（{disease}）")
    return out


def filing_md(rng: random.Random, p: Platform) -> str:
    items = [
        "技术来源、制备工艺和质量标准资料，以及制备场所的质量管理体系文件；",
        "非临床研究资料，包括有效性、安全性和 *致瘤性*（如适用）研究；",
        "临床研究方案、伦理审查意见及知情同意书样稿；",
        "研究者手册和严重不良事件报告与处理预案；",
        "参与研究机构的资质证明和主要研究者履历；",
    ]
    chosen = rng.sample(items, rng.randint(2, 5))
    md = "\n".join(f"- {i}" for i in chosen)
    if rng.random() < 0.3:
        md += (
            "\n\n| 资料 | 份数 | 说明 |\n|---|---|---|\n"
            '| 质量检验报告 | 3 | 连续 3 批次 |\n| 伦理审查意见 | 1 | 含 "同意" 结论 |'
        )
    if rng.random() < 0.3:
        md += "\n\n参见[备案管理说明](/guidance-list/)和[规范原文](https://www.nhc.gov.cn/)。"
    return md


def summary_md(rng: random.Random, rec: Rec, guidance: str | None) -> str:
    assert rec.platform is not None
    p = rec.platform
    n = rng.randint(30, 400)
    grade = GRADE_NAMES[rec.grade]
    lines = [
        f"**示例数据，非真实批准。** {rng.choice(p.mechanism)}",
        "",
        "### 临床研究概况（示例）",
        "",
        f"- 多中心临床研究共入组 {n} 例，主要终点达到方案预设目标；",
        f"- {len(rec.institutions)} 家参与机构独立实施，获得一致的安全性、有效性结论；",
        f"- 主要风险经分级管理后总体可控（严重不良事件发生率 < {rng.randint(2, 15)}%）。",
        "",
        f"经评估划定为**{grade}**技术，批准后 {GRADE_YEARS[rec.grade]} 年内仅限参与临床研究且符合条件的医疗机构开展。",
    ]
    if guidance:
        lines += ["", f"本技术源自备案指导清单条目 [{guidance}](/guidance-list/{guidance}/)。"]
    if rng.random() < 0.3:
        lines += [
            "",
            "| 指标 | 结果 |",
            "|---|---|",
            f"| 客观缓解率 | {rng.randint(40, 95)}% |",
            f"| 12 个月总生存率 | {rng.randint(50, 98)}% |",
        ]
    return "\n".join(lines)


def operating_md(rng: random.Random, rec: Rec) -> str:
    lines = [
        "### 一、适应证与禁忌证",
        "",
        f"1. 适应证：{rec.disease}，经规范治疗效果不佳且符合方案入选标准的患者。",
        "2. 禁忌证：活动性感染未控制、妊娠或哺乳期、主要脏器功能不全。",
        "",
        "### 二、操作流程",
        "",
        "1. **患者评估与知情同意**：完成评估，签署知情同意书；",
        "2. **制备与放行**：按批准工艺完成制备，放行前完成全部检验项目；",
        "3. **实施**：在具备抢救条件的病区实施，术后密切观察；",
        f"4. **随访**：第 1、3、6、12 个月评估疗效，此后每年随访，不少于 {rng.choice((5, 10, 15))} 年。",
    ]
    if rng.random() < 0.5:
        lines += [
            "",
            "### 三、放行标准（示例）",
            "",
            "| 检验项目 | 标准 |",
            "|---|---|",
            f"| 细胞活率 | > {rng.choice((70, 80, 90))}% |",
            "| 内毒素 | < 0.5 EU/mL |",
            "| 无菌、支原体 | 阴性 |",
        ]
    lines += ["", "本规范为示例材料，权威文本以正式公告为准。"]
    return "\n".join(lines)


def registry_yaml() -> str:
    cats = "".join(f"  - {{id: {cid}, name: {name}}}\n" for cid, name in CATEGORIES)
    return (
        "title: 生物医学新技术公示库（合成数据）\n"
        "authority: 国家卫生健康委员会（示例）\n"
        "disclaimer: 本数据集由 registry synth 随机生成，仅用于测试和基准，全部为虚构的示例数据。\n"
        "sample: true\n"
        f"categories:\n{cats}"
    )


def grades_yaml() -> str:
    rows = "".join(
        f"  - id: {gid}\n    name: {name}\n    exclusive_years: {years}\n"
        f"    description: {yaml_quote(f'批准后 {years} 年内仅限参与临床研究的医疗机构开展（规范 第二十条）。')}\n"
        for gid, name, years in GRADES
    )
    return f"sample: true\ngrades:\n{rows}"
