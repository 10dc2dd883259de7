"""Conditions versioned by announcement (DESIGN.md, Data: conditions; 规范 第十七条) and the one
verdict function (generator/publish/verdict.py) shared by record pages, /check/ and `registry check`."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from generator.publish.lookup import expand, fold
from generator.publish.pipeline import check_registry
from generator.publish.sentences import DUTIES
from generator.publish.verdict import verdict
from generator.publish.views import build_site
from generator.shells.cli import main
from generator.status.conditions import changes, published_versions

REPO = Path(__file__).resolve().parents[2]
D = date.fromisoformat
BMT = "BMT-2026-001"

V1 = """\
  - announcement: ANN-2026-002
    institution:
      - 三级甲等医院。
    personnel:
      - 副主任医师及以上。
    operating_spec: |
      操作规范。
"""
V2 = """\
  - announcement: ANN-2026-003
    effective: 2026-07-01
    institution:
      - 三级甲等医院。
      - 设有重症医学科。
    personnel:
      - 副主任医师及以上。
    training_qc:
      - 每季度演练。
    operating_spec: |
      操作规范。

      增加随访要求。
"""
AMEND = """\
id: ANN-2026-003
number: 国家卫生健康委公告 2026年第3号
title: 关于修订条件的公告
date: {day}
body: |
  正文。
actions:
  - action: amend
    record: BMT-2026-001
