"""What every verdict is made of (`Verdict`, `Link`), the sentences all kinds share (the note, the duties of 规范 第二十一条、第二十二条 word for word) and small helpers. The verdicts themselves: publish/verdict.py."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from generator.domain.dates import cn_date
from generator.domain.kinds import dispatch
from generator.domain.names import fold
from generator.domain.vocabulary import GROUND_LABELS

# the seeds' sentences and the summary's words live in terms.py; re-exported here, where the
# verdicts, dated.py and /check/ have always imported them
from generator.publish.terms import (  # noqa: F401
    CHECK_LIST,
    CONDITIONS_RULE,
    DELISTED,
    DERIVED_BAN,
    DUTIES,
    EMERGENCY,
    EMERGENCY_ONLY,
    ETHICS,
    MEANING,
    NO_CLINICAL_USE,
    NO_SPEC,
    NOT_BY_TIME,
    NOT_CLINICAL,
    RESTRICTED_RULE,
    SUBJECT,
    TERMINATE,
    UNAPPROVED_RULE,
    Summary,
)
from generator.publish.views import RecordView, Site, announcement_url
from generator.status.intervals import interval_at, next_change
from generator.status.states import Event

NOTE = "本库为公开信息，不构成行政决定或法律意见；以国家卫生健康委公告原文为准。"

DELINEATION_URL = "/check/delineation/"

# an institution typed unlike every listed participant: the answer stands as for one not listed
INSTITUTION_MISMATCH = (
    "所填机构名称与公告所列参与研究机构的名称不一致，结论按“不在名单内”作出。您是否指："
)

CONDITION_PARTS = ("医疗机构条件", "人员条件", "技术管理要求", "培训与质量控制")


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
    site: Site | None = field(default=None, repr=False, compare=False)  # for `summary`

    @cached_property
    def summary(self) -> Summary | None:
        """The plain summary of the record (record pages): the same status, in a citizen's words."""
        if self.record is None or self.site is None:
            return None
        return record_summary(self.site, self.record)

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
    return site.grown  # approved technologies by the guidance entry they grew out of


def make_verdict(site: Site, r: RecordView | None, **kw: Any) -> Verdict:
    return Verdict(
        valid_as_of=site.as_of, data_version=site.data_version, record=r, site=site, **kw
    )


def record_summary(site: Site, r: RecordView) -> Summary:
    """The plain summary of `r` as of `site.as_of` (kinds dispatch through `_PLAIN`)."""
    s = _PLAIN[r.kind](site, r)
    return replace(
        s, term=r.status_label, when=s.when or when_text(r, site.as_of), contact=site.config.contact
    )


def when_text(r: RecordView, as_of: date) -> str:
    """自 <since> 起[，至 <end>] from the interval that holds the as-of date."""
    now = interval_at(r.intervals, as_of)
    end = now.end if now is not None else None
    return f"自 {cn_date(r.status.since)} 起" + (f"，至 {cn_date(end)}" if end else "")


def next_text(r: RecordView, as_of: date) -> str | None:
    """The next scheduled change, from the record's status on every date (r.intervals)."""
    nxt, tail = next_change(r.intervals, as_of), "按现已公示的公告推算，此后的公告可能改变"
    if nxt is None and r.conditions_upcoming and r.conditions_in_force is None:
        return f"临床应用操作规范自 {cn_date(r.conditions_upcoming[0].version.effective)} 起施行。"
    if nxt is None:
        return NOT_BY_TIME if r.status.code == "restricted" else None
    before = r.intervals[r.intervals.index(nxt) - 1]
    if nxt.status.code == "open" and before.end is not None:
        return (
            f"限定期至 {cn_date(before.end)}：自 {cn_date(nxt.start)} 起，其他符合条件的医疗机构参照限制类"
            f"医疗技术备案后也可以开展（规范 第二十条第二款；{tail}）。"
        )
    if before.emergency is not None and nxt.emergency is None:
        until = cn_date(before.emergency.fields["until"])
        return f"紧急应用期限至 {until}，期满后不得再据此应用于临床（规范 第十九条；{tail}）。"
    return f"自 {cn_date(nxt.start)} 起，状态将变为“{nxt.status.label}”（{nxt.status.basis}；{tail}）。"


def _summary(r: RecordView, as_of: date, **kw: Any) -> Summary:
    return Summary(term="", next_change=next_text(r, as_of), **kw)


def _guidance(site: Site, r: RecordView) -> Summary:
    usable = [a for a in site.grown.get(r.id, []) if a.status.code in ("restricted", "open")]
    if usable:
        names = "、".join(f"{a.name}（{a.id}）" for a in usable)
        return _summary(
            r, site.as_of, label="已批准临床应用：见已批准技术", tone="limited",
            who=f"这项技术已批准临床转化应用：{names}。哪些医疗机构可以开展、到何时为止，以该技术的页面为准；"
            "本条目是它的临床研究阶段。",
            patient="请打开下面的已批准技术页面，核对提供这项技术的医疗机构。",
            links=tuple(Link(f"已批准技术：{a.name}", a.url) for a in usable),
        )  # fmt: skip
    if r.emergency is not None:
        e = r.emergency.fields
        return _summary(
            r, site.as_of, label="仅在规定范围内紧急应用", tone="limited",
            when=f"自 {cn_date(r.emergency.date)} 起，至 {cn_date(e['until'])}",
            who=f"经国家卫生健康委同意，在规定范围和期限内紧急应用（规范 第十九条）。范围：{e['scope']}。",
            patient="范围以外的临床使用没有获得批准。",
            rule=UNAPPROVED_RULE,
        )  # fmt: skip
    if r.status.code == "delisted":
        return _delisted(site, r)
    return _summary(
        r, site.as_of, label="只能作为备案的临床研究开展，未批准临床应用", tone="limited",
        who="医疗机构可以按《备案指导清单》备案后开展临床研究（界定指导原则 二）；这项技术尚未批准临床转化应用。",
        patient="它只能在已备案的临床研究中使用；在临床研究之外用于治疗，不是经批准的临床应用。",
        places=_project_sites(site, r), places_title="本库收录的、按本条目备案且正在进行的临床研究所在机构",
        rule=UNAPPROVED_RULE,
    )  # fmt: skip


