"""One synthetic YAML file per record, conditions file and announcement."""

from __future__ import annotations

import random
from datetime import date, timedelta

from generator.synth.plan import Rec
from generator.synth.text import (
    UsedNames,
    filing_md,
    make_aliases,
    make_references,
    operating_md,
    pick_institutions,
    summary_md,
    tech_name,
    yaml_block,
    yaml_list,
    yaml_quote,
)
from generator.synth.words import (
    ACTION_TEXT,
    BANNED_AGENTS,
    BANNED_PURPOSES,
    GOALS,
    GRADE_NAMES,
    RESEARCH_DESIGNS,
    RESEARCH_NOTES,
)


def guidance_yaml(rng: random.Random, rec: Rec, used: UsedNames, dates: list[date]) -> str:
    name, short = tech_name(rng, rec, used)
    rec.name = name
    p = rec.platform
    assert p is not None
    year = dates[rec.events[0][0]].year
    purpose = f"用于{rec.disease}患者，{rng.choice(GOALS)}。"
    if rng.random() < 0.2:
        purpose += '不以"根治"或"一次性治愈"作宣传。'
    mechanism = "".join(rng.sample(p.mechanism, rng.randint(1, len(p.mechanism))))
    indications = rng.sample(
        [
            f"经规范治疗效果不佳的{rec.disease}",
            f"{rec.disease}（成人）",
            f"{rec.disease}（儿童，需监护人同意）",
            f"符合研究方案入选标准的{rec.disease}患者",
        ],
        rng.randint(0, 3),
    )
    text = (
        f"id: {rec.rid}\nsample: true\nname: {yaml_quote(name)}\n"
        + yaml_list("aliases", make_aliases(rng, short, p.verb, rec.disease))
        + f"category: {p.category}\npurpose: {yaml_quote(purpose)}\nmechanism: {yaml_quote(mechanism)}\n"
        + yaml_list("indications", indications)
    )
    if rng.random() < 0.8:
        text += yaml_block("filing_requirements", filing_md(rng, p))
    return text + make_references(rng, year)


def approved_yaml(
    rng: random.Random, rec: Rec, source: Rec | None, used: UsedNames, dates: list[date]
) -> str:
    if source is not None and rng.random() < 0.35 and source.name not in used:
        rec.platform, rec.disease = source.platform, source.disease
        name = source.name
        used.add(name)
        short = ""
    else:
        name, short = tech_name(rng, rec, used)
    rec.name = name
    p = rec.platform
    assert p is not None
    year = dates[rec.events[0][0]].year
    text = f"id: {rec.rid}\nsample: true\nname: {yaml_quote(name)}\n"
    if short:
        text += yaml_list("aliases", make_aliases(rng, short, p.verb, rec.disease))
    text += f"category: {p.category}\n"
    if source is not None:
        text += f"guidance_entry: {source.rid}\n"
    text += f"applicant: {yaml_quote(rec.institutions[0])}\n"
    text += yaml_list("indications", [f"{rec.disease}"] if rng.random() < 0.7 else [])
    text += yaml_block("summary", summary_md(rng, rec, source.rid if source else None))
    return text + make_references(rng, year)


def conditions_yaml(
    rng: random.Random, rec: Rec, dates: list[date], aids: list[tuple[str, int]]
) -> str:
    approved = dates[rec.events[0][0]]
    amends = [k for k, act, _ in rec.events if act["action"] == "amend"]
    first = _conditions_body(rng, rec, approved, "")
    if not amends or rng.random() < 0.5:
        return f"id: {rec.rid}\nsample: true\n" + first
    # a second version published by the amend announcement (规范 第十七条), effective on or after it
    k = amends[0]
    second = _conditions_body(rng, rec, dates[k], "    ")
    first = _conditions_body(random.Random(rng.random()), rec, approved, "    ", force=True)
    return (
        f"id: {rec.rid}\nsample: true\nversions:\n"
        + f"  - announcement: {aids[rec.events[0][0]][0]}\n"
        + first
        + f"  - announcement: {aids[k][0]}\n"
        + second
    )


