"""Issue 13: nothing from data/ or git may escape. One group of tests per class of attack; the
guard (class 1) is in test_guard.py, the bad-input corpus has a case per new code (E111, E211,
E212, E112, E113, and the E209/E314 variants), the fuzz test is test_fuzz.py and the browser test
of the injection corpus is tests/browser/test_browser_injection.py."""

from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from generator.domain.markdown import markdown, safe_url, unsafe_urls
from generator.outputs.api import formula_risk, neutralise_cell
from generator.outputs.writer import SideWriter, confined
from generator.publish.pipeline import check_registry
from generator.shells import build as build_mod
from generator.shells.cli import main

AS_OF = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parent.parent


# --- class 2: paths from data never leave the site -----------------------------------------


@pytest.mark.parametrize(
    "path",
    ["../x", "/etc/passwd", "a/../../x", "a/./b", ".hidden/x", "a\\b", "a/\0", "", "a//b", "ａ/b"],
)
def test_confined_refuses_paths_that_could_leave_the_site(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError):
        confined(tmp_path, path)


def test_confined_accepts_what_the_site_writes(tmp_path: Path) -> None:
    for path in (
        "api/records/BMT-2026-001.json",
        "feeds/categories/cell-therapy.xml",
        "downloads/registry-2026-11-23+abc1234.zip",
        "approved/old-name/index.html",
    ):
        assert confined(tmp_path, path) == tmp_path / path


@pytest.mark.parametrize("bad", ["../../x", "/tmp/x", "GL-0001/../x", "gl-0001", "BMT-2026-1"])
def test_registry_new_validates_the_id_before_writing(tmp_path: Path, bad: str) -> None:
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["new", "guidance", "--data", str(data), "--id", bad])
    assert result.exit_code == 2, result.output
    assert not data.exists() and not (tmp_path / "x").exists()


def test_registry_new_does_not_write_through_a_symlink(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "guidance-list").mkdir(parents=True)
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep\n", encoding="utf-8")
    (data / "guidance-list" / "GL-0007.yaml").symlink_to(outside)
    args = ["new", "guidance", "--data", str(data), "--id", "GL-0007", "--force"]
    assert CliRunner().invoke(main, args).exit_code == 2
    assert outside.read_text(encoding="utf-8") == "keep\n"
    ok = CliRunner().invoke(main, ["new", "banned", "--data", str(data), "--id", "BAN-0003"])
    assert ok.exit_code == 0 and (data / "banned" / "BAN-0003.yaml").is_file()


def test_redirect_clashes_with_any_built_file(kit: SimpleNamespace, tmp_path: Path) -> None:
    """The build-time check compares with MkDocs' real file list (hand-written pages too)."""
    from generator.outputs.redirects import redirect_clashes
    from generator.publish.version import data_version
    from generator.publish.views import build_site

    root = kit.make_registry(
        tmp_path / "data",
        {
            "registry.yaml": kit.BASE["registry.yaml"]
            + "redirects:\n  /guide/: GL-0001\n  /old/: GL-0001\n"
        },
    )
    reg = check_registry(root, AS_OF)
    assert reg.problems == []
    site = build_site(reg, data_version(root, AS_OF))
    assert redirect_clashes(site, {"guide/index.html", "index.html"}) == ["/guide/"]
    assert redirect_clashes(site, {"GUIDE/INDEX.HTML"}) == ["/guide/"]  # case-insensitive FS


# --- class 3: no request to another origin --------------------------------------------------

OFFSITE = [
    "![x](https://evil.example/p.png)",
    "![x](/assets/p.png)",
    "[a](//evil.example/)",
    "[a](/\\evil.example/)",
    "[a](\\\\evil.example)",
    "[a](&#x2F;&#x2F;evil.example)",
    "[a](&#47;&#47;evil.example)",
    "[a][r]\n\n[r]: //evil.example",
    "[a][r]\n\n[r]: <//evil.example>",
    "[a](javascript&#x3A;alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](data:text/html,x)",
    "[a](https:/\\evil.example)",
    "[a](%5C%5Cevil.example)",
    "[a](/%5cevil.example)",
]


