"""Write a valid synthetic registry (`registry synth`) for benchmarks and tests.

The output has the layout of `data/` and passes `check_registry`: every record is named by an
announcement, every action is legal under `status.py` when the announcements are replayed, names are
unique after NFKC, and every file carries `sample: true`.

How it is built:

1. Split `count` into about 60 % guidance entries, 30 % approved technologies (each with its
   conditions file) and 10 % banned technologies (GL and BAN ids stop at 9999; the rest become
   approved technologies).
2. Give every record a *plan*: its sequence of actions (list → retain → delist, approve → suspend →
   resume, …), drawn from a fixed mix so that every status occurs.
3. Schedule the plans into themed announcements of 5-20 actions (a batch of new guidance entries,
   of approvals, of bans, or of adjustments: every later step of a plan). Dates start on
   2026-05-15 and increase, several a week (several a day for large registries); about 5 % of the
   announcements fall after 2026-11-23, the as-of of the tests, and are therefore embargoed. When
   that would need more than 999 announcements in 2026 (ANN-2026-NNN has three digits),
   announcements grow up to 40 actions, and beyond that later years take the rest. A small state
   machine mirroring `status.py` checks each action on its date and turns an illegal one (an
   `open` inside the 限定期 or of a technology that opens by itself, 规范 第二十条第二款) into an
   `amend`. The `open`s of technologies suspended inside their period and resumed go into one
   last announcement dated the day after the latest of their periods, so that opening by
   announcement occurs too.
5. Every approved technology grows out of a guidance entry that is listed on its approval date
   (规范 第三条) and is not directly delisted before the technology's last action (a direct
   delisting bans it, 界定指导原则 二(二)2(1)). About half of the technologies with an `amend`
   publish a second conditions version by it (`versions`).
4. Number the records in the order of their first action (GL-0001 is the first listed, BMT ids in
   approval order: BMT-<year>-<nnn> with at most 999 a year and the id year never before the year
   of approval), then write the text: names built from parts, Markdown with lists and tables.

Everything comes from `random.Random(seed)`: the same seed gives byte-identical files. The YAML is
written with string templates; every free-text scalar is a JSON string (a valid YAML double-quoted
scalar) or a literal block whose content was checked to be safe for one.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from json.encoder import encode_basestring as _json_string
from pathlib import Path
from typing import TypeVar

from generator.domain.vocabulary import DIRECT_GROUNDS, REVIEW_GROUNDS, SUSPEND_GROUNDS
from generator.status.replay import period_end

T = TypeVar("T")

START = date(2026, 5, 15)
EMBARGO_AFTER = date(2026, 11, 23)  # as-of of the tests; about 5 % of announcements come later
EMBARGO_SHARE = 0.05
MIN_PER_WEEK = 3.0  # "several announcements a week" when there are few
MAX_PER_YEAR = 999  # ANN-YYYY-NNN and BMT-YYYY-NNN have three digits

CATEGORIES = [
    ("cell-therapy", "细胞治疗"),
    ("stem-cell", "干细胞与再生医学"),
    ("gene-therapy", "基因治疗"),
    ("gene-editing", "基因编辑"),
    ("tissue-engineering", "组织工程"),
    ("reproductive", "生殖医学"),
    ("molecular-diagnosis", "分子诊断"),
    ("microbiome", "微生态治疗"),
    ("immunotherapy", "免疫治疗"),
    ("other", "其他"),
]
GRADES = [("high", "高风险", 5), ("medium", "中风险", 3), ("low", "低风险", 1)]
GRADE_YEARS = {g: y for g, _, y in GRADES}
GRADE_NAMES = {g: n for g, n, _ in GRADES}


@dataclass(frozen=True)
class Platform:
    category: str
    verb: str
    # (name part, short form for aliases, diseases it is studied for, separated by "、")
    agents: tuple[tuple[str, str, str], ...]
    mechanism: tuple[str, ...]


PLATFORMS = [
    Platform(
        "stem-cell",
        "治疗",
        (
            (
                "自体间充质干细胞",
                "自体MSC",
                "膝骨关节炎、股骨头坏死、糖尿病足溃疡、难治性克罗恩病肛瘘",
            ),
            (
                "异体脐带间充质干细胞",
                "UC-MSC",
                "失代偿期肝硬化、急性呼吸窘迫综合征、难治性系统性红斑狼疮、膝骨关节炎、卵巢早衰",
            ),
            ("自体骨髓单个核细胞", "BMMNC", "缺血性心肌病、严重下肢缺血、慢性期脊髓损伤"),
            ("诱导多能干细胞来源多巴胺能神经前体细胞", "iPSC-DA", "帕金森病"),
            ("异体诱导多能干细胞来源心肌细胞", "iPSC-CM", "缺血性心肌病、终末期扩张型心肌病"),
            ("人胚胎干细胞来源视网膜色素上皮细胞", "hESC-RPE", "年龄相关性黄斑变性、Stargardt病"),
        ),
        (
            "细胞经体外分离、扩增和质量检验后回输或局部注射，主要通过旁分泌抗炎因子和营养因子调节局部微环境。",
            "移植细胞在病变部位定植并分化为功能细胞，替代受损组织、重建组织功能。",
            "细胞分泌的外泌体与生长因子可抑制炎症反应、促进血管新生和组织修复。",
        ),
    ),
    Platform(
        "cell-therapy",
        "治疗",
        (
            (
                "自体CD19嵌合抗原受体T细胞（CAR-T）",
                "CD19 CAR-T",
                "复发难治B细胞淋巴瘤、急性B淋巴细胞白血病、难治性系统性红斑狼疮",
            ),
            (
                "自体BCMA嵌合抗原受体T细胞",
                "BCMA CAR-T",
                "复发难治多发性骨髓瘤、难治性全身型重症肌无力",
            ),
            (
                "自体CD19/CD22双靶点CAR-T细胞",
                "CD19/CD22 CAR-T",
                "急性B淋巴细胞白血病、复发难治B细胞淋巴瘤",
            ),
            ("异体通用型CAR-T细胞", "UCAR-T", "复发难治急性髓系白血病、复发难治T细胞淋巴瘤"),
            ("异体自然杀伤（NK）细胞", "NK", "复发难治急性髓系白血病、晚期肝细胞癌"),
            ("自体肿瘤浸润淋巴细胞（TIL）", "TIL", "晚期黑色素瘤、晚期宫颈癌"),
            ("自体GPC3嵌合抗原受体T细胞", "GPC3 CAR-T", "晚期肝细胞癌"),
            ("自体调节性T细胞", "Treg", "1型糖尿病、肾移植术后免疫耐受诱导"),
        ),
        (
            "采集患者外周血单个核细胞，经病毒载体转导表达嵌合抗原受体，体外扩增后回输，特异性识别并清除靶细胞。",
            "效应细胞经体外激活、扩增后回输，通过释放穿孔素、颗粒酶和细胞因子杀伤靶细胞。",
            "回输的细胞在体内持续扩增并形成记忆性细胞群，维持长期免疫监视。",
        ),
    ),
    Platform(
        "gene-therapy",
        "治疗",
        (
            (
                "腺相关病毒（AAV）载体基因治疗",
                "AAV",
                "血友病B、脊髓性肌萎缩症、Leber遗传性视神经病变、RPE65相关遗传性视网膜营养不良、杜氏肌营养不良",
            ),
            (
                "慢病毒载体基因修饰自体造血干细胞",
                "LV-HSC",
                "β-地中海贫血、异染性脑白质营养不良、重症联合免疫缺陷",
            ),
            ("溶瘤单纯疱疹病毒", "oHSV", "晚期黑色素瘤、复发胶质母细胞瘤"),
            ("脂质纳米颗粒递送mRNA", "mRNA-LNP", "甲基丙二酸血症、戈谢病"),
        ),
        (
            "以载体将功能基因导入靶细胞，补充缺失或缺陷的基因产物，恢复相应的生理功能。",
            "载体经静脉或局部给药后在靶组织中长期表达治疗性蛋白，单次给药可获得持久疗效。",
            "经基因修饰的病毒选择性地在肿瘤细胞内复制并裂解肿瘤细胞，同时激活抗肿瘤免疫。",
        ),
    ),
    Platform(
        "gene-editing",
        "治疗",
        (
            ("CRISPR-Cas9编辑自体造血干细胞", "CRISPR-HSC", "输血依赖型β-地中海贫血、镰状细胞病"),
            ("碱基编辑自体造血干细胞", "BE-HSC", "输血依赖型β-地中海贫血、镰状细胞病"),
            ("体内碱基编辑", "体内BE", "杂合子家族性高胆固醇血症"),
            (
                "体内CRISPR基因编辑",
                "体内CRISPR",
                "转甲状腺素蛋白淀粉样变性、遗传性血管性水肿、先天性黑蒙10型",
            ),
        ),
        (
            "利用可编程核酸酶或碱基编辑器在体细胞基因组的特定位点进行定点修饰，纠正致病突变或重新激活保护性基因。",
            "编辑后的细胞经质量检验确认编辑效率与脱靶水平后回输，编辑结果不遗传给后代。",
            "脂质纳米颗粒包裹编辑元件经静脉给药，在肝脏中敲低致病蛋白的表达。",
        ),
    ),
    Platform(
        "tissue-engineering",
        "修复",
        (
            ("组织工程软骨", "TE软骨", "膝关节软骨缺损、小耳畸形"),
            ("组织工程皮肤", "TE皮肤", "大面积深度烧伤创面、难愈性糖尿病足创面"),
            ("生物3D打印气管支架", "3D气管", "先天性气管狭窄、长段气管缺损"),
            ("脱细胞角膜基质", "ACM", "感染性角膜溃疡、角膜穿孔"),
            ("组织工程血管", "TEVG", "血液透析通路失功"),
            ("组织工程骨", "TE骨", "长骨节段性骨缺损、颌骨缺损"),
        ),
        (
            "以可降解支架材料复合种子细胞，在体外构建具有一定结构和功能的组织后植入缺损部位。",
            "支架材料在体内逐步降解，被新生的自体组织替代，实现缺损的结构性修复。",
        ),
    ),
    Platform(
        "reproductive",
        "用于",
        (
            ("卵巢组织冻存与自体移植", "OTC", "恶性肿瘤放化疗前生育力保存"),
            ("子宫移植", "UTx", "子宫性不孕"),
            ("体外激活卵泡", "IVA", "早发性卵巢功能不全"),
            ("胚胎植入前单基因遗传学检测", "PGT-M", "单基因遗传病家系生育"),
        ),
        (
            "在严格的伦理审查与知情同意下开展，不涉及对人类配子、合子或胚胎的遗传物质修饰。",
            "通过冻存、移植或体外培养等手段保存或恢复生育力，并对子代开展长期随访。",
        ),
    ),
    Platform(
        "molecular-diagnosis",
        "辅助诊断",
        (
            ("循环肿瘤DNA甲基化检测", "ctDNA甲基化", "早期结直肠癌、肺结节良恶性、早期肝细胞癌"),
            ("全外显子组测序", "WES", "疑难罕见遗传病、新生儿遗传代谢病"),
            ("病原宏基因组二代测序", "mNGS", "中枢神经系统感染、免疫抑制患者重症肺炎"),
            ("液体活检多组学", "多组学液体活检", "早期胰腺癌、肺结节良恶性"),
        ),
        (
            "检测血液或体液中的核酸分子标志物，结合生物信息学模型给出风险分层结果，辅助临床决策。",
            "检测结果须由具有资质的医师结合临床表现综合判断，不能单独作为诊断依据。",
        ),
    ),
    Platform(
        "microbiome",
        "治疗",
        (
            ("洗涤菌群移植", "WMT", "复发性艰难梭菌感染、中重度溃疡性结肠炎、难治性肠易激综合征"),
            ("粪菌移植", "FMT", "复发性艰难梭菌感染、多重耐药菌肠道定植"),
            ("工程化益生菌", "工程菌", "苯丙酮尿症、高草酸尿症"),
            ("噬菌体", "噬菌体疗法", "多重耐药菌感染、慢性骨髓炎"),
        ),
        (
            "将健康供体的功能菌群经标准化制备后移植入患者肠道，重建肠道微生态平衡。",
            "供体须经严格筛查，菌液制备、储存和运输全程可追溯。",
        ),
    ),
    Platform(
        "immunotherapy",
        "治疗",
        (
            (
                "个体化肿瘤新抗原mRNA疫苗",
                "neoantigen mRNA",
                "术后高复发风险黑色素瘤、胰腺癌术后辅助",
            ),
            ("树突状细胞疫苗", "DC疫苗", "复发胶质母细胞瘤、去势抵抗性前列腺癌"),
            ("T细胞受体工程化T细胞（TCR-T）", "TCR-T", "HPV相关头颈部鳞癌、晚期滑膜肉瘤"),
            ("EB病毒特异性细胞毒性T细胞", "EBV-CTL", "晚期鼻咽癌、移植后淋巴组织增生性疾病"),
        ),
        (
            "根据患者肿瘤测序结果预测新抗原，制备个体化疫苗以诱导特异性T细胞应答。",
            "激活的免疫细胞识别肿瘤相关抗原，联合免疫检查点抑制剂可增强抗肿瘤效应。",
        ),
    ),
    Platform(
        "other",
        "治疗",
        (
            ("基因修饰猪肾异种移植", "异种肾移植", "终末期肾病"),
            ("基因修饰猪角膜异种移植", "异种角膜移植", "角膜盲"),
            ("光遗传学视觉恢复", "光遗传学", "晚期视网膜色素变性"),
            ("脑深部电刺激", "DBS", "难治性强迫症、难治性抑郁症"),
        ),
        (
            "供体动物经多基因编辑以降低超急性排斥反应和跨物种感染风险，术后联合免疫抑制方案。",
            "技术路线尚处于早期临床研究阶段，须在具备相应条件的机构内开展并长期随访。",
        ),
    ),
]

BANNED_PURPOSES = (  # "<purpose>的<agent>技术"; "<purpose>开展<agent>"
    "以生殖为目的",
    "以美容抗衰老为目的",
    "以增强非疾病性状为目的",
    "未经临床研究直接收费",
    "以商业营销为目的",
)
BANNED_AGENTS = (
    ("人类胚胎基因编辑", "gene-editing"),
    ("生殖系基因修饰", "gene-editing"),
    ("线粒体置换胚胎移植", "reproductive"),
    ("人类体细胞核移植胚胎植入", "reproductive"),
    ("人兽嵌合胚胎植入", "reproductive"),
    ("干细胞静脉回输", "stem-cell"),
    ("胎盘来源细胞注射", "stem-cell"),
    ("未经批准的CAR-T细胞输注", "cell-therapy"),
    ("异种细胞注射", "other"),
)

CITIES = (
    "北京", "上海", "广州", "深圳", "天津", "重庆", "成都", "武汉", "杭州", "南京",
    "西安", "长沙", "郑州", "济南", "沈阳", "哈尔滨", "昆明", "福州", "合肥", "南昌",
)  # fmt: skip
HOSPITALS = (
    "{c}示例大学附属第一医院",
    "{c}示例大学附属第二医院",
    "{c}示例医科大学附属肿瘤医院",
    "{c}示例市人民医院",
    "{c}示例儿童医院",
    "{c}示例中心医院",
    "{c}示例大学附属妇产医院",
)
GOALS = (
    "缓解症状、改善功能并提高生活质量",
    "提高缓解率并延长无进展生存期",
    "减少输血或替代治疗依赖",
    "在现有标准治疗无效时提供新的治疗选择",
    "修复组织缺损并恢复结构完整性",
    "降低复发风险",
)
EMERGENCY_SCOPES = (
    "突发重大传染病疫情中危重症患者的救治",
    "重大自然灾害伤员的救治",
    "无其他有效治疗手段的危及生命的罕见病患者",
    "突发公共卫生事件中的群体性伤害救治",
)
BAN_GROUNDS = (
    "经评估不能保证安全、有效，存在重大伦理问题，禁止临床应用并向社会公布。",
    "再评估发现严重不良反应且风险不可控制，依据规范 第二十三条禁止临床应用。",
    "违反法律、行政法规和国家有关规定，禁止任何机构开展。",
    "临床应用中出现不可控制的风险并造成重大社会不良影响，禁止临床应用。",
)
NOTES = {
    "retain": ("经专家论证，该技术仍处于临床研究阶段，继续保留在备案指导清单内。",),
    "open": (
        "再评估证实获益远大于风险，其他符合条件的医疗机构可参照限制类医疗技术进行备案后开展。",
        "经再评估，安全性、有效性良好，提前开放应用。",
    ),
    "resume": (
        "再评估通过，恢复临床应用；原技术条件继续有效。",
        "整改完成并经再评估通过，恢复应用。",
    ),
    "suspend": ("再评估期间暂停临床应用，已开展病例继续随访。",),
    "amend": (
        "修订技术条件和临床应用操作规范中的人员条件。",
        "更正技术名称中的文字错误，不改变状态。",
        "补充适应症说明和随访要求。",
    ),
}
ACTION_TEXT = {
    "list": "纳入备案指导清单",
    "delist": "调出备案指导清单",
    "retain": "经论证继续保留在备案指导清单内",
    "emergency_use": "在规定范围和期限内紧急应用",
    "approve": "批准临床转化应用",
    "open": "开放应用",
    "suspend": "暂停临床应用，开展再评估",
    "resume": "恢复临床应用",
    "ban": "禁止临床应用",
    "amend": "修订相关内容",
}

# Plans: (weight, actions after the first). Chosen so that every status occurs in a few hundred.
GL_PLANS = (
    (62, ()),
    (5, ("amend",)),
    (8, ("retain",)),
    (7, ("delist:direct",)),
    (8, ("delist:after_review",)),
    (2, ("retain", "delist:after_review")),
    (4, ("emergency_use",)),
    (2, ("delist:direct", "list")),
    (2, ("emergency_use", "delist:direct")),
)
BMT_PLANS = (
    (45, ()),
    (8, ("amend",)),
    (12, ("open",)),
    (8, ("suspend",)),
    (8, ("suspend", "resume")),
    (3, ("suspend", "resume", "open")),
    (5, ("suspend", "ban")),
    (4, ("ban",)),
    (3, ("open", "suspend")),
    (4, ("amend", "suspend", "resume")),
)
GRADE_WEIGHTS = ((35, "high"), (40, "medium"), (25, "low"))


def _q(text: str) -> str:
    """A YAML double-quoted scalar: a JSON string (json.dumps(text, ensure_ascii=False)) is one."""
    return _json_string(text)


def _block(key: str, text: str, indent: str = "") -> str:
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
        return f"{indent}{key}: {_q(text)}\n"
    inner = indent + "  "
    body = "".join(f"{inner}{line}\n" if line else "\n" for line in lines)
    return f"{indent}{key}: |\n{body}"


def _list(key: str, items: list[str], indent: str = "") -> str:
    if not items:
        return ""
    return f"{indent}{key}:\n" + "".join(f"{indent}  - {_q(i)}\n" for i in items)


def _pick(rng: random.Random, weighted: Sequence[tuple[float, T]]) -> T:
    """One value of (weight, value) pairs, with probability proportional to its weight."""
    total = sum(w for w, _ in weighted)
    r = rng.random() * total
    for w, value in weighted:
        r -= w
        if r < 0:
            return value
    return weighted[-1][1]  # pragma: no cover - rounding


# --- plans and schedule --------------------------------------------------------------------------


@dataclass
class Rec:
    kind: str  # guidance, approved, banned
    index: int
    plan: list[str]
    grade: str = ""
    rid: str = ""
    # state mirrored from status.py while scheduling
    phase: str | None = None
    approved_on: date | None = None
    suspended_in_period: bool = False
    opened: bool = False
    # (announcement index, action fields, position in the announcement)
    events: list[tuple[int, dict, int]] = field(default_factory=list)
    # text, filled later
    name: str = ""
    platform: Platform | None = None
    disease: str = ""
    institutions: list[str] = field(default_factory=list)


def _split(count: int) -> tuple[int, int, int]:
    n_gl = min(9999, round(count * 0.6))
    n_ban = min(9999, round(count * 0.1))
    if count >= 3:
        n_gl, n_ban = max(n_gl, 1), max(n_ban, 1)
    n_bmt = max(count - n_gl - n_ban, 0)
    if count >= 3 and n_bmt == 0:
        n_bmt, n_gl = 1, n_gl - 1
    return n_gl, n_bmt, n_ban


def _calendar(n: int) -> list[date]:
    """Dates of `n` announcements: increasing from START, several a week (more when there are
    many), about 5 % after EMBARGO_AFTER, and at most 999 in any year (ANN-YYYY-NNN)."""
    embargoed = max(1, round(n * EMBARGO_SHARE)) if n >= 10 else 0
    published = min(MAX_PER_YEAR, n - embargoed)
    days = min((EMBARGO_AFTER - START).days, published * 7 / MIN_PER_WEEK)
    step = days / max(published, 1)  # days between announcements
    later = step if published == MAX_PER_YEAR else 7 / MIN_PER_WEEK
    dates: list[date] = []
    per_year: dict[int, int] = {}
    after = 0.0
    for k in range(n):
        if k < published:
            d = START + timedelta(days=int(k * step))
        else:
            d = EMBARGO_AFTER + timedelta(days=1 + int(after))
            after += later
        if dates and d < dates[-1]:
            d = dates[-1]
        if per_year.get(d.year, 0) >= MAX_PER_YEAR:
            d = date(d.year + 1, 1, 1)
            after = (d - EMBARGO_AFTER).days - 1 + later
        per_year[d.year] = per_year.get(d.year, 0) + 1
        dates.append(d)
    return dates


def _legal(rec: Rec, act: str, day: date) -> bool:
    """Would `act` on `rec` be legal on `day`? Mirrors status.py's transitions."""
    p = rec.phase
    if p == "banned":
        return False
    if act == "list":
        return p != "listed"
    if act in ("delist", "retain", "emergency_use"):
        return p == "listed"
    if act == "approve":
        return p is None
    if act == "open":
        # 规范 第二十条第二款: only after the period, and only when a suspension inside it kept the
        # technology from opening by itself
        if p != "active" or rec.opened or rec.approved_on is None:
            return False
        return rec.suspended_in_period and day > _until(rec)
    if act == "suspend":
        return p == "active"
    if act == "resume":
        return p == "suspended"
    if act == "ban":
        return rec.kind == "banned" or p is not None
    if act == "amend":
        return p is not None
    return False  # pragma: no cover