"""


def registry(kit: SimpleNamespace, tmp_path: Path, amend_day: str = "2026-06-01"):  # type: ignore[no-untyped-def]
    files = {
        "conditions/BMT-2026-001.yaml": f"id: {BMT}\nversions:\n{V1}{V2}",
        "announcements/ANN-2026-003.yaml": AMEND.format(day=amend_day),
    }
    return kit.make_registry(tmp_path / "data", files)


def states(root: Path, as_of: str) -> list[tuple[int, str]]:
    reg = check_registry(root, D(as_of))
    assert reg.problems == [], [p.text() for p in reg.problems]
    return [
        (v.version.number, v.state)
        for v in published_versions(reg.condition_versions[BMT], D(as_of))
    ]


def test_versions_at_their_boundary_dates(kit: SimpleNamespace, tmp_path: Path) -> None:
    # approval ANN-2026-002 of 2026-03-01 publishes version 1 (effective that day); the amend of
    # 2026-06-01 publishes version 2, effective 2026-07-01
    root = registry(kit, tmp_path)
    assert states(root, "2026-03-01") == [(1, "in_force")]
    assert states(root, "2026-05-31") == [(1, "in_force")]  # the amend is still embargoed
    assert states(root, "2026-06-01") == [(1, "in_force"), (2, "upcoming")]
    assert states(root, "2026-06-30") == [(1, "in_force"), (2, "upcoming")]  # day before effect
    assert states(root, "2026-07-01") == [(1, "superseded"), (2, "in_force")]  # effective day


def test_before_the_first_version_takes_effect_nothing_is_in_force(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    flat = kit.BASE["conditions/BMT-2026-001.yaml"] + "effective: 2026-04-01\n"
    root = kit.make_registry(tmp_path / "data", {"conditions/BMT-2026-001.yaml": flat})
    assert states(root, "2026-03-31") == [(1, "upcoming")]
    assert states(root, "2026-04-01") == [(1, "in_force")]
    site = build_site(check_registry(root, D("2026-03-31")))
    r = site.records[BMT]
    assert r.conditions is None and [v.version.number for v in r.conditions_upcoming] == [1]
    assert "此前没有施行中的条件" in " ".join(verdict(r, site).explanation)


def test_the_shorthand_is_the_version_of_the_approval(kit: SimpleNamespace, tmp_path: Path) -> None:
    reg = check_registry(kit.make_registry(tmp_path / "data"), D("2026-11-23"))
    (v,) = reg.condition_versions[BMT]
    assert (v.number, v.announcement, v.announced_on, v.effective, v.loc) == (
        1,
        "ANN-2026-002",
        D("2026-03-01"),
        D("2026-03-01"),
        (),
    )


def test_effective_on_the_announcement_date_is_legal(kit: SimpleNamespace, tmp_path: Path) -> None:
    flat = kit.BASE["conditions/BMT-2026-001.yaml"] + "effective: 2026-03-01\n"
    root = kit.make_registry(tmp_path / "data", {"conditions/BMT-2026-001.yaml": flat})
    assert check_registry(root, D("2026-11-23")).problems == []


def test_changes_field_by_field(kit: SimpleNamespace, tmp_path: Path) -> None:
    reg = check_registry(registry(kit, tmp_path), D("2026-11-23"))
    v1, v2 = reg.condition_versions[BMT]
    assert changes(v1, v2) == [
        ("医疗机构条件", [], ["设有重症医学科。"]),
        ("培训与质量控制", [], ["每季度演练。"]),
        ("临床应用操作规范", [], ["增加随访要求。"]),
        ("施行日期", ["2026年3月1日"], ["2026年7月1日"]),
    ]


def test_record_page_api_and_download_of_versions(kit: SimpleNamespace, tmp_path: Path) -> None:
    from sitekit import build_sample

    root = registry(kit, tmp_path)
    site = build_sample(tmp_path / "site", root, D("2026-06-15"))
    html = (site / f"approved/{BMT}/index.html").read_text(encoding="utf-8")
    assert "第 2 版将于 2026年7月1日 起施行" in html and "此前仍执行第 1 版" in html
    assert "现行：第 1 版" in html
    assert "与第 1 版相比的修订" in html and "设有重症医学科。" in html
    data = json.loads((site / f"api/records/{BMT}.json").read_text(encoding="utf-8"))
    got = [(v["announcement"], v["effective"], v["state"]) for v in data["conditions_versions"]]
    assert got == [
        ("ANN-2026-002", "2026-03-01", "in_force"),
        ("ANN-2026-003", "2026-07-01", "upcoming"),
    ]
    assert data["conditions"]["effective"] == "2026-03-01"  # the version in force


# --- the sample registry: an amended, an upcoming and an embargoed version ----------------------


def test_sample_versions(sample_site: Path) -> None:
    def versions(rid: str) -> list[tuple[str, str, str]]:
        data = json.loads((sample_site / f"api/records/{rid}.json").read_text(encoding="utf-8"))
        return [
            (v["announcement"], v["effective"], v["state"]) for v in data["conditions_versions"]
        ]

    # as of 2026-11-23: BMT-2026-003 has an earlier, a current and an upcoming version
    assert versions("BMT-2026-003") == [
        ("ANN-2026-005", "2026-06-30", "superseded"),
        ("ANN-2026-011", "2026-11-01", "in_force"),
        ("ANN-2026-013", "2027-01-01", "upcoming"),
    ]
    # BMT-2026-001's third version is published by ANN-2026-015 (2026-12-20): embargoed
    assert versions("BMT-2026-001") == [
        ("ANN-2026-004", "2026-06-15", "superseded"),
        ("ANN-2026-007", "2026-07-31", "in_force"),
    ]


def _texts(site: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(site.rglob("*")):
        if p.is_file() and "pagefind" not in p.parts:
            out[str(p.relative_to(site))] = p.read_bytes()
    for name, raw in list(out.items()):
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                for info in z.infolist():
                    out[f"{name}!{info.filename}"] = z.read(info)
    return out


@pytest.mark.parametrize("needle", ["ANN-2026-015", "尚未公布", "应急演练由每季度", "每月开展 CRS"])
def test_embargoed_version_appears_nowhere(sample_site: Path, needle: str) -> None:
    # pages, API, check index, feeds, CSV, workbook and the release zip (its files unpacked)
    hits = [name for name, raw in _texts(sample_site).items() if needle.encode() in raw]
    assert hits == []


def test_sample_source_really_holds_the_embargoed_version() -> None:
    text = (REPO / "data/conditions/BMT-2026-001.yaml").read_text(encoding="utf-8")
    assert (
        "announcement: ANN-2026-015" in text and "每月开展 CRS" in text
    )  # the test above can fail


# --- one verdict function -------------------------------------------------------------------------


def _sentences_of(rid: str, as_of: str = "2026-11-23", institution: str | None = None) -> list[str]:
    reg = check_registry(REPO / "data", D(as_of))
    site = build_site(reg)
    return verdict(site.records[rid], site, institution).sentences()


def _plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return text


@pytest.mark.parametrize(
    "rid",
    [
        "BMT-2026-001",
        "BMT-2026-003",
        "BMT-2026-004",
        "BMT-2026-005",
        "GL-0002",
        "GL-0010",
        "BAN-0001",
    ],
)
def test_same_sentences_on_the_page_in_check_and_in_the_cli(sample_site: Path, rid: str) -> None:
    sentences = _sentences_of(rid)
    assert sentences
    section = {"BMT": "approved", "GL-": "guidance-list", "BAN": "banned"}[rid[:3]]
    page = _plain((sample_site / f"{section}/{rid}/index.html").read_text(encoding="utf-8"))
    index = json.loads((sample_site / "api/check-index.json").read_text(encoding="utf-8"))
    entry = next((e for e in index["records"] if e["id"] == rid), None)
    if entry is None:  # a guidance entry with an approval: the research facet of its technology
        assert rid.startswith("GL-")
        lead = next(e for e in index["records"] if rid in e["keys"][1:] or fold(rid) in e["keys"])
        facet = expand(index, lead["verdict"])["research"]
        lead_page = (sample_site / f"approved/{lead['id']}/index.html").read_text(encoding="utf-8")
        assert facet["id"] == rid and facet["sentence"] in _plain(lead_page)
        return
    v = expand(index, entry["verdict"])
    check_texts = [v["headline"], *v["explanation"], *(v["duties"] or []), f"依据：{v['basis']}"]
    if v["research"]:
        check_texts.append(v["research"]["sentence"])
    if v["next_change"]:
        check_texts.append(v["next_change"])
    cli = CliRunner().invoke(main, ["check", rid, "--as-of", "2026-11-23"]).output
    for s in sentences:
        assert s in page, s
        assert s in check_texts, s
        assert s in cli, s


def test_duties_where_use_is_allowed_and_only_there() -> None:
    allowed = _sentences_of("BMT-2026-001")  # restricted: the participants may use it
    assert all(d in allowed for d in DUTIES)
    assert all(d in _sentences_of("BMT-2026-001", institution="示例省人民医院") for d in DUTIES)
    for rid in ("BMT-2026-004", "BMT-2026-005", "GL-0001", "BAN-0001"):  # suspended, banned, …
        assert not any(d in _sentences_of(rid) for d in DUTIES), rid
    text = " ".join(DUTIES)
    for phrase in (
        "知情同意书",
        "应急处置预案",
        "病例随访",
        "逐例报送",
        "第一时间",
        "信息系统",
        "省级卫生健康部门",
    ):
        assert phrase in text
    for article in (
        "第二十一条第一款",
        "第二十一条第二款",
        "第二十一条第三款",
        "第二十二条第一款",
        "第二十二条第二款",
    ):
        assert article in text


def test_direct_delisting_verdict_of_the_grown_technology(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    delist = """\
id: ANN-2026-003
number: 国家卫生健康委公告 2026年第3号
title: 关于调整备案指导清单的公告
date: 2026-06-01
body: |
  正文。
