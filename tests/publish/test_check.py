"""Institution check (issue 6): lookup, verdicts on every status and boundary date, index, CLI.

Verdicts are read from registries replayed by `status/replay.py` (through `check_registry` and
`build_site`), never from statuses written by hand: the check shares the status rules.
The minimal registry of tests/conftest.py: GL-0001 listed on 2026-01-10, BAN-0001 banned the same
day, BMT-2026-001 (high risk, 5 years; grew out of GL-0001) approved on 2026-03-01 with the only
participating institution 某某医院 — 限定期 until 2031-03-01 (民法典 第二百零一、二百零二条: the
corresponding day), open by time from 2031-03-02.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.domain.delineation import OUTCOMES, STEPS
from generator.publish.lookup import FOLD_PATTERN, check, check_index, expand, find, fold
from generator.publish.pipeline import check_registry
from generator.publish.sentences import NOTE
from generator.publish.verdict import not_found_verdict, verdict
from generator.publish.views import Site, build_site
from generator.render.check import check_pages
from generator.shells.cli import main

REPO = Path(__file__).resolve().parents[2]
D = date.fromisoformat
GL, BMT, BAN = "GL-0001", "BMT-2026-001", "BAN-0001"
_serial = iter(range(3, 100))


def ann(day: str, *actions: dict[str, Any]) -> tuple[str, str]:
    """An announcement file (path, text) with the next free id."""
    n = next(_serial)
    aid = f"ANN-2026-{n:03d}"
    data = {
        "id": aid,
        "number": f"国家卫生健康委公告 测试第{n}号",
        "title": f"测试公告 {n}",
        "date": D(day),
        "body": "正文。",
        "actions": list(actions),
    }
    return f"announcements/{aid}.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def make_site(tmp_path: Path, kit: Any):
    """make_site(as_of, *announcements) -> Site of the minimal registry plus those announcements."""
    counter = iter(range(1000))

    def make_verdict(as_of: str, *anns: tuple[str, str]) -> Site:
        root = kit.make_registry(tmp_path / f"data{next(counter)}", dict(anns))
        reg = check_registry(root, D(as_of))
        assert not reg.problems, [p.text() for p in reg.problems]
        return build_site(reg, f"{as_of}+test123")

    return make_verdict


def one(site: Site, rid: str, institution: str | None = None):  # type: ignore[no-untyped-def]
    return verdict(site.records[rid], site, institution)


def text(v) -> str:  # type: ignore[no-untyped-def]
    return " ".join([v.answer, v.headline, *v.explanation, v.basis])


def urls(v) -> list[str]:  # type: ignore[no-untyped-def]
    return [link.url for link in v.links]


# --- every status --------------------------------------------------------------------------------


def test_listed_may_be_filed_for_research_not_applied(make_site) -> None:
    site = make_site("2026-11-23")
    v = one(site, GL)
    assert (v.code, v.tone, v.record.status.code) == ("listed", "limited", "listed")
    # BMT-2026-001, grown from GL-0001, is approved and restricted: the entry's answer must not
    # say 不得用于临床应用 while the approval allows use (one technology, one answer)
    assert "临床研究" in v.headline and "不得用于临床应用" not in text(v)
    assert BMT in v.headline
    # GL-0001 is listed by the announcement that first publishes the list: 二（一） (制定)
    assert v.basis == site.records[GL].status.basis == "界定指导原则 二（一）（制定清单）"
    assert "/guidance-list/GL-0001/" in urls(v) and "/announcements/ANN-2026-001/" in urls(v)
    assert f"/approved/{BMT}/" in urls(v)  # the approved technology that grew out of it
    assert "BMT-2026-001" in text(v)
    assert (v.valid_as_of, v.data_version, v.note) == (D("2026-11-23"), "2026-11-23+test123", NOTE)


def test_listed_with_emergency_use_until_the_last_day(make_site) -> None:
    emergency = ann(
        "2026-06-01",
        {
            "action": "emergency_use",
            "record": GL,
            "scope": "定点医院重症患者",
            "until": D("2026-12-31"),
        },
    )
    v = one(make_site("2026-12-31", emergency), GL)
    assert v.code == "listed_emergency"
    assert "2026年12月31日" in v.headline and "定点医院重症患者" in text(v)
    assert "规范 第十九条" in v.basis
    assert f"/announcements/{Path(emergency[0]).stem}/" in urls(v)
    after = one(make_site("2027-01-01", emergency), GL)
    assert after.code == "listed"


def test_delisted_directly(make_site) -> None:
    delist = ann(
        "2026-06-01",
        {"action": "delist", "record": GL, "route": "direct", "ground": "major_ethics_issue"},
    )
    v = one(make_site("2026-11-23", delist), GL)
    assert (v.code, v.tone) == ("delisted_direct", "no")
    assert "不再按照《条例》有关规定开展" in v.headline  # 界定指导原则 二(二)2(1), whole
    assert "存在重大伦理问题" in text(v) and "及时终止" in text(v)
    assert v.basis == "界定指导原则 二(二)2(1) 直接调出"
    assert f"/announcements/{Path(delist[0]).stem}/" in urls(v)
    assert one(make_site("2026-05-31", delist), GL).code == "listed"  # the day before


def test_delisted_after_review_notes_ethics_re_review(make_site) -> None:
    delist = ann(
        "2026-06-01",
        {"action": "delist", "record": GL, "route": "after_review", "ground": "drug_approved"},
    )
    v = one(make_site("2026-06-01", delist), GL)
    assert (v.code, v.tone) == ("delisted_after_review", "no")
    assert "重新进行伦理审查评估" in text(v)
    assert "国卫科教发〔2024〕32号" in text(v)
    assert "药品已批准上市" in text(v)


def test_restricted_without_institution_lists_participants(make_site) -> None:
    site = make_site("2026-11-23")
    v = one(site, BMT)
    assert (v.code, v.tone, v.institutions) == ("restricted", "limited", ("某某医院",))
    assert "2031年3月1日" in v.headline  # the last day of the period
    assert "2031年3月2日" in v.next_change  # opens by time the day after
    assert v.basis == "规范 第二十条第二款"
    assert len(v.duties) == 6  # 规范 第二十一条、第二十二条: use by the participants is allowed
    assert {f"/approved/{BMT}/", f"/approved/{BMT}/#conditions", f"/approved/{BMT}/#spec"} <= set(
        urls(v)
    )
    assert v.institution is None and v.institution_listed is None


def test_restricted_with_a_participating_institution(make_site) -> None:
    site = make_site("2026-11-23")
    v = one(site, BMT, "某某医院")
    assert (v.code, v.tone, v.institution_listed, v.institution) == (
        "restricted_participant",
        "yes",
        True,
        "某某医院",
    )
    assert "可以开展" in v.answer
    # full-width letters and spacing in the institution's name do not matter
    assert one(site, BMT, " 某某 医院 ").institution_listed is True


def test_restricted_with_another_institution(make_site) -> None:
    v = one(make_site("2026-11-23"), BMT, "另一家医院")
    assert (v.code, v.tone, v.institution_listed) == ("restricted_other", "no", False)
    assert "不得开展" in v.answer and "2031年3月1日" in v.headline
    assert v.duties == ()  # no use allowed: no duties of use


def test_open_by_time_the_day_after_the_last_day_of_the_period(make_site) -> None:
    before = one(make_site("2031-03-01"), BMT)
    assert before.code == "restricted"
    v = one(make_site("2031-03-02"), BMT)
    assert (v.code, v.tone) == ("open", "yes")
    assert "届满" in text(v) and "参照限制类医疗技术" in text(v)
    assert v.basis.startswith("规范 第二十条第二款")
    assert "/announcements/ANN-2026-002/" in urls(v)  # the approval, when time opened it
    assert one(make_site("2031-03-02"), BMT, "某某医院").code == "open_participant"
    assert one(make_site("2031-03-02"), BMT, "别家医院").code == "open_other"


def test_open_by_action(make_site) -> None:
    # an `open` is legal only after the period, and only when a suspension inside it kept the
    # technology from opening by itself (规范 第二十条第二款)
    suspend = ann("2026-06-01", {"action": "suspend", "record": BMT, "ground": "other"})
    resume = ann("2026-09-01", {"action": "resume", "record": BMT, "note": "通过"})
    opened = ann("2031-03-02", {"action": "open", "record": BMT, "note": "获益远大于风险"})
    assert one(make_site("2031-03-01", suspend, resume, opened), BMT).code == "restricted"
    v = one(make_site("2031-03-02", suspend, resume, opened), BMT)
    assert v.code == "open" and "再评估证实获益远大于风险" in text(v)
    assert f"/announcements/{Path(opened[0]).stem}/" in urls(v)
    other = one(make_site("2031-03-02", suspend, resume, opened), BMT, "别家医院")
    assert other.code == "open_other" and "备案" in other.answer


def test_suspended(make_site) -> None:
    suspend = ann(
        "2026-06-01", {"action": "suspend", "record": BMT, "ground": "serious_adverse_reaction"}
    )
    v = one(make_site("2026-06-01", suspend), BMT, "某某医院")
    assert (v.code, v.tone) == ("suspended", "no")
    assert "2026年6月1日" in v.headline and "任何机构不得开展" in v.headline
    assert "发生严重不良反应" in text(v)
    assert v.basis == "规范 第二十三条第一款"
    assert "不会自动开放" in text(v)  # suspended inside the exclusive period
    assert one(make_site("2026-05-31", suspend), BMT).code == "restricted"


def test_resumed_after_a_suspension_in_the_period_stays_restricted(make_site) -> None:
    suspend = ann("2026-06-01", {"action": "suspend", "record": BMT, "ground": "other"})
    resume = ann("2026-09-01", {"action": "resume", "record": BMT, "note": "通过"})
    v = one(make_site("2031-03-02", suspend, resume), BMT)
    assert v.code == "restricted"  # the period has ended, but only an `open` can open it
    assert "期满后尚未开放" in v.headline and "再评估证实获益远大于风险" in text(v)
    assert "公告开放" not in text(v)  # 第二十条第二款 asks for the re-evaluation, not a 公告
    # after the period the headline must not say "…内不得开展（至 <past date>）"
    other = one(make_site("2031-03-02", suspend, resume), BMT, "别家医院")
    assert "限定期内" not in other.headline and "2031年3月1日" not in other.headline
    assert "限定期内" in one(make_site("2031-03-01", suspend, resume), BMT, "别家医院").headline


def test_banned_approved_technology(make_site) -> None:
    suspend = ann("2026-06-01", {"action": "suspend", "record": BMT, "ground": "new_understanding"})
    ban = ann("2026-09-01", {"action": "ban", "record": BMT, "ground": "不能保证安全有效（测试）"})
    v = one(make_site("2026-09-01", suspend, ban), BMT, "某某医院")
    assert (v.code, v.tone) == ("banned", "no")
    assert v.basis == "规范 第二十三条第四款"
    assert "不能保证安全有效（测试）" in text(v)
    assert f"/announcements/{Path(ban[0]).stem}/" in urls(v)


def test_banned_outright(make_site) -> None:
    v = one(make_site("2026-11-23"), BAN)
    assert (v.code, v.tone) == ("banned", "no")
    assert "存在重大伦理问题" in text(v)
    assert v.basis == "规范 第二十条第三款；界定指导原则 二(一)1"
    assert "/banned/BAN-0001/" in urls(v) and "/announcements/ANN-2026-001/" in urls(v)


def test_not_found_is_never_allowed(make_site) -> None:
    site = make_site("2026-11-23")
    (v,) = check(site, "完全不存在的技术")
    assert (v.code, v.tone, v.found, v.record) == ("not_found", "limited", False, None)
    assert "不能据此认定可以开展" in v.headline
    # a failed name search is no fact about a technology (anything may be typed, even a technique
    # that is no 生物医学新技术, 规范 第二条第二款): the article is cited as a condition only
    assert "规范 第二十条第三款" in text(v) and "第二条第二款" in text(v)
    for claim in ("没有获批", "不在清单内，意味着", "不能视为可以开展", "它也不在"):
        assert claim not in text(v)
    assert "/check/delineation/" in urls(v)
    assert v.valid_as_of == D("2026-11-23")


def test_embargoed_records_are_not_found(make_site) -> None:
    later = ann(
        "2026-12-15",
        {"action": "delist", "record": GL, "route": "direct", "ground": "major_ethics_issue"},
    )
    site = make_site("2026-11-23", later)
    assert one(site, GL).code == "listed"  # the delisting is not published yet
    # the entry is found as its technology: the approval grown from it leads the one answer
    assert [r.id for r in find(make_site("2026-12-15", later), GL)] == [BMT]


@pytest.mark.parametrize(
    ("as_of", "anns", "expected"),
    [
        ("2026-03-01", [], {GL: "listed", BMT: "restricted", BAN: "banned"}),
        ("2031-03-01", [], {BMT: "restricted"}),
        ("2031-03-02", [], {BMT: "open"}),
    ],
)
def test_verdict_codes_follow_the_replayed_status(make_site, as_of, anns, expected) -> None:
    site = make_site(as_of, *anns)
    for rid, code in expected.items():
        v = one(site, rid)
        assert v.code == code and v.record.status.code == site.records[rid].status.code


# --- lookup ---------------------------------------------------------------------------------------


def test_fold() -> None:
    assert fold("ＣＡＲ－Ｔ") == fold("car t") == fold("CAR-T") == "cart"
    assert fold("（ＢＭＴ－２０２６－００１）") == "bmt2026001"
    assert fold("自体　CD19\tCAR-T") == "自体cd19cart"
    assert fold("β-地中海贫血") == fold("β地中海贫血")


def test_fold_drops_what_a_pasted_name_carries_unseen() -> None:
    # zero-width space, soft hyphen, byte-order mark, word joiner, a bidi override
    assert fold("CAR\u200b-T\u00ad细\ufeff胞\u2060治\u202e疗") == "cart细胞治疗"
    assert fold("示例省人民\u200b医院") == fold("示例省人民医院")


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("BMT-2026-001", [BMT]),  # id
        ("bmt 2026 001", [BMT]),  # id, spacing and case
        ("ＢＭＴ－２０２６－００１", [BMT]),  # id, full-width
        ("CD19 CAR-T", [BMT]),  # alias
        ("ｃｄ１９ｃａｒ－ｔ", [BMT]),  # alias, full-width and no space
        ("CAR-T", [BMT]),  # exact alias of GL-0001, part of BMT's names: one technology
        ("生殖系基因编辑技术", [BAN]),  # name
        ("生殖系", [BAN]),  # start of a name
        ("基因编辑", [BAN]),  # inside a name
        ("GL-0001", [BMT]),  # the entry's id finds its technology
        ("T", []),  # one character only matches exactly
        ("不存在", []),
    ],
)
def test_find(make_site, query: str, ids: list[str]) -> None:
    assert [r.id for r in find(make_site("2026-11-23"), query)] == ids


def test_check_returns_one_verdict_per_match(make_site) -> None:
    site = make_site("2026-11-23")
    vs = check(site, "CAR-T", "某某医院")
    assert [(v.record.id, v.code) for v in vs] == [(BMT, "restricted_participant")]
    # one answer with both facets: clinical use, and the research stage of its guidance entry
    assert vs[0].research is not None and vs[0].research.record.id == GL


# --- sample data ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_site() -> Site:
    reg = check_registry(REPO / "data", D("2026-11-23"))
    assert not reg.problems
    return build_site(reg, "2026-11-23+sample")


def test_sample_registry_verdicts(sample_site: Site) -> None:
    expected = {
        "BMT-2026-001": "restricted",
        "BMT-2026-002": "restricted",
        "BMT-2026-003": "restricted",  # its early `open` was removed: illegal (第二十条第二款)
        "BMT-2026-004": "suspended",
        "BMT-2026-005": "banned",
        "BMT-2026-006": "restricted",
        "GL-0002": "delisted_direct",
        "GL-0005": "delisted_after_review",
        "GL-0015": "listed_emergency",
        "GL-0001": "listed",
        "BAN-0001": "banned",
    }
    got = {rid: verdict(sample_site.records[rid], sample_site).code for rid in expected}
    assert got == expected
    assert find(sample_site, "Treg细胞治疗") == []  # GL-0016 is listed only on 2026-12-15


# --- the index for /check/ -------------------------------------------------------------------------


def _slim(d: dict[str, Any]) -> dict[str, Any]:
    for key in ("valid_as_of", "data_version", "note", "institution", "institution_listed"):
        d.pop(key)
    return d


def test_index_holds_the_python_verdicts(sample_site: Site) -> None:
    index = json.loads(json.dumps(check_index(sample_site), ensure_ascii=False))
    assert index["as_of"] == "2026-11-23" and index["data_version"] == "2026-11-23+sample"
    assert index["fold"] == FOLD_PATTERN and index["note"] == NOTE
    # one entry per technology: a guidance entry with a published approval is inside it
    grown = {r.model.guidance_entry for r in sample_site.by_kind("approved")}
    assert len(index["records"]) == len(sample_site.records) - len(grown)
    assert not grown & {e["id"] for e in index["records"]}
    for entry in index["records"]:
        r = sample_site.records[entry["id"]]
        assert expand(index, entry["verdict"]) == _slim(verdict(r, sample_site).as_dict())
        assert entry["keys"][0] == fold(r.id)
        if r.kind == "approved":
            inside = {**expand(index, entry["verdict"]), **expand(index, entry["participant"])}
            assert inside == _slim(verdict(r, sample_site, r.institutions[-1]).as_dict())
            outside = {**expand(index, entry["verdict"]), **expand(index, entry["other"])}
            assert outside == _slim(verdict(r, sample_site, "不在名单的医院").as_dict())
            assert entry["institution_keys"] == sorted(fold(i) for i in set(r.institutions))
    assert expand(index, index["not_found"]) == _slim(not_found_verdict(sample_site).as_dict())
    assert "示例省人民医院" in index["institutions"]
    kinds = [expand(index, e["verdict"])["record"]["kind"] for e in index["records"]]
    assert kinds == sorted(kinds, key=index["kind_order"].__getitem__)
    assert "GL-0016" not in {e["id"] for e in index["records"]}  # embargoed


def test_pages(sample_site: Site) -> None:
    pages = {p.src_uri: p for p in check_pages(sample_site)}
    assert set(pages) == {"check/index.md", "check/delineation.md"}
    html = pages["check/index.md"].render()
    assert '<script src="../assets/check.js"></script>' in html
    assert 'data-index="../api/check-index.json"' in html
    assert "2026年11月23日" in html and "2026-11-23+sample" in html and NOTE in html
    assert '<option value="示例省人民医院">' in html
    deline = pages["check/delineation.md"].render()
    assert '<script src="../../assets/check.js"></script>' in deline
    for s in STEPS:
        assert f'id="{s.id}"' in deline and s.clause in deline
    for o in OUTCOMES:
        assert f'id="{o.id}"' in deline and o.clause in deline


def test_delineation_tree_reaches_the_four_routes() -> None:
    ids = {s.id for s in STEPS} | {o.id for o in OUTCOMES}
    routes = {o.id: o.route for o in OUTCOMES}
    seen: set[str] = set()
    todo = [STEPS[0].id]
    steps = {s.id: s for s in STEPS}
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in steps:
            assert steps[node].clause, node
            for a in steps[node].answers:
                assert a.next in ids, a.next
                todo.append(a.next)
    assert seen == ids  # nothing unreachable
    assert {"device", "drug", "research", "translation"} <= {routes[i] for i in seen if i in routes}
    assert all(o.clause for o in OUTCOMES)


# --- command line ---------------------------------------------------------------------------------


def run_cli(*args: str) -> Any:
    old = Path.cwd()
    os.chdir(REPO)
    try:
        return CliRunner().invoke(main, ["check", *args])
    finally:
        os.chdir(old)


def test_cli_found_exits_0() -> None:
    res = run_cli("ＦＭＴ", "--as-of", "2026-11-23")
    assert res.exit_code == 0, res.output
    assert "BMT-2026-002" in res.output and "GL-0008" in res.output
    assert "有效日期：按 2026-11-23" in res.output and NOTE in res.output


def test_cli_institution() -> None:
    res = run_cli("BMT-2026-001", "--institution", "示例省人民医院", "--as-of", "2026-11-23")
    assert res.exit_code == 0
    assert "在名单内" in res.output and "示例省人民医院（贵机构）" in res.output


def test_cli_not_found_exits_1() -> None:
    res = run_cli("某种未公示的技术", "--as-of", "2026-11-23")
    assert res.exit_code == 1
    assert "不能据此认定可以开展" in res.output


@pytest.mark.parametrize(
    "args",
    [
        ["   "],  # empty query
        ["FMT", "--as-of", "2026-13-01"],  # impossible date
        [],  # no query
        ["FMT", "--unknown"],
    ],
)
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    assert run_cli(*args).exit_code == 2


def test_cli_invalid_data_exits_1(tmp_path: Path, kit: Any) -> None:
    root = kit.make_registry(tmp_path / "data", {"banned/BAN-0001.yaml": "id: BAN-0001\nname: x\n"})
    res = run_cli("x", "--data", str(root), "--as-of", "2026-11-23")
    assert res.exit_code == 1
    assert "E202" in res.output and "数据校验未通过" in res.output


def test_cli_json_shape() -> None:
    res = run_cli("CAR-T", "--institution", "示例省人民医院", "--as-of", "2026-11-23", "--json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert set(data) == {
        "query",
        "institution",
        "as_of",
        "data_version",
        "found",
        "results",
        "suggestions",
        "institution_suggestions",
    }
    assert data["suggestions"] == []  # only a query that matched nothing gets any
    assert data["institution_suggestions"] == []  # 示例省人民医院 is listed
    assert data["found"] is True and data["as_of"] == "2026-11-23"
    assert data["data_version"].startswith("2026-11-23+")
    first = data["results"][0]
    assert set(first) == {
        "code",
        "tone",
        "answer",
        "headline",
        "explanation",
        "next_change",
        "duties",
        "basis",
        "links",
        "valid_as_of",
        "data_version",
        "note",
        "record",
        "institutions",
        "institution",
        "institution_listed",
        "research",
    }
    assert first["record"]["id"] == "BMT-2026-001"
    assert first["research"]["id"] == "GL-0003" and first["research"]["status"] == "listed"
    assert first["code"] == "restricted_participant" and first["institution_listed"] is True
    assert all(set(link) == {"label", "url"} for link in first["links"])
    missing = run_cli("不存在", "--as-of", "2026-11-23", "--json")
    assert missing.exit_code == 1
    nf = json.loads(missing.output)
    assert nf["found"] is False and nf["results"][0]["code"] == "not_found"
    assert nf["results"][0]["record"] is None


def test_cli_offers_what_a_typo_most_likely_meant() -> None:
    """As /check/ does (您是否指): 粪菌移值 (值 for 植) is not found, and BMT-2026-002 is offered
    first; a query far from every name is offered nothing."""
    res = run_cli("粪菌移值", "--as-of", "2026-11-23")
    assert res.exit_code == 1  # still not found: a suggestion is no answer
    offer = res.output.split("您是否指：\n")[1].split("\n")[0]
    assert offer == "  · 粪菌移植治疗复发性艰难梭菌感染技术（BMT-2026-002，限参与研究机构）"
    assert res.output.index("您是否指") < res.output.index("结论：未找到")
    data = json.loads(run_cli("粪菌移值", "--as-of", "2026-11-23", "--json").output)
    assert data["suggestions"][0] == {
        "id": "BMT-2026-002",
        "name": "粪菌移植治疗复发性艰难梭菌感染技术",
        "status_label": "限参与研究机构",
        "url": "/approved/BMT-2026-002/",
    }
    assert "您是否指" not in run_cli("量子纠缠疗法", "--as-of", "2026-11-23").output


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("干细抱", "BMT-2026-005"),  # one wrong character in three: allowed
        ("粪菌移植治疗复发性艰难梭菌感梁", "BMT-2026-002"),  # one in fifteen
        ("干细胞美容", "BMT-2026-005"),  # extra words: the longest run 干细胞, half the query
        ("cart疗法", "BMT-2026-001"),
    ],
)
def test_suggest(sample_site: Site, query: str, first: str) -> None:
    from generator.publish.lookup import suggest

    assert not find(sample_site, query)
    assert suggest(sample_site, query)[0].id == first


@pytest.mark.parametrize("query", ["量子", "量", "量子纠缠疗法", "细胞美容院", ""])
def test_suggest_offers_nothing_far_or_short(sample_site: Site, query: str) -> None:
    """Two characters leave no room for a typo (量子 is no typo of every name with 量); a run of
    the query must be two characters and half of it."""
    from generator.publish.lookup import suggest

    assert suggest(sample_site, query) == []


def test_hostile_text_is_escaped_in_the_page(make_site) -> None:
    hostile = '<img src=x onerror="alert(1)">&"'
    approve = ann(
        "2026-04-01",
        {
            "action": "approve",
            "record": "BMT-2026-002",
            "risk_grade": "low",
            "institutions": [hostile],
        },
    )
    extra = {
        "approved/BMT-2026-002.yaml": "id: BMT-2026-002\nname: 第二项技术</script>\ncategory: other\n"
        "guidance_entry: GL-0001\napplicant: 某某医院\n",
        "conditions/BMT-2026-002.yaml": "id: BMT-2026-002\ninstitution: [甲]\npersonnel: [乙]\n"
        "operating_spec: 规范。\n",
    }
    site = make_site("2026-11-23", approve, *extra.items())
    html = check_pages(site)[0].render()
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;&#34;" in html
    index = check_index(site)
    entry = next(e for e in index["records"] if e["id"] == "BMT-2026-002")
    assert expand(index, entry["verdict"])["institutions"] == [hostile]  # JSON: as written
    assert json.loads(json.dumps(index))["texts"] == index["texts"]


def test_open_by_time_then_suspended_and_resumed_claims_no_opening_announcement(make_site) -> None:
    # opened by time on 2031-03-02; a resume announcement is no 再评估证实获益远大于风险 opening
    suspend = ann("2031-06-01", {"action": "suspend", "record": BMT, "ground": "other"})
    resume = ann("2031-09-01", {"action": "resume", "record": BMT, "note": "通过"})
    v = one(make_site("2031-09-01", suspend, resume), BMT)
    assert v.code == "open"
    assert "获益远大于风险" not in text(v)
    assert "2031年3月2日" in text(v) and "2031年9月1日 起恢复应用" in text(v)


def test_cli_offers_the_listed_name_of_an_institution_typed_otherwise() -> None:
    """As /check/ does: 示例第一医院 is not a listed name, so the answer is the one for an
    institution not listed, and the listed names it most likely means are offered."""
    res = run_cli("CAR-T", "--institution", "示例第一医院", "--as-of", "2026-11-23")
    assert res.exit_code == 0
    assert "所填机构：示例第一医院（不在名单内）" in res.output
    offer = res.output.split("您是否指：\n")[1].split("\n")[0]
    assert offer == "  · 示例大学附属第一医院"
    data = json.loads(
        run_cli("CAR-T", "--institution", "示例第一医院", "--as-of", "2026-11-23", "--json").output
    )
    assert data["institution_suggestions"][0] == "示例大学附属第一医院"
    listed = run_cli("CAR-T", "--institution", "示例省人民医院", "--as-of", "2026-11-23")
    assert "您是否指" not in listed.output


def _suggest_by_brute_force(site: Site, query: str) -> list[str]:
    """`suggest` without its filter of keys: the rules alone, over every key."""
    from generator.domain.names import longest_run, simplify, typos
    from generator.publish.lookup import MIN_PARTIAL, index_order, technology_keys

    q = fold(simplify(query))
    if len(q) < 2:
        return []
    records = [(r, technology_keys(site, r)) for r in index_order(site)]
    allowed = max(1, len(q) // 4)
    found = []
    if len(q) - allowed >= 2:
        found = [
            (min(typos(q, k) for k in keys), i, r.id)
            for i, (r, keys) in enumerate(records)
            if min(typos(q, k) for k in keys) <= allowed
        ]
    if not found:
        least = max(MIN_PARTIAL, -(-len(q) // 2))
        found = [
            (-max(longest_run(q, k) for k in keys), i, r.id)
            for i, (r, keys) in enumerate(records)
            if max(longest_run(q, k) for k in keys) >= least
        ]
    return [rid for _s, _i, rid in sorted(found)[:5]]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_suggest_filters_no_key_the_rules_would_take(
    sample_site: Site, data: st.DataObject
) -> None:
    """The filter of keys in `suggest` (too few of the query's characters) only saves time: a
    name with typos, cut short or with extra words gets what the rules alone give."""
    from generator.publish.lookup import suggest

    names = sorted(r.name for r in sample_site.records.values())
    name = data.draw(st.sampled_from(names))
    start = data.draw(st.integers(0, len(name) - 1))
    q = list(name[start : start + data.draw(st.integers(2, 14))])
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(q)))
        q.insert(at, data.draw(st.sampled_from("干细胞治疗技术抱美容甲乙x")))
    if data.draw(st.booleans()) and len(q) > 2:
        del q[data.draw(st.integers(0, len(q) - 1))]
    query = "".join(q)
    assert [r.id for r in suggest(sample_site, query)] == _suggest_by_brute_force(
        sample_site, query
    )