@pytest.mark.parametrize("text", OFFSITE)
def test_validation_refuses_offsite_links_and_images(text: str) -> None:
    assert unsafe_urls(text), text


@pytest.mark.parametrize("text", OFFSITE)
def test_rendering_is_inert_whatever_validation_says(text: str) -> None:
    html = str(markdown(text))
    assert "<img" not in html and "evil" not in html.split(">", 1)[0]
    for chunk in html.split('href="')[1:]:
        href = chunk.split('"', 1)[0]
        assert safe_url(href) and not href.startswith("//"), (text, html)


def test_safe_markdown_renders_links() -> None:
    html = str(markdown("[规范](https://www.nhc.gov.cn/) [站内](/approved/) [锚点](#x)"))
    assert html.count("<a href=") == 3
    assert unsafe_urls("[规范](https://www.nhc.gov.cn/) [站内](/approved/) [锚点](#x)") == []


def test_sanitiser_drops_tags_cmark_safe_mode_would_not_make() -> None:
    from generator.domain.markdown import sanitise

    html = sanitise(
        '<p><img src="https://e/x"><a href="//e">x</a><iframe src="https://e"></iframe></p>'
    )
    assert "img" not in html and "iframe" not in html and "//e" not in html


def test_markdown_cost_stays_small() -> None:
    """Not a timing assertion: the sanitiser runs once per Markdown field, on short HTML."""
    import nh3

    assert nh3.Cleaner  # the prebuilt cleaner: about 25 µs per field, measured in docs/security.md


# --- class 5: never a traceback from the CLI ------------------------------------------------


def _build_args(data: Path, site: Path) -> list[str]:
    return [
        "build",
        "--data",
        str(data),
        "--site-dir",
        str(site),
        "--as-of",
        "2026-11-23",
        "--config",
        str(ROOT / "mkdocs.yml"),
    ]


def test_disk_full_is_one_chinese_line(
    kit: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = kit.make_registry(tmp_path / "data")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "site" / "x"))

    monkeypatch.setattr(build_mod, "swap_in", full)
    result = CliRunner().invoke(main, _build_args(root, tmp_path / "site"))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and "磁盘空间已满" in lines[-1] and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def _can_mount_tmpfs(where: Path) -> bool:
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    where.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)], capture_output=True
    )
    return r.returncode == 0


def test_a_real_full_disk(kit: SimpleNamespace, tmp_path: Path) -> None:
    """A 256 KiB tmpfs as the site's parent: MkDocs or the side writer hits ENOSPC."""
    disk = tmp_path / "disk"
    if not _can_mount_tmpfs(disk):
        pytest.skip("needs root and tmpfs to simulate a full disk")
    try:
        root = kit.make_registry(tmp_path / "data")
        cmd = [sys.executable, "-m", "generator", *_build_args(root, disk / "site")]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and ("磁盘空间已满" in lines[0] or "构建失败" in lines[0]), r.stderr
        assert not (disk / "site").exists()
        assert [p.name for p in disk.iterdir()] == [], "temporary tree left behind"
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_read_only_site_parent_and_vanished_data(kit: SimpleNamespace, tmp_path: Path) -> None:
    root = kit.make_registry(tmp_path / "data")
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "site").write_text("a file where the parent of the tree should be", encoding="utf-8")
    r = CliRunner().invoke(main, _build_args(root, ro / "site" / "inner"))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "操作失败" in r.output or "构建失败" in r.output
    r = CliRunner().invoke(main, ["validate", "--data", str(tmp_path / "gone")])
    assert r.exit_code == 2 and "找不到记录目录" in r.output


def test_data_dir_vanishing_while_validating(
    kit: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from generator.validate import files as validation

    root = kit.make_registry(tmp_path / "data")
    real = validation._yaml_files

    def vanish(folder: Path, shown: str, problems: list) -> list:  # type: ignore[type-arg]
        shutil.rmtree(root, ignore_errors=True)
        return real(folder, shown, problems)

    monkeypatch.setattr(validation, "_yaml_files", vanish)
    r = CliRunner().invoke(main, ["validate", "--data", str(root), "--as-of", "2026-11-23"])
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert "不存在" in r.output


# --- class 6: spreadsheet formulas ------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK(1)", "＝1", "\u3000=1"]
)
def test_formula_cells_are_neutralised(value: str) -> None:
    assert formula_risk(value) and neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["自体CAR-T", "BMT-2026-001", "2026-06-15", "a=b", ""])
