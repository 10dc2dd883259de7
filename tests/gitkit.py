"""A throw-away git repository for the history, guard and diff tests.

Commits get fixed dates and a fixed identity, and git is isolated from the user's and the system's
configuration, so hashes are the same on every machine and run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "编辑甲",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "编辑甲",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
}


class GitRepo:
    """A repository at `root` whose registry lives in `root/data`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env={**os.environ, **ENV, **(env or {})},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        path = self.data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.data / rel).read_text(encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, (rel, old)
        self.write(rel, text.replace(old, new, 1))

    def remove(self, rel: str) -> None:
        (self.data / rel).unlink()

    def rename(self, old: str, new: str) -> None:
        shutil.move(self.data / old, self.data / new)

    def commit(self, message: str, when: str) -> str:
        """Commit everything with author and committer date `when` (ISO 8601); the full hash."""
        self.git("add", "-A")
        self.git(
            "commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        )
        return self.git("rev-parse", "HEAD")


def base_files() -> dict[str, str]:
    """conftest.BASE for module-scoped fixtures (`import conftest` is ambiguous: tests/browser)."""
    spec = importlib.util.spec_from_file_location(
        "_base_conftest", Path(__file__).with_name("conftest.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BASE


WHEN = {
    "import": "2026-01-05T10:00:00+08:00",
    "name": "2026-02-01T09:30:00+08:00",
    "lists": "2026-03-15T14:00:00+08:00",
    "comment": "2026-04-01T08:00:00+08:00",
    "remove": "2026-05-01T12:00:00+08:00",
    "announcement": "2026-06-01T12:00:00+08:00",
}
AMEND = """\
id: ANN-2026-003
number: 国家卫生健康委公告 2026年第3号
title: 关于修订技术条件的公告
date: 2026-06-01
body: |
  正文。
actions:
  - action: amend
    record: BMT-2026-001
    note: 修订条件
"""


def make_history_repo(root: Path, base: dict[str, str]) -> SimpleNamespace:
    """Six commits: import, field edits, list edits, a comment, a removal, an announcement."""
    repo = GitRepo(root)
    for rel, text in base.items():
        repo.write(rel, text)
    h = {"import": repo.commit("导入初始记录", WHEN["import"])}
    repo.replace(
        "approved/BMT-2026-001.yaml",
        "name: 自体CD19 CAR-T细胞治疗技术",
        "name: 自体CD19 CAR-T细胞疗法",
    )
    repo.replace("approved/BMT-2026-001.yaml", "  技术解读。", "  技术解读（修订）。")
    h["name"] = repo.commit("更正技术名称和解读", WHEN["name"])
    repo.replace(
        "guidance-list/GL-0001.yaml", "aliases: [CAR-T]", "aliases: [CAR-T, 嵌合抗原受体T细胞]"
    )
    repo.replace(
        "conditions/BMT-2026-001.yaml",
        "  - 三级甲等医院。\n",
        "  - 三级甲等医院。\n  - 设有重症医学科。\n",
    )
    repo.replace("banned/BAN-0001.yaml", "category:", "aliases: [胚胎基因编辑]\ncategory:")
    h["lists"] = repo.commit("增补别名和机构条件", WHEN["lists"])
    repo.replace("guidance-list/GL-0001.yaml", "category:", "# 分类见 registry.yaml\ncategory:")
    h["comment"] = repo.commit("加注释", WHEN["comment"])
    repo.replace("guidance-list/GL-0001.yaml", "[CAR-T, 嵌合抗原受体T细胞]", "[嵌合抗原受体T细胞]")
    h["remove"] = repo.commit("删除重复别名", WHEN["remove"])
    repo.write("announcements/ANN-2026-003.yaml", AMEND)
    h["announcement"] = repo.commit("发布第3号公告", WHEN["announcement"])
    return SimpleNamespace(repo=repo, hashes=h)
