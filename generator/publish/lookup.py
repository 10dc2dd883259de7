"""Institution check: "may we use technology X, here, today, and under what conditions?"

Pure functions over the published view (`views.Site`): `find` matches a query against ids, names
and aliases; `verdict` turns a record's status, as derived once by `status/`, into a plain answer
with its basis, links and the date it is valid for; `check_index` precomputes every verdict for
the `/check/` page so that its JavaScript only matches text and never applies a legal rule.
The verdicts themselves come from `verdict.py`, shared with the record pages. The pages are
`check_pages`; the questionnaire behind `/check/delineation/` is in
`delineation.py`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from generator.domain.checkpoint import checkpoint
from generator.domain.dates import cn_date
from generator.domain.kinds import KIND_ORDER
from generator.domain.names import (
    FOLD_PATTERN,
    common_subsequence,
    fold,
    longest_run,
    simplify,
    typos,
)
from generator.publish.sentences import (
    DELINEATION_URL,
    INSTITUTION_MISMATCH,
    NOTE,
    Link,
    Verdict,
    grown_from,
    institution_listed,
    research_line,
)
from generator.publish.verdict import not_found_verdict, research_facet, verdict
from generator.publish.verdict_approved import approved_verdict
from generator.publish.views import RecordView, Site

__all__ = [
    "DELINEATION_URL",
    "Link",
    "Verdict",
    "grown_from",
    "institution_listed",
    "not_found_verdict",
    "verdict",
]

CHECK_URL = "/check/"

INDEX_PATH = "api/check-index.json"

MIN_PARTIAL = 2  # a query shorter than this (after folding) only matches exactly


def record_keys(r: RecordView) -> list[str]:
    """Folded match keys of a record: its id first, then its name and aliases (no duplicates)."""
    keys: list[str] = []
    for text in (r.id, r.name, *r.aliases):
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


def leads(site: Site) -> list[RecordView]:
    """One record per technology, the one whose status answers "may we use it?": every approved
    technology (its guidance entry is its research stage, shown inside its answer), every banned
    technology, and the guidance entries from which no published approval grew."""
    return [r for r in site.records.values() if r.kind != "guidance" or not site.grown.get(r.id)]


def technology_keys(site: Site, r: RecordView) -> list[str]:
    """Match keys of the technology `r` leads: its own, then its guidance entry's (so that the
    entry's id, name and aliases find the one answer of the technology)."""
    keys = record_keys(r)
    g = site.research_entry(r)
    if g is not None:
        keys += [k for k in record_keys(g) if k not in keys]
    return keys


def find(site: Site, query: str) -> list[RecordView]:
    """The technologies matching `query`, one record each (`leads`): approved technologies first
    (they answer "may we use it clinically?"), then banned ones, then guidance entries; within a
    kind, best match first."""
    q = fold(simplify(query))  # as check.js: 幹細胞 asks for 干细胞
    hits = []
    for r in leads(site):
        score = match_score(technology_keys(site, r), q)
        if score is not None:
            hits.append((KIND_ORDER[r.kind], score, r.id, r))
    return [h[3] for h in sorted(hits, key=lambda h: h[:3])]


def index_order(site: Site) -> list[RecordView]:
    """The technologies in the order of the /check/ index (`records`): by kind, then id."""
    return sorted(leads(site), key=lambda r: (KIND_ORDER[r.kind], r.id))


