"""The CI workflows (.github/workflows/): what they run, with which code, with which rights.

A pull request may change the code as well as the data (issue 23): the guard and the change summary
must run the base revision's code, a job that runs the pull request's code must hold no write
right and no stored credential, `pull_request_target` must never check out the pull request, and
every action is pinned by commit. Each rule is a function returning what breaks it; each is shown to
catch the workflow it was written against (OLD_PR, the pr.yml of before issue 23) or a workflow
changed to break it, so that none of them passes by not looking.
"""

from __future__ import annotations

import copy
import posixpath
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from generator.shells.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
BASE_SHA = "${{ github.event.pull_request.base.sha }}"
PR_EVENTS = {"pull_request", "pull_request_target", "workflow_run"}
# A ref that names the pull request's own commits (under any event).
HEAD_REF = re.compile(r"pull_request\.head|head_ref|refs/pull/|workflow_run\.head|merge_commit_sha")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}|docker://[^@\s]+@sha256:[0-9a-f]{64}")

Workflow = dict[str, Any]
Job = dict[str, Any]
Step = dict[str, Any]


def parse(text: str) -> Workflow:
    wf = yaml.safe_load(text)
    wf["on"] = wf.pop(True, wf.get("on"))  # PyYAML reads the `on:` key as True (YAML 1.1)
    return wf


def workflow(name: str) -> Workflow:
    return parse((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))


def triggers(wf: Workflow) -> set[str]:
    on = wf["on"]
    return {on} if isinstance(on, str) else set(on)


def checkouts(job: Job) -> list[Step]:
    return [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]


def checks_out_pr_code(step: Step, wf: Workflow) -> bool:
    """A checkout of the pull request's commits: a ref naming them, or no ref under
    `pull_request` (the merge commit; under `pull_request_target` no ref means the base)."""
    ref = str(step.get("with", {}).get("ref", ""))
    return bool(HEAD_REF.search(ref)) or (not ref and "pull_request" in triggers(wf))


def base_paths(job: Job) -> list[str]:
    """Folders holding a checkout of the base revision in `job`."""
    return [
        posixpath.normpath(s["with"].get("path", "."))
        for s in checkouts(job)
        if s.get("with", {}).get("ref") == BASE_SHA
    ]


def program(line: str, step: Step) -> str:
    """The program a line of a `run` script starts, relative to the workspace."""
    first = shlex.split(line)[0]
    return posixpath.normpath(posixpath.join(step.get("working-directory", "."), first))


def runs_only_base_code(step: Step, job: Job) -> bool:
    """Every line of the step starts a program of a base checkout (`make -C base …` or
    `base/.venv/bin/…`); anything else could be the pull request's code."""
    lines = [x for x in step["run"].splitlines() if x.strip() and not x.strip().startswith("#")]
    bases = base_paths(job)
    for line in lines:
        words = shlex.split(line)
        if words[:2] == ["make", "-C"] and posixpath.normpath(words[2]) in bases:
            continue
        if not any(program(line, step).startswith(f"{b}/") for b in bases if b != "."):
            return False
    return True


def runs_pr_code(job: Job, wf: Workflow) -> bool:
    if not any(checks_out_pr_code(s, wf) for s in checkouts(job)):
        return False
    for step in job["steps"]:
        if step.get("uses", "").startswith("./"):
            return True  # an action from the checked-out tree
        if "run" in step and not runs_only_base_code(step, job):
            return True
    return False


# --- the rules: each returns what breaks it -----------------------------------------------------


