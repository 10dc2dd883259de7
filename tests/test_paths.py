"""The data root and the site directory are real directories (issue 23; docs/security.md).

A pull request can commit `data` as a symlink to another folder (git stores the link itself) and
`site` as well. The data root is checked once (`load.files.data_root_fault`) by every command and by
`check_registry`; a site directory that is a link, holds the data, `docs_dir` or the project, or
lies inside the data or `docs_dir`, is refused before anything is written or deleted. Every
refused case runs in a temporary copy of the project and proves that nothing there changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from gitkit import GitRepo

from generator.load.files import data_root_fault, site_dir_fault
from generator.publish.pipeline import check_registry
from generator.shells.build import RegistryInvalid, SiteDirRefused, build
from generator.shells.cli import main
from generator.shells.plain import build_plain
from generator.shells.scaffold import scaffold

REPO = Path(__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, str]:
    """Every path under `root` (links not followed) with what it is: file hash, link target."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def run(cwd: Path, *args: str) -> SimpleNamespace:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        res = CliRunner().invoke(main, list(args), prog_name="registry")
    finally:
        os.chdir(old)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return SimpleNamespace(code=res.exit_code, out=res.stdout, err=res.stderr)


@pytest.fixture
def project(tmp_path: Path, kit: SimpleNamespace) -> Path:
    """A copy of the project: mkdocs.yml, site_src/ and the minimal registry in data/."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "site_src", root / "site_src")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    kit.make_registry(root / "data")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


def linked_data(project: Path) -> Path:
    """`data` made a symlink to `elsewhere/` (a registry of its own, outside the repository)."""
    elsewhere = project.parent / "elsewhere"
    shutil.move(project / "data", elsewhere)
    (project / "data").symlink_to(elsewhere)
    return elsewhere


# --- the data root --------------------------------------------------------------------------------


def test_data_root_faults(tmp_path: Path, kit: SimpleNamespace) -> None:
    kit.make_registry(tmp_path / "real")
    (tmp_path / "data").symlink_to("real")
    (tmp_path / "via").symlink_to(".")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    assert data_root_fault(Path("real"), tmp_path) is None
    assert data_root_fault(tmp_path / "real", tmp_path) is None
    assert data_root_fault(Path("data"), tmp_path) == "是符号链接"
    assert data_root_fault(tmp_path / "data") == "是符号链接"  # outside the working directory
    assert data_root_fault(Path("via/real"), tmp_path) == f"经过符号链接 {tmp_path / 'via'}"
    assert data_root_fault(tmp_path / "via" / "real", tmp_path) is not None
    assert data_root_fault(Path("file"), tmp_path) == "是普通文件，不是目录"
    assert data_root_fault(Path("fifo"), tmp_path) == "是命名管道（FIFO），不是目录"
    assert data_root_fault(Path("missing"), tmp_path) == "不存在"


def test_check_registry_refuses_a_symlinked_root(
    tmp_path: Path, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library entry reports E114 and reads nothing: a link would be validated as if it were
    the data under review."""
    kit.make_registry(tmp_path / "real")
    (tmp_path / "data").symlink_to("real")
    (tmp_path / "sub").symlink_to(".")
    monkeypatch.chdir(tmp_path)
    for root in (Path("data"), tmp_path / "data", Path("sub/real")):
        reg = check_registry(root, kit.AS_OF)
        assert [(p.code, p.line) for p in reg.problems] == [("E114", 1)], root
        assert "符号链接" in reg.problems[0].message
        assert reg.records == {} and reg.files == 0
    assert check_registry(Path("real"), kit.AS_OF).problems == []


