"""The `registry` command line (DESIGN.md, Set-up).

`cli` runs `python -m generator` in a real subprocess; `invoke` runs the same click command
in-process (a subprocess costs ~0.3 s, so most parametrised checks use `invoke`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from sitekit import config_with

from generator.domain.dates import today_shanghai
from generator.domain.errors import CATALOGUE
from generator.domain.kinds import FILES, RECORD_DIRS, FileSpec
from generator.load.documents import load_file
from generator.shells.cli import main
from generator.validate.schema import parse_model

REPO = Path(__file__).resolve().parents[2]
CASE_DIRS = sorted(p for p in (Path(__file__).parents[1] / "bad_inputs").iterdir() if p.is_dir())
# `data:1:1: E114 …`: a problem of the data root itself (file ".", as in expect.txt)
LINE = re.compile(
    r"^data(?:/(?P<file>[^:]+))?:(?P<line>\d+):(?P<col>\d+): (?P<code>E\d{3}) (?P<msg>.+)$"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def invoke(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        res = CliRunner().invoke(main, list(args), prog_name="registry")
    finally:
        os.chdir(old)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return subprocess.CompletedProcess(list(args), res.exit_code, res.stdout, res.stderr)


def validate(cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli("validate", "--data", "data", "--as-of", "2026-11-23", *extra, cwd=cwd)


def parse_text(stdout: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in stdout.splitlines():
        m = LINE.match(line)
        assert m, f"not a problem line: {line!r}"
        found.add((m["file"] or ".", int(m["line"]), m["code"]))
    return found


# --- validate -----------------------------------------------------------------------------------


def test_validate_valid_registry_exits_0(kit: SimpleNamespace, tmp_path: Path) -> None:
    kit.make_registry(tmp_path / "data")
    res = validate(tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout == ""
    assert "全部通过" in res.stderr
    res = invoke(
        "validate", "--data", "data", "--as-of", "2026-11-23", "--format", "json", cwd=tmp_path
    )
    assert res.returncode == 0
    assert json.loads(res.stdout) == []


def test_usage_error_through_python_m_generator(tmp_path: Path) -> None:
    for args in (("validate", "--data", "missing-dir"), ("validate", "--as-of", "2026-02-30")):
        res = cli(*args, cwd=tmp_path)
        assert res.returncode == 2, res.stderr
        assert "Traceback" not in res.stderr and "用法:" in res.stderr


def test_validate_invalid_registry_exits_1_with_one_line_per_problem(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    kit.make_registry(
        tmp_path / "data",
        {
            "guidance-list/GL-0001.yaml": kit.BASE["guidance-list/GL-0001.yaml"] + "nmae: x\n",
            "banned/BAN-0002.yaml": "id: BAN-0002\nname: 未公告\ncategory: other\ndescription: d\n",
        },
    )
    res = validate(tmp_path)
    assert res.returncode == 1
    assert parse_text(res.stdout) == {
        ("guidance-list/GL-0001.yaml", 7, "E201"),
        ("banned/BAN-0002.yaml", 1, "E308"),
    }
    for line in res.stdout.splitlines():
        assert CJK.search(LINE.match(line)["msg"])
    assert "nmae" in res.stdout and "2 个错误" in res.stderr


def test_validate_json_format(kit: SimpleNamespace, tmp_path: Path) -> None:
    kit.make_registry(
        tmp_path / "data",
        {
            "announcements/ANN-2026-003.yaml": (
                "id: ANN-2026-003\nnumber: 第3号\ntitle: t\ndate: 2026-06-01\nbody: b\nactions:\n"
                "  - action: resume\n    record: BMT-2026-001\n  - action: list\n    record: GL-0404\n"
            ),
            "guidance-list/GL-0001.yaml": kit.BASE["guidance-list/GL-0001.yaml"].replace(
                "aliases: [CAR-T]", "aliases: [甲, 甲]"
            ),
        },
    )
    res = validate(tmp_path, "--format", "json")
    assert res.returncode == 1
    items = json.loads(res.stdout)
    assert len(items) == 3
    for item in items:
        assert set(item) == {"file", "line", "column", "code", "message", "path"}
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert CJK.search(item["message"]), item
        assert item["file"].startswith("data/")
    got = {(i["file"], i["line"], i["column"], i["code"], i["path"]) for i in items}
    assert got == {
        ("data/announcements/ANN-2026-003.yaml", 7, 13, "E402", "actions[0].action"),
        ("data/announcements/ANN-2026-003.yaml", 10, 13, "E305", "actions[1].record"),
        ("data/guidance-list/GL-0001.yaml", 3, 10, "E210", "aliases"),
    }
    assert "\\u" not in res.stdout  # Chinese is written as is


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--data", "missing-dir"),
        ("validate", "--data", "data", "--as-of", "2026-02-30"),
        ("validate", "--data", "data", "--as-of", "tomorrow"),
        ("validate", "--data", "data", "--format", "xml"),
        ("validate", "--no-such-option"),
        ("no-such-command",),
        ("new", "record"),
    ],
)
def test_usage_errors_exit_2(kit: SimpleNamespace, tmp_path: Path, args: tuple[str, ...]) -> None:
    kit.make_registry(tmp_path / "data")
    res = invoke(*args, cwd=tmp_path)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr


# English that click would print without the registry's catalogue (cli.ZH_MESSAGES)
_CLICK_ENGLISH = re.compile(r"Usage:|Error:|Try '|No such|Missing|Invalid value|requires an|is not")


@pytest.mark.parametrize(
    "args,expected",
    [
        (("no-such-command",), "没有命令 'no-such-command'"),
        (("check",), "缺少参数 'QUERY'。"),
        (("validate", "--format", "xml"), "'--format' 的取值无效：'xml' 不是可选值之一"),
        (("validate", "--no-such-option"), "没有选项 '--no-such-option'"),
        (("build", "--as-of"), "选项 '--as-of' 需要一个值"),
        (("synth", "--records", "x", "--out", "o"), "'--records' 的取值无效"),
        (("synth", "--records", "0", "--out", "o"), "不在允许范围"),
        (("validate", "extra"), "多余的参数（extra）"),
    ],
)
def test_usage_errors_are_in_chinese(args: tuple[str, ...], expected: str) -> None:
    """click's own usage messages come out in Chinese, still with exit code 2."""
    res = CliRunner().invoke(main, list(args), prog_name="registry")
    assert res.exit_code == 2, res.output
    assert expected in res.stderr, res.stderr
    if args != ("build", "--as-of"):  # click prints no usage for an option missing its value
        assert "用法: registry" in res.stderr and "查看帮助" in res.stderr
    assert not _CLICK_ENGLISH.search(res.stderr), res.stderr


