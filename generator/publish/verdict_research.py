"""Verdicts on filed clinical research projects: "what must our filed study do now?" (界定指导原则
二(二)2), and, for its guidance entry, "may we file a new study of it?" (the entry's own verdict).

Each status says what the seeds say of it, word for word where they speak: 应当及时终止研究，并妥善
保障已开展研究受试者的权益 (a direct delisting), 应重新进行伦理审查评估后，根据伦理审查意见，可继续
实施至研究结束，或根据实际情况终止研究 (a delisting after review). An approval grown from the entry
does not change what a project must do.
"""

from __future__ import annotations

from generator.publish.sentences import (
    ETHICS,
    TERMINATE,
    Link,
    Verdict,
    ann_links,
    base_links,
    day_text,
    make_verdict,
)
from generator.publish.views import RecordView, Site


def _filed(r: RecordView) -> str:
    p = r.model
    number = f"，备案编号 {p.filing_no}" if p.filing_no else ""
    return (
        f"该项目由{p.sponsor}发起，于 {day_text(p.filed)} 按《备案指导清单》条目 {p.guidance_entry} 备案"
        f"{number}；临床研究机构：{'、'.join(p.institutions)}（界定指导原则 二）。"
    )


def _cause_number(r: RecordView) -> str:
    return next((e.number for e in r.timeline if e.announcement == r.status.announcement), "")


Parts = tuple[str, str, str, tuple[str, ...]]  # tone, answer, headline, explanation


def _terminate(r: RecordView, since: str) -> Parts:
    text = (
        f"所依据的清单条目 {r.model.guidance_entry} 于 {since} 被直接调出《备案指导清单》（{_cause_number(r)}）；"
        "调出的生物医学新技术，不再按照《条例》有关规定开展临床研究和临床转化应用。",
        TERMINATE,
        _filed(r),
    )
    head = f"应当及时终止研究，并妥善保障已开展研究受试者的权益（自 {since} 起）"
    return "no", "应当终止", head, text


def _ethics(r: RecordView, since: str) -> Parts:
    text = (
        f"所依据的清单条目 {r.model.guidance_entry} 于 {since} 经论证后调出《备案指导清单》（{_cause_number(r)}）。",
        ETHICS,
        _filed(r),
    )
    head = f"应重新进行伦理审查评估，根据伦理审查意见继续实施或终止（自 {since} 起）"
    return "limited", "须重新伦理审查", head, text


def _ended(r: RecordView, since: str) -> Parts:
    what = "研究已结束" if r.status.code == "completed" else "研究已终止"
    return "limited", what, f"{what}（{since}）", (f"备案机构报告：{what}（{since}）。", _filed(r))


def _ongoing(r: RecordView, since: str) -> Parts:
    continued = r.status.since > r.model.filed  # after a new ethics review (二(二)2(2))
    again = (
        (f"所依据的清单条目论证后调出后，该项目经重新伦理审查评估，自 {since} 起继续实施。", ETHICS)
        if continued
        else ()
    )
    later = (
        ()
        if continued
        else (
            "备案项目按备案的方案开展；清单条目此后被调出的，本页将显示项目应当如何处理（界定指导原则 二（二）2）。",
        )
    )
    text = (_filed(r), *again, *later)
    head = "经重新伦理审查评估，继续实施" if continued else "按备案开展中"
    return "limited", "进行中", head, text


_PARTS = {
    "ongoing": _ongoing,
    "terminate_required": _terminate,
    "ethics_review_required": _ethics,
    "completed": _ended,
    "terminated": _ended,
}


def research_verdict(r: RecordView, site: Site) -> Verdict:
    """What the project must do now, from its status (status/research.py)."""
    links = [*base_links(r), *ann_links(r, r.status.announcement)]
    if (g := site.records.get(r.model.guidance_entry)) is not None:
        links.append(Link(f"备案所依据的清单条目（{g.id}）", g.url))
    tone, answer, head, text = _PARTS[r.status.code](r, day_text(r.status.since))
    return make_verdict(
        site,
        r,
        code=r.status.code,
        tone=tone,
        answer=answer,
        headline=head,
        explanation=text,
        basis=r.status.basis,
        links=tuple(dict.fromkeys(links)),
    )