def guard_not_on_base_code(wf: Workflow) -> list[str]:
    """`registry validate --base` and `registry diff` run the base checkout's registry, in a job
    where nothing of the pull request runs, against the base revision, with the base set up."""
    out: list[str] = []
    found = {"validate --base": False, "diff": False}
    for name, job in wf["jobs"].items():
        bases = base_paths(job)
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                words = shlex.split(line) if "registry" in line else []
                if len(words) < 2 or posixpath.basename(words[0]) != "registry":
                    continue
                what = "validate --base" if "--base" in words else words[1]
                if what not in found:
                    continue
                found[what] = True
                exe = program(line, step)
                if not any(exe == f"{b}/.venv/bin/registry" for b in bases if b != "."):
                    out.append(f"{name}: {what} runs {exe}, not a base checkout's registry")
                if runs_pr_code(job, wf):
                    out.append(f"{name}: the job that runs {what} also runs pull request code")
                if not any(
                    f"make -C {b} setup" in s.get("run", "") for s in job["steps"] for b in bases
                ):
                    out.append(f"{name}: the base checkout is not set up from its own lock file")
                base_arg = words[words.index("--base") + 1] if "--base" in words else words[2]
                if job.get("env", {}).get(base_arg.strip('$"{}')) != BASE_SHA:
                    out.append(f"{name}: {what} compares with {base_arg}, not the base revision")
    out += [f"no step runs registry {what}" for what, seen in found.items() if not seen]
    return out


def effective_permissions(job: Job, wf: Workflow) -> Any:
    return job.get("permissions", wf.get("permissions"))


def pr_code_with_write(wf: Workflow) -> list[str]:
    """A job running pull request code holds no write right (absent permissions: the repository's
    default, which may be write, so it counts as write)."""
    out = []
    for name, job in wf["jobs"].items():
        if triggers(wf) & PR_EVENTS and runs_pr_code(job, wf):
            perms = effective_permissions(job, wf)
            if (
                perms is None
                or perms == "write-all"
                or (isinstance(perms, dict) and "write" in perms.values())
            ):
                out.append(f"{name}: runs pull request code with permissions {perms!r}")
    return out


def target_with_pr_checkout(wf: Workflow) -> list[str]:
    if not triggers(wf) & {"pull_request_target", "workflow_run"}:
        return []
    return [
        f"{name}: pull_request_target/workflow_run checks out the pull request"
        for name, job in wf["jobs"].items()
        for s in checkouts(job)
        if checks_out_pr_code(s, wf)
    ]


def unpinned(wf: Workflow) -> list[str]:
    return [
        f"{name}: {s['uses']}"
        for name, job in wf["jobs"].items()
        for s in job.get("steps", [])
        if "uses" in s and not PINNED.fullmatch(s["uses"])
    ]


def credentials_kept(wf: Workflow) -> list[str]:
    return [
        f"{name}: checkout without persist-credentials: false"
        for name, job in wf["jobs"].items()
        for s in checkouts(job)
        if s.get("with", {}).get("persist-credentials") is not False
    ]


def preview_shares_an_origin(wf: Workflow) -> list[str]:
    """The preview has an origin of its own per pull request and run, not `make serve`'s, and the
    summary says it runs the pull request's code."""
    url = wf.get("env", {}).get("PREVIEW_URL") or next(
        (j["env"]["PREVIEW_URL"] for j in wf["jobs"].values() if "PREVIEW_URL" in j.get("env", {})),
        "",
    )
    parts = urlsplit(url)
    out = []
    if parts.hostname in ("127.0.0.1", "localhost", None) or parts.port in (8000, None):
        out.append(f"preview at {url}: the origin of make serve (127.0.0.1:8000) or no origin")
    if "github.event.pull_request.number" not in url or "github.run_id" not in url:
        out.append(f"preview at {url}: not one origin per pull request and run")
    runs = "\n".join(s.get("run", "") for j in wf["jobs"].values() for s in j["steps"])
    if "运行本拉取请求的代码" not in runs:
        out.append("the summary does not say that the preview runs the pull request's code")
    if f"http.server {parts.port} --bind 127.0.0.1" not in runs:
        out.append("the summary does not say how to serve the preview on its port, locally")
    return out


RULES = [
    guard_not_on_base_code,
    pr_code_with_write,
    target_with_pr_checkout,
    unpinned,
    credentials_kept,
    preview_shares_an_origin,
]
EVERY_WORKFLOW = [pr_code_with_write, target_with_pr_checkout, unpinned, credentials_kept]


# --- the workflows keep them ---------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_pr_workflow_keeps_the_rule(rule: Any) -> None:
    assert rule(workflow("pr.yml")) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
