"""Institution check: "may we use technology X, here, today, and under what conditions?"

Pure functions over the published view (`views.Site`): `find` matches a query against ids, names
and aliases; `verdict` turns a record's status, as derived once by `status.py`, into a plain answer
with its basis, links and the date it is valid for; `check_index` precomputes every verdict for
the `/check/` page so that its JavaScript only matches text and never applies a legal rule.
The pages themselves are `check_pages`; the questionnaire behind `/check/delineation/` is in
`delineation.py`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .delineation import OUTCOMES, STEPS
from .delineation import ROUTE_LABELS as DELINEATION_ROUTES
from .page import GeneratedPage, root_prefix
from .render import cn_date, render
from .status import GROUND_LABELS, ROUTE_LABELS, Event
from .views import RecordView, Site, announcement_url

NOTE = "本库为公开信息，不构成行政决定或法律意见；以国家卫生健康委公告原文为准。"
CHECK_URL = "/check/"
DELINEATION_URL = "/check/delineation/"
INDEX_PATH = "api/check-index.json"

# Whitespace and punctuation ignored when matching (after NFKC and lower-casing), so that
# “CAR-T”, “CAR T”, “ＣＡＲ－Ｔ” and “cart” are the same query. The page's JavaScript receives this
# very pattern in the index, so the browser folds queries exactly like `fold` below.
FOLD_PATTERN = r"[\s\-‐‑‒–—―−·・•()\[\]{}【】《》〈〉<>「」『』\"'“”‘’,，、.。:：;；/\\_~!?]+"
_FOLD = re.compile(FOLD_PATTERN)
MIN_PARTIAL = 2  # a query shorter than this (after folding) only matches exactly
KIND_ORDER = {"approved": 0, "banned": 1, "guidance": 2}

CONDITION_PARTS = ("医疗机构条件", "人员条件", "技术管理要求", "培训与质量控制")
_OBLIGATIONS = (
    "开展时还须保障患者或其监护人的知情权并签署知情同意书（规范 第二十一条第二款），"
    "并向所在地省级卫生健康部门逐例报送临床应用情况（规范 第二十二条）。"
)
_NOT_CLINICAL = (
    "在清单内不等于批准临床应用：未经批准临床转化应用的生物医学新技术，"
    "任何机构和个人不得应用于临床（规范 第二十条第三款）。"
)


def fold(text: str) -> str:
    """Matching form: NFKC (full-width → half-width), lower case, no whitespace or punctuation."""
    return _FOLD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def record_keys(r: RecordView) -> list[str]:
    """Folded match keys of a record: its id first, then its name and aliases (no duplicates)."""
    keys: list[str] = []
    for text in (r.id, r.name, *r.model.aliases):
        k = fold(text)
        if k and k not in keys:
            keys.append(k)
    return keys


def match_score(keys: list[str], q: str) -> int | None:
    """0 exact id, 1 exact name or alias, 2 prefix, 3 inside a longer name; None: no match.

    `check.js` implements the same four rules over the index's `keys`."""
    if not q:
        return None
    if keys and q == keys[0]:
        return 0
    if q in keys[1:]:
        return 1
    if any(k.startswith(q) for k in keys):
        return 2
    if len(q) >= MIN_PARTIAL and any(q in k for k in keys):
        return 3
    return None


def find(site: Site, query: str) -> list[RecordView]:
    """Published records matching `query`: approved technologies first (they answer "may we use
    it clinically?"), then banned ones, then guidance entries; within a kind, best match first."""
    q = fold(query)
    hits = []
    for r in site.records.values():
        score = match_score(record_keys(r), q)
        if score is not None:
            hits.append((KIND_ORDER[r.kind], score, r.id, r))
    return [h[3] for h in sorted(hits, key=lambda h: h[:3])]


def institution_listed(r: RecordView, institution: str | None) -> bool | None:
    """Whether `institution` is one of the record's participating institutions (None: not asked)."""
    if not institution or not fold(institution) or r.kind != "approved":
        return None
    return fold(institution) in {fold(i) for i in r.institutions}