def _conditions_body(
    rng: random.Random, rec: Rec, start: date, indent: str, force: bool = False
) -> str:
    """The fields of one conditions version; `effective` on or after `start`."""
    approved = start
    institution = rng.sample(
        [
            "三级甲等综合医院或相应专科医院，具有与本技术相关的诊疗科目。",
            "设有重症医学科，24 小时可收治发生严重不良反应的患者。",
            "具备符合要求的制备或储存场所；委托制备的，应签订书面协议并明确**质量责任**。",
            "近 3 年内未发生与本技术相关的重大医疗事故。",
        ],
        rng.randint(1, 4),
    )
    personnel = rng.sample(
        [
            "技术负责人具有相关专业副主任医师及以上职称，从事相关临床工作不少于 10 年。",
            "至少 2 名主治医师及以上职称医师经过本技术系统培训并考核合格。",
            "配备经培训的护士、药师和质量受权人。",
        ],
        rng.randint(1, 3),
    )
    management = rng.sample(
        [
            "建立技术准入、授权与动态评估制度（规范 第二十一条）。",
            "逐例报送应用情况；发生严重不良反应时第一时间报告（规范 第二十二条）。",
            f"对全部患者建立不少于 {rng.choice((5, 10, 15))} 年的随访档案。",
        ],
        rng.randint(0, 3),
    )
    training = rng.sample(
        [
            f"新参与人员须完成不少于 {rng.choice((16, 24, 40))} 学时的理论与实践培训。",
            "每季度开展严重不良反应应急演练。",
            "参加国家或省级质量控制中心组织的质控评价。",
        ],
        rng.randint(0, 3),
    )
    text = (
        yaml_list("institution", institution, indent)
        + yaml_list("personnel", personnel, indent)
        + yaml_list("management", management, indent)
        + yaml_list("training_qc", training, indent)
        + yaml_block("operating_spec", operating_md(rng, rec), indent)
    )
    if force or rng.random() < 0.7:
        # version 1 of a versioned file takes effect on its approval day, so that the next
        # version's `effective` (on or after its own announcement) never goes back before it
        days = 0 if force else rng.randint(0, 30)
        text += f"{indent}effective: {(approved + timedelta(days=days)).isoformat()}\n"
    return text


def banned_yaml(rng: random.Random, rec: Rec, used: UsedNames, dates: list[date]) -> str:
    purpose = rng.choice(BANNED_PURPOSES)
    agent, category = rng.choice(BANNED_AGENTS)
    name = used.unique(f"{purpose}的{agent}技术")
    rec.name = name
    year = dates[rec.events[0][0]].year
    description = (
        f"{purpose}开展{agent}的技术。该技术的安全性、有效性无法评估，"
        "存在重大伦理问题或不可控制的风险，违反法律、行政法规和国家有关规定。"
    )
    text = f"id: {rec.rid}\nsample: true\nname: {yaml_quote(name)}\n"
    if rng.random() < 0.3:
        text += yaml_list("aliases", [f"“{agent}”"])
    text += f"category: {category}\ndescription: {yaml_quote(description)}\n"
    if rng.random() < 0.7:
        scope = f"禁止任何机构和个人{purpose}开展{agent}，不影响依法依规开展、不以临床应用为目的的基础研究。"
        text += f"scope: {yaml_quote(scope)}\n"
    return text + make_references(rng, year)


