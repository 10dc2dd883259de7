"""Every legal sentence the registry says about a record, from one function: `verdict`.

The record page (templates/record.html), the `/check/` index (check.py) and `registry check` all
render a `Verdict` and write no legal prose of their own, so that a hospital reads the same answer
wherever it looks. A verdict is derived from the status that `status.py` replayed from the
announcements; each sentence cites its article of
《生物医学新技术临床转化应用审批工作规范（试行）》 (规范) or
《生物医学新技术与药品、医疗器械界定指导原则（暂行）》 (界定指导原则).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from generator.domain.dates import cn_date
from generator.domain.vocabulary import GROUND_LABELS, PERIOD_TERM, ROUTE_LABELS
from generator.publish.views import RecordView, Site, announcement_url
from generator.status.replay import Event

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
_NOT_CLINICAL = (
    "在清单内不等于批准临床应用：未经批准临床转化应用的生物医学新技术，"
    "任何机构和个人不得应用于临床（规范 第二十条第三款）。"
)
_NO_CLINICAL_USE = "任何机构和个人不得将其应用于临床（规范 第二十条第三款）。"


@dataclass(frozen=True)
class Link:
    label: str
    url: str  # site-absolute


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
    note: str = field(default=NOTE)

    @property
    def found(self) -> bool:
        return self.record is not None

    def sentences(self) -> list[str]:
        """Every legal sentence of the verdict, in the order all three renderers show them."""
        out = [self.headline, *self.explanation]
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
            "institutions": list(self.institutions),
            "institution": self.institution,
            "institution_listed": self.institution_listed,
        }


def _d(day: date | None) -> str:
    return cn_date(day)


def fold_name(text: str) -> str:
    from generator.publish.lookup import fold  # matching rules live with the lookup

    return fold(text)


def institution_listed(r: RecordView, institution: str | None) -> bool | None:
    """Whether `institution` is one of the record's participating institutions (None: not asked)."""
    if not institution or not fold_name(institution) or r.kind != "approved":
        return None
    return fold_name(institution) in {fold_name(i) for i in r.institutions}


def _number(r: RecordView, aid: str | None) -> str:
    return next((e.number for e in r.timeline if e.announcement == aid), aid or "")


def _ann_link(r: RecordView, aid: str | None) -> list[Link]:
    """Link to announcement `aid`, labelled with its number (from the record's own timeline)."""
    if not aid:
        return []
    return [Link(f"公告：{_number(r, aid)}", announcement_url(aid))]


def _last(r: RecordView, *actions: str) -> Event | None:
    return next((e for e in reversed(r.timeline) if e.action in actions), None)


def _ground(ev: Event | None) -> str:
    if ev is None or "ground" not in ev.fields:
        return ""
    g = ev.fields["ground"]
    return GROUND_LABELS.get(g, g)


def _base_links(r: RecordView) -> list[Link]:
    return [Link(f"公示记录（{r.id}）", r.url), *_ann_link(r, r.status.announcement)]


def grown_from(site: Site) -> dict[str, list[RecordView]]:
    """Approved technologies by the guidance entry they grew out of (`guidance_entry`)."""
    return site.grown


def verdict(r: RecordView, site: Site, institution: str | None = None) -> Verdict:
    """The answer for record `r` as of `site.as_of`, derived from its status (status.py)."""
    listed = institution_listed(r, institution)
    if r.kind == "approved":
        v = approved_verdict(r, site, listed)
    elif r.kind == "banned":
        v = _banned(r, site)
    else:
        v = _guidance(r, site, site.grown.get(r.id, []))
    return replace(v, institution=(institution or None) if listed is not None else None)


def _make(site: Site, r: RecordView | None, **kw: Any) -> Verdict:
    return Verdict(valid_as_of=site.as_of, data_version=site.data_version, record=r, **kw)


# --- approved technologies -------------------------------------------------------------------


def _conditions_sentences(r: RecordView) -> list[str]:
    """Which conditions apply today and which version comes next (规范 第十七条、第二十条第一款)."""
    out = []
    now = r.conditions_in_force
    if now is not None:
        v = now.version
        out.append(
            f"现行条件为第 {v.number} 版，由{v.announcement_number}公布，自 {_d(v.effective)} 起施行。"
        )
    for up in r.conditions_upcoming:
        v = up.version
        out.append(
            f"{v.announcement_number}公布的第 {v.number} 版条件将于 {_d(v.effective)} 起施行，"
            + ("届时取代现行版本。" if now is not None else "此前没有施行中的条件。")
        )
    return out