# --- verdicts ------------------------------------------------------------------------------------


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
    note: str = field(default=NOTE)

    @property
    def found(self) -> bool:
        return self.record is not None

    def as_dict(self) -> dict[str, Any]:
        r = self.record
        return {
            "code": self.code,
            "tone": self.tone,
            "answer": self.answer,
            "headline": self.headline,
            "explanation": list(self.explanation),
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


def _ann_link(r: RecordView, aid: str | None) -> list[Link]:
    """Link to announcement `aid`, labelled with its number (from the record's own timeline)."""
    if not aid:
        return []
    number = next((e.number for e in r.timeline if e.announcement == aid), aid)
    return [Link(f"公告：{number}", announcement_url(aid))]


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
    out: dict[str, list[RecordView]] = {}
    for a in site.by_kind("approved"):
        if a.model.guidance_entry:
            out.setdefault(a.model.guidance_entry, []).append(a)
    return out


def verdict(r: RecordView, site: Site, institution: str | None = None) -> Verdict:
    """The answer for record `r` as of `site.as_of`, derived from its status (status.py)."""
    grown = grown_from(site).get(r.id, []) if r.kind == "guidance" else []
    return _verdict(r, site, institution, grown)


def _verdict(
    r: RecordView, site: Site, institution: str | None, grown: list[RecordView]
) -> Verdict:
    listed = institution_listed(r, institution)
    if r.kind == "approved":
        v = _approved(r, site, listed)
    elif r.kind == "banned":
        v = _banned(r, site)
    else:
        v = _guidance(r, site, grown)
    return replace(v, institution=(institution or None) if listed is not None else None)


def _make(site: Site, r: RecordView | None, **kw: Any) -> Verdict:
    return Verdict(valid_as_of=site.as_of, data_version=site.data_version, record=r, **kw)


def _approved(r: RecordView, site: Site, member: bool | None) -> Verdict:
    code = r.status.code
    assert r.risk_grade is not None and r.approved_on is not None
    approval = _last(r, "approve")
    links = _base_links(r)
    if approval is not None and approval.announcement != r.status.announcement:
        links += _ann_link(r, approval.announcement)
    if r.conditions is not None:
        links += [
            Link("医疗机构和人员条件（" + "、".join(CONDITION_PARTS) + "）", r.url + "#conditions"),
            Link("临床应用操作规范", r.url + "#spec"),
        ]
    if r.model.guidance_entry and (g := site.records.get(r.model.guidance_entry)):
        links.append(Link(f"来源清单条目（{g.id}）", g.url))
    conditions = (
        "须符合公告公布的"
        + "、".join(CONDITION_PARTS)
        + "，并遵守临床应用操作规范（规范 第二十条第一款）"
    )
    effective = ""
    if r.conditions is not None and r.conditions.effective:
        effective = f"现行条件自 {_d(r.conditions.effective)} 起施行。"
    granted = (
        f"该技术于 {_d(r.approved_on)} 批准临床转化应用，风险等级为{r.risk_grade.name}"
        f"（规范 第十七条）。"
    )
    common = {"basis": r.status.basis, "institutions": r.institutions, "institution_listed": member}

    if code == "restricted":
        period = (
            f"批准后 {r.risk_grade.exclusive_years} 年内，仅限参与该技术临床研究且符合条件的医疗机构"
            f"开展临床应用，独占期至 {_d(r.exclusive_until)}（规范 第二十条第二款）。"
        )
        if r.opens_by_time_on is not None:
            after = (
                f"期满未出现第二十三条第一款情形的，自 {_d(r.opens_by_time_on)} 起其他符合条件的"
                "医疗机构可参照限制类医疗技术备案后开展。"
            )
        else:
            after = (
                "独占期内曾暂停应用，期满后不会自动开放：须经再评估证实获益远大于风险，"
                "并由国家卫生健康委另行公告（规范 第二十条第二款）。"
            )
        until = _d(r.exclusive_until)
        if member is None:
            return _make(
                site,
                r,
                code="restricted",
                tone="limited",
                answer="仅限参与研究机构",
                headline=f"仅限参与研究的医疗机构开展（独占期至 {until}）",
                explanation=(
                    granted + period,
                    after,
                    f"参与研究机构共 {len(r.institutions)} 家，见下方名单；{conditions}。{effective}",
                    _OBLIGATIONS,
                ),
                links=tuple(links),
                **common,
            )
        if member:
            return _make(
                site,
                r,
                code="restricted_participant",
                tone="yes",
                answer="可以开展（须符合条件）",
                headline=f"贵机构在参与研究机构名单内，可以开展（独占期至 {until}）",
                explanation=(
                    f"贵机构是公告所列参与该技术临床研究的医疗机构之一；{conditions}。{effective}",
                    granted + period,
                    after,
                    _OBLIGATIONS,
                ),
                links=tuple(links),
                **common,
            )
        return _make(
            site,
            r,
            code="restricted_other",
            tone="no",
            answer="目前不得开展",
            headline=f"贵机构不在参与研究机构名单内，独占期内不得开展（至 {until}）",
            explanation=(
                "所填机构不在公告所列的参与研究机构名单中（按名称比对，请核对名称是否与公告一致）。",
                granted + period,
                after,
            ),
            links=tuple(links),
            **common,
        )

    if code == "open":
        if r.status.announcement is None:
            why = (
                f"批准后 {r.risk_grade.exclusive_years} 年的独占期已于 {_d(r.exclusive_until)} 届满，"
                f"期间未出现第二十三条第一款情形，自 {_d(r.status.since)} 起向其他符合条件的医疗机构开放"
                "（规范 第二十条第二款）。"
            )
        else:
            why = (
                f"经再评估证实获益远大于风险，自 {_d(r.status.since)} 起向其他符合条件的医疗机构开放"
                "（规范 第二十条第二款）。"
            )
        filing = f"其他医疗机构{conditions}，并参照限制类医疗技术进行备案后方可开展。{effective}"
        if member is None:
            return _make(
                site,
                r,
                code="open",
                tone="yes",
                answer="符合条件并备案后可以开展",
                headline="符合条件的医疗机构参照限制类医疗技术备案后可以开展",
                explanation=(
                    granted + why,
                    filing,
                    "参与该技术临床研究的医疗机构（见下方名单）已可开展，继续开展同样须符合条件、遵守操作规范。",
                    _OBLIGATIONS,
                ),
                links=tuple(links),
                **common,
            )
        if member:
            return _make(
                site,
                r,
                code="open_participant",
                tone="yes",
                answer="可以开展（须符合条件）",
                headline="贵机构是参与研究机构，可以继续开展（须符合条件）",
                explanation=(
                    f"贵机构是公告所列参与该技术临床研究的医疗机构之一；{conditions}。{effective}",
                    granted + why,
                    _OBLIGATIONS,
                ),
                links=tuple(links),
                **common,
            )
        return _make(
            site,
            r,
            code="open_other",
            tone="yes",
            answer="符合条件并备案后可以开展",
            headline="贵机构符合条件并参照限制类医疗技术备案后，可以开展",
            explanation=(granted + why, filing, _OBLIGATIONS),
            links=tuple(links),
            **common,
        )

    if code == "suspended":
        suspend = _last(r, "suspend")
        ground = _ground(suspend)
        text = [
            f"自 {_d(r.status.since)} 起，国家卫生健康委对该技术的安全性、有效性组织再评估，"
            "再评估期间暂停应用（规范 第二十三条第一款）"
            + (f"。理由：{ground}。" if ground else "。"),
            "参与研究机构和已备案的机构同样不得开展，直至公告恢复应用；经评估不能保证安全、有效的，"
            "将禁止临床应用并向社会公布（规范 第二十三条第四款）。",
        ]
        if r.opens_by_time_on is None and _last(r, "open") is None:
            text.append(
                f"因独占期（至 {_d(r.exclusive_until)}）内暂停，恢复后期满也不会自动开放（规范 第二十条第二款）。"
            )
        return _make(
            site,
            r,
            code="suspended",
            tone="no",
            answer="不得开展（暂停）",
            headline=f"再评估期间暂停应用，任何机构不得开展（自 {_d(r.status.since)} 起）",
            explanation=tuple(text),
            links=tuple(links),
            **common,
        )

    assert code == "banned"
    ban = r.ban()
    text = [
        f"经再评估不能保证安全、有效，国家卫生健康委自 {_d(r.status.since)} 起禁止临床应用该技术"
        "并向社会公布（规范 第二十三条第四款）。",
    ]
    if ban is not None and ban.fields.get("ground"):
        text.append(f"公告所述理由：{ban.fields['ground']}")
    text.append("任何机构和个人不得将其应用于临床（规范 第二十条第三款）。")
    return _make(
        site,
        r,
        code="banned",
        tone="no",
        answer="不得开展（已禁止）",
        headline=f"已禁止临床应用，任何机构不得开展（自 {_d(r.status.since)} 起）",
        explanation=tuple(text),
        links=tuple(links),
        **common,
    )


def _banned(r: RecordView, site: Site) -> Verdict:
    ban = r.ban()
    text = [f"该技术自 {_d(r.status.since)} 起列为禁止临床应用的技术。"]
    if ban is not None and ban.fields.get("ground"):
        text.append(f"公告所述理由：{ban.fields['ground']}")
    if r.model.scope:
        text.append(f"禁止范围：{r.model.scope}")
    text.append(
        "任何机构和个人不得将其应用于临床，也不能作为生物医学新技术备案开展临床研究"
        "（规范 第二十条第三款；界定指导原则 二(一)1）。"
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


def _guidance(r: RecordView, site: Site, grown: list[RecordView]) -> Verdict:
    links = _base_links(r)
    related = [
        f"由该条目转化的技术“{a.name}”（{a.id}）已获批临床转化应用，当前状态：{a.status_label}；"
        "临床应用以该技术的公示记录为准。"
        for a in grown
    ]
    links += [Link(f"已批准技术（{a.id}）", a.url) for a in grown]

    if r.status.code == "delisted":
        d = r.delisting()
        assert d is not None
        route, ground = d.fields["route"], _ground(d)
        if route == "direct":
            return _make(
                site,
                r,
                code="delisted_direct",
                tone="no",
                answer="不得开展",
                headline=f"已直接调出备案指导清单，不得开展临床研究和临床应用（自 {_d(r.status.since)} 起）",
                explanation=(
                    f"调出途径：{ROUTE_LABELS[route]}；理由：{ground}（界定指导原则 二(二)2(1)）。",
                    "调出清单的技术不再按《条例》有关规定开展临床研究和临床转化应用。",
                    "调出前已备案开展的临床研究项目应当及时终止，并妥善保障已开展研究受试者的权益。",
                    *related,
                ),
                basis=r.status.basis,
                links=tuple(links),
            )
        return _make(
            site,
            r,
            code="delisted_after_review",
            tone="no",
            answer="不得按清单备案新研究",
            headline=f"已论证后调出备案指导清单，不能再按清单备案新的临床研究（自 {_d(r.status.since)} 起）",
            explanation=(
                f"调出途径：{ROUTE_LABELS[route]}；理由：{ground}（界定指导原则 二(二)2(2)）。",
                "研究者再发起新的相关临床研究，应按照《医疗卫生机构开展研究者发起的临床研究管理办法》"
                "（国卫科教发〔2024〕32号）的相关规定实施。",
                "调出前已备案开展的临床研究，应重新进行伦理审查评估，根据伦理审查意见可继续实施至研究结束，"
                "或根据实际情况终止研究。",
                *related,
            ),
            basis=r.status.basis,
            links=tuple(links),
        )

    assert r.status.code == "listed"
    text = [
        f"该技术自 {_d(r.status.since)} 起在《生物医学新技术临床研究备案指导清单》内。临床研究发起机构可按"
        "清单的规范技术名称和备案要求，完整提交资料备案后开展临床研究（界定指导原则 二）。",
        _NOT_CLINICAL,
    ]
    last = _last(r, "list", "retain")
    if last is not None and last.action == "retain":
        text.append(
            "该条目经论证后继续保留在清单内；发起临床研究时应对照已批准上市药品、医疗器械或已批准临床转化应用"
            "医疗技术的适应症和机制原理，避免重复研究（界定指导原则 二(二)2(2)）。"
        )
    text += related
    if r.emergency is not None:
        links += [x for x in _ann_link(r, r.emergency.announcement) if x not in links]
    if r.model.filing_requirements:
        links.append(Link("备案要求", r.url + "#filing"))
    links.append(Link("界定自查：技术、药品还是医疗器械", DELINEATION_URL))
    if r.emergency is not None:
        e = r.emergency
        until = _d(e.fields["until"])
        emergency = (
            f"国家卫生健康委同意在一定范围和期限内紧急应用该技术（规范 第十九条）。范围：{e.fields['scope']}；"
            f"期限至 {until}。范围以外或期满后不得据此应用于临床。"
        )
        return _make(
            site,
            r,
            code="listed_emergency",
            tone="limited",
            answer="仅限紧急应用范围内",
            headline=f"仅可在规定范围内紧急应用（至 {until}）；其他情形只能备案开展临床研究",
            explanation=(emergency, *text),
            basis=f"{r.status.basis}；规范 第十九条",
            links=tuple(links),
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
            "国家卫生健康委建议调入清单（界定指导原则 二(二)1）。",
            "如果它可能属于药品或医疗器械，或不确定应走哪条路径，请做“界定自查”。",
        ),
        basis="规范 第二十条第三款；界定指导原则 二(二)1",
        links=(
            Link("界定自查：技术、药品还是医疗器械", DELINEATION_URL),
            Link("备案指导清单", "/guidance-list/"),
            Link("已批准技术", "/approved/"),
            Link("禁止技术", "/banned/"),
        ),
    )


def check(site: Site, query: str, institution: str | None = None) -> list[Verdict]:
    """Verdicts for every record matching `query`, or the single not-found verdict."""
    hits = find(site, query)
    if not hits:
        return [not_found_verdict(site)]
    return [verdict(r, site, institution) for r in hits]


# --- the compact index for /check/ ----------------------------------------------------------------

_SHARED = ("valid_as_of", "data_version", "note", "institution", "institution_listed")


def _slim(v: Verdict) -> dict[str, Any]:
    data = v.as_dict()
    for key in _SHARED:
        data.pop(key)
    return data


def _diff(base: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in other.items() if base.get(k) != v}


def _intern(obj: Any, table: dict[str, int]) -> Any:
    """Replace every string in `obj` by its position in `table` (added when new)."""
    if isinstance(obj, str):
        return table.setdefault(obj, len(table))
    if isinstance(obj, list):
        return [_intern(x, table) for x in obj]
    if isinstance(obj, dict):
        return {k: _intern(v, table) for k, v in obj.items()}
    return obj


def check_index(site: Site) -> dict[str, Any]:
    """Everything `/check/` needs, verdict texts included: the page only matches text against it.

    `records` are in `find` order of kinds, each with `keys` (folded id, name, aliases; the id
    first). Its `verdict` is the verdict without an institution; approved records add
    `institution_keys` (folded participating institutions) and `participant` / `other`: the fields
    that differ when the user's institution is, or is not, one of them. Verdict texts repeat a lot
    across records, so every string inside `verdict`, `participant`, `other` and `not_found` is
    stored once in `texts` and given by its position there."""
    table: dict[str, int] = {}
    grown = grown_from(site)
    records = []
    for r in sorted(site.records.values(), key=lambda r: (KIND_ORDER[r.kind], r.id)):
        base = _slim(_verdict(r, site, None, grown.get(r.id, [])))
        entry: dict[str, Any] = {"id": r.id, "keys": record_keys(r)}
        if r.kind == "approved" and r.institutions:
            entry["institution_keys"] = sorted({fold(i) for i in r.institutions})
            entry["participant"] = _intern(_diff(base, _slim(_approved(r, site, True))), table)
            entry["other"] = _intern(_diff(base, _slim(_approved(r, site, False))), table)
        entry["verdict"] = _intern(base, table)
        records.append(entry)
    not_found = _intern(_slim(not_found_verdict(site)), table)
    return {
        "as_of": site.as_of.isoformat(),
        "as_of_label": cn_date(site.as_of),
        "data_version": site.data_version,
        "note": NOTE,
        "fold": FOLD_PATTERN,
        "min_partial": MIN_PARTIAL,
        "kind_order": KIND_ORDER,
        "institutions": sorted({i for r in site.by_kind("approved") for i in r.institutions}),
        "not_found": not_found,
        "records": records,
        "texts": list(table),
    }


def expand(index: dict[str, Any], value: Any) -> Any:
    """Inverse of the interning in `check_index` (what `check.js` does with `texts`)."""
    texts = index["texts"]
    if isinstance(value, int) and not isinstance(value, bool):
        return texts[value]
    if isinstance(value, list):
        return [expand(index, x) for x in value]
    if isinstance(value, dict):
        return {k: expand(index, v) for k, v in value.items()}
    return value


# --- command line -----------------------------------------------------------------------------------


def report(site: Site, query: str, institution: str | None, as_json: bool) -> tuple[str, bool]:
    """`registry check` output and whether anything was found."""
    verdicts = check(site, query, institution)
    found = verdicts[0].found
    if as_json:
        data = {
            "query": query,
            "institution": institution,
            "as_of": site.as_of.isoformat(),
            "data_version": site.data_version,
            "found": found,
            "results": [v.as_dict() for v in verdicts],
        }
        return json.dumps(data, ensure_ascii=False, indent=2), found
    blocks = [f"查询：{query}" + (f"　机构：{institution}" if institution else "")]
    if found and len(verdicts) > 1:
        blocks[0] += f"（找到 {len(verdicts)} 项）"
    blocks += [_text(v) for v in verdicts]
    return "\n\n".join(blocks), found


def _text(v: Verdict) -> str:
    lines = []
    if v.record is not None:
        r = v.record
        sample = "，示例数据" if r.sample else ""
        lines.append(f"■ {r.name}（{r.id}，{r.kind_label}：{r.status_label}{sample}）")
    lines.append(f"结论：{v.answer} —— {v.headline}")
    lines += [f"  {p}" for p in v.explanation]
    if v.institutions:
        marked = []
        for i in v.institutions:
            mine = v.institution is not None and fold(i) == fold(v.institution)
            marked.append(i + ("（贵机构）" if mine else ""))
        lines.append("参与研究机构：" + "、".join(marked))
    if v.institution_listed is not None:
        state = "在名单内" if v.institution_listed else "不在名单内"
        lines.append(f"所填机构：{v.institution}（{state}）")
    lines.append(f"依据：{v.basis}")
    lines += [f"链接：{x.label} {x.url}" for x in v.links]
    lines.append(
        f"有效日期：按 {v.valid_as_of.isoformat()} 的公示数据（数据版本 {v.data_version}）"
    )
    lines.append(v.note)
    return "\n".join(lines)


# --- pages ----------------------------------------------------------------------------------------


def _root(src_uri: str) -> str:
    return root_prefix(GeneratedPage(src_uri, "", str).depth)


def check_pages(site: Site) -> list[GeneratedPage]:
    """`/check/` (lookup) and `/check/delineation/` (questionnaire)."""
    institutions = sorted({i for r in site.by_kind("approved") for i in r.institutions})

    def _check() -> str:
        return render(
            "check.html",
            site=site,
            root=_root("check/index.md"),
            index=INDEX_PATH,
            institutions=institutions,
            note=NOTE,
        )

    def _delineation() -> str:
        return render(
            "delineation.html",
            site=site,
            root=_root("check/delineation.md"),
            steps=STEPS,
            outcomes=OUTCOMES,
            route_labels=DELINEATION_ROUTES,
            note=NOTE,
        )

    return [
        GeneratedPage("check/index.md", "机构自查：能否开展某项技术", _check),
        GeneratedPage("check/delineation.md", "界定自查：技术、药品还是医疗器械", _delineation),
    ]