def test_help_is_in_chinese() -> None:
    res = CliRunner().invoke(main, ["--help"], prog_name="registry")
    assert res.exit_code == 0
    assert "用法: registry [选项] 命令 [参数]..." in res.stdout
    assert "选项:" in res.stdout and "命令:" in res.stdout and "显示本帮助并退出" in res.stdout
    sub = CliRunner().invoke(main, ["validate", "--help"], prog_name="registry")
    assert "用法: registry validate [选项]" in sub.stdout and "[OPTIONS]" not in sub.stdout


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_bad_input_case_through_the_cli(
    kit: SimpleNamespace, case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every case, through the click command in-process (a subprocess each would take ~0.3 s)."""
    expected = kit.build_case(case, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["validate", "--data", "data", "--as-of", "2026-11-23"])
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.stderr
    assert parse_text(res.stdout) == expected
    json_res = CliRunner().invoke(
        main, ["validate", "--data", "data", "--as-of", "2026-11-23", "--format", "json"]
    )
    assert json_res.exit_code == 1
    items = json.loads(json_res.stdout)
    shown = {(i["file"].removeprefix("data/"), i["line"], i["code"]) for i in items}
    assert {("." if f == "data" else f, n, c) for f, n, c in shown} == expected


# The nastiest inputs also go through a real `python -m generator validate` process.
SUBPROCESS_CASES = [
    "e101_five_mib_file",
    "e102_invalid_utf8_line_5",
    "e103_control_character",
    "e105_python_object_apply",
    "e106_billion_laughs",
    "e108_deep_nesting",
    "e110_empty_file",
    "e209_javascript_link_in_markdown",
    "e312_missing_registry_yaml",
    "all_problems_at_once",
]


def test_nasty_cases_through_python_m_generator(kit: SimpleNamespace, tmp_path: Path) -> None:
    cases = [c for c in CASE_DIRS if c.name in SUBPROCESS_CASES]
    assert len(cases) == len(SUBPROCESS_CASES)

    def run(case: Path) -> tuple[str, set[tuple[str, int, str]], subprocess.CompletedProcess[str]]:
        expected = kit.build_case(case, tmp_path / case.name / "data")
        return case.name, expected, validate(tmp_path / case.name)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, cases))
    for name, expected, res in results:
        assert res.returncode == 1, (name, res.stderr)
        assert "Traceback" not in res.stderr, name
        assert parse_text(res.stdout) == expected, name


# --- other commands -----------------------------------------------------------------------------


def test_errors_lists_every_code(tmp_path: Path) -> None:
    res = cli("errors", cwd=tmp_path)
    assert res.returncode == 0
    codes = [line.split("\t")[0] for line in res.stdout.splitlines() if line.strip()]
    assert codes == list(CATALOGUE)
    for line in res.stdout.splitlines():
        code, title, template = line.split("\t")
        assert (title, template) == CATALOGUE[code]


KIND_DIRS = {s.kind: s.folder for s in FILES}  # every file kind `registry new` writes


@pytest.mark.parametrize("kind", list(KIND_DIRS))
def test_new_writes_a_file_whose_only_problems_are_placeholders(tmp_path: Path, kind: str) -> None:
    if kind == "conditions":  # conditions belong to an approved technology (issue 25)
        (tmp_path / "data" / "approved").mkdir(parents=True)
        (tmp_path / "data" / "approved" / "BMT-2026-001.yaml").write_text("id: BMT-2026-001\n")
    res = invoke("new", kind, "--data", "data", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    path = sorted((tmp_path / "data" / KIND_DIRS[kind]).glob("*.yaml"))[0]
    doc = load_file(path)
    assert doc.problems == []
    _obj, problems = parse_model(doc, RECORD_DIRS[KIND_DIRS[kind]][1])
    # a placeholder in an id-like or vocabulary field fails its format too; E214 reports it
    assert {p.path for p in problems} <= {
        "category",
        "guidance_entry",
        "actions[0].record",
        "actions[0].risk_grade",
    }
    again = invoke("new", kind, "--data", "data", "--id", path.stem, cwd=tmp_path)
    assert again.returncode == 2  # refuses to overwrite without --force


FILLED = {  # what an editor would write instead of each placeholder with a format
    "请填写技术名称": "新的细胞治疗技术",
    "请填写分类编号": "cell-therapy",
    "请填写备案指导清单条目编号": "GL-0001",
    "请填写风险等级": "high",
    "请填写记录编号": "GL-0001",
    "请填写文号": "国家卫生健康委公告 2026年第9号",
    "请填写项目名称": "自体间充质干细胞治疗膝骨关节炎的多中心临床研究",
}


def _fill(text: str) -> str:
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    return text.replace("请填写", "已填写")  # free text: any real content will do


@pytest.mark.parametrize("kind", ["approved", "announcement", "research"])
def test_scaffold_fails_with_placeholders_and_validates_once_filled(
    kit: SimpleNamespace, tmp_path: Path, kind: str
) -> None:
    from generator.domain.dates import today_shanghai
    from generator.publish.pipeline import check_registry

    root = kit.make_registry(tmp_path / "data")
    res = invoke("new", kind, "--data", "data", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    written = [Path(tmp_path, line.removeprefix("已生成 ")) for line in res.stdout.splitlines()]
    expected = 3 if kind == "approved" else 1
    assert len(written) == expected and all(p.is_file() for p in written)
    reg = check_registry(root, today_shanghai())
    assert reg.problems and {p.code for p in reg.problems} == {"E214"}, [
        p.text() for p in reg.problems
    ]
    texts = [p.read_text(encoding="utf-8") for p in written]
    assert len(reg.problems) == sum(t.count("请填写") for t in texts) - sum(
        1
        for t in texts
        for line in t.splitlines()
        if "#" in line and "请填写" in line.split("#", 1)[1]
    )
    for path in written:
        path.write_text(_fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    reg = check_registry(root, today_shanghai())
    assert reg.problems == [], [p.text() for p in reg.problems]
    if kind == "approved":
        rid = written[0].stem
        assert reg.replay.statuses[rid].code == "restricted"
        assert set(reg.conditions) >= {rid}
    if kind == "research":  # filed today under a listed entry: no announcement needed
        assert reg.records[written[0].stem].kind == "research"


def test_new_approved_names_the_record_in_its_announcement(tmp_path: Path) -> None:
    kit_root = tmp_path / "data"
    (kit_root / "announcements").mkdir(parents=True)
    (kit_root / "announcements" / "ANN-2026-004.yaml").write_text("id: ANN-2026-004\n")
    res = invoke("new", "approved", "--data", "data", "--id", "BMT-2026-010", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    ann = (kit_root / "announcements" / "ANN-2026-005.yaml").read_text(encoding="utf-8")
    assert "record: BMT-2026-010" in ann and "action: approve" in ann
    assert "high（高风险，5 年）" in ann  # the allowed values, commented
    for action in ("list", "delist", "emergency_use", "suspend", "ban", "amend"):
        assert f"#   {action}" in ann  # the fields of every action are shown
    assert (kit_root / "conditions" / "BMT-2026-010.yaml").is_file()
    record = (kit_root / "approved" / "BMT-2026-010.yaml").read_text(encoding="utf-8")
    assert "guidance_entry:" in record and "ANN-2026-005" in record


def test_new_takes_the_next_free_id(kit: SimpleNamespace, tmp_path: Path) -> None:
    kit.make_registry(tmp_path / "data")
    assert invoke("new", "guidance", "--data", "data", cwd=tmp_path).returncode == 0
    assert (tmp_path / "data" / "guidance-list" / "GL-0002.yaml").is_file()


@pytest.mark.parametrize("spec", FILES, ids=lambda s: s.kind)
def test_next_id_fits_the_kinds_id_format(tmp_path: Path, spec: FileSpec) -> None:
    """The number comes from the spec's id format (prefix, year, width), for every kind."""
    from generator.shells.scaffold import next_id

    today = date(2027, 3, 1)
    first = next_id(spec.kind, tmp_path, today)
    assert spec.ids.matches(first) and first.endswith("1"), first
    (tmp_path / f"{first}.yaml").write_text("")
    (tmp_path / f"{first[:-1]}9.yaml").write_text("")  # a gap: the highest number counts
    again = next_id(spec.kind, tmp_path, today)
    assert spec.ids.matches(again) and again == f"{first[:-2]}10", again
    if spec.ids.regex.count("\\d") == 2:  # a yearly format restarts with the year
        assert "-2027-" in first


@pytest.mark.parametrize("brk", ["\n", "\r", "\x85", "\u2028", "\u2029"])
def test_a_name_from_the_data_stays_inside_its_comment(brk: str) -> None:
    """Entry names go into the skeleton's comments: a line break of any kind YAML knows would end
    the comment and write a key of the data's choosing into the new file."""
    from generator.shells.scaffold import _one_line
    from generator.validate.scaffolds import Vocabulary, render

    voc = Vocabulary(listed=_one_line(f"GL-0001 名称{brk}filing_no: 注入"))
    data = yaml.safe_load(render("research", "CR-2026-0001", date(2026, 12, 7), voc))
    assert "filing_no" not in data and data["id"] == "CR-2026-0001"


def test_new_research_lists_the_entries_listed_today(kit: SimpleNamespace, tmp_path: Path) -> None:
    """`registry new research`: CR-<year>-0001, the entries an editor may file under (listed
    today, by the data's replay: GL-0002 is listed only in 2099, GL-0003 was delisted), and that
    a project needs no announcement."""
    entry = kit.BASE["guidance-list/GL-0001.yaml"]
    ann = kit.BASE["announcements/ANN-2026-002.yaml"].split("actions:")[0]
    files = {
        "guidance-list/GL-0002.yaml": entry.replace("GL-0001", "GL-0002")
        .replace("自体CAR-T", "未来的")
        .replace("aliases: [CAR-T]\n", ""),
        "guidance-list/GL-0003.yaml": entry.replace("GL-0001", "GL-0003")
        .replace("自体CAR-T", "调出的")
        .replace("aliases: [CAR-T]\n", ""),
        "announcements/ANN-2026-008.yaml": ann.replace("ANN-2026-002", "ANN-2026-008")
        .replace("2026年第2号", "2026年第8号")
        .replace("2026-03-01", "2026-02-01")
        + "actions:\n  - {action: list, record: GL-0003}\n",
        "announcements/ANN-2026-009.yaml": ann.replace("ANN-2026-002", "ANN-2026-009")
        .replace("2026年第2号", "2026年第9号")
        .replace("2026-03-01", "2026-04-01")
        + "actions:\n  - {action: delist, record: GL-0003, route: direct, ground: major_ethics_issue}\n",
        "announcements/ANN-2099-001.yaml": ann.replace("ANN-2026-002", "ANN-2099-001")
        .replace("2026年第2号", "2099年第1号")
        .replace("2026-03-01", "2099-01-01")
        + "actions:\n  - {action: list, record: GL-0002}\n",
    }
    root = kit.make_registry(tmp_path / "data", files)
    from generator.publish.pipeline import check_registry

    assert check_registry(root, today_shanghai()).problems == []
    res = invoke("new", "research", "--data", "data", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    (path,) = (root / "research").glob("*.yaml")
    year = today_shanghai().year
    assert path.name == f"CR-{year}-0001.yaml"
    text = path.read_text(encoding="utf-8")
    listed = text.split("今天在清单内的条目：", 1)[1].split("\nsponsor:", 1)[0]
    assert "GL-0001 自体CAR-T细胞治疗技术" in listed
    assert "GL-0002" not in listed and "GL-0003" not in listed
    assert "不需要公告" in text and "请填写项目名称" in text
    assert f"filed: {today_shanghai().isoformat()}" in text
    data = yaml.safe_load(text)
    assert set(data) <= set(RECORD_DIRS["research"][1].model_fields)


def test_schema_writes_valid_draft_2020_12_schemas(tmp_path: Path) -> None:
    res = cli("schema", "--out", "schemas", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    files = sorted((tmp_path / "schemas").glob("*.json"))
    names = {p.name for p in files}
    assert {"registry.schema.json", "risk-grades.schema.json"} <= names
    assert {f"{d}.schema.json" for d in RECORD_DIRS} <= names
    for path in files:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_schemas_accept_the_base_registry_and_reject_unknown_keys(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    assert invoke("schema", "--out", "schemas", cwd=tmp_path).returncode == 0
    root = kit.make_registry(tmp_path / "data")
    schema_of = {"registry.yaml": "registry", "risk-grades.yaml": "risk-grades"}
    for rel in kit.BASE:
        name = schema_of.get(rel, rel.split("/")[0])
        schema = json.loads(
            (tmp_path / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        )
        validator = jsonschema.Draft202012Validator(schema)
        data = load_file(root / rel).data
        assert list(validator.iter_errors(data)) == [], rel
        assert list(validator.iter_errors({**data, "unknown_key": 1})) != [], rel


# --- editor support: committed schemas, VS Code settings ---------------------------------------


def test_committed_schemas_are_what_registry_schema_writes(tmp_path: Path) -> None:
    """schemas/ is committed so that VS Code completes and checks right after a clone; after a
    change to the models or to data/registry.yaml run `registry schema` and commit the result."""
    from generator.outputs.schemas import write_schemas

    fresh = {p.name: p.read_text(encoding="utf-8") for p in write_schemas(tmp_path, REPO / "data")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    assert committed == fresh, "schemas/ is stale: run `registry schema` and commit schemas/"


def test_vscode_maps_every_schema_onto_its_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert {Path(k).name for k in mapping} == {p.name for p in (REPO / "schemas").glob("*.json")}
    for schema_path, pattern in mapping.items():
        assert (REPO / schema_path).is_file()
        assert list(REPO.glob(pattern)), pattern  # the pattern matches files in data/
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_every_sample_file_passes_its_committed_schema() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    checked = 0
    for schema_path, pattern in settings["yaml.schemas"].items():
        schema = json.loads((REPO / schema_path).read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        for path in sorted(REPO.glob(pattern)):
            errors = [e.message for e in validator.iter_errors(load_file(path).data)]
            assert errors == [], (path.name, errors)
            checked += 1
    assert checked >= 40


def test_schemas_offer_the_allowed_values_with_their_chinese_names() -> None:
    ann = json.loads((REPO / "schemas" / "announcements.schema.json").read_text(encoding="utf-8"))
    grade = ann["$defs"]["ApproveAction"]["properties"]["risk_grade"]
    assert grade["enum"] == ["high", "medium", "low"]
    assert [d.split("（")[0] for d in grade["enumDescriptions"]] == ["高风险", "中风险", "低风险"]
    assert grade["markdownEnumDescriptions"][0].startswith("**high**：高风险")
    ground = ann["$defs"]["SuspendAction"]["properties"]["ground"]
    assert "发生严重不良反应或出现不可控制的风险" in ground["enumDescriptions"]
    assert ann["$defs"]["DelistAction"]["properties"]["route"]["enumDescriptions"] == [
        "直接调出",
        "论证后调出",
    ]
    assert ann["$defs"]["ApproveAction"]["title"] == "approve：批准临床转化应用"
    approved = json.loads((REPO / "schemas" / "approved.schema.json").read_text(encoding="utf-8"))
    category = approved["properties"]["category"]
    assert category["enumDescriptions"][category["enum"].index("cell-therapy")] == "细胞治疗"
    assert approved["properties"]["applicant"]["title"] == "申请机构"
    for doc in (ann, approved):
        assert CJK.search(doc["title"]) and CJK.search(doc["description"])


RESEARCH_MISTAKES = {  # three project files, a mistake of every kind the new model can have
    "research/CR-2026-001.yaml": "id: CR-2026-001\ntitle: 某项研究\nguidance_entry: GL-0001\n"
    "sponsor: 某某医院\ninstitutions: [某某医院]\nfiled: 2026-02-01\n",
    "research/CR-2026-0002.yaml": "id: CR-2026-0002\ntitle: 另一项研究\nguidance_entry: GL-0001\n"
    "institutions: [某某医院]\nfiled: 2026-02-01\nprincipal_investigator: 张三\nevents:\n"
    "  - {date: 2026-03-01, note: 未写事件}\n  - date: 2026-04-01\n    event: completed\n"
    "    reason: 入组完成\n",
    "research/CR-2026-0003.yaml": "id: CR-2026-0003\ntitle: 第三项研究\nguidance_entry: GL-1\n"
    "sponsor: 某某医院\ninstitutions: []\nfiled: 2026-02-30\nevents:\n"
    "  - {date: 2026-03-01, event: paused}\n",
    "research/CR-2026-0004.yaml": "id: CR-2026-0004\ntitle: 第四项研究\nguidance_entry: GL-0001\n"
    "sponsor: 某某医院\ninstitutions: [某某医院]\nfiled: 2026-01-09\nevents:\n"
    "  - {date: 2026-03-01, event: ethics_continued}\n",
}


def test_validate_prints_every_research_error_at_once(kit: SimpleNamespace, tmp_path: Path) -> None:
    """One run, every mistake of every project, one line each with file:line:column."""
    kit.make_registry(tmp_path / "data", RESEARCH_MISTAKES)
    res = cli("validate", "--data", "data", "--as-of", "2026-11-23", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    found = [m.group("file", "line", "code") for m in map(LINE.match, res.stdout.splitlines()) if m]
    assert len(found) == len(res.stdout.splitlines())  # nothing but problem lines
    assert found == [
        ("research/CR-2026-0002.yaml", "1", "E202"),  # sponsor missing
        ("research/CR-2026-0002.yaml", "6", "E201"),  # principal_investigator
        ("research/CR-2026-0002.yaml", "8", "E202"),  # an event without its event
        ("research/CR-2026-0002.yaml", "11", "E201"),  # reason, inside an event
        ("research/CR-2026-0003.yaml", "3", "E204"),  # GL-1
        ("research/CR-2026-0003.yaml", "5", "E208"),  # no institution
        ("research/CR-2026-0003.yaml", "6", "E205"),  # 30 February
        ("research/CR-2026-0003.yaml", "8", "E207"),  # paused
        ("research/CR-2026-0004.yaml", "6", "E410"),  # filed before its entry was listed
        ("research/CR-2026-0004.yaml", "8", "E411"),  # ethics_continued without a review
        ("research/CR-2026-001.yaml", "1", "E204"),  # a three-digit serial
    ]


def test_research_schema_names_its_fields_and_events_in_chinese() -> None:
    """Every title is Chinese, each kind's from its spec; the research project's own fields as it
    names them (项目名称, not a reference's 标题), its events with their names."""
    docs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (REPO / "schemas").glob("*")}
    for spec in FILES:
        assert docs[f"{spec.folder}.schema"]["title"] == spec.description
    research = docs["research.schema"]
    props = research["properties"]
    assert {n: props[n]["title"] for n in ("title", "institutions", "summary", "sponsor")} == {
        "title": "项目名称",
        "institutions": "临床研究机构",
        "summary": "项目简介",
        "sponsor": "临床研究发起机构",
    }
    assert all(CJK.search(prop["title"]) for prop in props.values())
    event = research["$defs"]["ResearchEvent"]
    assert event["title"] == "研究进展事件"
    names = dict(
        zip(
            event["properties"]["event"]["enum"],
            event["properties"]["event"]["enumDescriptions"],
            strict=True,
        )
    )
    assert names == {
        "completed": "研究结束",
        "terminated": "终止研究",
        "ethics_continued": "经重新伦理审查继续实施",
    }
    assert research["$defs"]["Reference"]["properties"]["title"]["title"] == "标题"
    assert not any("：示例数据：" in json.dumps(d, ensure_ascii=False) for d in docs.values())


def test_schemas_name_only_paths_that_exist() -> None:
    """The generated descriptions say which module the schema comes from: a real one."""
    named = {
        m
        for p in (REPO / "schemas").glob("*.json")
        for m in re.findall(r"generator/[\w/]+\.py", p.read_text(encoding="utf-8"))
    }
    assert named and all((REPO / m).is_file() for m in named), named


def test_file_count_depends_on_the_tree_only(kit: SimpleNamespace, tmp_path: Path) -> None:
    """ "共检查 N 个文件" used to count the records that loaded: it dropped when a file broke."""
    root = kit.make_registry(tmp_path / "data")
    counts = [invoke("validate", "--data", "data", cwd=tmp_path).stderr]
    for rel, text in [
        ("approved/BMT-2026-001.yaml", "id: [unclosed\n"),  # unreadable
        ("banned/BAN-0001.yaml", "id: BAN-0001\nname: x\n"),  # fails its schema
        ("registry.yaml", "title: [\n"),  # a top-level file
    ]:
        (root / rel).write_text(text, encoding="utf-8")
        counts.append(invoke("validate", "--data", "data", cwd=tmp_path).stderr)
    assert [c.split("：")[0] for c in counts] == ["共检查 8 个文件"] * 4, counts


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("{{ reg.no_such.field }}", "main.html:5"),  # fails while rendering
        ("{% if %}", "main.html:5"),  # does not parse
    ],
)
def test_a_broken_template_is_one_line_and_the_site_stays(
    tmp_path: Path, broken: str, expected: str
) -> None:
    overrides = tmp_path / "overrides"
    shutil.copytree(REPO / "site_src" / "overrides", overrides)
    main_html = overrides / "main.html"
    lines = main_html.read_text(encoding="utf-8").splitlines(keepends=True)
    # inside {% block extrahead %}: a child template renders nothing outside its blocks
    main_html.write_text("".join([*lines[:4], broken + "\n", *lines[4:]]), encoding="utf-8")
    config = config_with(tmp_path / "cfg")
    values = yaml.safe_load(config.read_text(encoding="utf-8"))
    values["theme"]["custom_dir"] = str(overrides)
    config.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    res = cli("build", "--config", str(config), "--site-dir", str(site), cwd=REPO)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "模板出错" in res.stderr and expected in res.stderr, res.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cfg", "overrides", "site"]


def test_new_conditions_needs_the_technology_it_belongs_to(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    """Issue 25: without --id, `registry new conditions` wrote the next free number, a
    conditions file of no technology (E307)."""
    root = kit.make_registry(tmp_path / "data")  # BMT-2026-001 has its conditions already
    res = invoke("new", "conditions", "--data", "data", cwd=tmp_path)
    assert (
        res.returncode == 2 and "需要 --id" in res.stderr and "registry new approved" in res.stderr
    )
    assert "Traceback" not in res.stderr
    res = invoke("new", "conditions", "--data", "data", "--id", "BMT-2026-009", cwd=tmp_path)
    assert res.returncode == 2 and "没有已批准技术 BMT-2026-009" in res.stderr
    assert sorted(p.name for p in (root / "conditions").iterdir()) == ["BMT-2026-001.yaml"]
    # a second approved technology without conditions: the one to attach to, or name it
    (root / "approved" / "BMT-2026-002.yaml").write_text("id: BMT-2026-002\n", encoding="utf-8")
    res = invoke("new", "conditions", "--data", "data", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (root / "conditions" / "BMT-2026-002.yaml").is_file()
    (root / "approved" / "BMT-2026-003.yaml").write_text("id: BMT-2026-003\n", encoding="utf-8")
    (root / "approved" / "BMT-2026-004.yaml").write_text("id: BMT-2026-004\n", encoding="utf-8")
    res = invoke("new", "conditions", "--data", "data", cwd=tmp_path)
    assert res.returncode == 2 and "BMT-2026-003、BMT-2026-004" in res.stderr
    res = invoke("new", "conditions", "--data", "data", "--id", "BMT-2026-004", cwd=tmp_path)
    assert res.returncode == 0 and (root / "conditions" / "BMT-2026-004.yaml").is_file()