def approved_verdict(r: RecordView, site: Site, member: bool | None) -> Verdict:
    """Verdict for an approved technology; `member`: is the asking institution a participant."""
    assert r.risk_grade is not None and r.approved_on is not None
    links = _base_links(r)
    approval = _last(r, "approve")
    if approval is not None and approval.announcement != r.status.announcement:
        links += _ann_link(r, approval.announcement)
    if r.conditions_versions:
        links += [
            Link("医疗机构和人员条件（" + "、".join(CONDITION_PARTS) + "）", r.url + "#conditions"),
            Link("临床应用操作规范", r.url + "#spec"),
        ]
    if g := site.records.get(r.model.guidance_entry):
        links.append(Link(f"来源清单条目（{g.id}）", g.url))
    common = {
        "basis": r.status.basis,
        "institutions": r.institutions,
        "institution_listed": member,
        "links": tuple(links),
    }
    code = r.status.code
    if code == "restricted":
        return _restricted(r, site, member, common)
    if code == "open":
        return _open(r, site, member, common)
    if code == "suspended":
        return _suspended(r, site, common)
    return _banned_approved(r, site, common)


def _granted(r: RecordView) -> str:
    assert r.risk_grade is not None
    return (
        f"该技术于 {_d(r.approved_on)} 批准临床转化应用（{_number(r, _last(r, 'approve').announcement)}），"  # type: ignore[union-attr]
        f"风险等级为{r.risk_grade.name}（规范 第十七条）。"
    )


_CONDITIONS = (
    "临床应用涉及的生物样本采集、制备、质控、保存、实施等全过程，应当在符合条件的医疗机构，由符合条件的"
    "卫生专业技术人员按照有关规定，遵守临床应用操作规范开展（规范 第二十条第一款）；条件分"
    + "、".join(CONDITION_PARTS)
    + "四部分，以公告公布的版本为准。"
)


def _period(r: RecordView) -> str:
    assert r.risk_grade is not None
    return (
        f"{PERIOD_TERM}：批准后 {r.risk_grade.exclusive_years} 年内，仅限在参与该技术临床研究且符合条件的"
        f"医疗机构内开展临床应用（规范 第二十条第二款）；按民法典 第二百零一条、第二百零二条计算，"
        f"批准当日不计入，{PERIOD_TERM}至 {_d(r.exclusive_until)} 止。"
    )


def _restricted(r: RecordView, site: Site, member: bool | None, common: dict[str, Any]) -> Verdict:
    assert r.exclusive_until is not None
    within = site.as_of <= r.exclusive_until
    until = _d(r.exclusive_until)
    next_change = None
    if r.opens_by_time_on is not None:
        next_change = (
            f"期满未出现规范 第二十三条第一款情形的，自 {_d(r.opens_by_time_on)} 起其他符合条件的医疗机构"
            "方可开展临床应用，参照限制类医疗技术进行备案（规范 第二十条第二款）。"
        )
        after = ""
    elif within:
        after = (
            f"{PERIOD_TERM}内曾暂停应用（规范 第二十三条第一款），期满后不会自动开放：须经再评估证实获益远大于"
            "风险，并由国家卫生健康委公告开放（规范 第二十条第二款）。"
        )
    else:
        after = (
            f"{PERIOD_TERM}已于 {until} 届满，但期间曾暂停应用（规范 第二十三条第一款），因此没有自动开放："
            "须经再评估证实获益远大于风险，并由国家卫生健康委公告开放后，其他符合条件的医疗机构方可"
            "参照限制类医疗技术备案开展（规范 第二十条第二款）。"
        )
    base = [_granted(r) + _period(r)]
    if after:
        base.append(after)
    cond = _conditions_sentences(r)
    tail = f"（{PERIOD_TERM}至 {until}）" if within else "（尚未公告开放）"
    if member is None:
        return _make(
            site,
            r,
            code="restricted",
            tone="limited",
            answer="仅限参与研究机构",
            headline=f"仅限参与该技术临床研究且符合条件的医疗机构开展{tail}",
            explanation=(
                *base,
                f"参与研究机构共 {len(r.institutions)} 家，见名单。{_CONDITIONS}",
                *cond,
            ),
            duties=DUTIES,
            next_change=next_change,
            **common,
        )
    if member:
        return _make(
            site,
            r,
            code="restricted_participant",
            tone="yes",
            answer="可以开展（须符合条件）",
            headline=f"贵机构在参与研究机构名单内，符合条件的可以开展{tail}",
            explanation=(
                f"贵机构是公告所列参与该技术临床研究的医疗机构之一。{_CONDITIONS}",
                *base,
                *cond,
            ),
            duties=DUTIES,
            next_change=next_change,
            **common,
        )
    headline = (
        f"贵机构不在参与研究机构名单内，{PERIOD_TERM}内不得开展（{PERIOD_TERM}至 {until}）"
        if within
        else "贵机构不在参与研究机构名单内，目前不得开展（尚未公告开放）"
    )
    return _make(
        site,
        r,
        code="restricted_other",
        tone="no",
        answer="目前不得开展",
        headline=headline,
        explanation=(
            "所填机构不在公告所列的参与研究机构名单中（按名称比对，请核对名称是否与公告一致）。",
            *base,
        ),
        next_change=next_change,
        **common,
    )


