"""Verdicts on approved technologies: restricted (限定期, 规范 第二十条第二款), open, suspended (第二十三条) and banned after approval."""

from __future__ import annotations

from typing import Any

from generator.domain.vocabulary import PERIOD_TERM
from generator.publish.sentences import (
    CONDITION_PARTS,
    DUTIES,
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


def _conditions_sentences(r: RecordView) -> list[str]:
    """Which conditions apply today and which version comes next (规范 第十七条、第二十条第一款)."""
    out = []
    now = r.conditions_in_force
    if now is not None:
        v = now.version
        out.append(
            f"现行条件为第 {v.number} 版，由{v.announcement_number}公布，自 {day_text(v.effective)} 起施行。"
        )
    for up in r.conditions_upcoming:
        v = up.version
        out.append(
            f"{v.announcement_number}公布的第 {v.number} 版条件将于 {day_text(v.effective)} 起施行，"
            + ("届时取代现行版本。" if now is not None else "此前没有施行中的条件。")
        )
    return out


def approved_verdict(r: RecordView, site: Site, member: bool | None) -> Verdict:
    """Verdict for an approved technology; `member`: is the asking institution a participant."""
    assert r.risk_grade is not None and r.approved_on is not None
    links = base_links(r)
    approval = last_event(r, "approve")
    if approval is not None and approval.announcement != r.status.announcement:
        links += ann_links(r, approval.announcement)
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
    if code in ("restricted", "open") and r.conditions_in_force is None:
        return _awaiting(r, site, member, common)
    if code == "restricted":
        return _restricted(r, site, member, common)
    if code == "open":
        return _open(r, site, member, common)
    if code == "suspended":
        return _suspended(r, site, common)
    return _banned_approved(r, site, common)


def _awaiting(r: RecordView, site: Site, member: bool | None, common: dict[str, Any]) -> Verdict:
    """Approved, but no 临床应用操作规范 in force yet: no institution may start (规范 第二十条第一款
    requires the whole process to follow it), whatever the period says."""
    first = r.conditions_upcoming[0].version if r.conditions_upcoming else None
    when = f"自 {day_text(first.effective)} 起施行" if first is not None else "尚未公布"
    next_change = (
        f"第 {first.number} 版医疗机构和人员条件及临床应用操作规范自 {day_text(first.effective)} 起施行，"
        "此后符合条件的医疗机构方可按其开展（规范 第二十条第一款）。"
        if first is not None
        else None
    )
    text = [
        f"该技术的临床应用操作规范{when}。临床应用涉及的全过程应当在符合条件的医疗机构，由符合条件的卫生专业"
        "技术人员，遵守临床应用操作规范开展（规范 第二十条第一款）：操作规范施行前，任何医疗机构不得据此开展。",
        _granted(r) + _period(r),
        *_conditions_sentences(r),
    ]
    if member is not None:
        state = "在" if member else "不在"
        text.insert(0, f"所填机构{state}公告所列的参与研究机构名单中。")
    return make_verdict(
        site,
        r,
        code="awaiting_conditions",
        tone="no",
        answer="暂不得开展",
        headline=f"已批准，但临床应用操作规范{when}：施行前不得开展",
        explanation=tuple(text),
        next_change=next_change,
        **common,
    )


def _granted(r: RecordView) -> str:
    assert r.risk_grade is not None
    return (
        f"该技术于 {day_text(r.approved_on)} 批准临床转化应用（{ann_number(r, last_event(r, 'approve').announcement)}），"  # type: ignore[union-attr]
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
        f"批准当日不计入，{PERIOD_TERM}至 {day_text(r.exclusive_until)} 止。"
    )


def _after_period(r: RecordView, within: bool) -> tuple[str | None, str]:
    """(the next change, what follows the period) of a restricted technology: it opens by itself
    the day after the period (规范 第二十条第二款) unless it was suspended meanwhile. The registry
    knows only what the announcements show: "no 第二十三条第一款 situation" is inferred from the
    absence of a suspension, and said so."""
    if r.opens_by_time_on is not None:
        next_change = (
            f"期满未出现规范 第二十三条第一款情形的，其他符合条件的医疗机构方可开展临床应用，参照限制类医疗技术"
            f"进行备案（规范 第二十条第二款）。本库公示的公告中，{PERIOD_TERM}内没有暂停应用的记录，"
            f"因此推算自 {day_text(r.opens_by_time_on)} 起开放；此后公布的公告可能改变这一结论。"
        )
        return next_change, ""
    if within:
        return None, (
            f"{PERIOD_TERM}内曾暂停应用（规范 第二十三条第一款），期满后其他医疗机构只有在再评估证实获益远大于"
            "风险时方可开展（规范 第二十条第二款）；本库以国家卫生健康委公布的再评估结论为准。"
        )
    return None, (
        f"{PERIOD_TERM}已于 {day_text(r.exclusive_until)} 届满，但期间曾暂停应用（规范 第二十三条第一款）："
        "再评估证实获益远大于风险的，其他符合条件的医疗机构方可开展临床应用，参照限制类医疗技术进行备案"
        "（规范 第二十条第二款）；本库尚无公布该结论的公告。"
    )


def _restricted(r: RecordView, site: Site, member: bool | None, common: dict[str, Any]) -> Verdict:
    assert r.exclusive_until is not None
    within = site.as_of <= r.exclusive_until
    until = day_text(r.exclusive_until)
    next_change, after = _after_period(r, within)
    base = [_granted(r) + _period(r)]
    if after:
        base.append(after)
    cond = _conditions_sentences(r)
    tail = f"（{PERIOD_TERM}至 {until}）" if within else "（期满后尚未开放）"
    if member is None:
        return make_verdict(
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
        return make_verdict(
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
    return _restricted_other(r, site, within, base, next_change, common)


def _restricted_other(
    r: RecordView,
    site: Site,
    within: bool,
    base: list[str],
    next_change: str | None,
    common: dict[str, Any],
) -> Verdict:
    """An institution not among the participants, while the technology is restricted."""
    headline = (
        f"贵机构不在参与研究机构名单内，{PERIOD_TERM}内不得开展（{PERIOD_TERM}至 {day_text(r.exclusive_until)}）"
        if within
        else "贵机构不在参与研究机构名单内，目前不得开展（期满后尚未开放）"
    )
    return make_verdict(
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


def _opened_because(r: RecordView) -> str:
    """Why an approved technology is open to other institutions: by time or by announcement."""
    assert r.risk_grade is not None
    opened = last_event(r, "open")
    if opened is None:  # opened by the passing of time
        start = r.opens_by_time_on
        why = (
            f"批准后 {r.risk_grade.exclusive_years} 年的{PERIOD_TERM}已于 {day_text(r.exclusive_until)} 届满。"
            "期满未出现规范 第二十三条第一款情形的，其他符合条件的医疗机构方可开展临床应用（规范 第二十条第二款）；"
            f"本库公示的公告中{PERIOD_TERM}内没有暂停应用的记录，因此自 {day_text(start)} 起按开放处理。"
        )
    else:
        start = opened.date
        why = (
            f"{PERIOD_TERM}届满后，再评估证实获益远大于风险（规范 第二十条第二款；{opened.number}），"
            f"自 {day_text(start)} 起其他符合条件的医疗机构方可开展。"
        )
    if start is not None and r.status.since > start:  # suspended since, then resumed
        why += (
            f"其后曾暂停应用并组织再评估（规范 第二十三条第一款），自 {day_text(r.status.since)} 起恢复应用"
            f"（{ann_number(r, r.status.announcement)}）。"
        )
    return why


def _open(r: RecordView, site: Site, member: bool | None, common: dict[str, Any]) -> Verdict:
    why = _opened_because(r)
    filing = (
        "其他符合条件的医疗机构开展临床应用，参照限制类医疗技术进行备案（规范 第二十条第二款）。"
        + _CONDITIONS
    )
    cond = _conditions_sentences(r)
    if member is None:
        return make_verdict(
            site,
            r,
            code="open",
            tone="yes",
            answer="符合条件并备案后可以开展",
            headline="其他符合条件的医疗机构参照限制类医疗技术备案后可以开展；参与研究机构符合条件的可继续开展",
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
        return make_verdict(
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
    return make_verdict(
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
    ground = ground_text(last_event(r, "suspend"))
    text = [
        f"自 {day_text(r.status.since)} 起，国家卫生健康委对该技术的安全性、有效性组织再评估，"
        "再评估期间暂停应用该技术（规范 第二十三条第一款）"
        + (f"。理由：{ground}。" if ground else "。"),
        "参与研究机构和已备案的机构同样不得开展，直至公告恢复应用；经评估不能保证安全、有效的，"
        "国家卫生健康委将禁止临床应用该技术并向社会公布（规范 第二十三条第四款）。",
    ]
    if r.opens_by_time_on is None and last_event(r, "open") is None:
        text.append(
            f"因{PERIOD_TERM}（至 {day_text(r.exclusive_until)}）内暂停，恢复后期满也不会自动开放（规范 第二十条第二款）。"
        )
    return make_verdict(
        site,
        r,
        code="suspended",
        tone="no",
        answer="不得开展（暂停）",
        headline=f"再评估期间暂停应用，任何机构不得开展（自 {day_text(r.status.since)} 起）",
        explanation=tuple(text),
        **common,
    )


def _banned_approved(r: RecordView, site: Site, common: dict[str, Any]) -> Verdict:
    """A banned approved technology: after re-evaluation (规范 第二十三条第四款), by an announcement
    that shows none, or as the consequence of a direct delisting of its entry (界定指导原则
    二(二)2(1)). 规范 第二十条第三款 concerns technologies never approved: not cited here."""
    ban = r.ban()
    since = day_text(r.status.since)
    number = ann_number(r, r.status.announcement)
    answer, headline = "不得开展（已禁止）", f"已禁止临床应用，任何机构不得开展（自 {since} 起）"
    if r.ban_kind == "reevaluation":
        text = [
            f"经再评估不能保证安全、有效，国家卫生健康委自 {since} 起禁止临床应用该技术并向社会公布"
            f"（规范 第二十三条第四款；{number}）。任何医疗机构不得再开展该技术的临床应用。"
        ]
    elif r.ban_kind == "delisting":
        text = [
            f"该技术的来源清单条目 {r.model.guidance_entry} 于 {since} 被直接调出《备案指导清单》（{number}）。"
            "调出《备案指导清单》的生物医学新技术，不再按照《条例》有关规定开展临床研究和临床转化应用"
            "（界定指导原则 二（二）2（1））。该公告没有对本技术作出单独的禁止决定；这是来源条目直接调出的后果。",
        ]
        answer = "不再按《条例》开展"
        headline = (
            f"来源清单条目已直接调出：不再按照《条例》有关规定开展临床转化应用（自 {since} 起）"
        )
    else:
        text = [
            f"国家卫生健康委公告自 {since} 起禁止临床应用该技术（{number}）；任何医疗机构不得再开展该技术的"
            "临床应用。"
        ]
    if ban is not None and ban.fields.get("ground") and r.ban_kind != "delisting":
        text.append(f"公告所述理由：{ban.fields['ground']}")
    return make_verdict(
        site,
        r,
        code="banned",
        tone="no",
        answer=answer,
        headline=headline,
        explanation=tuple(text),
        **common,
    )