def suggest(site: Site, query: str, limit: int = 5) -> list[RecordView]:
    """The technologies a query that matched nothing most likely meant, best first: a typo (one
    wrong, missing or extra character per four typed, two characters at least right: 干细抱 →
    干细胞), else extra words (the longest part of the query found unbroken in a name, at least
    `MIN_PARTIAL` characters and half the query). assets/names.js `suggest` is the browser's
    copy; tests/browser/test_browser_check.py compares the two."""
    q = fold(simplify(query))
    if len(q) < 2:
        return []
    allowed = max(1, len(q) // 4)
    least = max(MIN_PARTIAL, -(-len(q) // 2))
    # a key holding fewer of the query's characters than either rule needs cannot meet it: the
    # check costs a substring search per character, the rules a table per key (0.6–1.4 s at
    # 10,000 records without it)
    need = min(len(q) - allowed, least)
    records = [
        (r, [k for k in technology_keys(site, r) if sum(c in k for c in q) >= need])
        for r in index_order(site)
    ]
    found: list[tuple[int, int, RecordView]] = []
    if len(q) - allowed >= 2:  # 量子 is not a typo of every name with 量 in it
        for i, (r, keys) in enumerate(records):
            best = min((typos(q, k) for k in keys), default=len(q))
            if best <= allowed:
                found.append((best, i, r))
    if not found:
        for i, (r, keys) in enumerate(records):
            run = max((longest_run(q, k) for k in keys), default=0)
            if run >= least:
                found.append((-run, i, r))
    return [r for _s, _i, r in sorted(found, key=lambda f: f[:2])[:limit]]


def institutions(site: Site) -> list[str]:
    """Every participating institution of a published approval, sorted (the /check/ index's)."""
    return sorted({i for r in site.by_kind("approved") for i in r.institutions})


def suggest_institutions(site: Site, typed: str, limit: int = 5) -> list[str]:
    """Listed institutions a name typed unlike all of them most likely means, best first: a short
    name (人民医院), one without 示例省/大学 (示例第一医院), full-width or spaced. Most of what was
    typed (three characters and three quarters at least) appears in order in the listed name.
    assets/names.js `suggestInstitutions` is the browser's copy."""
    a = fold(typed)
    if len(a) < 2:
        return []
    found: list[tuple[float, str]] = []
    for name in institutions(site):
        b = fold(name)
        if b == a:
            return []  # it is a listed name
        common = common_subsequence(a, b)
        if common >= min(3, len(a)) and common / len(a) >= 0.75:
            score = common / max(len(a), len(b)) + (common + longest_run(a, b)) / len(a)
            found.append((-score, name))
    return [name for _s, name in sorted(found)[:limit]]


def check(site: Site, query: str, institution: str | None = None) -> list[Verdict]:
    """Verdicts for every record matching `query`, or the single not-found verdict."""
    hits = find(site, query)
    if not hits:
        return [not_found_verdict(site)]
    return [verdict(r, site, institution) for r in hits]


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
    records = []
    for r in index_order(site):
        checkpoint()
        base = _slim(verdict(r, site))
        entry: dict[str, Any] = {"id": r.id, "keys": technology_keys(site, r)}
        if r.kind == "approved" and r.institutions:
            entry["institution_keys"] = sorted({fold(i) for i in r.institutions})
            facet = research_facet(r, site)
            member = _slim(replace(approved_verdict(r, site, True), research=facet))
            other = _slim(replace(approved_verdict(r, site, False), research=facet))
            entry["participant"] = _intern(_diff(base, member), table)
            entry["other"] = _intern(_diff(base, other), table)
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
        "institutions": institutions(site),
        "institution_mismatch": INSTITUTION_MISMATCH,
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


def report(site: Site, query: str, institution: str | None, as_json: bool) -> tuple[str, bool]:
    """`registry check` output and whether anything was found."""
    verdicts = check(site, query, institution)
    found = verdicts[0].found
    close = [] if found else suggest(site, query)
    near = suggest_institutions(site, institution) if found and institution else []
    if as_json:
        data = {
            "query": query,
            "institution": institution,
            "as_of": site.as_of.isoformat(),
            "data_version": site.data_version,
            "found": found,
            "results": [v.as_dict() for v in verdicts],
            "suggestions": [
                {"id": r.id, "name": r.name, "status_label": r.status_label, "url": r.url}
                for r in close
            ],
            "institution_suggestions": near,
        }
        return json.dumps(data, ensure_ascii=False, indent=2), found
    blocks = [f"查询：{query}" + (f"　机构：{institution}" if institution else "")]
    if found and len(verdicts) > 1:
        blocks[0] += f"（找到 {len(verdicts)} 项）"
    if close:  # as /check/ offers them (assets/check.js)
        blocks.append(
            "您是否指：\n"
            + "\n".join(f"  · {r.name}（{r.id}，{r.status_label}）" for r in close)
            + "\n可用其名称或编号重新查询。"
        )
    if near:
        blocks.append(INSTITUTION_MISMATCH + "\n" + "\n".join(f"  · {n}" for n in near))
    blocks += [_text(v) for v in verdicts]
    return "\n\n".join(blocks), found


def _text(v: Verdict) -> str:
    lines = []
    if v.record is not None:
        r = v.record
        sample = "，示例数据" if r.sample else ""
        lines.append(f"■ {r.name}（{r.id}，{r.kind_label}：{r.status_label}{sample}）")
    lines.append(f"结论：{v.answer} —— {v.headline}")
    if v.research is not None:
        lines.append(research_line(v.research))
    lines += [f"  {p}" for p in v.explanation]
    if v.next_change:
        lines.append(f"下一变化：{v.next_change}")
    if v.duties:
        lines.append("开展时须履行的义务：")
        lines += [f"  · {d}" for d in v.duties]
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