def test_ordinary_cells_are_untouched(value: str) -> None:
    assert neutralise_cell(value) == value


def test_csv_and_xlsx_of_a_hostile_registry(kit: SimpleNamespace, tmp_path: Path) -> None:
    import openpyxl

    from generator.outputs.api import records_csv
    from generator.outputs.downloads import records_xlsx
    from generator.publish.version import data_version
    from generator.publish.views import build_site

    gl = (
        kit.BASE["guidance-list/GL-0001.yaml"]
        .replace("name: 自体CAR-T细胞治疗技术", 'name: \'=HYPERLINK("https://evil.example","x")\'')
        .replace("aliases: [CAR-T]", "aliases: ['@SUM(1)', '+1']")
    )
    root = kit.make_registry(tmp_path / "data", {"guidance-list/GL-0001.yaml": gl})
    reg = check_registry(root, AS_OF)
    assert reg.problems == []
    site = build_site(reg, data_version(root, AS_OF))
    rows = list(csv.DictReader(io.StringIO(records_csv(site).decode("utf-8-sig"))))
    row = next(r for r in rows if r["编号"] == "GL-0001")
    assert row["名称"].startswith("'=") and row["别名"].startswith("'@")
    book = openpyxl.load_workbook(io.BytesIO(records_xlsx(site)))
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r]
    hostile = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)
    assert not any(c.data_type == "f" for c in cells)


# --- class 7: embargo through side channels ----------------------------------------------------

SECRET = """\
id: ANN-2026-009
number: 国家卫生健康委公告 2026年第9号
title: 关于暂停自体CD19 CAR-T细胞治疗技术的公告
date: 2099-01-01
body: |
  正文。
actions:
  - action: suspend
    record: BMT-2026-001
    ground: other
"""


