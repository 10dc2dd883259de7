"""Issue 23: the revision history shows only text published on the as-of date, and no output
dates a change after the as-of date.

Each attack is a real git history (gitkit) built into a whole site (sitekit); the secret strings
are searched in every file of the output, API, feeds and the zip included."""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import GitRepo, base_files
from sitekit import build_sample

from generator.domain.dates import SHANGHAI
from generator.history.changes import change_entries
from generator.load.revisions import branch_dates
from generator.publish.pipeline import Settings, check_registry, publish

AS_OF = date(2026, 11, 23)
END = datetime(2026, 11, 23, 23, 59, 59, tzinfo=SHANGHAI)

FLAT = """\
id: BMT-2026-001
institution:
  - 三级甲等医院。
personnel:
  - 副主任医师及以上。
operating_spec: |
  {spec}
"""
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
  - announcement: ANN-2026-008
    institution:
      - 三级甲等医院。
    personnel:
      - 副主任医师及以上。
    operating_spec: |
      机密规范乙。
"""
V3 = """\
  - {announcement}institution:
      - 机密条件甲。
    personnel:
      - 副主任医师及以上。
    operating_spec: |
      机密规范甲。
"""
AMEND = """\
id: {aid}
number: 国家卫生健康委公告 2026年第{n}号
title: {title}
date: {day}
body: |
  正文。
actions:
  - action: amend
    record: BMT-2026-001
"""
APPROVE = """\
id: ANN-2026-009
number: 国家卫生健康委公告 2026年第9号
title: {title}
date: {day}
body: |
  正文。
actions:
  - action: approve
    record: BMT-2026-002
    risk_grade: low
    institutions: [某某医院]
"""
RECORD = """\
id: BMT-2026-002
name: {name}
category: cell-therapy
guidance_entry: GL-0001
applicant: 某某医院
summary: |
  {summary}
"""
CONDITIONS = """\
id: BMT-2026-002
institution:
  - {text}
personnel:
  - 主任医师。
operating_spec: |
  规范。
