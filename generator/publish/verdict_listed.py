"""Verdicts on guidance-list entries (listed, delisted, emergency use; 界定指导原则 二) and on banned technologies (规范 第二十条第三款)."""

from __future__ import annotations

from datetime import timedelta

from generator.domain.vocabulary import ROUTE_LABELS
from generator.publish.sentences import (
    DELINEATION_URL,
    DUTIES,
    NOT_CLINICAL,
    Link,
    Verdict,
    ann_links,
    ann_number,
    base_links,
    day_text,
    ground_text,
    last_event,
    make_verdict,
)
from generator.publish.views import RecordView, Site


def banned_verdict(r: RecordView, site: Site) -> Verdict:
    ban = r.ban()
    text = [
        f"该技术自 {day_text(r.status.since)} 起列为禁止临床应用的技术（{ann_number(r, r.status.announcement)}）。"
    ]
    if ban is not None and ban.fields.get("ground"):
        text.append(f"公告所述理由：{ban.fields['ground']}")
    if r.model.scope:
        text.append(f"禁止范围：{r.model.scope}")
    text.append(
        "任何机构和个人不得将其应用于临床（规范 第二十条第三款）；法律、行政法规和国家有关规定明令禁止的"
        "技术不能纳入《备案指导清单》，也不能作为生物医学新技术备案开展临床研究（界定指导原则 二（一）1）。"
    )
    return make_verdict(
        site,
        r,
        code="banned",
        tone="no",
        answer="不得开展（已禁止）",
        headline=f"禁止技术：任何机构和个人不得开展（自 {day_text(r.status.since)} 起）",
        explanation=tuple(text),
        basis=r.status.basis,
        links=tuple(base_links(r)),
    )


USABLE = ("restricted", "open")  # statuses of an approved technology under which use may be lawful


def _clinical_by_approval(grown: list[RecordView]) -> list[RecordView]:
    """Approvals grown from the entry that allow clinical use under their own conditions."""
    return [a for a in grown if a.status.code in USABLE]


def guidance_verdict(r: RecordView, site: Site, grown: list[RecordView]) -> Verdict:
    links = base_links(r)
    related = [
        f"由该条目转化的技术“{a.name}”（{a.id}）已获批临床转化应用，当前状态：{a.status_label}；"
        "临床应用以该技术的公示记录为准。"
        for a in grown
    ]
    links += [Link(f"已批准技术（{a.id}）", a.url) for a in grown]
    if r.status.code == "delisted":
        return _delisted(r, site, links, grown)
    usable = _clinical_by_approval(grown)
    # 规范 第二十条第三款 forbids only technologies not approved: while an approval grown from the
    # entry allows use, the entry's page must not say 不得用于临床应用 (one technology, one answer)
    text = [
        f"该技术自 {day_text(r.status.since)} 起在《生物医学新技术临床研究备案指导清单》内"
        f"（{r.status.basis}；{ann_number(r, r.status.announcement)}）。临床研究发起机构可按清单的规范技术"
        "名称和相应备案要求，完整提交资料备案后开展临床研究（界定指导原则 二）。",
    ]
    if not usable:
        text.append(NOT_CLINICAL)
    retain = last_event(r, "retain")
    if retain is not None and retain.date >= r.status.since:
        text.append(
            f"该条目于 {day_text(retain.date)} 经论证后继续保留在清单内（{retain.number}）；临床研究发起机构在发起"
            "相关临床研究时，应认真对照已批准上市药品、医疗器械或者已批准临床转化应用医疗技术的适应症和"
            "机制原理，避免重复研究（界定指导原则 二（二）2（2））。"
        )
    text += related
    if r.emergency is not None:
        links += [x for x in ann_links(r, r.emergency.announcement) if x not in links]
    if r.model.filing_requirements:
        links.append(Link("备案要求", r.url + "#filing"))
    links.append(Link("界定自查：技术、药品还是医疗器械", DELINEATION_URL))
    if r.emergency is not None:
        return _listed_emergency(r, site, text, links)
    if usable:
        names = "、".join(f"“{a.name}”（{a.id}）" for a in usable)
        headline = f"可以备案开展临床研究；临床应用以已批准技术{names}的公示为准"
    else:
        headline = "可以备案开展临床研究，但不得用于临床应用"
    return make_verdict(
        site,
        r,
        code="listed",
        tone="limited",
        answer="可以备案开展临床研究",
        headline=headline,
        explanation=tuple(text),
        basis=r.status.basis,
        links=tuple(links),
    )