@pytest.mark.parametrize("rule", EVERY_WORKFLOW, ids=lambda r: r.__name__)
def test_every_workflow_keeps_the_rule(rule: Any, path: Path) -> None:
    assert rule(parse(path.read_text(encoding="utf-8"))) == []


def test_the_jobs_that_run_pull_request_code_are_the_ones_expected() -> None:
    """Not vacuous: the predicate sees the preview job as pull request code, the guard not."""
    pr = workflow("pr.yml")
    assert {n: runs_pr_code(j, pr) for n, j in pr["jobs"].items()} == {
        "guard": False,
        "preview": True,
    }
    assert triggers(pr) == {"pull_request"}


# --- and each rule catches what it is about ------------------------------------------------------

OLD_PR = """\
on:
  pull_request:
    branches: [main]
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    env:
      BASE_REF: origin/${{ github.base_ref }}
      PREVIEW_URL: http://127.0.0.1:8000/
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97  # v7.0.0
        with:
          python-version: "3.11"
      - run: make setup
      - run: .venv/bin/registry diff "$BASE_REF" --preview-url "$PREVIEW_URL" >> "$GITHUB_STEP_SUMMARY"
      - run: .venv/bin/registry validate --base "$BASE_REF"
      - run: .venv/bin/registry build
      - run: |
          echo "下载 artifact，在其目录中运行 python3 -m http.server 8000（$PREVIEW_URL）" >> "$GITHUB_STEP_SUMMARY"
"""


def test_the_old_workflow_fails_the_base_code_and_origin_rules() -> None:
    """The pr.yml of before issue 23 (abridged to what the rules read)."""
    old = parse(OLD_PR)
    assert guard_not_on_base_code(old) == [
        "check: diff runs .venv/bin/registry, not a base checkout's registry",
        "check: the job that runs diff also runs pull request code",
        "check: the base checkout is not set up from its own lock file",
        "check: diff compares with $BASE_REF, not the base revision",
        "check: validate --base runs .venv/bin/registry, not a base checkout's registry",
        "check: the job that runs validate --base also runs pull request code",
        "check: the base checkout is not set up from its own lock file",
        "check: validate --base compares with $BASE_REF, not the base revision",
    ]
    assert len(preview_shares_an_origin(old)) == 4


def broken(change: Any) -> Workflow:
    wf = copy.deepcopy(workflow("pr.yml"))
    change(wf)
    return wf


def _step(wf: Workflow, job: str, name: str) -> Step:
    return next(s for s in wf["jobs"][job]["steps"] if s.get("name") == name)


def test_guard_rule_catches_pr_code_in_the_guard_job() -> None:
    def patch_guard(wf: Workflow) -> None:  # the PR's own setup, e.g. a patched Makefile
        wf["jobs"]["guard"]["steps"].insert(4, {"run": "make -C pr setup"})

    assert guard_not_on_base_code(broken(patch_guard)) == [
        "guard: the job that runs diff also runs pull request code",
        "guard: the job that runs validate --base also runs pull request code",
    ]

    def pr_registry(wf: Workflow) -> None:
        step = _step(wf, "guard", "Validate (guarded against the base revision)")
        step["run"] = step["run"].replace("../base/", "")

    assert guard_not_on_base_code(broken(pr_registry)) == [
        "guard: the job that runs diff also runs pull request code",
        "guard: validate --base runs pr/.venv/bin/registry, not a base checkout's registry",
        "guard: the job that runs validate --base also runs pull request code",
    ]

    def base_is_head(wf: Workflow) -> None:
        wf["jobs"]["guard"]["steps"][1]["with"]["ref"] = "${{ github.event.pull_request.head.sha }}"

    # "base" is now the pull request: its registry is not base code, and running it is PR code
    found = guard_not_on_base_code(broken(base_is_head))
    assert "guard: diff runs base/.venv/bin/registry, not a base checkout's registry" in found
    assert "guard: the job that runs validate --base also runs pull request code" in found


def test_write_rule_catches_a_write_token_or_a_default_one() -> None:
    def write(wf: Workflow) -> None:
        wf["jobs"]["preview"]["permissions"] = {"contents": "read", "pull-requests": "write"}

    def default(wf: Workflow) -> None:
        del wf["jobs"]["preview"]["permissions"]
        del wf["permissions"]

    def all_write(wf: Workflow) -> None:
        wf["jobs"]["preview"]["permissions"] = "write-all"

    for change in (write, default, all_write):
        assert [x.split(":")[0] for x in pr_code_with_write(broken(change))] == ["preview"]