"""
SECRETS = ("机密规范乙", "机密条件甲", "机密规范甲", "机密疗法丙", "机密解读丙", "机密条件丙")


def _all_text(site: Path) -> dict[str, str]:
    """Every file of the built site as text (zip and workbook members, search index unzipped)."""
    out: dict[str, str] = {}
    for p in site.rglob("*"):
        if not p.is_file():
            continue
        rel = p.relative_to(site).as_posix()
        raw = p.read_bytes()
        if zipfile.is_zipfile(p):  # the dataset zip and the workbook
            with zipfile.ZipFile(p) as z:
                for name in z.namelist():
                    out[f"{rel}:{name}"] = z.read(name).decode("utf-8", "replace")
            continue
        if raw.startswith(b"\x1f\x8b"):  # the search index is gzipped
            raw = gzip.decompress(raw)
        out[rel] = raw.decode("utf-8", "replace")
    return out


def _leaks(site: Path, words: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(rel, w) for rel, text in _all_text(site).items() for w in words if w in text]


def _valid(data: Path) -> None:
    assert check_registry(data, AS_OF).problems == []


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """Three ways a draft reaches git and was never published, on one branch."""
    tmp = tmp_path_factory.mktemp("drafts")
    repo = GitRepo(tmp / "repo")
    for rel, text in base_files().items():
        repo.write(rel, text)
    repo.commit("导入", "2026-01-05T10:00:00+08:00")
    cond = "conditions/BMT-2026-001.yaml"
    # (b) a flat file edited in place, then rewritten as versions, the draft tied to an embargo
    repo.write(cond, FLAT.format(spec="机密规范乙。"))
    repo.commit("草稿", "2026-02-01T10:00:00+08:00")
    repo.write(cond, f"id: BMT-2026-001\nversions:\n{V1}{V2}")
    repo.write(
        "announcements/ANN-2026-008.yaml",
        AMEND.format(aid="ANN-2026-008", n=8, title="关于修订条件的公告", day="2026-12-20"),
    )
    repo.commit("改为版本", "2026-02-02T10:00:00+08:00")
    # (a) a version that does not yet name its (later embargoed) announcement
    repo.write(cond, f"id: BMT-2026-001\nversions:\n{V1}{V2}{V3.format(announcement='')}")
    repo.commit("新版本草稿", "2026-02-03T10:00:00+08:00")
    v3 = V3.format(announcement="announcement: ANN-2026-007\n    ")
    repo.write(cond, f"id: BMT-2026-001\nversions:\n{V1}{V2}{v3}")
    repo.write(
        "announcements/ANN-2026-007.yaml",
        AMEND.format(aid="ANN-2026-007", n=7, title="关于再次修订条件的公告", day="2026-12-21"),
    )
    repo.commit("新版本", "2026-02-04T10:00:00+08:00")
    # (c) an embargoed announcement withdrawn before its date, its ids reused by new records
    repo.write(
        "announcements/ANN-2026-009.yaml", APPROVE.format(title="机密公告丙", day="2026-12-01")
    )
    repo.write("approved/BMT-2026-002.yaml", RECORD.format(name="机密疗法丙", summary="机密解读丙"))
    repo.write("conditions/BMT-2026-002.yaml", CONDITIONS.format(text="机密条件丙"))
    repo.commit("机密批准", "2026-03-01T10:00:00+08:00")
    repo.remove("announcements/ANN-2026-009.yaml")
    repo.commit("撤回", "2026-03-02T10:00:00+08:00")
    repo.write(
        "announcements/ANN-2026-009.yaml", APPROVE.format(title="关于批准的公告", day="2026-04-01")
    )
    repo.write("approved/BMT-2026-002.yaml", RECORD.format(name="公开疗法丁", summary="公开解读丁"))
    repo.write("conditions/BMT-2026-002.yaml", CONDITIONS.format(text="公开条件丁"))
    repo.commit("批准", "2026-04-01T10:00:00+08:00")
    _valid(repo.data)
    site = build_sample(tmp / "site", data=repo.data, as_of=AS_OF)
    return SimpleNamespace(repo=repo, site=site)


def test_no_draft_text_in_any_output(drafts: SimpleNamespace) -> None:
    assert _leaks(drafts.site, SECRETS) == []


def test_published_text_is_still_shown(drafts: SimpleNamespace) -> None:
    def revisions(rid: str) -> list[dict]:
        path = drafts.site / f"api/records/{rid}.json"
        return json.loads(path.read_text(encoding="utf-8"))["revisions"]

    # the reused id starts its history where it was tied to the announcement published today
    [created] = revisions("BMT-2026-002")
    assert created["message"] == "新建记录" and created["date"] == "2026-04-01T10:00:00+08:00"
    text = json.dumps(created, ensure_ascii=False)
    assert "公开疗法丁" in text and "公开条件丁" in text
    # the published version 1 of BMT-2026-001 is in its history, the drafts are not
    assert "操作规范" in json.dumps(revisions("BMT-2026-001"), ensure_ascii=False)


# --- dates ---------------------------------------------------------------------------------------


def test_branch_dates_are_monotonic_and_bounded() -> None:
    got = branch_dates(
        [
            "2026-01-05T10:00:00+08:00",
            "2099-01-01T00:00:00+00:00",
            "1990-01-01T00:00:00+08:00",
            "2026-06-01T12:00:00+08:00",
        ],
        AS_OF,
    )
    assert got == [
        "2026-01-05T10:00:00+08:00",
        "2026-11-23T23:59:57+08:00",
        "2026-11-23T23:59:58+08:00",
        "2026-11-23T23:59:59+08:00",
    ]
    back = ["2026-01-05T10:00:00+08:00", "1990-01-01T00:00:00+08:00", "2026-02-01T00:00:00+08:00"]
    assert branch_dates(back, AS_OF) == [
        "2026-01-05T10:00:00+08:00",
        "2026-01-05T10:00:01+08:00",
        "2026-02-01T00:00:00+08:00",
    ]


def _git_date(repo: GitRepo, when: str, *args: str) -> None:
    repo.git(*args, env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A pull request committed in 2099 and 1990, merged in 2026, then direct pushes dated 2099
    and 1990 on the branch itself."""
    tmp = tmp_path_factory.mktemp("dated")
    repo = GitRepo(tmp / "repo")
    for rel, text in base_files().items():
        repo.write(rel, text)
    h = [repo.commit("导入", "2026-01-05T10:00:00+08:00")]
    repo.git("checkout", "-q", "-b", "pr")
    gl = "guidance-list/GL-0001.yaml"
    repo.replace(gl, "aliases: [CAR-T]", "aliases: [CAR-T, 别名二]")
    repo.replace(gl, "治疗复发难治淋巴瘤。", "草稿文字戊")
    repo.commit("未来", "2099-01-01T00:00:00+08:00")
    repo.replace(gl, "草稿文字戊", "治疗复发难治淋巴瘤。")
    repo.replace("banned/BAN-0001.yaml", "以生殖为目的编辑人类胚胎。", "以生殖为目的编辑胚胎。")
    repo.commit("过去", "1990-01-01T00:00:00+08:00")
    repo.git("checkout", "-q", "main")
    _git_date(repo, "2026-07-01T09:00:00+08:00", "merge", "-q", "--no-ff", "-m", "合并", "pr")
    h.append(repo.git("rev-parse", "HEAD"))
    repo.replace("approved/BMT-2026-001.yaml", "  技术解读。", "  技术解读（二）。")
    h.append(repo.commit("直推未来", "2099-06-01T00:00:00+08:00"))
    repo.replace(gl, "基因修饰的自体T细胞", "经基因修饰的自体T细胞")
    h.append(repo.commit("直推过去", "1990-06-01T00:00:00+08:00"))
    _valid(repo.data)
    site = build_sample(tmp / "site", data=repo.data, as_of=AS_OF)
    return SimpleNamespace(repo=repo, site=site, hashes=h)