def _open(r: RecordView, site: Site, member: bool | None, common: dict[str, Any]) -> Verdict:
    assert r.risk_grade is not None
    opened = _last(r, "open")
    if opened is None:  # opened by the passing of time
        start = r.opens_by_time_on
        why = (
            f"批准后 {r.risk_grade.exclusive_years} 年的{PERIOD_TERM}已于 {_d(r.exclusive_until)} 届满，"
            f"期间未出现规范 第二十三条第一款情形，自 {_d(start)} 起其他符合条件的医疗机构可以开展"
            "（规范 第二十条第二款）。"
        )
    else:
        start = opened.date
        why = (
            f"{PERIOD_TERM}届满后，经再评估证实获益远大于风险，国家卫生健康委公告自 {_d(start)} 起"
            f"其他符合条件的医疗机构可以开展（规范 第二十条第二款；{opened.number}）。"
        )
    if start is not None and r.status.since > start:  # suspended since, then resumed
        why += (
            f"其后曾暂停应用并组织再评估（规范 第二十三条第一款），自 {_d(r.status.since)} 起恢复应用"
            f"（{_number(r, r.status.announcement)}）。"
        )
    filing = (
        "其他医疗机构须参照限制类医疗技术进行备案后方可开展（规范 第二十条第二款）。" + _CONDITIONS
    )
    cond = _conditions_sentences(r)
    if member is None:
        return _make(
            site,
            r,
            code="open",
            tone="yes",
            answer="符合条件并备案后可以开展",
            headline="符合条件的医疗机构参照限制类医疗技术备案后可以开展",
            explanation=(
                _granted(r) + why,
                filing,
                "参与该技术临床研究的医疗机构（见名单）可继续开展，同样须符合条件、遵守临床应用操作规范。",
                *cond,
            ),
            duties=DUTIES,
            **common,
        )
    if member:
        return _make(
            site,
            r,
            code="open_participant",
            tone="yes",
            answer="可以开展（须符合条件）",
            headline="贵机构是参与研究机构，符合条件的可以继续开展",
            explanation=(
                f"贵机构是公告所列参与该技术临床研究的医疗机构之一。{_CONDITIONS}",
                _granted(r) + why,
                *cond,
            ),
            duties=DUTIES,
            **common,
        )
    return _make(
        site,
        r,
        code="open_other",
        tone="yes",
        answer="符合条件并备案后可以开展",
        headline="贵机构符合条件并参照限制类医疗技术备案后，可以开展",
        explanation=(_granted(r) + why, filing, *cond),
        duties=DUTIES,
        **common,
    )


def _suspended(r: RecordView, site: Site, common: dict[str, Any]) -> Verdict:
    ground = _ground(_last(r, "suspend"))
    text = [
        f"自 {_d(r.status.since)} 起，国家卫生健康委对该技术的安全性、有效性组织再评估，"
        "再评估期间暂停应用该技术（规范 第二十三条第一款）"
        + (f"。理由：{ground}。" if ground else "。"),
        "参与研究机构和已备案的机构同样不得开展，直至公告恢复应用；经评估不能保证安全、有效的，"
        "国家卫生健康委将禁止临床应用该技术并向社会公布（规范 第二十三条第四款）。",
    ]
    if r.opens_by_time_on is None and _last(r, "open") is None:
        text.append(
            f"因{PERIOD_TERM}（至 {_d(r.exclusive_until)}）内暂停，恢复后期满也不会自动开放（规范 第二十条第二款）。"
        )
    return _make(
        site,
        r,
        code="suspended",
        tone="no",
        answer="不得开展（暂停）",
        headline=f"再评估期间暂停应用，任何机构不得开展（自 {_d(r.status.since)} 起）",
        explanation=tuple(text),
        **common,
    )