def test_target_rule_catches_a_checkout_of_the_pull_request() -> None:
    def target(wf: Workflow) -> None:
        wf["on"] = {"pull_request_target": {"branches": ["main"]}}

    assert target_with_pr_checkout(broken(target)) == []  # no ref: the base under this event

    def target_head(wf: Workflow) -> None:
        target(wf)
        checkout = wf["jobs"]["preview"]["steps"][0]
        checkout["with"]["ref"] = "${{ github.event.pull_request.head.sha }}"

    assert target_with_pr_checkout(broken(target_head)) == [
        "preview: pull_request_target/workflow_run checks out the pull request"
    ]


def test_pin_rule_catches_a_tag_or_a_short_hash() -> None:
    def tag(wf: Workflow) -> None:
        wf["jobs"]["preview"]["steps"][1]["uses"] = "actions/setup-python@v6"

    def short(wf: Workflow) -> None:
        wf["jobs"]["guard"]["steps"][0]["uses"] = "actions/checkout@3d3c42e"

    assert unpinned(broken(tag)) == ["preview: actions/setup-python@v6"]
    assert unpinned(broken(short)) == ["guard: actions/checkout@3d3c42e"]


def test_credentials_rule_catches_a_checkout_that_keeps_them() -> None:
    def keep(wf: Workflow) -> None:
        del wf["jobs"]["guard"]["steps"][1]["with"]["persist-credentials"]

    assert credentials_kept(broken(keep)) == ["guard: checkout without persist-credentials: false"]


# --- what they run exists ------------------------------------------------------------------------


def registry_calls(wf: Workflow) -> list[list[str]]:
    return [
        shlex.split(line.split(">>")[0])[1:]
        for job in wf["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if "/.venv/bin/registry " in line or line.startswith(".venv/bin/registry ")
    ]


def test_workflows_run_existing_commands_and_options() -> None:
    pr, publish = workflow("pr.yml"), workflow("publish.yml")
    assert triggers(publish) == {"push", "schedule", "workflow_dispatch"}
    assert publish["on"]["schedule"] == [{"cron": "0 16 * * *"}]  # 00:00 Beijing time
    calls = registry_calls(pr) + registry_calls(publish)
    assert {c[0] for c in calls} == {"validate", "build", "diff"}
    for command, *args in calls:
        options = {o for p in main.commands[command].params for o in p.opts}
        assert {a for a in args if a.startswith("--")} <= options, (command, args)
    for wf in (pr, publish):
        for job in wf["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/setup-python@"):
                    assert step["with"]["python-version"] == "3.11"
    # the pages show 修订记录: the checkouts that build need the whole history
    for job in (pr["jobs"]["preview"], publish["jobs"]["build"]):
        assert checkouts(job)[0]["with"]["fetch-depth"] == 0
    assert checkouts(pr["jobs"]["guard"])[0]["with"]["fetch-depth"] == 0  # the base revision
    steps = pr["jobs"]["preview"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert [s.get("name") for s in steps].index("Build") < steps.index(upload)
    uses = [s.get("uses", "") for s in publish["jobs"]["deploy"]["steps"]]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_workflows_match_the_github_schema() -> None:
    """With check-jsonschema installed (not a test dependency), validate against its vendored
    GitHub workflow schema; actionlint and zizmor were also run on them (see docs/history-and-review.md)."""
    pytest.importorskip("check_jsonschema")
    import json
    from importlib.resources import files

    import jsonschema

    schema_file = files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    for path in WORKFLOWS:
        jsonschema.validate(parse(path.read_text(encoding="utf-8")), schema)


def test_dependabot_watches_the_actions_and_the_lock() -> None:
    """The SHA-pinned actions and uv.lock are proposed for update weekly (issue 27)."""
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) >= {"github-actions", "uv"}
    assert all(u["directory"] == "/" and u["schedule"]["interval"] for u in ecosystems.values())