def _when(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def test_no_output_dates_a_change_after_the_as_of_day(dated: SimpleNamespace) -> None:
    site = dated.site
    assert _leaks(site, ("2099-", "1990-", "草稿文字戊")) == []
    for path in (site / "api/records").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(_when(r["date"]) <= END for r in data["revisions"]), path
        assert data["modified"] is None or data["modified"] <= AS_OF.isoformat()
    index = json.loads((site / "api/changes/index.json").read_text(encoding="utf-8"))
    assert all(d["date"] <= AS_OF.isoformat() for d in index["dates"])
    assert all(r["modified"] <= AS_OF.isoformat() for r in index["records"])
    days = [p.stem for p in (site / "api/changes").glob("2*.json")]
    assert days and max(days) <= AS_OF.isoformat()
    feed = (site / "feeds/changes.xml").read_text(encoding="utf-8")
    stamps = re.findall(r"<(?:updated|published)>([^<]+)<", feed)
    assert stamps and all(_when(s) <= END for s in stamps)


def test_changes_follow_the_branch(dated: SimpleNamespace) -> None:
    # the merged pull request is one revision, the merge, dated by the merge commit
    _, site = publish(dated.repo.data, AS_OF, Settings())
    assert site is not None
    entries = [e for e in change_entries(site, site.history) if e.kind == "revision"]
    assert [e.key for e in entries] == dated.hashes[::-1]
    whens = [e.when for e in entries]
    assert whens == sorted(whens, reverse=True) and whens[0] <= END
    merge = entries[-2]
    assert merge.when == _when("2026-07-01T09:00:00+08:00")
    assert {r.id for r in merge.records} == {"GL-0001", "BAN-0001"}