def _banned_approved(r: RecordView, site: Site, common: dict[str, Any]) -> Verdict:
    ban = r.ban()
    since = _d(r.status.since)
    number = _number(r, r.status.announcement)
    if r.ban_kind == "reevaluation":
        text = [
            f"经再评估不能保证安全、有效，国家卫生健康委自 {since} 起禁止临床应用该技术并向社会公布"
            f"（规范 第二十三条第四款；{number}）。"
        ]
    elif r.ban_kind == "delisting":
        entry = r.model.guidance_entry
        text = [
            f"该技术的来源清单条目 {entry} 于 {since} 被直接调出《备案指导清单》（{number}）。调出《备案指导清单》"
            "的生物医学新技术，不再按照《条例》有关规定开展临床研究和临床转化应用（界定指导原则 二（二）2（1））："
            "该技术自同日起不得开展。",
        ]
    else:
        text = [f"国家卫生健康委公告自 {since} 起禁止临床应用该技术（{number}）。"]
    if ban is not None and ban.fields.get("ground") and r.ban_kind != "delisting":
        text.append(f"公告所述理由：{ban.fields['ground']}")
    text.append(_NO_CLINICAL_USE)
    return _make(
        site,
        r,
        code="banned",
        tone="no",
        answer="不得开展（已禁止）",
        headline=f"已禁止临床应用，任何机构不得开展（自 {since} 起）",
        explanation=tuple(text),
        **common,
    )


# --- technologies banned outright --------------------------------------------------------------


def _banned(r: RecordView, site: Site) -> Verdict:
    ban = r.ban()
    text = [
        f"该技术自 {_d(r.status.since)} 起列为禁止临床应用的技术（{_number(r, r.status.announcement)}）。"
    ]
    if ban is not None and ban.fields.get("ground"):
        text.append(f"公告所述理由：{ban.fields['ground']}")
    if r.model.scope:
        text.append(f"禁止范围：{r.model.scope}")
    text.append(
        "任何机构和个人不得将其应用于临床（规范 第二十条第三款）；法律、行政法规和国家有关规定明令禁止的"
        "技术不能纳入《备案指导清单》，也不能作为生物医学新技术备案开展临床研究（界定指导原则 二（一）1）。"
    )
    return _make(
        site,
        r,
        code="banned",
        tone="no",
        answer="不得开展（已禁止）",
        headline=f"禁止技术：任何机构和个人不得开展（自 {_d(r.status.since)} 起）",
        explanation=tuple(text),
        basis=r.status.basis,
        links=tuple(_base_links(r)),
    )


# --- guidance entries ----------------------------------------------------------------------------


def _guidance(r: RecordView, site: Site, grown: list[RecordView]) -> Verdict:
    links = _base_links(r)
    related = [
        f"由该条目转化的技术“{a.name}”（{a.id}）已获批临床转化应用，当前状态：{a.status_label}；"
        "临床应用以该技术的公示记录为准。"
        for a in grown
    ]
    links += [Link(f"已批准技术（{a.id}）", a.url) for a in grown]
    if r.status.code == "delisted":
        return _delisted(r, site, links, grown)
    text = [
        f"该技术自 {_d(r.status.since)} 起在《生物医学新技术临床研究备案指导清单》内"
        f"（{r.status.basis}；{_number(r, r.status.announcement)}）。临床研究发起机构可按清单的规范技术"
        "名称和相应备案要求，完整提交资料备案后开展临床研究（界定指导原则 二）。",
        _NOT_CLINICAL,
    ]
    retain = _last(r, "retain")
    if retain is not None and retain.date >= r.status.since:
        text.append(
            f"该条目于 {_d(retain.date)} 经论证后继续保留在清单内（{retain.number}）；临床研究发起机构在发起"
            "相关临床研究时，应认真对照已批准上市药品、医疗器械或者已批准临床转化应用医疗技术的适应症和"
            "机制原理，避免重复研究（界定指导原则 二（二）2（2））。"
        )
    text += related
    if r.emergency is not None:
        links += [x for x in _ann_link(r, r.emergency.announcement) if x not in links]
    if r.model.filing_requirements:
        links.append(Link("备案要求", r.url + "#filing"))
    links.append(Link("界定自查：技术、药品还是医疗器械", DELINEATION_URL))
    if r.emergency is not None:
        e = r.emergency
        until = e.fields["until"]
        emergency = (
            f"国家卫生健康委同意在一定范围和期限内紧急应用该技术（规范 第十九条；{e.number}）。"
            f"范围：{e.fields['scope']}；期限至 {_d(until)}。范围以外或期满后不得据此应用于临床。"
        )
        return _make(
            site,
            r,
            code="listed_emergency",
            tone="limited",
            answer="仅限紧急应用范围内",
            headline=f"仅可在规定范围内紧急应用（至 {_d(until)}）；其他情形只能备案开展临床研究",
            explanation=(emergency, *text),
            basis=f"{r.status.basis}；规范 第十九条",
            links=tuple(links),
            next_change=f"自 {_d(until + timedelta(days=1))} 起紧急应用期满，不得再据此应用于临床。",
        )
    return _make(
        site,
        r,
        code="listed",
        tone="limited",
        answer="仅可开展临床研究",
        headline="可以备案开展临床研究，但不得用于临床应用",
        explanation=tuple(text),
        basis=r.status.basis,
        links=tuple(links),
    )