actions:
  - action: delist
    record: GL-0001
    route: direct
    ground: major_safety_efficacy_issue
"""
    root = kit.make_registry(tmp_path / "data", {"announcements/ANN-2026-003.yaml": delist})
    site = build_site(check_registry(root, D("2026-06-01")))
    v = verdict(site.records[BMT], site, "某某医院")
    assert (v.code, v.tone) == ("banned", "no")
    text = " ".join(v.sentences())
    assert "不再按照《条例》有关规定开展临床研究和临床转化应用" in text and "二（二）2（1）" in text
    assert "再评估" not in text and v.duties == ()
    g = verdict(site.records["GL-0001"], site)
    assert BMT in " ".join(g.explanation)
    assert "同样不再按照《条例》有关规定开展" in " ".join(g.explanation)
    before = build_site(check_registry(root, D("2026-05-31")))
    assert verdict(before.records[BMT], before, "某某医院").code == "restricted_participant"


def test_ban_without_re_evaluation_does_not_claim_one(kit: SimpleNamespace, tmp_path: Path) -> None:
    ban = (
        AMEND.format(day="2026-06-01").replace("action: amend", "action: ban")
        + "    ground: 测试\n"
    )
    root = kit.make_registry(tmp_path / "data", {"announcements/ANN-2026-003.yaml": ban})
    site = build_site(check_registry(root, D("2026-06-01")))
    text = " ".join(verdict(site.records[BMT], site).sentences())
    assert "再评估" not in text and "国家卫生健康委公告 2026年第3号" in text


SEED = REPO.parent / "shared" / "seeds" / "approval-work-rules-2026-04-30.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the regulation text (../shared/seeds/) is not here")
def test_duties_quote_the_regulation_word_for_word() -> None:
    seed = SEED.read_text(encoding="utf-8")
    for duty in DUTIES:
        body = duty.split("：", 1)[1]
        for sentence in re.split(r"(?<=。)", body):
            assert not sentence or sentence in seed, sentence