def _project_sites(site: Site, r: RecordView) -> tuple[str, ...]:
    found = [
        i for p in site.filed.get(r.id, []) if p.status.code == "ongoing" for i in p.institutions
    ]
    return tuple(dict.fromkeys(found))


def _delisted(site: Site, r: RecordView) -> Summary:
    d = r.delisting()
    direct = d is not None and d.fields.get("route") == "direct"
    if direct:
        label, patient = "已调出清单，不再开展", f"{SUBJECT}{TERMINATE}"
    else:
        label, patient = "已调出清单，不能再按清单备案新的研究", f"{SUBJECT}{ETHICS}"
    return _summary(
        r, site.as_of, label=label, tone="no", who=DELISTED["direct" if direct else "after_review"],
        patient=patient, rule=UNAPPROVED_RULE,
    )  # fmt: skip


def _approved(site: Site, r: RecordView) -> Summary:
    code, places = r.status.code, tuple(r.institutions)
    if code in ("restricted", "open") and r.conditions_in_force is None:
        return _summary(
            r, site.as_of, label="已批准，但操作规范尚未施行", tone="no",
            who="已批准临床转化应用，但临床应用操作规范尚未施行。", patient="目前没有医疗机构可以据此开展。",
            rule=NO_SPEC, places=places, places_title="参与该技术临床研究的医疗机构",
        )  # fmt: skip
    if code == "restricted":
        return _summary(
            r, site.as_of, label="仅限名单内的医疗机构开展", tone="limited",
            who=f"只有下面名单中参与该技术临床研究且符合条件的医疗机构可以开展临床应用。{CONDITIONS_RULE}",
            patient=CHECK_LIST, places=places, places_title="可以开展的医疗机构", rule=RESTRICTED_RULE,
        )  # fmt: skip
    if code == "open":
        return _summary(
            r, site.as_of, label="符合条件的医疗机构可以开展", tone="yes",
            who="参与该技术临床研究的医疗机构，以及参照限制类医疗技术备案的其他符合条件的医疗机构，可以开展"
            f"（规范 第二十条第二款）。{CONDITIONS_RULE}",
            patient="提供这项技术的医疗机构应当符合公告公布的条件。",
            places=places, places_title="参与该技术临床研究的医疗机构（其他机构须备案）",
        )  # fmt: skip
    if code == "suspended":
        return _summary(
            r, site.as_of, label="暂停应用", tone="no",
            who="国家卫生健康委正在组织再评估，再评估期间暂停应用该技术（规范 第二十三条第一款）。",
            patient="再评估期间，医疗机构不能提供这项技术。",
        )  # fmt: skip
    who = DERIVED_BAN if r.status.derived else f"已禁止临床应用（{r.status.basis}）。"
    return _summary(
        r, site.as_of, label="禁止临床应用", tone="no", who=who,
        patient="医疗机构不能再提供这项技术。",
    )  # fmt: skip


def _banned(site: Site, r: RecordView) -> Summary:
    scope = f"禁止范围：{r.model.scope}" if r.model.scope else ""
    return _summary(
        r, site.as_of, label="禁止临床应用", tone="no",
        who=f"这是禁止临床应用的技术，任何机构和个人都不得将其应用于临床。{scope}",
        patient="任何医疗机构都不能向您提供这项技术。", rule=UNAPPROVED_RULE,
    )  # fmt: skip


_RESEARCH = {
    "ongoing": (
        "临床研究进行中（已备案）",
        "limited",
        "这是备案的临床研究，不是已批准的临床应用。",
    ),
    "terminate_required": ("应当终止研究", "no", f"{SUBJECT}{TERMINATE}"),
    "ethics_review_required": ("须重新伦理审查", "limited", f"{SUBJECT}{ETHICS}"),
    "completed": ("研究已结束", "no", "备案机构报告研究已结束。"),
    "terminated": ("研究已终止", "no", "备案机构报告研究已终止。"),
}


def _research(site: Site, r: RecordView) -> Summary:
    label, tone, patient = _RESEARCH[r.status.code]
    return _summary(
        r, site.as_of, label=label, tone=tone, patient=patient,
        who=f"{r.model.sponsor}按《备案指导清单》备案开展的临床研究（界定指导原则 二），在下面的机构进行。",
        places=tuple(r.institutions), places_title="开展研究的机构",
    )  # fmt: skip


_PLAIN = {"guidance": _guidance, "approved": _approved, "banned": _banned, "research": _research}
dispatch(_PLAIN, "publish/sentences.py summaries")
