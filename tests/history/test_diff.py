"""`registry diff BASE [HEAD]` (generator/history/diff.py): the Markdown summary for pull-request review."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from gitkit import GitRepo

from generator.history.diff import diff_report
from generator.shells.cli import main

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
GL2 = """\
id: GL-0002
name: 异体NK细胞治疗技术
category: cell-therapy
purpose: 治疗急性髓系白血病。
mechanism: 异体NK细胞识别并杀伤肿瘤细胞。
"""
SUSPEND = """\
id: ANN-2026-003
number: 国家卫生健康委公告 2026年第3号
title: 关于调整备案指导清单和暂停应用的公告
date: 2026-09-01
body: |
  正文。
actions:
  - action: list
    record: GL-0002
  - action: amend
    record: BMT-2026-001
    note: 修订医疗机构条件
  - action: suspend
    record: BMT-2026-001
    ground: new_understanding
"""
CONDITIONS = """\
id: BMT-2026-001
versions:
  - announcement: ANN-2026-002
    institution:
      - 三级甲等医院。
    personnel:
      - 副主任医师及以上。
    operating_spec: |
      操作规范。
"""
# a published conditions version is never edited (E504): the amend appends a new one
SECOND = """\
  - announcement: ANN-2026-003
    institution:
      - 三级甲等医院。
      - 设有重症医学科。
    personnel:
      - 副主任医师及以上。
    operating_spec: |
      操作规范。
"""
RESUME = """\
id: ANN-2027-001
number: 国家卫生健康委公告 2027年第1号
title: 关于恢复应用的公告
date: 2027-01-15
body: |
  再评估通过。
actions:
  - action: resume
    record: BMT-2026-001
    note: 再评估通过
"""


@pytest.fixture
def repo(tmp_path: Path, kit: SimpleNamespace) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        r.write(rel, text)
    r.write("conditions/BMT-2026-001.yaml", CONDITIONS)
    r.commit("初始数据", "2026-01-05T10:00:00+08:00")
    return r


def propose(repo: GitRepo) -> None:
    """A pull request: a field and a list edited, a new entry, two announcements (one embargoed)."""
    repo.replace(
        "approved/BMT-2026-001.yaml",
        "name: 自体CD19 CAR-T细胞治疗技术",
        "name: 自体CD19 CAR-T细胞疗法",
    )
    repo.write("conditions/BMT-2026-001.yaml", CONDITIONS + SECOND)
    repo.write("guidance-list/GL-0002.yaml", GL2)
    repo.write("announcements/ANN-2026-003.yaml", SUSPEND)
    repo.write("announcements/ANN-2027-001.yaml", RESUME)


EXPECTED = """\
## 变更摘要：`main` → `工作区`

状态按 2026-11-23 计算；公告日期晚于该日的尚未公示，到期自动生效。

### 校验：通过

### 状态变化（4）

- `BMT-2026-001` 自体CD19 CAR-T细胞疗法：限参与研究机构（restricted） → 再评估暂停（suspended），自 2026-09-01 起，国家卫生健康委公告 2026年第3号
- `GL-0002` 异体NK细胞治疗技术：未公示 → 在清单内（listed），自 2026-09-01 起，国家卫生健康委公告 2026年第3号
- `BMT-2026-001` 自体CD19 CAR-T细胞疗法：再评估暂停（suspended） → 限参与研究机构（restricted），自 2027-01-15 起，国家卫生健康委公告 2027年第1号
- `BMT-2026-001` 自体CD19 CAR-T细胞疗法：其他符合条件的机构可参照限制类技术备案（open） → 限参与研究机构（restricted），自 2031-03-02 起，依据规范 第二十条第二款

### 公告（2）

- 新增 `ANN-2026-003` 国家卫生健康委公告 2026年第3号《关于调整备案指导清单和暂停应用的公告》，2026-09-01
  - 纳入清单 `GL-0002` 异体NK细胞治疗技术
  - 修订 `BMT-2026-001` 自体CD19 CAR-T细胞疗法：说明：修订医疗机构条件
    - 技术条件第 2 版：由本公告发布，施行日期 2026-09-01；医疗机构条件 2 项、人员条件 1 项、技术管理要求 0 项、培训与质量控制 0 项；临床应用操作规范 5 字
  - 暂停应用（再评估） `BMT-2026-001` 自体CD19 CAR-T细胞疗法：理由：对安全性、有效性有认识上的改变
