"""`registry diff` shows the act (issue 25): each new announcement's legal substance action by
action, the statuses it changes without naming the record, word marks inside changed text, the
back-dating warning, and data text escaped everywhere. Real git repositories."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import GitRepo

from generator.history.diff import diff_report
from generator.publish.sentences import DELISTED, DERIVED_BAN, ETHICS, TERMINATE

AS_OF = date(2026, 11, 23)
PROJECT = """\
id: CR-2026-0001
title: 自体CAR-T细胞治疗淋巴瘤的临床研究
guidance_entry: GL-0001
sponsor: 某某大学附属医院
institutions: [某某大学附属医院]
filed: 2026-02-01
"""
APPROVED = """\
id: BMT-2026-002
name: 自体CD19 CAR-T细胞二线治疗技术
category: cell-therapy
guidance_entry: GL-0001
applicant: 某某大学附属医院
"""
CONDITIONS = """\
id: BMT-2026-002
versions:
  - announcement: ANN-2026-003
    effective: 2026-11-01
    institution: [三级甲等医院。, 设有细胞治疗病房。]
    personnel: [副主任医师及以上。]
    training_qc: [每年培训。]
    operating_spec: |
      第一步。第二步。
"""


def announcement(
    actions: str, when: str = "2026-10-01", number: str = "国家卫生健康委公告 2026年第3号"
) -> str:
    return (
        f"id: ANN-2026-003\nnumber: {number}\ntitle: 关于调整的公告\n"
        f"date: {when}\nbody: 正文。\nactions:\n{actions}"
    )


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.write("research/CR-2026-0001.yaml", PROJECT)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def summary(repo: GitRepo) -> str:
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert ok, text
    return text


def block(text: str, first: str) -> list[str]:
    """The announcement's line starting with `first` and its indented lines."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    out = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        out.append(line)
    return out


def test_a_new_approval_shows_grade_period_institutions_applicant_entry_and_conditions(
    repo: GitRepo,
) -> None:
    repo.write("approved/BMT-2026-002.yaml", APPROVED)
    repo.write("conditions/BMT-2026-002.yaml", CONDITIONS)
    acts = (
        "  - action: approve\n    record: BMT-2026-002\n    risk_grade: medium\n"
        "    institutions: [某某大学附属医院, 某某医院]\n"
    )
    repo.write("announcements/ANN-2026-003.yaml", announcement(acts))
    assert block(summary(repo), "- 新增 `ANN-2026-003`")[1:] == [
        "  - 批准临床转化应用 `BMT-2026-002` 自体CD19 CAR-T细胞二线治疗技术："
        "风险等级：中风险；参与研究的医疗机构：某某大学附属医院、某某医院",
        "    - 限定期：3 年，至 2029-10-01；自 2029-10-02 起其他符合条件的机构可参照限制类技术备案"
        "（规范 第二十条第二款（限定期届满；公示的公告中期内无暂停应用））",
        "    - 申请机构：某某大学附属医院",
        "    - 来源的备案指导清单条目：`GL-0001` 自体CAR-T细胞治疗技术",
        "    - 技术条件第 1 版：由本公告发布，施行日期 2026-11-01；医疗机构条件 2 项、人员条件 1 项、"
        "技术管理要求 0 项、培训与质量控制 1 项；临床应用操作规范 8 字",
    ]


def test_a_direct_delisting_shows_route_ground_and_what_it_ends_without_naming(
    repo: GitRepo,
) -> None:
    acts = "  - {action: delist, record: GL-0001, route: direct, ground: major_ethics_issue}\n"
    repo.write("announcements/ANN-2026-003.yaml", announcement(acts))
    lines = block(summary(repo), "- 新增 `ANN-2026-003`")
    assert lines[1:4] == [
        "  - 调出清单 `GL-0001` 自体CAR-T细胞治疗技术：调出途径：直接调出；理由：存在重大伦理问题",
        f"    - {DELISTED['direct']}",
        "  - 由此改变、公告未点名的记录（2）：",
    ]
    assert lines[4].startswith(
        "    - 不再按《条例》开展（来源清单条目直接调出的后果）：`BMT-2026-001` 自体CD19 CAR-T细胞治疗技术"
        "（已批准技术），限参与研究机构 → 不再按《条例》开展（来源条目直接调出）（banned），自 2026-10-01 起，"
        "依据界定指导原则 二（二）2（1）"
    )
    assert lines[5].startswith(
        "    - 应当及时终止研究（来源清单条目直接调出的后果）：`CR-2026-0001` 自体CAR-T细胞治疗淋巴瘤的临床研究"
        "（临床研究备案项目），进行中 → 应当终止（terminate_required），自 2026-10-01 起"
    )
    assert lines[6:] == [f"    - 含义：{DERIVED_BAN}", f"    - 含义：{TERMINATE}"]


def test_a_delisting_after_review_asks_for_ethics_review_and_ends_no_approval(
    repo: GitRepo,
) -> None:
    acts = "  - {action: delist, record: GL-0001, route: after_review, ground: drug_approved}\n"
    repo.write("announcements/ANN-2026-003.yaml", announcement(acts))
    lines = block(summary(repo), "- 新增 `ANN-2026-003`")
    assert lines[2] == f"    - {DELISTED['after_review']}"
    assert lines[3] == "  - 由此改变、公告未点名的记录（1）："
    assert "`CR-2026-0001`" in lines[4] and "须重新伦理审查（ethics_review_required）" in lines[4]
    assert lines[5] == f"    - 含义：{ETHICS}"
    assert "BMT-2026-001" not in "\n".join(lines)


