"""What every verdict is made of (`Verdict`, `Link`), the sentences all kinds share (the note, the duties of 规范 第二十一条、第二十二条 word for word) and small helpers. The verdicts themselves: publish/verdict.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.domain.dates import cn_date
from generator.domain.names import fold
from generator.domain.vocabulary import GROUND_LABELS
from generator.publish.views import RecordView, Site, announcement_url
from generator.status.states import Event

NOTE = "本库为公开信息，不构成行政决定或法律意见；以国家卫生健康委公告原文为准。"

DELINEATION_URL = "/check/delineation/"

CONDITION_PARTS = ("医疗机构条件", "人员条件", "技术管理要求", "培训与质量控制")

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


@dataclass(frozen=True)
class Link:
    label: str
    url: str  # site-absolute


@dataclass(frozen=True)
class Facet:
    """The research stage of a technology inside the verdict on its approval: the status of the
    guidance entry it grew out of (界定指导原则 二), so that one technology gives one answer."""

    record: RecordView
    answer: str
    headline: str

    def as_dict(self) -> dict[str, Any]:
        r = self.record
        return {
            "id": r.id,
            "name": r.name,
            "url": r.url,
            "status": r.status.code,
            "status_label": r.status_label,
            "answer": self.answer,
            "headline": self.headline,
            "sentence": research_line(self),
        }


@dataclass(frozen=True)
class Verdict:
    """A plain answer for one record (or for no record), with its basis and validity date."""

    code: str  # e.g. restricted_participant, open, suspended, delisted_direct, not_found
    tone: str  # yes | limited | no
    answer: str  # short answer to "may we use it clinically?"
    headline: str
    explanation: tuple[str, ...]
    basis: str
    links: tuple[Link, ...]
    valid_as_of: date
    data_version: str
    record: RecordView | None = None
    institutions: tuple[str, ...] = ()
    institution: str | None = None
    institution_listed: bool | None = None
    duties: tuple[str, ...] = ()  # 规范 第二十一条、第二十二条, where use is allowed
    next_change: str | None = None  # the next date on which the answer changes by itself
    research: Facet | None = None  # an approved technology's guidance entry (its research stage)
    note: str = field(default=NOTE)

    @property
    def found(self) -> bool:
        return self.record is not None

    @property
    def research_sentence(self) -> str | None:
        return research_line(self.research) if self.research is not None else None

    def sentences(self) -> list[str]:
        """Every legal sentence of the verdict, in the order all three renderers show them."""
        out = [self.headline, *self.explanation]
        if self.research is not None:
            out.append(research_line(self.research))
        if self.next_change:
            out.append(self.next_change)
        return [*out, *self.duties, f"依据：{self.basis}"]

    def as_dict(self) -> dict[str, Any]:
        r = self.record
        return {
            "code": self.code,
            "tone": self.tone,
            "answer": self.answer,
            "headline": self.headline,
            "explanation": list(self.explanation),
            "next_change": self.next_change,
            "duties": list(self.duties),
            "basis": self.basis,
            "links": [{"label": x.label, "url": x.url} for x in self.links],
            "valid_as_of": self.valid_as_of.isoformat(),
            "data_version": self.data_version,
            "note": self.note,
            "record": None
            if r is None
            else {
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "kind_label": r.kind_label,
                "status": r.status.code,
                "status_label": r.status_label,
                "status_since": r.status.since.isoformat(),
                "url": r.url,
                "sample": r.sample,
                "emergency_use": r.emergency is not None,
            },
            "research": None if self.research is None else self.research.as_dict(),
            "institutions": list(self.institutions),
            "institution": self.institution,
            "institution_listed": self.institution_listed,
        }


def research_line(f: Facet) -> str:
    """The research facet as one sentence (record page, `registry check`)."""
    r = f.record
    return f"临床研究阶段（{r.kind_label} {r.id}：{r.status_label}）：{f.headline}"


def day_text(day: date | None) -> str:
    return cn_date(day)


def institution_listed(r: RecordView, institution: str | None) -> bool | None:
    """Whether `institution` is one of the record's participating institutions (None: not asked)."""
    if not institution or not fold(institution) or r.kind != "approved":
        return None
    return fold(institution) in {fold(i) for i in r.institutions}


def ann_number(r: RecordView, aid: str | None) -> str:
    return next((e.number for e in r.timeline if e.announcement == aid), aid or "")


def ann_links(r: RecordView, aid: str | None) -> list[Link]:
    """Link to announcement `aid`, labelled with its number (from the record's own timeline)."""
    if not aid:
        return []
    return [Link(f"公告：{ann_number(r, aid)}", announcement_url(aid))]


def last_event(r: RecordView, *actions: str) -> Event | None:
    return next((e for e in reversed(r.timeline) if e.action in actions), None)


def ground_text(ev: Event | None) -> str:
    if ev is None or "ground" not in ev.fields:
        return ""
    g = ev.fields["ground"]
    return GROUND_LABELS.get(g, g)


def base_links(r: RecordView) -> list[Link]:
    return [Link(f"公示记录（{r.id}）", r.url), *ann_links(r, r.status.announcement)]


def grown_from(site: Site) -> dict[str, list[RecordView]]:
    """Approved technologies by the guidance entry they grew out of (`guidance_entry`)."""
    return site.grown


def make_verdict(site: Site, r: RecordView | None, **kw: Any) -> Verdict:
    return Verdict(valid_as_of=site.as_of, data_version=site.data_version, record=r, **kw)
