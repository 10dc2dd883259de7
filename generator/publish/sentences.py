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

NO_CLINICAL_USE = "任何机构和个人不得将其应用于临床（规范 第二十条第三款）。"


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