def _listed_emergency(r: RecordView, site: Site, text: list[str], links: list[Link]) -> Verdict:
    """A listed entry in emergency use (规范 第十九条), with the duties of 第二十一、二十二条."""
    assert r.emergency is not None
    until = r.emergency.fields["until"]
    return make_verdict(
        site,
        r,
        code="listed_emergency",
        tone="limited",
        answer="仅限紧急应用范围内",
        headline=f"仅可在规定范围内紧急应用（至 {day_text(until)}）；其他情形只能备案开展临床研究",
        explanation=(emergency_sentence(r), *text),
        basis=f"{r.status.basis}；规范 第十九条",
        links=tuple(links),
        duties=DUTIES,
        next_change=emergency_end_sentence(r),
    )


def emergency_sentence(r: RecordView) -> str:
    """规范 第十九条, no more and no less: consent to emergency use within a scope and a period."""
    e = r.emergency
    assert e is not None
    return (
        "为应对特别重大突发公共卫生事件或者其他严重威胁公众健康的紧急事件，国家卫生健康委同意在一定范围和期限内"
        f"紧急应用该技术（规范 第十九条；{e.number}）。范围：{e.fields['scope']}；期限至 "
        f"{day_text(e.fields['until'])}。范围以外或期满后不得据此应用于临床。紧急应用的具体规定另行制定"
        "（规范 第十九条），以国家卫生健康委的同意文件为准。"
    )


def emergency_end_sentence(r: RecordView) -> str:
    e = r.emergency
    assert e is not None
    after = day_text(e.fields["until"] + timedelta(days=1))
    return f"自 {after} 起紧急应用期满，不得再据此应用于临床（规范 第十九条）。"


def _delisted(r: RecordView, site: Site, links: list[Link], grown: list[RecordView]) -> Verdict:
    d = r.delisting()
    assert d is not None
    route, ground = d.fields["route"], ground_text(d)
    since = day_text(r.status.since)
    if route == "direct":
        return _delisted_direct(r, site, links, grown)
    related = [
        f"由该条目转化的技术“{a.name}”（{a.id}）已获批临床转化应用，当前状态：{a.status_label}；"
        "论证后调出不影响已批准的技术，临床应用以该技术的公示记录为准。"
        for a in grown
    ]
    emergency: tuple[str, ...] = ()
    if r.emergency is not None:  # a delisting after review ends no running emergency use
        emergency = (
            emergency_sentence(r),
            "论证后调出不终止已同意的紧急应用：在同意的范围和期限内仍可紧急应用。",
        )
    return make_verdict(
        site,
        r,
        code="delisted_after_review",
        tone="limited" if emergency else "no",
        answer="不得按清单备案新研究",
        headline=f"已论证后调出备案指导清单，不能再按清单备案新的临床研究（自 {since} 起）",
        explanation=(
            f"调出途径：{ROUTE_LABELS[route]}；理由：{ground}（界定指导原则 二（二）2（2）；{d.number}）。",
            "研究者再发起新的相关临床研究，应按照《医疗卫生机构开展研究者发起的临床研究管理办法》"
            "（国卫科教发〔2024〕32号）的相关规定实施。",
            "调出前已备案开展的临床研究，应重新进行伦理审查评估，根据伦理审查意见，可继续实施至研究结束，"
            "或根据实际情况终止研究。",
            *emergency,
            *related,
        ),
        basis=r.status.basis + ("；规范 第十九条" if emergency else ""),
        links=tuple(links),
        duties=DUTIES if emergency else (),
        next_change=emergency_end_sentence(r) if emergency else None,
    )


def _delisted_direct(
    r: RecordView, site: Site, links: list[Link], grown: list[RecordView]
) -> Verdict:
    """界定指导原则 二(二)2(1): 不再按照《条例》有关规定开展临床研究和临床转化应用."""
    d = r.delisting()
    assert d is not None
    route, ground = d.fields["route"], ground_text(d)
    since = day_text(r.status.since)
    banned = [a for a in grown if a.status.code == "banned" and a.ban_kind == "delisting"]
    also = [
        f"由该条目转化的已批准技术“{a.name}”（{a.id}）自同日起同样不再按照《条例》有关规定开展"
        "临床转化应用（界定指导原则 二（二）2（1））。"
        for a in banned
    ]
    others = [
        f"由该条目转化的技术“{a.name}”（{a.id}）当前状态：{a.status_label}。"
        for a in grown
        if a not in banned
    ]
    return make_verdict(
        site,
        r,
        code="delisted_direct",
        tone="no",
        answer="不再按《条例》开展",
        headline=(
            f"已直接调出备案指导清单：不再按照《条例》有关规定开展临床研究和临床转化应用（自 {since} 起）"
        ),
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
