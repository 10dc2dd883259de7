"""The delineation self-check (`/check/delineation/`): which route a project should take.

A short decision tree built from 《生物医学新技术与药品、医疗器械界定指导原则（暂行）》 (界定指导原则)
and 《生物医学新技术临床转化应用审批工作规范（试行）》 (规范) 第二条、第三条、第六条、第七条. Every
step cites its clause. The page renders it as plain sections linked by anchors (works without
JavaScript); `check.js` turns it into a one-question-at-a-time form.

The four routes: medical device registration, drug clinical trial, filing clinical research under
the guidance list, applying for clinical translation. Four more endings say when none applies
(where the seeds prescribe no route, the ending says so and no more).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    label: str
    next: str  # id of a Step or an Outcome


@dataclass(frozen=True)
class Step:
    id: str
    question: str
    help: tuple[str, ...]
    clause: str
    answers: tuple[Answer, ...]
    links: tuple[tuple[str, str], ...] = ()  # (label, site-absolute url)


@dataclass(frozen=True)
class Outcome:
    id: str
    route: str  # device | drug | research | translation | none
    title: str
    body: tuple[str, ...]
    clause: str
    links: tuple[tuple[str, str], ...] = ()  # (label, site-absolute url)


STEPS: tuple[Step, ...] = (
    Step(
        id="q-device",
        question="它是否符合《医疗器械监督管理条例》中医疗器械的定义？",
        help=(
            "医疗器械指直接或者间接用于人体的仪器、设备、器具、体外诊断试剂及校准物、材料以及其他类似或者"
            "相关的物品，其效用主要通过物理等方式获得，不是通过药理学、免疫学或者代谢的方式获得，"
            "或者虽然有这些方式参与但只起辅助作用。",
            "符合医疗器械定义的，应按医疗器械法规注册，不纳入生物医学新技术临床转化应用审批范围。",
        ),
        clause="界定指导原则 三（第二段）；规范 第三条第二款",
        answers=(
            Answer("是，符合医疗器械定义", "out-device"),
            Answer("否，不符合", "q-drug"),
        ),
    ),
    Step(
        id="q-drug",
        question="是否准备按药品研发，即以取得药品上市许可为目标？",
        help=(
            "临床研究发起机构参照《备案指导清单》自主界定：属于药品的，按药品管理规定开展；按“药品”研发的，"
            "应当依法依规经批准后开展临床试验，然后申报上市注册。",
            "生物医学新技术路径主要面向难以开发为医疗器械，以及创新性强、个性化程度高、尚未或难以开发为药品的技术。",
        ),
        clause="界定指导原则 一(一)、二（第二段）",
        answers=(
            Answer("是，按药品研发", "out-drug"),
            Answer("否，拟作为生物医学新技术", "q-scope"),
        ),
    ),
    Step(
        id="q-scope",
        question="它是否以诊断、预防治疗疾病或促进健康为目的，运用生物学原理作用于人体细胞、分子水平，"
        "且在我国境内尚未应用于临床？",
        help=("三个条件都满足，才属于生物医学新技术。",),
        clause="规范 第二条第二款；界定指导原则 二(一)2、3、5",
        answers=(
            Answer("是，三个条件都满足", "q-list"),
            Answer("否，至少有一项不满足", "out-other"),
        ),
    ),
    Step(
        id="q-list",
        question="它是否在《生物医学新技术临床研究备案指导清单》内？",
        help=(
            "按清单的规范技术名称核对；可以用“机构自查”输入名称、别名或编号查询。",
            "已调出清单或被禁止的技术，不能按清单备案开展。",
        ),
        clause="界定指导原则 二、二(二)",
        answers=(
            Answer("是，在清单内", "q-done"),
            Answer("否，不在清单内", "out-propose"),
            Answer("已调出清单或被禁止", "out-stop"),
        ),
        links=(("在机构自查中查询", "/check/"), ("备案指导清单", "/guidance-list/")),
    ),
    Step(
        id="q-done",
        question="是否已依法备案并完成该技术的临床研究，证明其安全、有效、符合伦理，"
        "且经多中心参与、遵守临床应用操作规范独立实施，获得一致的安全性、有效性结论？",
        help=("三项条件须同时具备，才能申请临床转化应用。",),
        clause="规范 第六条、第七条",
        answers=(
            Answer("是，均已具备", "q-personal"),
            Answer("否，尚未完成", "out-research"),
        ),
    ),
    Step(
        id="q-personal",
        question="该技术是否个性化程度高，且国内尚没有使用同类机制原理的药品获得上市许可或者已启动确证性临床试验？",
        help=("两部分都满足才选“是”；只满足其中一部分，请选“否”。",),
        clause="规范 第三条第一款第一项；界定指导原则 三（第一段）",
        answers=(
            Answer("是", "out-translation"),
            Answer("否", "q-rare"),
        ),
    ),
    Step(
        id="q-rare",
        question="该技术是否用于治疗罕见病，且国内尚没有使用同类机制原理、针对相同适应症的药品获得上市许可"
        "或者已启动确证性临床试验？",
        help=("两部分都满足才选“是”。",),
        clause="规范 第三条第一款第二项；界定指导原则 三（第一段）",
        answers=(
            Answer("是", "out-translation"),
            Answer("否", "out-outside"),
        ),
    ),
)

OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        id="out-device",
        route="device",
        title="按医疗器械法规申请注册",
        body=(
            "符合《医疗器械监督管理条例》医疗器械定义的，应当按照医疗器械法规要求开展相关注册工作，"
            "提交符合注册要求的资料依法注册，不能申请生物医学新技术临床转化应用。",
            "临床研究阶段自主界定属于医疗器械的，按医疗器械管理规定依法依规开展相关工作。",
        ),
        clause="界定指导原则 二（第二段）、三（第二段）；规范 第三条第二款",
    ),
    Outcome(
        id="out-drug",
        route="drug",
        title="按药品研发：经批准后开展药物临床试验",
        body=(
            "按照“药品”研发的，应当依法依规经批准后开展药物临床试验，然后申报上市注册。",
            "已在备案指导清单内的技术，若有适应症、机制原理基本相同的药品在我国境内批准上市，"
            "国家卫生健康委将组织论证并可能调出清单。",
        ),
        clause="界定指导原则 二（第二段）、二(二)2(2)",
    ),
    Outcome(
        id="out-research",
        route="research",
        title="按备案指导清单备案开展临床研究",
        body=(
            "按《备案指导清单》的规范技术名称和相应备案要求，完整提交资料，及时备案后开展临床研究。",
            "备案临床研究产生的数据用于支持该技术的临床转化应用。",
            "研究完成且证明安全、有效、符合伦理，经多中心参与获得一致结论后，符合规范第三条范围的，"
            "可以申请临床转化应用。",
            "在清单内不等于可以临床应用：未经批准临床转化应用的技术，任何机构和个人不得应用于临床。",
        ),
        clause="界定指导原则 二（第二段）；规范 第三条、第六条、第七条、第二十条第三款",
        links=(("备案指导清单", "/guidance-list/"),),
    ),
    Outcome(
        id="out-propose",
        route="research",
        title="先建议调入备案指导清单，纳入后备案开展临床研究",
        body=(
            "不在清单内的技术，不能按清单备案开展生物医学新技术临床研究。",
            "临床研究发起机构可以随时向国家卫生健康委建议调入，同时提交规范名称、医学目的、机制原理以及符合要求的"
            "非临床研究报告、临床研究必要性论证报告等材料；经专家论证符合要求的纳入清单，并制定备案指引。",
            "纳入清单的技术应当合法合规、医学目的明确、机制原理清晰、前期基础充分、未应用于临床。",
        ),
        clause="界定指导原则 二(一)、二(二)1",
        links=(("备案指导清单", "/guidance-list/"),),
    ),
    Outcome(
        id="out-translation",
        route="translation",
        title="向国家卫生健康委申请临床转化应用",
        body=(
            "由发起该技术临床研究的机构向国家卫生健康委提出申请，提交《生物医学新技术临床转化应用申请书》"
            "及相关资料，并对材料的真实性、准确性、完整性负责。",
            "批准后，国家卫生健康委以公告公布技术名称、风险等级、医疗机构和人员条件以及临床应用操作规范；"
            "按风险等级，高风险技术批准后5年内、中风险技术批准后3年内、低风险技术批准后1年内仅限在参与该技术"
            "临床研究且符合条件的医疗机构内开展临床应用（规范 第二十条第二款）。",
            "用于治疗严重危及生命且尚无有效治疗手段的疾病，或公共卫生方面急需的，可以申请优先审查审批。",
        ),
        clause="规范 第三条第一款、第七条、第十七条、第十八条、第二十条；界定指导原则 三",
        links=(("已批准技术", "/approved/"), ("风险分级", "/risk-grades/")),
    ),
    Outcome(
        id="out-outside",
        route="none",
        title="不纳入临床转化应用审批范围",
        body=(
            "已列入《备案指导清单》的技术，只有符合规范第三条第一款两项要求之一（个性化程度高，或用于治疗"
            "罕见病，且国内尚没有使用同类机制原理的药品获得上市许可或者已启动确证性临床试验）的，才纳入"
            "生物医学新技术临床转化应用审批范围。两项都不符合的，不能申请临床转化应用。",
            "规范和界定指导原则没有为这种情形另行规定路径；对技术属性或适用路径有疑问的，可以向国家卫生健康委"
            "委托的专业机构咨询。",
            "未经批准临床转化应用的生物医学新技术，任何机构和个人不得应用于临床（规范 第二十条第三款）。",
        ),
        clause="规范 第三条第一款、第二十条第三款；界定指导原则 二（第二段）",
    ),
    Outcome(
        id="out-stop",
        route="none",
        title="不能按生物医学新技术开展",
        body=(
            "被禁止的技术，任何机构和个人不得应用于临床。",
            "直接调出清单的技术，不再按《条例》开展临床研究和临床转化应用；调出前已备案的研究应及时终止，"
            "并保障受试者权益。",
            "论证后调出的，新的相关临床研究按《医疗卫生机构开展研究者发起的临床研究管理办法》实施；"
            "调出前已备案的研究应重新进行伦理审查评估。",
        ),
        clause="界定指导原则 二(二)2；规范 第二十三条",
        links=(("禁止技术", "/banned/"), ("机构自查", "/check/")),
    ),
    Outcome(
        id="out-other",
        route="none",
        title="不属于生物医学新技术",
        body=(
            "不同时满足“目的、作用于细胞分子水平、境内尚未应用于临床”三个条件的，不属于生物医学新技术，"
            "不适用备案指导清单和临床转化应用审批，应按其他有关规定管理。",
            "对技术属性有疑问的，可以向国家卫生健康委委托的专业机构咨询。",
        ),
        clause="规范 第二条第二款；界定指导原则 二（第二段）",
    ),
)

ROUTE_LABELS = {
    "device": "医疗器械注册",
    "drug": "药品临床试验",
    "research": "备案开展临床研究",
    "translation": "申请临床转化应用",
    "none": "不适用",
}
