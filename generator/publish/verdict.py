"""Every legal sentence the registry says about a record, from one function: `verdict`.

The record page (templates/record.html), the `/check/` index (publish/lookup.py) and
`registry check` all render a `Verdict` and write no legal prose of their own, so that a hospital
reads the same answer wherever it looks. A verdict is derived from the status that `status/` replayed from the
announcements; each sentence cites its article of
《生物医学新技术临床转化应用审批工作规范（试行）》 (规范) or
《生物医学新技术与药品、医疗器械界定指导原则（暂行）》 (界定指导原则).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from generator.domain.kinds import dispatch
from generator.publish.sentences import (
    DELINEATION_URL,
    Facet,
    Link,
    Verdict,
    institution_listed,
    make_verdict,
)
from generator.publish.verdict_approved import approved_verdict
from generator.publish.verdict_listed import banned_verdict, guidance_verdict
from generator.publish.verdict_research import research_verdict
from generator.publish.views import RecordView, Site


def verdict(r: RecordView, site: Site, institution: str | None = None) -> Verdict:
    """The answer for record `r` as of `site.as_of`, derived from its status (status/derive.py)."""
    listed = institution_listed(r, institution)
    v = _VERDICTS[r.kind](r, site, listed)
    return replace(v, institution=(institution or None) if listed is not None else None)


def _approved(r: RecordView, site: Site, listed: bool | None) -> Verdict:
    return replace(approved_verdict(r, site, listed), research=research_facet(r, site))


_VERDICTS: dict[str, Callable[[RecordView, Site, bool | None], Verdict]] = {
    "guidance": lambda r, site, _listed: guidance_verdict(r, site, site.grown.get(r.id, [])),
    "approved": _approved,
    "banned": lambda r, site, _listed: banned_verdict(r, site),
    "research": lambda r, site, _listed: research_verdict(r, site),
}
dispatch(_VERDICTS, "publish/verdict.py")  # every kind of domain/kinds.py has its verdict


def research_facet(r: RecordView, site: Site) -> Facet | None:
    """The research stage of approved technology `r`: what its guidance entry's status means for
    filing a new clinical research project (界定指导原则 二), said from the research side only (the
    approval's own answer is the clinical one)."""
    g = site.research_entry(r)
    if g is None:
        return None
    if g.status.code == "listed":
        headline = "可以按清单的规范技术名称和备案要求备案开展临床研究（界定指导原则 二）"
        return Facet(g, "可以备案开展临床研究", headline)
    d = g.delisting()
    if d is not None and d.fields.get("route") == "direct":
        headline = (
            "清单条目已直接调出：不再按照《条例》有关规定开展临床研究；调出前已备案开展的临床研究项目应当"
            "及时终止研究，并妥善保障已开展研究受试者的权益（界定指导原则 二（二）2（1））"
        )
        return Facet(g, "不再按《条例》开展研究", headline)
    headline = (
        "清单条目已论证后调出：研究者再发起新的相关临床研究，应按照《医疗卫生机构开展研究者发起的临床研究"
        "管理办法》实施；调出前已备案的研究应重新进行伦理审查评估（界定指导原则 二（二）2（2））"
    )
    return Facet(g, "不能按清单备案新研究", headline)


def not_found_verdict(site: Site) -> Verdict:
    """What "not found" means: a name search that matched nothing, not a fact about a technology.

    Anything may be typed, even a technique that is no 生物医学新技术 (规范 第二条第二款): the answer
    says what the registry holds and, conditionally, what the seeds say; never "allowed", never
    "not approved" as a finding."""
    return make_verdict(
        site,
        None,
        code="not_found",
        tone="limited",
        answer="未找到",
        headline="公示库中没有与输入匹配的记录：不能据此认定可以开展",
        explanation=(
            "已按名称、别名和编号查找（不区分全角半角、空格、大小写和常见标点），没有匹配的记录。"
            "请检查是否有错别字，或换用规范技术名称、别名或编号再试。",
            "没有找到只说明本库中没有与所输入文字匹配的记录，不说明该技术的法律状态：本库收录公告涉及的"
            "备案指导清单条目、已批准技术和禁止技术。",
            "生物医学新技术是指以对健康状态作出判断或者预防治疗疾病、促进健康为目的，运用生物学原理，作用于人体"
            "细胞、分子水平，在我国境内尚未应用于临床的医学专业手段和措施（规范 第二条第二款）。属于生物医学新技术"
            "而未经批准临床转化应用的，任何机构和个人不得将其应用于临床（规范 第二十条第三款）；不在清单内的，"
            "临床研究发起机构可以向国家卫生健康委建议调入（界定指导原则 二（二）1）。",
            "是否属于生物医学新技术、药品或医疗器械，可以做“界定自查”。",
        ),
        basis="规范 第二条第二款、第二十条第三款；界定指导原则 二（二）1",
        links=(
            Link("界定自查：技术、药品还是医疗器械", DELINEATION_URL),
            Link("备案指导清单", "/guidance-list/"),
            Link("已批准技术", "/approved/"),
            Link("禁止技术", "/banned/"),
        ),
    )