def research_yaml(rng: random.Random, rec: Rec) -> str:
    """A project filed under its entry (rec.source) on rec.filed, with the events it reported."""
    entry, filed = rec.source, rec.filed
    assert entry is not None and filed is not None and entry.platform is not None
    subject = entry.name.split("（方案")[0].removesuffix("技术")
    title = f"{subject}的{rng.choice(RESEARCH_DESIGNS)}临床研究（示例）"
    sites = pick_institutions(rng, rng.randint(1, 5))
    text = (
        f"id: {rec.rid}\nsample: true\ntitle: {yaml_quote(title)}\nguidance_entry: {entry.rid}\n"
        f"sponsor: {yaml_quote(sites[0])}\n"
        + yaml_list("institutions", sites)
        + f"filed: {filed.isoformat()}\n"
    )
    if rng.random() < 0.7:
        number = f"MR-{rng.randint(11, 65)}-{filed.year % 100:02d}-{rng.randint(1, 999_999):06d}"
        text += f"filing_no: {yaml_quote(number)}\n"
    text += yaml_list("indications", [entry.disease] if rng.random() < 0.8 else [])
    if rng.random() < 0.6:
        summary = (
            f"**示例数据，非真实备案。** 参照备案指导清单条目 [{entry.rid}](/guidance-list/{entry.rid}/)"
            f"备案开展。\n\n- 计划入组 {rng.randint(10, 300)} 例；\n- {rng.choice(entry.platform.mechanism)}"
        )
        text += yaml_block("summary", summary)
    text += make_references(rng, filed.year)
    if rec.reports:
        text += "events:\n"
    for day, event in rec.reports:
        text += f"  - date: {day.isoformat()}\n    event: {event}\n"
        if rng.random() < 0.6:
            text += f"    note: {yaml_quote(rng.choice(RESEARCH_NOTES[event]))}\n"
    return text


def announcement_yaml(
    rng: random.Random,
    aid: str,
    day: date,
    seq: int,
    actions: list[tuple[Rec, dict]],
    batches: dict[str, int],
) -> str:
    kinds = {a["action"] for _, a in actions}
    n = len(actions)
    if kinds == {"list"}:
        batches["list"] += 1
        title = f"关于公布生物医学新技术临床研究备案指导清单（第{batches['list']}批）的公告"
    elif kinds == {"approve"}:
        title = f"关于批准{n}项生物医学新技术临床转化应用的公告"
    elif kinds == {"ban"}:
        title = f"关于禁止{n}项生物医学新技术临床应用的公告"
    else:
        title = "关于调整生物医学新技术备案指导清单和临床转化应用管理事项的公告"
    body = [
        "**示例数据，非真实公告。** 根据《生物医学新技术临床转化应用审批工作规范（试行）》和"
        "《生物医学新技术与药品、医疗器械界定指导原则（暂行）》，现将有关事项公告如下：",
        "",
    ]
    for i, (rec, act) in enumerate(actions, 1):
        body.append(f"{i}. {rec.rid} “{rec.name}”：{ACTION_TEXT[act['action']]}。")
    approvals = [(rec, act) for rec, act in actions if act["action"] == "approve"]
    if approvals and rng.random() < 0.5:
        body += ["", "| 编号 | 技术名称 | 风险等级 |", "|---|---|---|"]
        body += [f"| {r.rid} | {r.name} | {GRADE_NAMES[r.grade]} |" for r, _ in approvals]
    body += ["", "特此公告。"]
    text = (
        f"id: {aid}\nsample: true\nnumber: {yaml_quote(f'国家卫生健康委公告 {day.year}年第{seq}号')}\n"
        f"title: {yaml_quote(title)}\ndate: {day.isoformat()}\n"
        + yaml_block("body", "\n".join(body))
        + "actions:\n"
    )
    for rec, act in actions:
        a = act["action"]
        text += f"  - action: {a}\n    record: {rec.rid}\n"
        if a == "approve":
            text += f"    risk_grade: {rec.grade}\n" + yaml_list(
                "institutions", rec.institutions, "    "
            )
        for key in ("route", "ground", "scope", "note"):
            if key in act:
                text += f"    {key}: {yaml_quote(act[key])}\n"
        if "until" in act:
            text += f"    until: {act['until'].isoformat()}\n"
    return text