def _until(rec: Rec) -> date:
    assert rec.approved_on is not None
    return period_end(rec.approved_on, GRADE_YEARS[rec.grade])


def _apply(rec: Rec, act: str, day: date) -> None:
    if act in ("list", "retain"):
        rec.phase = "listed"
    elif act == "delist":
        rec.phase = "delisted"
    elif act == "approve":
        rec.phase, rec.approved_on = "active", day
    elif act == "open":
        rec.opened = True
    elif act == "suspend":
        if day <= _until(rec) and not rec.opened:
            rec.suspended_in_period = True
        rec.phase = "suspended"
    elif act == "resume":
        rec.phase = "active"
    elif act == "ban":
        rec.phase = "banned"


def _action_fields(rng: random.Random, step: str, day: date) -> dict:
    """The extra fields of one action (record and institutions are added when writing)."""
    act, _, variant = step.partition(":")
    out: dict = {"action": act}
    if act == "delist":
        route = variant or "direct"
        out["route"] = route
        out["ground"] = rng.choice(DIRECT_GROUNDS if route == "direct" else REVIEW_GROUNDS)
    elif act == "emergency_use":
        out["scope"] = rng.choice(EMERGENCY_SCOPES)
        out["until"] = day + timedelta(days=rng.randint(60, 540))
    elif act == "suspend":
        out["ground"] = rng.choice(SUSPEND_GROUNDS)
        if rng.random() < 0.5:
            out["note"] = rng.choice(NOTES["suspend"])
    elif act == "ban":
        out["ground"] = rng.choice(BAN_GROUNDS)
    elif act in ("retain", "open", "resume", "amend") and rng.random() < 0.8:
        out["note"] = rng.choice(NOTES[act])
    return out


