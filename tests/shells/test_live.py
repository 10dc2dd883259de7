"""`registry serve` after an edit (shells/live.py): the pages it can have changed are written at
once, everything else settles in the background, and the result is the full build's, file for
file, after edits, additions, deletions, renames, an invalid edit and its fix."""

from __future__ import annotations

import filecmp
import shutil
from datetime import date
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from generator.publish.affected import affected
from generator.shells.build import RegistryInvalid, point_plugin
from generator.shells.live import LivePreview
from generator.shells.live_site import Cancelled
from tests.gitkit import GitRepo

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 12, 7)
URL = "http://127.0.0.1:8000/"


def _config(data: Path, site: Path, command: str = "serve"):
    config_file = data.parent / "mkdocs.yml"
    config = point_plugin(load_config(str(config_file), site_dir=str(site)), data, AS_OF)
    config.plugins.on_startup(command=command, dirty=False)
    return config


def _full(config) -> None:
    config.site_url = URL
    mkdocs_build(config, serve_url=URL)


def _full_build(data: Path, tmp: Path) -> Path:
    """The same data built in full, the tree the preview's must equal."""
    (tmp / "full").mkdir()
    _full(_config(data, tmp / "full", command="build"))
    return tmp / "full"


def _differences(a: Path, b: Path, rel: str = "") -> list[str]:
    cmp = filecmp.dircmp(a, b)
    out = [f"只在增量构建中：{rel}{n}" for n in cmp.left_only]
    out += [f"只在完整构建中：{rel}{n}" for n in cmp.right_only]
    out += [
        f"内容不同：{rel}{n}"
        for n in cmp.common_files
        if (a / n).read_bytes() != (b / n).read_bytes()
    ]
    for d in cmp.common_dirs:
        out += _differences(a / d, b / d, f"{rel}{d}/")
    return out


