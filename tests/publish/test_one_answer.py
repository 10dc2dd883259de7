"""Issue 22: one technology, one answer; every status change reaches every output; every sentence
exact to the seeds. Scenario registries of our own on the minimal registry of tests/conftest.py:
GL-0001 listed 2026-01-10 (alias CAR-T), BAN-0001 banned the same day, BMT-2026-001 grown from
GL-0001, approved 2026-03-01 (high risk: 限定期 to 2031-03-01) with 某某医院 participating."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitekit import build_sample

from generator.domain.delineation import OUTCOMES, STEPS
from generator.domain.names import fold
from generator.publish.lookup import check, find
from generator.publish.pipeline import check_registry
from generator.publish.verdict import verdict
from generator.publish.views import Site, build_site

D = date.fromisoformat
GL, BMT, BAN = "GL-0001", "BMT-2026-001", "BAN-0001"


def ann(n: int, day: str, *actions: dict[str, Any]) -> tuple[str, str]:
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


DIRECT = ann(
    3,
    "2026-06-01",
    {"action": "delist", "record": GL, "route": "direct", "ground": "major_ethics_issue"},
)


@pytest.fixture
def site_of(tmp_path: Path, kit: Any):
    counter = iter(range(1000))

    def make(as_of: str, *files: tuple[str, str]) -> Site:
        root = kit.make_registry(tmp_path / f"d{next(counter)}", dict(files))
        reg = check_registry(root, D(as_of))
        assert not reg.problems, [p.text() for p in reg.problems]
        return build_site(reg, f"{as_of}+t")

    return make


def words(v: Any) -> str:
    return " ".join(v.sentences())


# --- one technology, one answer -------------------------------------------------------------------


def test_a_technology_with_an_approval_is_one_answer_with_both_facets(site_of) -> None:
    site = site_of("2026-11-23")
    for query in ("CAR-T", "cart", "ＣＡＲ　Ｔ", GL, "自体CAR-T细胞治疗技术"):
        (v,) = check(site, query, "某某医院")
        assert v.record.id == BMT and v.code == "restricted_participant"
        assert v.research is not None and v.research.record.id == GL
    # the entry's own page never contradicts the approval that allows use
    g = verdict(site.records[GL], site)
    assert "不得用于临床应用" not in words(g) and BMT in g.headline


def test_the_entry_says_no_clinical_use_once_the_approval_no_longer_allows_it(site_of) -> None:
    suspend = ann(3, "2026-06-01", {"action": "suspend", "record": BMT, "ground": "other"})
    g = verdict(site_of("2026-06-01", suspend).records[GL], site_of("2026-06-01", suspend))
    assert "不得用于临床应用" in g.headline
    assert (
        "不得用于临床应用"
        not in verdict(
            site_of("2026-05-31", suspend).records[GL], site_of("2026-05-31", suspend)
        ).headline
    )


# --- every status change is an event --------------------------------------------------------------


def test_a_derived_ban_is_a_consequence_in_the_stream_not_an_act(site_of) -> None:
    site = site_of("2026-06-01", DIRECT)
    r = site.records[BMT]
    last = r.changes[-1]
    assert (last.cause, last.day, last.code, last.announcement) == (
        "derived",
        D("2026-06-01"),
        "banned",
        "ANN-2026-003",
    )
    assert r.status.derived and r.status_label.startswith("不再按《条例》开展")
    assert "二（二）2（1）" in r.status.basis and "再评估" not in r.status.basis
    assert [c.record for c in site.consequences["ANN-2026-003"]] == [BMT]
    assert {x.id for x in site.banned()} == {BAN, BMT}
    # the day before: nothing yet
    assert site_of("2026-05-31", DIRECT).records[BMT].status.code == "restricted"


def test_opening_by_time_is_a_change_on_the_day_after_the_period(site_of) -> None:
    last_day = site_of("2031-03-01").records[BMT]
    assert last_day.status.code == "restricted"
    day_after = site_of("2031-03-02")
    r = day_after.records[BMT]
    opened = r.changes[-1]
    assert (opened.cause, opened.day, opened.code, opened.announcement) == (
        "time",
        D("2031-03-02"),
        "open",
        None,
    )
    assert [c.record for c in day_after.time_changes()] == [BMT]


def test_every_output_shows_the_derived_ban(tmp_path: Path, kit: Any) -> None:
    root = kit.make_registry(tmp_path / "data", dict([DIRECT]))
    site = build_sample(tmp_path / "site", root, D("2026-06-01"))
    read = lambda p: (site / p).read_text(encoding="utf-8")  # noqa: E731
    feed = read(f"feeds/records/{BMT}.xml")
    assert "ANN-2026-003" in feed and "不再按照《条例》有关规定开展" in feed
    assert "ANN-2026-003" in read("feeds/bans-suspensions.xml")
    changes = read("changes/index.html")
    assert "后果" in changes and "不再按照《条例》有关规定开展" in changes
    page = read("announcements/ANN-2026-003/index.html")
    assert 'id="consequences"' in page and f"/approved/{BMT}/" in page
    record = read(f"approved/{BMT}/index.html")
    timeline = record[record.index('id="timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert "禁止临床应用</strong>" not in timeline  # no act the announcement does not contain
    assert "reg-consequence" in timeline and "界定指导原则 二（二）2（1）" in timeline
    banned = read("banned/index.html")
    assert f"/approved/{BMT}/" in banned and "共 2 条" in banned
    assert "derived-" + BMT in read("feeds/calendar.ics")
    api = json.loads(read(f"api/records/{BMT}.json"))
    assert api["status"] == "banned" and "二（二）2（1）" in api["status_basis"]
    home = read("index.html")
    assert "禁止技术" in home


# --- every sentence exact -------------------------------------------------------------------------

LATER_SPEC = (
    "conditions/BMT-2026-001.yaml",
    """\