def test_an_embargoed_delisting_shows_its_consequences_now(repo: GitRepo) -> None:
    acts = "  - {action: delist, record: GL-0001, route: direct, ground: uncontrollable_risk}\n"
    repo.write("announcements/ANN-2026-003.yaml", announcement(acts, when="2027-02-01"))
    lines = block(summary(repo), "- 新增 `ANN-2026-003`")
    assert "（尚未公示，2027-02-01 起自动公示）" in lines[0]
    assert "  - 由此改变、公告未点名的记录（2）：" in lines


@pytest.mark.parametrize(
    ("act", "expected"),
    [
        (
            "  - {action: suspend, record: BMT-2026-001, ground: serious_adverse_reaction}\n",
            "  - 暂停应用（再评估） `BMT-2026-001` 自体CD19 CAR-T细胞治疗技术："
            "理由：发生严重不良反应或出现不可控制的风险",
        ),
        (
            "  - {action: ban, record: BMT-2026-001, ground: 再评估不能保证安全有效}\n",
            "  - 禁止临床应用 `BMT-2026-001` 自体CD19 CAR-T细胞治疗技术：理由：再评估不能保证安全有效",
        ),
    ],
)
def test_suspension_and_ban_show_their_ground(repo: GitRepo, act: str, expected: str) -> None:
    repo.write("announcements/ANN-2026-003.yaml", announcement(act))
    assert block(summary(repo), "- 新增 `ANN-2026-003`")[1:] == [expected]


def test_a_changed_sentence_marks_only_the_changed_characters(repo: GitRepo) -> None:
    long_old = "第一句没有改动的说明文字。" * 10 + "限定期为五年。" + "后面也没有改动的文字。" * 10
    repo.replace("approved/BMT-2026-001.yaml", "  技术解读。", "  " + long_old.replace("五", "三"))
    repo.commit("长文", "2026-01-06T10:00:00+08:00")  # BASE holds the long text with 三
    repo.replace("approved/BMT-2026-001.yaml", "限定期为三年", "限定期为五年")
    repo.replace("guidance-list/GL-0001.yaml", "治疗复发难治淋巴瘤。", "治疗复发难治B细胞淋巴瘤。")
    text, _ = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert "医学目的 `purpose`：“治疗复发难治<ins>B细胞</ins>淋巴瘤。”" in text
    assert (
        "技术解读 `summary`：“…文字。第一句没有改动的说明文字。限定期为<del>三</del><ins>五</ins>年。"
        "后面也没有改动的文字。后面也没有改动…”" in text
    )


BACKFILL = "  - {action: list, record: GL-0002}\n"
GL2 = "id: GL-0002\nname: 异体NK细胞治疗技术\ncategory: cell-therapy\npurpose: 治疗。\nmechanism: 杀伤。\n"


@pytest.mark.parametrize(
    ("when", "warned"),
    [("2026-02-28", True), ("2026-03-01", False), ("2026-03-02", False)],
)
def test_back_dating_warning_at_the_boundary(repo: GitRepo, when: str, warned: bool) -> None:
    """BASE's newest published announcement is ANN-2026-002 of 2026-03-01. A new one dated the day
    before is warned about; the same day is not (several announcements of one day are entered one
    pull request at a time, and no day before it changes), nor a later one."""
    repo.write("guidance-list/GL-0002.yaml", GL2)
    repo.write("announcements/ANN-2026-003.yaml", announcement(BACKFILL, when=when))
    text = summary(repo)
    head = text.split("状态按", 1)[0]
    assert ("> [!WARNING]" in head) is warned
    if warned:
        assert head.splitlines()[2:] == [
            "> [!WARNING]",
            "> **公告日期早于已公示的最新公告**：`ANN-2026-003` 国家卫生健康委公告 2026年第3号 的日期是 "
            "2026-02-28，早于 BASE 已公示的最新公告 `ANN-2026-002` 国家卫生健康委公告 2026年第2号 的日期 "
            "2026-03-01。合并后，网站对 2026-02-28 至 2026-03-01 之间各日的说法会被改写。",
            ">",
            "> - 纳入清单 `GL-0002` 异体NK细胞治疗技术",
            "> - `GL-0002` 异体NK细胞治疗技术：2026-02-28 的状态由“未公示”改为“在清单内”",
            ">",
            "> 补录旧公告时这是应有的；如果日期写错了，请改正后再合并。",
            "",
        ]


HOSTILE = "<script>x</script> @everyone **粗** [l](javascript:1) ~~s~~ `c` <ins>伪</ins>"


def test_hostile_data_text_is_escaped_in_acts_marks_and_warning(repo: GitRepo) -> None:
    act = f"  - action: ban\n    record: BMT-2026-001\n    ground: '{HOSTILE}'\n"
    repo.write(
        "announcements/ANN-2026-003.yaml",
        announcement(act, when="2026-02-01", number=f"'国家卫生健康委公告 {HOSTILE}'"),
    )
    repo.replace("approved/BMT-2026-001.yaml", "applicant: 某某医院", f"applicant: '{HOSTILE}'")
    text, _ = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    escaped = (
        "\\<script\\>x\\</script\\> @everyone \\*\\*粗\\*\\* \\[l\\](javascript:1) \\~\\~s\\~\\~ "
        "\\`c\\` \\<ins\\>伪\\</ins\\>"
    )
    assert f"理由：{escaped}" in text  # the act
    assert f"国家卫生健康委公告 {escaped} 的日期是 2026-02-01" in text  # the warning
    assert "<script>" not in text and "**粗" not in text
    # the only raw tags are the summary's own word marks, and they pair up
    raw = text.replace("\\<", "")
    assert raw.count("<ins>") == raw.count("</ins>") > 0
    for tag in ("<ins>", "</ins>", "<del>", "</del>"):
        raw = raw.replace(tag, "")
    assert "<" not in raw