class Preview:
    def __init__(self, data: Path, site: Path) -> None:
        self.data, self.site = data, site
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
        self.live = LivePreview(server, lambda: _config(data, site), _full)
        self.live.build(_config(data, site))
        self.fulls = 0

    def edit(self, change) -> None:
        change()
        was = self.live.live
        self.live.build()
        if self.live.settling is not None:
            self.live.settling.join()
        assert not self.live.wanted_full, "后台更新要求完整重建"
        self.fulls += was is None or self.live.live is not was


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def sample(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(ROOT / "data", repo.data)
    shutil.copytree(ROOT / "site_src", repo.root / "site_src")  # the theme, as the project has it
    shutil.copy(ROOT / "mkdocs.yml", repo.root / "mkdocs.yml")
    repo.commit("样例数据", "2026-12-01T10:00:00+08:00")
    (tmp_path / "live").mkdir()
    return repo.data, tmp_path


def test_edits_give_the_full_builds_site(sample):
    data, tmp = sample
    preview = Preview(data, tmp / "live")
    approved = data / "approved" / "BMT-2026-001.yaml"
    project = data / "research" / "CR-2026-0001.yaml"
    preview.edit(lambda: _replace(approved, "name: ", "name: 改名"))
    assert "改名" in (tmp / "live/approved/BMT-2026-001/index.html").read_text(encoding="utf-8")
    preview.edit(lambda: _replace(data / "guidance-list" / "GL-0002.yaml", "name: ", "name: 新"))
    renamed = data / "research" / "CR-2026-0901.yaml"
    preview.edit(
        lambda: (project.rename(renamed), _replace(renamed, "CR-2026-0001", "CR-2026-0901"))
    )
    assert not (tmp / "live/research/CR-2026-0001").exists()
    assert (tmp / "live/research/CR-2026-0901/index.html").is_file()
    broken = approved.read_text(encoding="utf-8")
    approved.write_text(broken + "\n  bad: [\n", encoding="utf-8")
    with pytest.raises(RegistryInvalid):
        preview.live.build()
    preview.edit(lambda: approved.write_text(broken, encoding="utf-8"))
    preview.edit(lambda: (data / "research" / "CR-2026-0901.yaml").unlink())
    assert preview.fulls == 0, "每次修改都应增量更新"
    assert _differences(tmp / "live", _full_build(data, tmp)) == []


def test_a_change_outside_data_builds_in_full(sample, tmp_path):
    data, tmp = sample
    preview = Preview(data, tmp / "live")
    config = data.parent / "mkdocs.yml"
    assert preview.live.live is not None
    first = preview.live.live
    # the preview's inputs: a changed theme or mkdocs.yml file is seen as one
    preview.live.inputs = {**preview.live.inputs, str(config): (0, 0)}
    preview.edit(lambda: None)
    assert preview.live.live is not first


DRAFT = """\
id: ANN-2026-099
sample: true
number: 国家卫生健康委公告 2026年第99号
title: 关于增补备案指导清单条目的公告
date: 2026-11-25
body: |
  示例数据，非真实公告。
actions:
  - action: list
    record: GL-0098
"""


def test_edits_of_a_drafted_announcement_give_the_full_builds_site(sample):
    # each edit resumes the last replay from the announcement's earliest date (status/resume.py)
    # and makes again only the views it can reach (publish/record_views.py): moved before the
    # other announcements, between two, past the as-of date (embargoed) and back
    data, tmp = sample
    preview = Preview(data, tmp / "live")
    ann = data / "announcements" / "ANN-2026-099.yaml"
    entry = (data / "guidance-list" / "GL-0002.yaml").read_text(encoding="utf-8")
    entry = entry.replace("GL-0002", "GL-0098").replace("name: ", "name: 新增条目", 1)
    preview.edit(
        lambda: (
            (data / "guidance-list" / "GL-0098.yaml").write_text(entry, encoding="utf-8"),
            ann.write_text(DRAFT, encoding="utf-8"),
        )
    )
    page = tmp / "live/guidance-list/GL-0098/index.html"
    assert "新增条目" in page.read_text(encoding="utf-8")
    preview.edit(lambda: _replace(ann, "title: 关于", "title: 再次关于"))
    shown = (tmp / "live/announcements/ANN-2026-099/index.html").read_text(encoding="utf-8")
    assert "再次关于" in shown
    preview.edit(lambda: _replace(ann, "第99号", "第98号"))
    assert "第98号" in page.read_text(encoding="utf-8")  # the timeline names its announcement
    preview.edit(lambda: _replace(ann, "date: 2026-11-25", "date: 2026-05-01"))
    preview.edit(lambda: _replace(ann, "date: 2026-05-01", "date: 2026-05-18"))
    preview.edit(lambda: _replace(ann, "date: 2026-05-18", "date: 2026-12-10"))
    assert not page.exists()  # listed only by an embargoed announcement: not published
    preview.edit(lambda: _replace(ann, "date: 2026-12-10", "date: 2026-11-25"))
    assert preview.fulls == 0, "每次修改都应增量更新"
    assert _differences(tmp / "live", _full_build(data, tmp)) == []


EMERGENCY = """\
id: ANN-2026-097
sample: true
number: 国家卫生健康委公告 2026年第97号
title: 关于紧急应用的公告
date: 2026-11-20
body: |
  示例数据，非真实公告。
actions:
  - action: emergency_use
    record: GL-0003
    scope: 示例省定点医院（示例）
    until: 2027-01-31
"""


def test_an_entrys_new_interval_reaches_the_date_field_of_the_approval_grown_from_it(sample):
    """An emergency use of GL-0003 changes the entry's intervals, not BMT-2026-001's status; the
    approval's page still shows the entry's intervals (its research stage on a date), so the
    preview writes it again."""
    data, tmp = sample
    preview = Preview(data, tmp / "live")
    page = tmp / "live/approved/BMT-2026-001/index.html"
    before = page.read_text(encoding="utf-8")
    ann = data / "announcements" / "ANN-2026-097.yaml"
    preview.edit(lambda: ann.write_text(EMERGENCY, encoding="utf-8"))
    after = page.read_text(encoding="utf-8")
    assert "2027-01-31" in after and "2027-01-31" not in before
    preview.edit(lambda: _replace(ann, "until: 2027-01-31", "until: 2027-02-28"))
    assert "2027-02-28" in page.read_text(encoding="utf-8")
    assert preview.fulls == 0, "每次修改都应增量更新"
    assert _differences(tmp / "live", _full_build(data, tmp)) == []


def test_a_record_deleted_by_the_first_edit_takes_its_side_files_along(sample):
    # the first edit after the full build: the side files that build wrote are known, so those
    # of a deleted record (its API file, feed and calendar) are removed as by later edits
    data, tmp = sample
    preview = Preview(data, tmp / "live")
    assert (tmp / "live/api/records/CR-2026-0001.json").is_file()
    preview.edit(lambda: (data / "research" / "CR-2026-0001.yaml").unlink())
    assert not (tmp / "live/api/records/CR-2026-0001.json").exists()
    assert _differences(tmp / "live", _full_build(data, tmp)) == []


def test_a_settle_stopped_by_a_newer_edit_leaves_nothing_behind(sample):
    # a newer save stops the background work inside a file or between two (domain/checkpoint.py);
    # what it wrote before it stopped is removed by a later settle that no longer makes it
    data, tmp = sample
    preview = Preview(data, tmp / "live")
    source = data / "research" / "CR-2026-0001.yaml"
    added = data / "research" / "CR-2026-0902.yaml"
    written = tmp / "live/api/records/CR-2026-0902.json"
    added.write_text(source.read_text("utf-8").replace("CR-2026-0001", "CR-2026-0902"), "utf-8")
    live = preview.live
    site = live._publish()
    assert site is not None and live.live is not None
    assert live.live.refresh(site, affected(live.site, site))
    live.site = site
    with pytest.raises(Cancelled):
        live.live.settle(site, written.exists)  # stopped right after that file was written
    assert written.is_file()
    preview.edit(added.unlink)
    assert not written.exists()
    assert _differences(tmp / "live", _full_build(data, tmp)) == []