- 新增 `ANN-2027-001` 国家卫生健康委公告 2027年第1号《关于恢复应用的公告》，2027-01-15（尚未公示，2027-01-15 起自动公示）
  - 恢复应用 `BMT-2026-001` 自体CD19 CAR-T细胞疗法：说明：再评估通过

### 新增记录（1）

- `GL-0002` 异体NK细胞治疗技术（备案指导清单）

### 修改的记录（1）

- `BMT-2026-001` 自体CD19 CAR-T细胞疗法
  - 名称 `name`：“自体CD19 CAR-T细胞<del>治疗技术</del><ins>疗法</ins>”
  - 技术条件 · ANN-2026-003（新版本） · 医疗机构条件 第 2 项 `conditions.ANN-2026-003（新版本）.institution[1]`：新增 “设有重症医学科。”
  - 技术条件 · ANN-2026-003（新版本） · 施行日期 `conditions.ANN-2026-003（新版本）.effective`：“2026-<del>03</del><ins>09</ins>-01”
"""


def test_summary_of_a_pull_request(repo: GitRepo) -> None:
    propose(repo)
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert ok
    assert text == EXPECTED


def test_two_revisions_give_the_same_summary(repo: GitRepo) -> None:
    propose(repo)
    repo.commit("提议", "2026-11-20T10:00:00+08:00")
    text, ok = diff_report(repo.data, "main~1", "main", AS_OF, today=AS_OF)
    assert ok
    assert text == EXPECTED.replace("`main` → `工作区`", "`main~1` → `main`")


def test_invalid_change_lists_errors_and_fails(repo: GitRepo, kit: SimpleNamespace) -> None:
    repo.remove("banned/BAN-0001.yaml")
    repo.replace("announcements/ANN-2026-002.yaml", "  正文。", "  正文（更正）。")
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert not ok
    head, _, rest = text.partition("### 校验：未通过（3 个错误）\n\n```text\n")
    assert head.startswith("## 变更摘要：`main` → `工作区`")
    block = rest.split("\n```\n", 1)[0].splitlines()
    assert [
        line.rsplit("/", 2)[-2:][0] + "/" + line.rsplit("/", 1)[-1].split(": ")[0] for line in block
    ] == [
        "announcements/ANN-2026-001.yaml:11:13",
        "announcements/ANN-2026-002.yaml:5:7",
        "banned/BAN-0001.yaml:1:1",
    ]
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in block] == ["E305", "E503", "E501"]
    assert "- `BAN-0001` 生殖系基因编辑技术：已禁止（banned） → 未公示\n" in text
    assert "### 删除的记录（1）\n\n- `BAN-0001` 生殖系基因编辑技术（禁止技术）\n" in text
    assert (
        "- 修改 `ANN-2026-002` 国家卫生健康委公告 2026年第2号\n  - 正文 `body`：“正文<ins>（更正）</ins>。\\n”\n"
        in text
    )


def test_conditions_compared_version_by_version(repo: GitRepo, kit: SimpleNamespace) -> None:
    # the shorthand written out as `versions` is no change (the version of the approval)
    repo.write("conditions/BMT-2026-001.yaml", kit.BASE["conditions/BMT-2026-001.yaml"])
    repo.commit("简写", "2026-01-06T10:00:00+08:00")
    repo.write("conditions/BMT-2026-001.yaml", CONDITIONS)
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert ok and "  - 只改动了注释或格式，内容不变\n" in text


def test_no_change(repo: GitRepo) -> None:
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert ok
    assert text.endswith(
        "### 状态变化（0）\n\n没有记录的状态因此改变。\n\n没有记录或公告的改动。\n"
    )


def test_markdown_in_values_is_escaped(repo: GitRepo) -> None:
    repo.replace(
        "approved/BMT-2026-001.yaml", "applicant: 某某医院", "applicant: '<b>某某</b> | *医院*'"
    )
    text, _ = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert "“<ins>\\<b\\></ins>某某<ins>\\</b\\> \\| \\*</ins>医院<ins>\\*</ins>”" in text


def test_cli_diff_exit_codes(repo: GitRepo) -> None:
    runner = CliRunner()
    args = ["diff", "main", "--data", str(repo.data), "--as-of", "2026-11-23"]
    propose(repo)
    ok = runner.invoke(main, args)
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("## 变更摘要：`main` → `工作区`")
    repo.remove("guidance-list/GL-0001.yaml")
    bad = runner.invoke(main, args)
    assert bad.exit_code == 1
    assert "E501" in bad.output
    assert runner.invoke(main, ["diff", "nope", "--data", str(repo.data)]).exit_code == 2


def test_preview_links_each_published_record_and_announcement(repo: GitRepo) -> None:
    propose(repo)
    url = "https://preview.example.org/pr-7/"
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF, preview_url=url)
    assert ok
    assert f"编号链接到预览站点 {url} 上的页面。" in text
    assert f"- [`GL-0002`]({url}guidance-list/GL-0002/) 异体NK细胞治疗技术（备案指导清单）" in text
    assert f"- [`BMT-2026-001`]({url}approved/BMT-2026-001/) 自体CD19 CAR-T细胞疗法\n" in text
    assert f"- 新增 [`ANN-2026-003`]({url}announcements/ANN-2026-003/)" in text
    assert "- 新增 `ANN-2027-001`" in text  # embargoed: not in the preview, so not linked
    plain, _ = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert "](" not in plain


def test_risk_grades_and_registry_settings_are_summarised(repo: GitRepo) -> None:
    repo.replace("risk-grades.yaml", "exclusive_years: 3", "exclusive_years: 4")
    repo.replace(
        "registry.yaml", "  - {id: other, name: 其他}\n", "  - {id: other, name: 其他技术}\n"
    )
    text, _ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF)
    assert "### 全站设置（2）" in text
    assert (
        "- `registry.yaml`（站点信息与分类）\n  - 分类 第 3 项 · 名称 `categories[2].name`：“其他<ins>技术</ins>”"
        in text
    )
    assert (
        "- `risk-grades.yaml`（风险等级）\n  - 风险等级 第 2 项 · 限参与研究机构的年数 "
        "`grades[1].exclusive_years`：“3” → “4”"
    ) in text


def test_a_new_conditions_version_is_one_line(repo: GitRepo) -> None:
    from generator.history.diff_text import change_line
    from generator.load.field_changes import Change

    version = {"announcement": "ANN-2026-004", "effective": "2026-12-01", "institution": ["x"]}
    line = change_line(
        Change("conditions.versions[1]", None, version, ("conditions", "versions", 1))
    )
    assert line == (
        "新增技术条件第 2 版：由公告 ANN-2026-004 发布，自 2026-12-01 起施行 `conditions.versions[1]`"
    )
    edited = Change(
        "conditions.versions[0].personnel[0]",
        "a",
        "b",
        ("conditions", "versions", 0, "personnel", 0),
    )
    assert change_line(edited) == (
        "技术条件 · 技术条件版本 第 1 项 · 人员条件 第 1 项 `conditions.versions[0].personnel[0]`："
        "“<del>a</del><ins>b</ins>”"
    )


def test_a_guard_error_alone_still_links_the_preview(repo: GitRepo) -> None:
    """The preview job builds whatever validates; only the guard (base code) refuses the edit."""
    repo.replace("announcements/ANN-2026-002.yaml", "  正文。", "  正文（更正）。")
    url = "http://pr-7-1.localhost:8001/"
    text, ok = diff_report(repo.data, "main", None, AS_OF, today=AS_OF, preview_url=url)
    assert not ok and "E503" in text
    assert f"编号链接到预览站点 {url} 上的页面。" in text
    assert f"- 修改 [`ANN-2026-002`]({url}announcements/ANN-2026-002/)" in text