COMMANDS = [
    ("validate", "--as-of", "2026-11-23"),
    ("validate", "--as-of", "2026-11-23", "--format", "json"),
    ("check", "CAR-T", "--as-of", "2026-11-23"),
    ("build", "--as-of", "2026-11-23"),
    ("serve", "--as-of", "2026-11-23", "--addr", "192.0.2.1:8000"),  # TEST-NET: never bound
    ("diff", "HEAD"),
    ("new", "guidance"),
    ("new", "approved"),
    ("schema", "--out", "schemas-out"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_refuses_a_symlinked_data_root(project: Path, args: tuple[str, ...]) -> None:
    """Exit 1 with E114 (a problem of the tree under review, like any invalid data), before
    anything is read or written: no site, no new file (in the repository or where the link
    points), no schema, no served preview."""
    elsewhere = linked_data(project)
    before, outside = snapshot(project), snapshot(elsewhere)
    res = run(project, *args)
    assert res.code == 1, res.out + res.err
    assert "E114" in res.out + res.err and "Traceback" not in res.err  # check: problems on stderr
    assert snapshot(project) == before and snapshot(elsewhere) == outside


def test_a_symlink_on_the_way_to_the_data_counts(project: Path) -> None:
    (project / "registry").symlink_to(".")
    res = run(project, "validate", "--data", "registry/data", "--as-of", "2026-11-23")
    assert res.code == 1 and "E114" in res.out and "经过符号链接" in res.out


def test_a_missing_data_root_is_a_usage_error(project: Path) -> None:
    res = run(project, "validate", "--data", "nowhere")
    assert res.code == 2 and "找不到记录目录" in res.err


def test_new_refuses_a_link_in_the_library_too(tmp_path: Path, kit: SimpleNamespace) -> None:
    elsewhere = kit.make_registry(tmp_path / "elsewhere")
    (tmp_path / "data").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    with pytest.raises(ValueError, match="符号链接"):
        scaffold("guidance", tmp_path / "data", None, kit.AS_OF, False)
    assert snapshot(elsewhere) == before


def test_the_plugin_refuses_a_symlinked_data_dir(project: Path, tmp_path: Path) -> None:
    """`mkdocs build` (and every `registry build`) goes through the plugin's data_dir."""
    linked_data(project)
    with pytest.raises(RegistryInvalid) as err:
        build(project / "mkdocs.yml", tmp_path / "out")
    assert [p.code for p in err.value.problems] == ["E114"]
    assert not (tmp_path / "out").exists()


def test_guard_with_data_committed_as_a_symlink(tmp_path: Path, kit: SimpleNamespace) -> None:
    """The attack of issue 23: `data` turned into a link in the pull request, a published
    announcement edited and a record deleted behind it. `validate --base` passed (it compared
    nothing); now it fails with E114."""
    repo = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        repo.write(rel, text)
    repo.commit("导入", "2026-01-05T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "pr")
    shutil.move(repo.data, repo.root / "shadow")
    (repo.data).symlink_to("shadow")
    shadow = repo.root / "shadow"
    ann = shadow / "announcements" / "ANN-2026-002.yaml"
    ann.write_text(ann.read_text(encoding="utf-8").replace("某某医院", "另一医院"), "utf-8")
    (shadow / "banned" / "BAN-0001.yaml").unlink()
    ban = shadow / "announcements" / "ANN-2026-001.yaml"
    ban.write_text(ban.read_text(encoding="utf-8").split("  - action: ban")[0], "utf-8")
    repo.commit("把 data 换成链接", "2026-02-01T10:00:00+08:00")
    assert repo.git("ls-tree", "HEAD", "data").startswith("120000 blob")  # git keeps the link
    assert check_registry(shadow, kit.AS_OF).problems == []  # the shadow registry itself is valid
    res = run(repo.root, "validate", "--as-of", "2026-11-23", "--base", "main")
    assert res.code == 1, res.out + res.err
    assert [line.split(": ")[1].split()[0] for line in res.out.splitlines()] == ["E114"]


# --- the site directory ---------------------------------------------------------------------------


def _site_refused(project: Path, site: str) -> SimpleNamespace:
    before = snapshot(project.parent)
    res = run(project, "build", "--as-of", "2026-11-23", "--site-dir", site)
    assert snapshot(project.parent) == before
    return res


@pytest.mark.parametrize(
    "site,why",
    [
        ("data", "是或包含记录目录"),
        (".", "是或包含项目根目录"),
        ("..", "是或包含项目根目录"),
        ("data/site", "位于记录目录"),
        ("data/../data", "是或包含记录目录"),
        ("site_src", "是或包含docs_dir"),
    ],
)
def test_a_site_dir_that_is_or_holds_what_it_must_not_is_refused(
    project: Path, site: str, why: str
) -> None:
    res = _site_refused(project, site)
    assert res.code == 2, res.out + res.err
    assert f"网站目录 {site} {why}" in res.err and "未写入也未删除任何文件" in res.err


def test_a_site_dir_inside_docs_dir_is_refused_by_mkdocs_itself(project: Path) -> None:
    """MkDocs' own configuration check (site_dir within docs_dir) comes first here: exit 1."""
    res = _site_refused(project, "site_src/out")
    assert res.code == 1 and "should not be within the 'docs_dir'" in res.err


def test_a_site_symlink_is_refused_and_its_target_kept(project: Path) -> None:
    """`site` committed as a link (to data/, to the home folder …): the build resolved it and
    then replaced and deleted the folder it points to."""
    precious = project.parent / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine", encoding="utf-8")
    (project / "site").symlink_to(precious)
    assert "网站目录 site 是符号链接" in _site_refused(project, "site").err
    (project / "out").symlink_to(precious)
    assert "经过符号链接" in _site_refused(project, "out/site").err
    (project / "site").unlink()
    (project / "site").symlink_to("data")
    res = _site_refused(project, "site")
    assert res.code == 2 and "网站目录 site 是符号链接" in res.err


def test_site_dir_fault_compares_real_paths(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(project)  # outside the project: not a link "in" it
    keep = {"记录目录": project / "data"}
    assert site_dir_fault(project / "site", project, keep) is None
    assert site_dir_fault(tmp_path / "elsewhere", project, keep) is None
    assert site_dir_fault(tmp_path / "alias" / "data", project, keep) == (
        f"是或包含记录目录 {project / 'data'}"
    )
    assert site_dir_fault(Path("/"), project, keep) is not None


def test_mkdocs_build_through_the_plugin_refuses_the_data_as_site_dir(project: Path) -> None:
    """Plain `mkdocs build -d data` cleaned the data folder; the plugin's on_config now stops
    it first (MkDocs cleans site_dir only after on_config)."""
    before = snapshot(project.parent)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "data"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert res.returncode == 1
    assert "网站目录" in res.stderr and "是或包含记录目录" in res.stderr
    assert snapshot(project.parent) == before


def test_the_library_build_and_the_plain_shell_refuse_too(
    project: Path, tmp_path: Path, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project.parent)
    with pytest.raises(SiteDirRefused):
        build(project / "mkdocs.yml", project / "data", project / "data", kit.AS_OF)
    monkeypatch.chdir(project)
    for site in (Path("data"), Path("."), Path("data/site")):
        with pytest.raises(ValueError, match="网站目录"):
            build_plain(Path("data"), kit.AS_OF, site)
    assert snapshot(project.parent) == before


def test_the_default_site_inside_the_project_is_fine(project: Path) -> None:
    res = run(project, "build", "--as-of", "2026-11-23")
    assert res.code == 0, res.out + res.err
    assert (project / "site" / "index.html").is_file()