id: BMT-2026-001
effective: 2026-04-01
institution:
  - 三级甲等医院。
personnel:
  - 副主任医师及以上。
operating_spec: |
  操作规范。
""",
)


def test_no_yes_before_an_operating_specification_is_in_force(site_of) -> None:
    before = site_of("2026-03-31", LATER_SPEC)
    v = verdict(before.records[BMT], before, "某某医院")
    assert (v.code, v.tone) == ("awaiting_conditions", "no") and v.duties == ()
    assert "2026年4月1日" in v.headline and "第二十条第一款" in words(v)
    on = site_of("2026-04-01", LATER_SPEC)
    assert verdict(on.records[BMT], on, "某某医院").code == "restricted_participant"


def test_one_fold_for_uniqueness_the_ban_rule_and_lookup(tmp_path: Path, kit: Any) -> None:
    assert fold("CAR-T") == fold("car t") == fold("ＣＡＲ－Ｔ") == fold("Car·T") == "cart"
    # a listed entry differing from a banned name only in case and punctuation breaks 二(一)1
    clash = kit.make_registry(
        tmp_path / "a",
        {
            "guidance-list/GL-0001.yaml": (
                "id: GL-0001\nname: 生殖系基因编辑技术（Germ-Line）\ncategory: cell-therapy\n"
                "purpose: 治疗。\nmechanism: 机制。\n"
            ),
            "banned/BAN-0001.yaml": (
                "id: BAN-0001\nname: 生殖系基因编辑技术 germline\ncategory: gene-editing\n"
                "description: 以生殖为目的编辑人类胚胎。\n"
            ),
        },
    )
    codes = {p.code for p in check_registry(clash, D("2026-11-23")).problems}
    assert "E408" in codes


def test_emergency_use_says_what_article_19_says_with_the_duties(site_of) -> None:
    emergency = ann(
        3,
        "2026-06-01",
        {"action": "emergency_use", "record": GL, "scope": "定点医院", "until": D("2026-12-31")},
    )
    suspend = ann(4, "2026-05-01", {"action": "suspend", "record": BMT, "ground": "other"})
    site = site_of("2026-06-01", emergency, suspend)
    v = verdict(site.records[GL], site)
    assert v.code == "listed_emergency" and "具体规定另行制定" in words(v) and v.duties
    after_review = ann(
        5,
        "2026-07-01",
        {"action": "delist", "record": GL, "route": "after_review", "ground": "drug_approved"},
    )
    later = site_of("2026-07-01", emergency, suspend, after_review)
    d = verdict(later.records[GL], later)
    assert d.code == "delisted_after_review" and later.records[GL].emergency is not None
    assert "紧急应用" in words(d) and d.duties


def test_opening_sentences_say_what_article_20_says(site_of) -> None:
    restricted = verdict(site_of("2026-11-23").records[BMT], site_of("2026-11-23"))
    opened_site = site_of("2031-03-02")
    opened = verdict(opened_site.records[BMT], opened_site)
    for v in (restricted, opened):
        text = words(v)
        assert "公告开放" not in text and "期间未出现规范 第二十三条第一款情形，" not in text
    assert "其他符合条件的医疗机构" in opened.headline
    assert "没有暂停应用的记录" in words(opened)


def test_a_banned_approved_technology_is_not_cited_article_20_3(site_of) -> None:
    ban = ann(3, "2026-06-01", {"action": "ban", "record": BMT, "ground": "测试"})
    for site in (site_of("2026-06-01", ban), site_of("2026-06-01", DIRECT)):
        assert "第二十条第三款" not in words(verdict(site.records[BMT], site))


def test_the_direct_delisting_headline_keeps_the_regulation(site_of) -> None:
    site = site_of("2026-06-01", DIRECT)
    for rid in (GL, BMT):
        assert "不再按照《条例》有关规定开展" in verdict(site.records[rid], site).headline


def test_the_self_check_prescribes_no_route_the_seeds_do_not() -> None:
    rare = next(s for s in STEPS if s.id == "q-rare")
    outside = next(
        o for o in OUTCOMES if o.id == next(a.next for a in rare.answers if a.label == "否")
    )
    assert outside.route == "none" and "药品研发" not in " ".join(outside.body)
    translation = next(o for o in OUTCOMES if o.id == "out-translation")
    assert "且符合条件" in " ".join(translation.body)


def test_not_found_is_no_fact_about_the_technology(site_of) -> None:
    (v,) = check(site_of("2026-11-23"), "针灸")
    assert v.code == "not_found" and "没有获批" not in words(v) and "第二条第二款" in v.basis
    assert find(site_of("2026-11-23"), "针灸") == []