def _delisted(r: RecordView, site: Site, links: list[Link], grown: list[RecordView]) -> Verdict:
    d = r.delisting()
    assert d is not None
    route, ground = d.fields["route"], _ground(d)
    since = _d(r.status.since)
    if route == "direct":
        banned = [a for a in grown if a.status.code == "banned" and a.ban_kind == "delisting"]
        also = [
            f"由该条目转化的已批准技术“{a.name}”（{a.id}）自同日起同样不得开展（界定指导原则 二（二）2（1））。"
            for a in banned
        ]
        others = [
            f"由该条目转化的技术“{a.name}”（{a.id}）当前状态：{a.status_label}。"
            for a in grown
            if a not in banned
        ]
        return _make(
            site,
            r,
            code="delisted_direct",
            tone="no",
            answer="不得开展",
            headline=f"已直接调出备案指导清单，不得开展临床研究和临床转化应用（自 {since} 起）",
            explanation=(
                f"调出途径：{ROUTE_LABELS[route]}；理由：{ground}（界定指导原则 二（二）2（1）；{d.number}）。",
                "调出《备案指导清单》的生物医学新技术，不再按照《条例》有关规定开展临床研究和临床转化应用。",
                "对于调出前已备案开展的临床研究项目，应当及时终止研究，并妥善保障已开展研究受试者的权益。",
                *also,
                *others,
            ),
            basis=r.status.basis,
            links=tuple(links),
        )
    related = [
        f"由该条目转化的技术“{a.name}”（{a.id}）已获批临床转化应用，当前状态：{a.status_label}；"
        "论证后调出不影响已批准的技术，临床应用以该技术的公示记录为准。"
        for a in grown
    ]
    return _make(
        site,
        r,
        code="delisted_after_review",
        tone="no",
        answer="不得按清单备案新研究",
        headline=f"已论证后调出备案指导清单，不能再按清单备案新的临床研究（自 {since} 起）",
        explanation=(
            f"调出途径：{ROUTE_LABELS[route]}；理由：{ground}（界定指导原则 二（二）2（2）；{d.number}）。",
            "研究者再发起新的相关临床研究，应按照《医疗卫生机构开展研究者发起的临床研究管理办法》"
            "（国卫科教发〔2024〕32号）的相关规定实施。",
            "调出前已备案开展的临床研究，应重新进行伦理审查评估，根据伦理审查意见，可继续实施至研究结束，"
            "或根据实际情况终止研究。",
            *related,
        ),
        basis=r.status.basis,
        links=tuple(links),
    )


def not_found_verdict(site: Site) -> Verdict:
    """What "not found" means: not approved, not on the list — never "allowed"."""
    return _make(
        site,
        None,
        code="not_found",
        tone="no",
        answer="未找到",
        headline="公示库中没有这项技术：不能视为可以开展",
        explanation=(
            "已按名称、别名和编号查找（不区分全角半角、空格、大小写和常见标点），没有匹配的记录。"
            "请检查是否有错别字，或换用规范技术名称、别名或编号再试。",
            "不在公示库中，意味着该技术没有获批临床转化应用：任何机构和个人不得将未经批准临床转化应用的"
            "生物医学新技术应用于临床（规范 第二十条第三款）。",
            "它也不在《备案指导清单》内，不能按清单备案开展生物医学新技术临床研究；临床研究发起机构可以向"
            "国家卫生健康委建议调入清单（界定指导原则 二（二）1）。",
            "如果它可能属于药品或医疗器械，或不确定应走哪条路径，请做“界定自查”。",
        ),
        basis="规范 第二十条第三款；界定指导原则 二（二）1",
        links=(
            Link("界定自查：技术、药品还是医疗器械", DELINEATION_URL),
            Link("备案指导清单", "/guidance-list/"),
            Link("已批准技术", "/approved/"),
            Link("禁止技术", "/banned/"),
        ),
    )