@pytest.fixture(scope="module")
def embargo_site(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A repository whose commits name an embargoed announcement in their messages and in a
    published record's text and comments."""
    from gitkit import GitRepo, base_files
    from sitekit import build_sample

    tmp = tmp_path_factory.mktemp("embargo")
    repo = GitRepo(tmp / "repo")
    for rel, text in base_files().items():
        repo.write(rel, text)
    repo.commit("导入", "2026-01-05T10:00:00+08:00")
    repo.write("announcements/ANN-2026-009.yaml", SECRET)
    repo.replace(
        "approved/BMT-2026-001.yaml",
        "  技术解读。",
        "  技术解读。将由 ANN-2026-009 暂停。\n# 机密：2099 年暂停",
    )
    repo.commit("机密：ANN-2026-009 将暂停 CAR-T", "2026-02-01T10:00:00+08:00")
    repo.replace("approved/BMT-2026-001.yaml", "将由 ANN-2026-009 暂停。", "")
    repo.commit("撤回上一处改动", "2026-02-02T10:00:00+08:00")
    repo.replace("guidance-list/GL-0001.yaml", "aliases: [CAR-T]", "aliases: [CAR-T, 别名二]")
    repo.commit("机密提交说明：暂停在即", "2026-03-01T10:00:00+08:00")
    site = build_sample(tmp / "site", data=repo.data)
    return SimpleNamespace(repo=repo, site=site)


def _all_text(site: Path) -> list[tuple[str, str]]:
    out = []
    for p in site.rglob("*"):
        if p.is_file() and p.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            out.append((str(p.relative_to(site)), p.read_text(encoding="utf-8", errors="replace")))
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                for name in z.namelist():
                    out.append((f"{p.name}:{name}", z.read(name).decode("utf-8", "replace")))
    return out


def test_nothing_public_names_the_embargoed_announcement(embargo_site: SimpleNamespace) -> None:
    leaks = [
        (path, word)
        for path, text in _all_text(embargo_site.site)
        for word in ("ANN-2026-009", "2026年第9号", "机密", "暂停在即")
        if word in text
    ]
    assert leaks == []


def test_revisions_show_generated_messages(embargo_site: SimpleNamespace) -> None:
    import json

    gl = json.loads((embargo_site.site / "api/records/GL-0001.json").read_text(encoding="utf-8"))
    assert [r["message"] for r in gl["revisions"]] == ["新建记录", "修改 别名"]
    bmt = json.loads((embargo_site.site / "api/records/BMT-2026-001.json").read_text("utf-8"))
    # the commit whose change names the embargoed announcement is withheld until its date
    assert [r["message"] for r in bmt["revisions"]] == ["新建记录"]


def test_zip_yaml_is_reserialised_and_validates(
    embargo_site: SimpleNamespace, tmp_path: Path
) -> None:
    [archive] = (embargo_site.site / "downloads").glob("registry-*.zip")
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            if "/data/" in name:
                target = tmp_path / name.split("/data/", 1)[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    reg = check_registry(tmp_path, AS_OF)
    assert reg.problems == []
    assert set(reg.announcements) == {"ANN-2026-001", "ANN-2026-002"}


# --- class 9: interrupted builds -------------------------------------------------------------


def test_stale_trees_of_dead_builds_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    cmd = [sys.executable, "-c", "import os; print(os.getpid())"]
    dead = subprocess.run(cmd, text=True, capture_output=True).stdout.strip()
    stale = [tmp_path / f".site.building-{dead}", tmp_path / f".site.old-{dead}"]
    for p in stale:
        (p / "x").mkdir(parents=True)
    mine = tmp_path / f".site.building-{os.getpid()}"
    mine.mkdir()
    other = tmp_path / ".other.building-1"
    other.mkdir()
    removed = build_mod.remove_stale_trees(site)
    assert sorted(removed) == sorted(stale)
    assert mine.exists() and other.exists()


def test_swap_never_leaves_a_moment_without_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "gen").write_text("0", encoding="utf-8")
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not os.path.isdir(site):
                missing.append(1)

    t = threading.Thread(target=watch)
    t.start()
    try:
        for i in range(1, 200):
            new = tmp_path / f".site.building-{i}"
            new.mkdir()
            (new / "gen").write_text(str(i), encoding="utf-8")
            build_mod.swap_in(new, site)
    finally:
        stop.set()
        t.join()
    assert (site / "gen").read_text(encoding="utf-8") == "199"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    if build_mod._exchange(a, b):  # RENAME_EXCHANGE works here: the swap is one step
        assert missing == [], "site/ was missing during a swap"


def test_side_writer_child_is_killed_on_cancel(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def slow() -> list[tuple[str, bytes]]:
        started.write_text(str(os.getpid()), encoding="utf-8")
        import time

        time.sleep(600)
        return []

    w = SideWriter(tmp_path, slow, background=True)
    while not (started.exists() and started.read_text(encoding="utf-8")):
        os.sched_yield()
    pid = int(started.read_text(encoding="utf-8"))
    w.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


CHILD_SCRIPT = """
import os, sys, time
from pathlib import Path
from generator.outputs.writer import SideWriter
out = Path(sys.argv[1])
def make():
    (out / "child.pid").write_text(str(os.getpid()))
    time.sleep(600)
    return []
SideWriter(out, make, background=True)
while not ((out / "child.pid").exists() and (out / "child.pid").read_text()):
    time.sleep(0.01)
os.kill(os.getpid(), 9)  # the parent dies without any cleanup
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_side_writer_child_dies_with_a_killed_parent(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-c", CHILD_SCRIPT, str(tmp_path)], cwd=ROOT)
    assert r.returncode == -9
    pid = int((tmp_path / "child.pid").read_text())
    # the kernel delivers SIGKILL to the child when its parent dies; reap-wait until it is gone
    for _ in range(10_000):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split(")")[-1].split()[0] == "Z":
                    break  # a zombie waiting for init to reap it: it no longer runs
        except FileNotFoundError:
            break
        os.sched_yield()
    else:
        pytest.fail(f"side writer {pid} outlived its parent")