THEMES = {"guidance": "list", "approved": "approve", "banned": "ban"}


def _schedule(
    rng: random.Random, recs: list[Rec]
) -> tuple[list[list[tuple[Rec, dict]]], list[date]]:
    """Place every plan step into announcements; returns their actions and dates.

    Like real notices, each announcement has one theme: a batch of new guidance entries, a batch
    of approvals, a batch of bans, or adjustments (every later step of a plan: delist, suspend…).
    Steps are first placed in announcement order; dates are spread once the number of
    announcements is known; then the actions are replayed on those dates to fill in their fields
    and to turn the rare step that would be illegal on its date into an `amend`.
    """
    total = sum(len(r.plan) for r in recs)
    # 5-20 actions an announcement; more when that would need over 999 announcements in 2026
    # (then ~5 % embargoed would be impossible), up to 40, beyond which later years take the rest.
    published_max = MAX_PER_YEAR / (1 - EMBARGO_SHARE)
    biggest = min(40, max(20, math.ceil(2.2 * total / published_max) - 5))
    max_delay = max(2, min(120, round(total / 12.5) // 4))  # in announcements
    fresh: dict[str, list[Rec]] = {kind: [] for kind in THEMES}
    for rec in recs:
        fresh[rec.kind].append(rec)
    for queue in fresh.values():
        rng.shuffle(queue)  # pop() from the end
    due: list[tuple[int, int, int]] = []  # (earliest announcement, seq, record index)
    ready: deque[int] = deque()  # records whose next step may go into the next adjustment
    placed = [0] * len(recs)  # steps placed so far, per record
    steps: list[list[tuple[Rec, str]]] = []
    seq = 0
    while due or ready or any(fresh.values()):
        k = len(steps)
        while due and due[0][0] <= k:
            ready.append(heapq.heappop(due)[2])
        themes = [(len(q), kind) for kind, q in fresh.items() if q]
        if len(ready) >= 12 or (ready and not themes):  # adjustments come in full batches too
            themes.append((len(ready) * 3, "adjust"))
        if not themes:  # only steps that must wait: the next announcement takes the earliest
            while due and len(ready) < 12:
                ready.append(heapq.heappop(due)[2])
            continue
        theme = _pick(rng, themes)
        if k == 0 and fresh["guidance"]:
            theme = "guidance"  # the list is published first: approvals need a listed entry
        size = rng.randint(5, biggest)
        batch: list[Rec] = []
        if theme == "adjust":
            while ready and len(batch) < size:
                batch.append(recs[ready.popleft()])
        else:
            queue = fresh[theme]
            while queue and len(batch) < size:
                batch.append(queue.pop())
        items = []
        for rec in batch:
            items.append((rec, rec.plan[placed[rec.index]]))
            placed[rec.index] += 1
            if placed[rec.index] < len(rec.plan):
                seq += 1
                heapq.heappush(due, (k + rng.randint(1, max_delay), seq, rec.index))
        steps.append(items)

    dates = _calendar(len(steps))
    anns: list[list[tuple[Rec, dict]]] = []
    postponed: list[Rec] = []  # opens that can only come after the period (规范 第二十条第二款)
    for k, (items, day) in enumerate(zip(steps, dates, strict=True)):
        actions = []
        for rec, step in items:
            name = step.partition(":")[0]
            alone = len(items) == 1
            if name == "open" and rec.suspended_in_period and rec.phase == "active" and not alone:
                postponed.append(rec)  # legal once the period has ended: the last announcement
                continue
            if not _legal(rec, name, day):
                step = "amend"  # e.g. an `open` of a technology that opens by itself
            act = _action_fields(rng, step, day)
            _apply(rec, act["action"], day)
            rec.events.append((k, act, len(actions)))
            actions.append((rec, act))
        anns.append(actions)
    late = [r for r in postponed if r.phase == "active" and not r.opened]
    if late:
        day = max(_until(r) for r in late) + timedelta(days=1)
        k = len(anns)
        actions = []
        for pos, rec in enumerate(late):
            act = _action_fields(rng, "open", day)
            _apply(rec, "open", day)
            rec.events.append((k, act, pos))
            actions.append((rec, act))
        anns.append(actions)
        dates.append(day)
    return anns, dates


# --- text ----------------------------------------------------------------------------------------


def _institutions(rng: random.Random, n: int) -> list[str]:
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
    out = f"  - title: {_q(title)}\n"
    if rng.random() < 0.85:
        out += f"    url: {_q(f'https://www.nhc.gov.cn/qjjys/s7946/{year}{rng.randint(1, 12):02d}/{path}.shtml')}\n"
    if rng.random() < 0.6:
        out += f"    doc_no: {_q(f'国卫科教发〔{year}〕{n}号')}\n"
    return out


def _references(rng: random.Random, year: int) -> str:
    k = rng.choice((0, 1, 1, 2, 2, 3))
    if not k:
        return ""
    return "references:\n" + "".join(_reference(rng, year) for _ in range(k))


class _Names:
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


def _tech_name(rng: random.Random, rec: Rec, used: _Names) -> tuple[str, str]:
    p = rng.choice(PLATFORMS)
    agent, short, diseases = rng.choice(p.agents)
    rec.platform = p
    rec.disease = rng.choice(diseases.split("、"))
    return used.unique(f"{agent}{p.verb}{rec.disease}技术"), short


def _aliases(rng: random.Random, short: str, verb: str, disease: str) -> list[str]:
    r = rng.random()
    if r < 0.55:
        return []
    out = [f"{short}{verb}{disease}"]
    if r > 0.85:
        out.append(f"{short}（{disease}）")
    return out


def _filing_md(rng: random.Random, p: Platform) -> str:
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


def _summary_md(rng: random.Random, rec: Rec, guidance: str | None) -> str:
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


def _operating_md(rng: random.Random, rec: Rec) -> str:
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


# --- writing -------------------------------------------------------------------------------------


def _registry_yaml() -> str:
    cats = "".join(f"  - {{id: {cid}, name: {name}}}\n" for cid, name in CATEGORIES)
    return (
        "title: 生物医学新技术公示库（合成数据）\n"
        "authority: 国家卫生健康委员会（示例）\n"
        "disclaimer: 本数据集由 registry synth 随机生成，仅用于测试和基准，全部为虚构的示例数据。\n"
        "sample: true\n"
        f"categories:\n{cats}"
    )


def _grades_yaml() -> str:
    rows = "".join(
        f"  - id: {gid}\n    name: {name}\n    exclusive_years: {years}\n"
        f"    description: {_q(f'批准后 {years} 年内仅限参与临床研究的医疗机构开展（规范 第二十条）。')}\n"
        for gid, name, years in GRADES
    )
    return f"sample: true\ngrades:\n{rows}"


def write_synthetic(out: Path, count: int, seed: int = 1) -> int:
    """Write a valid synthetic registry of `count` records into `out`; returns files written."""
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    n_gl, n_bmt, n_ban = _split(count)

    recs: list[Rec] = []
    for _ in range(n_gl):
        recs.append(Rec("guidance", len(recs), ["list", *_pick(rng, GL_PLANS)]))
    for _ in range(n_bmt):
        grade = _pick(rng, GRADE_WEIGHTS)
        recs.append(Rec("approved", len(recs), ["approve", *_pick(rng, BMT_PLANS)], grade=grade))
    for _ in range(n_ban):
        recs.append(Rec("banned", len(recs), ["ban"]))

    anns, dates = _schedule(rng, recs)

    # Ids in order of first action; BMT-<year>-<nnn>, never before the year of approval.
    counters = {"guidance": 0, "banned": 0}
    bmt_year, bmt_n = START.year, 0
    ordered: dict[str, list[Rec]] = {"guidance": [], "approved": [], "banned": []}
    for rec in _stable_first_order(recs):
        if rec.kind == "approved":
            year = dates[rec.events[0][0]].year
            if year > bmt_year:
                bmt_year, bmt_n = year, 0
            if bmt_n >= MAX_PER_YEAR:
                bmt_year, bmt_n = bmt_year + 1, 0
            bmt_n += 1
            rec.rid = f"BMT-{bmt_year}-{bmt_n:03d}"
        else:
            counters[rec.kind] += 1
            prefix = "GL" if rec.kind == "guidance" else "BAN"
            rec.rid = f"{prefix}-{counters[rec.kind]:04d}"
        ordered[rec.kind].append(rec)

    out.mkdir(parents=True, exist_ok=True)
    for sub in ("guidance-list", "approved", "conditions", "banned", "announcements"):
        (out / sub).mkdir(exist_ok=True)
    files: dict[str, str] = {"registry.yaml": _registry_yaml(), "risk-grades.yaml": _grades_yaml()}

    used = {"guidance": _Names(), "approved": _Names(), "banned": _Names()}
    for rec in ordered["guidance"]:
        files[f"guidance-list/{rec.rid}.yaml"] = _guidance_yaml(rng, rec, used["guidance"], dates)

    aids = _announcement_ids(dates)
    # Approved technologies, in approval order; each grew out of a guidance entry listed on its
    # approval date (规范 第三条) and not directly delisted before its last action (二(二)2(1));
    # a third of them keep the entry's name, which the contract allows.
    gl_listed = ordered["guidance"]
    pointer, pool = 0, []
    for rec in ordered["approved"]:
        first = rec.events[0][0]
        while pointer < len(gl_listed) and gl_listed[pointer].events[0][0] < first:
            pool.append(gl_listed[pointer])
            pointer += 1
        source = _pick_source(rng, rec, pool, dates)
        rec.institutions = _institutions(rng, rng.randint(1, 4))
        files[f"approved/{rec.rid}.yaml"] = _approved_yaml(
            rng, rec, source, used["approved"], dates
        )
        files[f"conditions/{rec.rid}.yaml"] = _conditions_yaml(rng, rec, dates, aids)

    for rec in ordered["banned"]:
        files[f"banned/{rec.rid}.yaml"] = _banned_yaml(rng, rec, used["banned"], dates)

    batches = {"list": 0}
    for actions, day, (aid, seq) in zip(anns, dates, aids, strict=True):
        files[f"announcements/{aid}.yaml"] = _announcement_yaml(
            rng, aid, day, seq, actions, batches
        )

    for rel, text in files.items():
        with open(out / rel, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return len(files)


def _announcement_ids(dates: list[date]) -> list[tuple[str, int]]:
    """(id, number within its year) of each announcement: ANN-<year>-<nnn> in date order."""
    counter: dict[int, int] = {}
    out = []
    for day in dates:
        counter[day.year] = counter.get(day.year, 0) + 1
        out.append((f"ANN-{day.year}-{counter[day.year]:03d}", counter[day.year]))
    return out


def _listed_after(gl: Rec, day: date, dates: list[date]) -> bool:
    """Is guidance entry `gl` listed after all announcements dated `day`?"""
    phase = None
    for k, act, _ in gl.events:
        if dates[k] > day:
            break
        a = act["action"]
        phase = "listed" if a in ("list", "retain") else "delisted" if a == "delist" else phase
    return phase == "listed"


def _fits(gl: Rec, rec: Rec, dates: list[date]) -> bool:
    approved_on, last = dates[rec.events[0][0]], rec.events[-1][0]
    if not _listed_after(gl, approved_on, dates):
        return False
    direct = [k for k, act, _ in gl.events if act.get("route") == "direct"]
    return all(k > last and dates[k] > dates[last] for k in direct)


def _pick_source(rng: random.Random, rec: Rec, pool: list[Rec], dates: list[date]) -> Rec | None:
    """A guidance entry the technology can have grown out of (random, then by scanning)."""
    for _ in range(min(20, len(pool))):
        gl = pool[rng.randrange(len(pool))]
        if _fits(gl, rec, dates):
            return gl
    return next((gl for gl in pool if _fits(gl, rec, dates)), None)


def _stable_first_order(recs: list[Rec]) -> list[Rec]:
    """Records in the order their first action was placed (announcement, then position)."""
    keyed = sorted((rec.events[0][0], rec.events[0][2], i) for i, rec in enumerate(recs))
    return [recs[i] for _, _, i in keyed]


def _guidance_yaml(rng: random.Random, rec: Rec, used: _Names, dates: list[date]) -> str:
    name, short = _tech_name(rng, rec, used)
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
        f"id: {rec.rid}\nsample: true\nname: {_q(name)}\n"
        + _list("aliases", _aliases(rng, short, p.verb, rec.disease))
        + f"category: {p.category}\npurpose: {_q(purpose)}\nmechanism: {_q(mechanism)}\n"
        + _list("indications", indications)
    )
    if rng.random() < 0.8:
        text += _block("filing_requirements", _filing_md(rng, p))
    return text + _references(rng, year)


def _approved_yaml(
    rng: random.Random, rec: Rec, source: Rec | None, used: _Names, dates: list[date]
) -> str:
    if source is not None and rng.random() < 0.35 and source.name not in used:
        rec.platform, rec.disease = source.platform, source.disease
        name = source.name
        used.add(name)
        short = ""
    else:
        name, short = _tech_name(rng, rec, used)
    rec.name = name
    p = rec.platform
    assert p is not None
    year = dates[rec.events[0][0]].year
    text = f"id: {rec.rid}\nsample: true\nname: {_q(name)}\n"
    if short:
        text += _list("aliases", _aliases(rng, short, p.verb, rec.disease))
    text += f"category: {p.category}\n"
    if source is not None:
        text += f"guidance_entry: {source.rid}\n"
    text += f"applicant: {_q(rec.institutions[0])}\n"
    text += _list("indications", [f"{rec.disease}"] if rng.random() < 0.7 else [])
    text += _block("summary", _summary_md(rng, rec, source.rid if source else None))
    return text + _references(rng, year)


def _conditions_yaml(
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
        _list("institution", institution, indent)
        + _list("personnel", personnel, indent)
        + _list("management", management, indent)
        + _list("training_qc", training, indent)
        + _block("operating_spec", _operating_md(rng, rec), indent)
    )
    if force or rng.random() < 0.7:
        # version 1 of a versioned file takes effect on its approval day, so that the next
        # version's `effective` (on or after its own announcement) never goes back before it
        days = 0 if force else rng.randint(0, 30)
        text += f"{indent}effective: {(approved + timedelta(days=days)).isoformat()}\n"
    return text


def _banned_yaml(rng: random.Random, rec: Rec, used: _Names, dates: list[date]) -> str:
    purpose = rng.choice(BANNED_PURPOSES)
    agent, category = rng.choice(BANNED_AGENTS)
    name = used.unique(f"{purpose}的{agent}技术")
    rec.name = name
    year = dates[rec.events[0][0]].year
    description = (
        f"{purpose}开展{agent}的技术。该技术的安全性、有效性无法评估，"
        "存在重大伦理问题或不可控制的风险，违反法律、行政法规和国家有关规定。"
    )
    text = f"id: {rec.rid}\nsample: true\nname: {_q(name)}\n"
    if rng.random() < 0.3:
        text += _list("aliases", [f"“{agent}”"])
    text += f"category: {category}\ndescription: {_q(description)}\n"
    if rng.random() < 0.7:
        scope = f"禁止任何机构和个人{purpose}开展{agent}，不影响依法依规开展、不以临床应用为目的的基础研究。"
        text += f"scope: {_q(scope)}\n"
    return text + _references(rng, year)


def _announcement_yaml(
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
        f"id: {aid}\nsample: true\nnumber: {_q(f'国家卫生健康委公告 {day.year}年第{seq}号')}\n"
        f"title: {_q(title)}\ndate: {day.isoformat()}\n"
        + _block("body", "\n".join(body))
        + "actions:\n"
    )
    for rec, act in actions:
        a = act["action"]
        text += f"  - action: {a}\n    record: {rec.rid}\n"
        if a == "approve":
            text += f"    risk_grade: {rec.grade}\n" + _list(
                "institutions", rec.institutions, "    "
            )
        for key in ("route", "ground", "scope", "note"):
            if key in act:
                text += f"    {key}: {_q(act[key])}\n"
        if "until" in act:
            text += f"    until: {act['until'].isoformat()}\n"
    return text
