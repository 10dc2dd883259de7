"""The registry's words: the seeds' sentences word for word (duties, prohibitions, what each
status means; publish/sentences.py composes them and re-exports them), the plain summary's words,
the terms of reuse (the licence and terms of `data/registry.yaml`) and how to cite a record.

Open-data services put the terms into every response (openFDA's `meta.license`, `meta.terms`):
whoever holds one file knows what they may do with it. Here the same two fields go into every
API envelope, the dataset zip (`LICENSE.txt`) and the downloads page; each record page and API
file adds a citation line naming the authority, the registry, the record and the data version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.publish.views import RecordView, Site

# 规范 第二十一条、第二十二条, quoted word for word: what a hospital must do wherever it may use a
# technology. Each item is one sentence of the seed text with a short label and its article.
DUTIES = (
    "主体责任与权限管理（规范 第二十一条第一款）：医疗机构承担生物医学新技术临床应用管理主体责任，"
    "应当建立生物医学新技术临床应用全流程管理制度。加强生物医学新技术质控工作，根据卫生专业技术人员"
    "业务能力和技术水平等，授予、调整或取消相应技术应用权限。",
    "知情同意（规范 第二十一条第二款）：医疗机构开展生物医学新技术临床应用必须保障患者或其监护人的"
    "知情权，签署知情同意书。",
    "风险防控、应急处置与病例随访（规范 第二十一条第三款）：医疗机构应当制定生物医学新技术临床应用"
    "风险预防控制措施、应急处置预案及病例随访相关制度。",
    "逐例报送（规范 第二十二条第一款）：医疗机构开展生物医学新技术临床应用，应当向所在地省级卫生健康"
    "部门逐例报送该技术的临床应用情况。",
    "严重不良反应、医疗事故（规范 第二十二条第一款）：临床应用过程中发生严重不良反应或者医疗事故的，"
    "医疗机构应当按照规定进行处理，并第一时间向所在地省级卫生健康部门报告。",
    "信息系统（规范 第二十二条第二款）：前款所称报告，应当通过生物医学新技术临床研究和临床转化信息系统"
    "进行。",
)

NOT_CLINICAL = (
    "在清单内不等于批准临床应用：未经批准临床转化应用的生物医学新技术，"
    "任何机构和个人不得应用于临床（规范 第二十条第三款）。"
)

NO_CLINICAL_USE = (
    "未经批准临床转化应用的生物医学新技术，任何机构和个人不得应用于临床（规范 第二十条第三款）。"
)


# --- research projects, 界定指导原则 二（二）2, word for word -------------------------------------

TERMINATE = (
    "对于调出《备案指导清单》之前已备案开展的临床研究项目，应当及时终止研究，并妥善保障已开展研究受试者的"
    "权益（界定指导原则 二（二）2（1））。"
)
ETHICS = (
    "对于调出《备案指导清单》前已备案开展的临床研究，应重新进行伦理审查评估后，根据伦理审查意见，可继续实施"
    "至研究结束，或根据实际情况终止研究（界定指导原则 二（二）2（2））。"
)

# --- the status on a day ------------------------------------------------------------------------

# What each status means on a day, with its article: the sentences of the date fields
# (publish/dated.py composes them; the verdicts use the same rules).
MEANING = {
    # says less than the verdict can: whether an approval grown from the entry allows use on
    # that day is the approval's own interval (one technology, one answer)
    "listed": "可以按清单的规范技术名称和备案要求备案开展临床研究（界定指导原则 二）；在清单内本身不等于"
    "批准临床应用（规范 第二十条第三款）。",
    "restricted": "仅限参与该技术临床研究且符合条件的医疗机构开展临床应用（规范 第二十条第二款）。",
    "open": "参与该技术临床研究且符合条件的医疗机构可以开展；其他符合条件的医疗机构方可开展临床应用，"
    "参照限制类医疗技术进行备案（规范 第二十条第二款）。",
    "suspended": "再评估期间暂停应用，任何机构不得开展（规范 第二十三条第一款）。",
    "banned": "禁止临床应用，任何机构和个人不得开展。",
    # research projects (publish/verdict_research.py says the same in its verdicts)
    "ongoing": "按备案开展临床研究（界定指导原则 二）。",
    "terminate_required": TERMINATE,
    "ethics_review_required": ETHICS,
    "completed": "备案机构报告研究已结束。",
    "terminated": "备案机构报告研究已终止。",
}
DERIVED_BAN = (
    "来源清单条目已直接调出《备案指导清单》：不再按照《条例》有关规定开展临床研究和临床转化应用"
    "（界定指导原则 二（二）2（1））；公告没有对本技术作出单独的禁止决定。"
)
NO_SPEC = "此时尚无施行中的临床应用操作规范：操作规范施行前，任何医疗机构不得据此开展（规范 第二十条第一款）。"
EMERGENCY = (
    "可以按清单备案开展临床研究；另经国家卫生健康委同意，在一定范围和期限内紧急应用"
    "（规范 第十九条；{number}）：范围：{scope}；期限至 {until}。范围以外或期满后不得据此应用于临床"
    "（规范 第二十条第三款）。"
)
DELISTED = {
    "direct": "已直接调出《备案指导清单》：不再按照《条例》有关规定开展临床研究和临床转化应用"
    "（界定指导原则 二（二）2（1））。",
    "after_review": "已论证后调出《备案指导清单》：不能再按清单备案新的临床研究"
    "（界定指导原则 二（二）2（2））。",
}
EMERGENCY_ONLY = (
    "调出前经国家卫生健康委同意的紧急应用不因论证后调出而终止（规范 第十九条；{number}）：范围：{scope}；"
    "期限至 {until}。"
)
NOT_BY_TIME = (
    "限定期内曾暂停应用（规范 第二十三条第一款）：期满后，其他医疗机构只有在再评估证实获益远大于风险时"
    "方可开展（规范 第二十条第二款）；本库以公布再评估结论的公告为准。"
)


# --- the summary a citizen reads first (every record page, above the legal reasoning) ------------
# Plain words, derived from the record's status and its status on every date (r.intervals); each
# prohibition is the seeds' own sentence with its article, said only where the seeds say it.

# the summary's rules quote the seeds word for word, inside “”, with their article
RESTRICTED_RULE = (
    "限定期内“仅限在参与该技术临床研究且符合条件的医疗机构内开展临床应用”（规范 第二十条第二款）："
    "名单以外的医疗机构在限定期内不能开展。"
)
UNAPPROVED_RULE = (
    "“任何机构和个人不得将未经批准临床转化应用的生物医学新技术应用于临床”（规范 第二十条第三款）。"
)
CONDITIONS_RULE = "须在符合条件的医疗机构，由符合条件的卫生专业技术人员遵守临床应用操作规范开展（规范 第二十条第一款）。"
CHECK_LIST = "如果有医疗机构向您提供这项技术，请先核对它是否在本页所列的名单中。"
SUBJECT = "如果您正参加这项临床研究："


@dataclass(frozen=True)
class Summary:
    """What a record means for a reader, in five short answers and a list of places."""

    label: str  # the status in plain words (the page's badge)
    term: str  # the legal term of the status, shown second
    tone: str  # yes | limited | no
    who: str  # who may offer it, where, on which basis
    patient: str  # what it means for a patient (or a research subject)
    when: str = ""  # from when until when
    places: tuple[str, ...] = ()  # the institutions where it applies
    places_title: str = ""
    rule: str | None = None  # the seeds' own prohibition or restriction, with its article
    next_change: str | None = None
    contact: str = ""
    links: tuple[Any, ...] = ()  # sentences.Link


def terms_fields(site: Site) -> dict[str, Any]:
    """`license` and `terms` as they appear in every API file."""
    return {
        "license": site.config.license.model_dump(mode="json", exclude_none=True),
        "terms": site.config.terms,
    }


def citation(site: Site, r: RecordView, accessed: str | None = None) -> str:
    """国家卫生健康委 生物医学新技术公示库, <id>, 数据版本 <v>, <absolute URL>, 访问于 <date>
    (the configured authority and title; the URL only when the site has an absolute `site_url`:
    a bare path cites nothing once copied). The access date defaults to the as-of date of the
    build and stays last: the record page replaces it with the reader's own day."""
    day = accessed or site.as_of.isoformat()
    url = record_permalink(site, r)
    return (
        f"{site.config.authority} {site.config.title}, {r.id}, "
        f"数据版本 {site.data_version}, " + (f"{url}, " if url else "") + f"访问于 {day}"
    )


def record_permalink(site: Site, r: RecordView) -> str | None:
    """The record page's absolute address (site_url + path), None without an absolute site_url."""
    url = site.permalink(r.url)
    return url if url.startswith(("https://", "http://")) else None


def license_text(site: Site) -> bytes:
    """LICENSE.txt of the dataset zip: licence, terms and disclaimer, in Chinese."""
    lic = site.config.license
    lines = [f"{site.config.title}（{site.config.authority}）", "", f"数据许可：{lic.name}"]
    if lic.id:
        lines.append(f"许可标识：{lic.id}")
    if lic.url:
        lines.append(f"许可全文：{lic.url}")
    lines += ["", "使用条款：", site.config.terms.strip(), "", "免责声明："]
    lines += [site.config.disclaimer.strip(), "", f"数据版本：{site.data_version}"]
    return ("\n".join(lines) + "\n").encode()
