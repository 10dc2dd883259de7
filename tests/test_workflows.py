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
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
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


# Programs that read or write files but run none of them: allowed in the guard job beside the base
# checkout's programs (the review folder, the job summary), one command a line.
INERT = {"mkdir", "echo", "cat"}
# What would chain a second command onto a line (or run one inside it)
CHAINED = re.compile(r"[;|`\n]|&&|\$\(|<\(|>\(|(?<![>&0-9])&(?!>)")


def runs_only_base_code(step: Step, job: Job) -> bool:
    """Every line of the step starts a program of a base checkout (`make -C base …` or
    `base/.venv/bin/…`) or an inert one (`mkdir`, `echo`, `cat`), and chains nothing onto it;
    anything else could be the pull request's code."""
    lines = [x for x in step["run"].splitlines() if x.strip() and not x.strip().startswith("#")]
    bases = base_paths(job)
    for line in lines:
        if CHAINED.search(line):
            return False
        words = shlex.split(line)
        if words[0] in INERT:
            continue
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


VALIDATE_STEP = "Validate (guarded against the base revision; annotations at file and line)"


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
        step = _step(wf, "guard", VALIDATE_STEP)
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


# --- review on GitHub (issue 25): annotations, and the comment from a workflow of its own ---------

COMMENT = "pr-comment.yml"
COMMENT_PERMISSIONS = {"pull-requests": "write", "actions": "read"}
# The only programs the comment workflow may start: none of them runs a file it is given. `gh` only as
# `gh api` and `gh run download` (an alias or an extension would run code).
ALLOWED = {"gh", "jq", "head", "tr", "echo", "printf", "read", "exit", "[", "[[", "test", "true"}
GH_VERBS = (["api"], ["run", "download"])
KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}"}
SEPARATING = set(";&|()\n")  # a token of these only ends a command


def guard_without_annotations(wf: Workflow) -> list[str]:
    """The guard job's `validate --base` writes GitHub annotations (`--format github`)."""
    for job in wf["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                words = shlex.split(line) if "registry" in line else []
                if "validate" in words and "--base" in words:
                    at = words.index("--format") + 1 if "--format" in words else 0
                    return [] if at and words[at] == "github" else [f"validate runs with {words}"]
    return ["no step runs registry validate --base"]


def guard_without_review(wf: Workflow) -> list[str]:
    """The guard job uploads `review` (the summary, then the number) even when validation fails."""
    guard = wf["jobs"]["guard"]
    runs = "\n".join(s.get("run", "") for s in guard["steps"])
    upload = [s for s in guard["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    out = []
    if not re.search(r"registry diff .*> \.\./review/summary\.md", runs):
        out.append("the summary is not written to review/summary.md")
    if 'echo "$PR_NUMBER" > review/pr-number' not in runs:
        out.append("the pull request's number is not written to review/pr-number")
    if guard.get("env", {}).get("PR_NUMBER") != "${{ github.event.pull_request.number }}":
        out.append("PR_NUMBER is not the pull request's number")
    if not upload or upload[0]["with"].get("name") != "review" or upload[0].get("if") is None:
        out.append("no upload of review that runs when validation fails")
    return out


def expressions_in_scripts(wf: Workflow) -> list[str]:
    """No `${{ }}` inside a `run:` script: a value from the event (a branch name, a title) would be
    pasted into the shell as code. Scripts read such values from environment variables."""
    return [
        f"{name}: {s.get('name', s['run'][:30])}"
        for name, job in wf["jobs"].items()
        for s in job["steps"]
        if "${{" in s.get("run", "")
    ]


def strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [*map(str, node), *(x for v in node.values() for x in strings(v))]
    if isinstance(node, list):
        return [x for v in node for x in strings(v)]
    return [str(node)]


def mentions_target(wf: Workflow) -> list[str]:
    """`pull_request_target` nowhere: not as a trigger, not in an expression or a script (YAML
    comments, which say why, are not parsed)."""
    return [f"pull_request_target in {x[:60]!r}" for x in strings(wf) if "pull_request_target" in x]


def pr_checkout_with_write_or_secrets(wf: Workflow) -> list[str]:
    """A job that checks out the pull request's commits (to run its code, or to read its data)
    holds no write permission, no secret and no token: anything on that machine may be read."""
    out = []
    for name, job in wf["jobs"].items():
        if not any(checks_out_pr_code(s, wf) for s in checkouts(job)):
            continue
        perms = effective_permissions(job, wf)
        if not isinstance(perms, dict) or "write" in perms.values():
            out.append(f"{name}: checks out the pull request with permissions {perms!r}")
        text = "\n".join(strings(job))
        if "secrets" in job or re.search(r"\bsecrets\.|\bgithub\.token\b", text):
            out.append(f"{name}: checks out the pull request and reads a secret or a token")
    return out


def substitutions(script: str) -> tuple[str, list[str]]:
    """`script` with each outermost `$( … )` (balanced) replaced by `$SUBST`, and the scripts
    inside them, which run wherever they are written."""
    inner: list[str] = []
    while (start := script.find("$(")) >= 0:
        depth, i = 1, start + 2
        while depth and i < len(script):
            depth += {"(": 1, ")": -1}.get(script[i], 0)
            i += 1
        inner.append(script[start + 2 : i - 1])
        script = script[:start] + "$SUBST" + script[i:]
    return script, inner


def commands(script: str) -> list[list[str]]:
    """Every simple command of a shell script, as its words (quotes removed), the commands inside
    `$( … )` included; a backtick that is not escaped counts as a command of its own."""
    # comment lines, and a comment after a command when no quote follows its `#`
    lines = [
        "" if x.lstrip().startswith("#") else re.sub(r"(?<=\s)#[^'\"]*$", "", x)
        for x in script.split("\n")
    ]
    script, inner = substitutions("\n".join(lines).replace("\\\n", " "))
    lex = shlex.shlex(script, posix=True, punctuation_chars=";&|()<>\n")
    lex.whitespace = " \t\r"
    lex.commenters = ""
    lex.wordchars += "[]!$={}:,%^@#+*?~-/."
    out: list[list[str]] = [["`"]] if re.search(r"(?<!\\)`", script) else []
    words: list[str] = []
    redirected = False
    for token in lex:
        if redirected or re.fullmatch(r"[<>]+&?", token):  # `> file` names no program
            redirected = not redirected
        elif set(token) <= SEPARATING or (not words and token in KEYWORDS):
            out += [words] if words else []
            words = []
        elif words or not re.fullmatch(r"\w+=.*", token, re.S):  # VAR=value before a command
            words.append(token)
    out += [words] if words else []
    return out + [c for sub in inner for c in commands(sub)]


def foreign_commands(script: str) -> list[str]:
    bad = []
    for words in commands(script):
        program = words[0]
        if program not in ALLOWED:
            bad.append(program)
        elif program == "gh" and not any(words[1 : 1 + len(v)] == v for v in GH_VERBS):
            bad.append(" ".join(words[:2]))
    return bad


def unsafe_comment_workflow(wf: Workflow) -> list[str]:
    """The comment workflow runs on `workflow_run` of "Pull request", asks for pull-requests:
    write (and actions: read) only, checks out nothing, uses no action, runs no program that would
    run code, and compares the artifact's number with the run before it writes."""
    out = []
    if triggers(wf) != {"workflow_run"}:
        out.append(f"triggered by {sorted(triggers(wf))}, not workflow_run only")
    else:
        on = wf["on"]["workflow_run"]
        if on.get("workflows") != [workflow("pr.yml")["name"]] or on.get("types") != ["completed"]:
            out.append(f"workflow_run of {on.get('workflows')} {on.get('types')}")
    if wf.get("permissions") != {}:
        out.append(f"workflow permissions {wf.get('permissions')!r}, not {{}}")
    for name, job in wf["jobs"].items():
        perms = job.get("permissions")
        if not isinstance(perms, dict) or perms.get("pull-requests") != "write":
            out.append(f"{name}: permissions {perms!r} without pull-requests: write")
        elif any(COMMENT_PERMISSIONS.get(k) != v for k, v in perms.items()):
            out.append(f"{name}: permissions {perms!r} beyond {COMMENT_PERMISSIONS}")
        if "github.event.workflow_run.event == 'pull_request'" not in str(job.get("if", "")):
            out.append(f"{name}: runs for workflow runs of other events")
        for step in job["steps"]:
            if "uses" in step:
                out.append(f"{name}: uses {step['uses']} (a checkout, or code that could run)")
            out += [f"{name}: runs {x}" for x in foreign_commands(step.get("run", ""))]
    script = "\n".join(s.get("run", "") for j in wf["jobs"].values() for s in j["steps"])
    for must, why in [
        (r"\^\[1-9\]\[0-9\]\{0,8\}\$", "the number is not checked to be digits"),
        (r"RUN_PULL_REQUESTS", "the number is not compared with the run's pull requests"),
        (r'\[ "\$head" != "\$RUN_HEAD_SHA" \]', "the pull request's head is not the run's commit"),
        (r"--input ", "the body is not passed from a file"),
        (r"MAX_CHARS", "the body is not capped"),
        (r"@\\u2060", "@mentions are not broken"),
        (r'select\(\.user\.login == "github-actions\[bot\]"', "the comment is not found by author"),
    ]:
        if not re.search(must, script):
            out.append(why)
    return out


COMMENT_RULES = [
    unsafe_comment_workflow,
    expressions_in_scripts,
    mentions_target,
    pr_checkout_with_write_or_secrets,
]


@pytest.mark.parametrize("rule", [guard_without_annotations, guard_without_review])
def test_pr_workflow_annotates_and_hands_over_the_review(rule: Any) -> None:
    assert rule(workflow("pr.yml")) == []


@pytest.mark.parametrize("rule", COMMENT_RULES, ids=lambda r: r.__name__)
def test_comment_workflow_keeps_the_rule(rule: Any) -> None:
    assert rule(workflow(COMMENT)) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "rule", [mentions_target, pr_checkout_with_write_or_secrets], ids=lambda r: r.__name__
)
def test_every_workflow_keeps_the_issue_25_rule(rule: Any, path: Path) -> None:
    assert rule(parse(path.read_text(encoding="utf-8"))) == []


def test_the_old_workflow_has_no_annotations_and_no_review() -> None:
    """The pr.yml of before issue 25: the diff straight into the job summary, no --format."""
    old = broken(lambda wf: None)
    guard = old["jobs"]["guard"]
    guard["steps"] = [s for s in guard["steps"] if "review" not in str(s)]
    step = _step(old, "guard", VALIDATE_STEP)
    step["run"] = step["run"].replace(" --format github", "")
    assert guard_without_annotations(old) != []
    assert guard_without_annotations(parse(OLD_PR)) != []
    assert len(guard_without_review(old)) == 3


def broken_comment(change: Any) -> Workflow:
    wf = copy.deepcopy(workflow(COMMENT))
    change(wf)
    return wf


def _run(wf: Workflow, index: int) -> Step:
    return wf["jobs"]["comment"]["steps"][index]


BREAKS: list[tuple[str, Any, str]] = [
    ("pull_request trigger", lambda wf: wf.update(on={"pull_request": {}}), "triggered by"),
    (
        "another workflow",
        lambda wf: wf["on"]["workflow_run"].update(workflows=["Publish"]),
        "workflow_run of",
    ),
    (
        "contents: write",
        lambda wf: wf["jobs"]["comment"]["permissions"].update({"contents": "write"}),
        "beyond",
    ),
    ("default token", lambda wf: wf["jobs"]["comment"].pop("permissions"), "without pull-requests"),
    ("no event check", lambda wf: wf["jobs"]["comment"].pop("if"), "other events"),
    (
        "checkout of the head",
        lambda wf: _run(wf, 0).update(
            {
                "uses": "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
                "with": {"ref": "${{ github.event.workflow_run.head_sha }}"},
            }
        ),
        "uses actions/checkout",
    ),
    (
        "make from the artifact",
        lambda wf: _run(wf, 1).update(run=_run(wf, 1)["run"] + 'make -C "$RUNNER_TEMP/review"\n'),
        "runs make",
    ),
    (
        "python from the artifact",
        lambda wf: _run(wf, 1).update(
            run='python3 "$RUNNER_TEMP/review/x.py"\n' + _run(wf, 1)["run"]
        ),
        "runs python3",
    ),
    (
        "a script from the artifact",
        lambda wf: _run(wf, 1).update(
            run=_run(wf, 1)["run"] + 'if true; then "$RUNNER_TEMP/review/x"; fi\n'
        ),
        "runs $RUNNER_TEMP/review/x",
    ),
    (
        "registry after &&",
        lambda wf: _run(wf, 1).update(run="true && ../base/.venv/bin/registry diff x\n"),
        "runs ../base/.venv/bin/registry",
    ),
    (
        "no digit check",
        lambda wf: _run(wf, 1).update(run=_run(wf, 1)["run"].replace("^[1-9][0-9]{0,8}$", ".*")),
        "digits",
    ),
    (
        "no head check",
        lambda wf: _run(wf, 1).update(run=_run(wf, 1)["run"].replace('"$RUN_HEAD_SHA"', '"$head"')),
        "head is not the run's commit",
    ),
]


@pytest.mark.parametrize("label, change, found", BREAKS, ids=[b[0] for b in BREAKS])
def test_comment_rule_catches(label: str, change: Any, found: str) -> None:
    assert any(found in x for x in unsafe_comment_workflow(broken_comment(change))), label


def test_script_rules_catch_an_expression_a_target_and_a_secret() -> None:
    def interpolate(wf: Workflow) -> None:
        step = _run(wf, 1)
        step["run"] = step["run"].replace(
            '"$RUN_HEAD_SHA"', '"${{ github.event.workflow_run.head_sha }}"'
        )

    assert expressions_in_scripts(broken_comment(interpolate)) == [
        "comment: Check the pull request's number against the run"
    ]
    assert expressions_in_scripts(parse(OLD_PR)) == []

    def target(wf: Workflow) -> None:
        wf["on"] = {"pull_request_target": {"branches": ["main"]}}

    def target_in_expression(wf: Workflow) -> None:
        wf["jobs"]["guard"]["if"] = "github.event_name != 'pull_request_target'"

    assert len(mentions_target(broken(target))) == 1
    assert len(mentions_target(broken(target_in_expression))) == 1

    def secret(wf: Workflow) -> None:
        wf["jobs"]["preview"]["env"] = {"TOKEN": "${{ secrets.DEPLOY_TOKEN }}"}

    def token(wf: Workflow) -> None:
        wf["jobs"]["guard"]["steps"][0]["with"]["token"] = "${{ github.token }}"

    def inherit(wf: Workflow) -> None:
        wf["jobs"]["guard"]["secrets"] = "inherit"

    def write(wf: Workflow) -> None:
        wf["jobs"]["guard"]["permissions"] = {"contents": "read", "pull-requests": "write"}

    assert pr_checkout_with_write_or_secrets(broken(secret)) == [
        "preview: checks out the pull request and reads a secret or a token"
    ]
    assert pr_checkout_with_write_or_secrets(broken(token)) == [
        "guard: checks out the pull request and reads a secret or a token"
    ]
    assert pr_checkout_with_write_or_secrets(broken(inherit)) == [
        "guard: checks out the pull request and reads a secret or a token"
    ]
    assert pr_checkout_with_write_or_secrets(broken(write)) == [
        "guard: checks out the pull request with permissions {'contents': 'read', 'pull-requests': 'write'}"
    ]


def test_guard_rules_catch_a_guard_without_annotations_or_review() -> None:
    def text_format(wf: Workflow) -> None:
        step = _step(wf, "guard", VALIDATE_STEP)
        step["run"] = step["run"].replace("--format github", "--format text")

    def no_if(wf: Workflow) -> None:
        upload = wf["jobs"]["guard"]["steps"][-1]
        del upload["if"]

    assert guard_without_annotations(broken(text_format)) != []
    assert guard_without_review(broken(no_if)) == [
        "no upload of review that runs when validation fails"
    ]


# --- the comment workflow, run: its scripts with a stand-in for `gh` ------------------------------

FAKE_GH = """\
import json, os, shutil, subprocess, sys
state = json.load(open(os.environ["FAKE_GH_STATE"], encoding="utf-8"))
args = sys.argv[1:]
def take(flag):
    if flag not in args:
        return None
    i = args.index(flag)
    value = args[i + 1]
    del args[i : i + 2]
    return value
if args[:2] == ["run", "download"]:
    shutil.copytree(state["review"], take("--dir"))
    sys.exit(0)
assert args[0] == "api", args
args.remove("--paginate") if "--paginate" in args else None
method, jq, body = take("--method") or "GET", take("--jq"), take("--input")
path = args[1]
with open(state["log"], "a", encoding="utf-8") as log:
    log.write(json.dumps([method, path, json.load(open(body, encoding="utf-8")) if body else None]) + "\\n")
if method != "GET":
    sys.exit(0)
answer = next(v for k, v in state["api"].items() if path.endswith(k))
if jq is None:
    print(json.dumps(answer))
else:
    subprocess.run(["jq", "-r", jq], input=json.dumps(answer), text=True, check=True)
"""
HEAD = "a" * 40


def expressions(run_prs: list[dict[str, int]], outputs: dict[str, str]) -> dict[str, str]:
    return {
        "github.token": "token",
        "github.repository": "owner/repo",
        "github.event.workflow_run.id": "99",
        "github.event.workflow_run.head_sha": HEAD,
        "toJSON(github.event.workflow_run.pull_requests)": json.dumps(run_prs),
        "steps.pr.outputs.number": outputs.get("number", ""),
    }


def run_comment_job(
    tmp: Path,
    review: dict[str, str],
    *,
    head: str = HEAD,
    run_prs: list[dict[str, int]] | None = None,
    comments: list[dict[str, Any]] | None = None,
) -> tuple[int, list[list[Any]]]:
    """Runs the comment job's steps as the runner would (bash -e, GITHUB_OUTPUT, `if:` on the
    number); returns the last exit code and the `gh api` calls."""
    job = workflow(COMMENT)["jobs"]["comment"]
    (tmp / "bin").mkdir(parents=True)
    (tmp / "bin" / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
    (tmp / "bin" / "gh").chmod(0o755)
    (tmp / "artifact").mkdir()
    for name, text in review.items():
        (tmp / "artifact" / name).write_text(text, encoding="utf-8")
    state = {
        "review": str(tmp / "artifact"),
        "log": str(tmp / "log"),
        "api": {
            "/pulls/7": {"state": "open", "head": {"sha": head}},
            "/runs/99/artifacts": {
                "artifacts": [{"name": "site-preview", "id": 5, "expired": False}]
            },
            "/issues/7/comments": comments or [],
        },
    }
    (tmp / "state.json").write_text(json.dumps(state), encoding="utf-8")
    (tmp / "log").touch()
    (tmp / "temp").mkdir()
    outputs: dict[str, str] = {}
    rc = 0
    for step in job["steps"]:
        if step.get("if") == "steps.pr.outputs.number != ''" and not outputs.get("number"):
            continue
        env = {**job["env"], **step.get("env", {})}
        known = expressions(run_prs or [], outputs)
        for k, v in env.items():
            for expr in re.findall(r"\$\{\{\s*(.*?)\s*\}\}", v):
                env[k] = env[k].replace(f"${{{{ {expr} }}}}", known[expr])
        (tmp / "out").write_text("", encoding="utf-8")
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            env={
                **env,
                "PATH": f"{tmp / 'bin'}:{os.environ['PATH']}",
                "RUNNER_TEMP": str(tmp / "temp"),
                "GITHUB_OUTPUT": str(tmp / "out"),
                "GITHUB_SERVER_URL": "https://github.com",
                "FAKE_GH_STATE": str(tmp / "state.json"),
            },
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=60,
        )
        rc = proc.returncode
        assert "Traceback" not in proc.stderr, proc.stderr
        outputs.update(
            line.split("=", 1) for line in (tmp / "out").read_text().splitlines() if "=" in line
        )
        if rc:
            break
    calls = [json.loads(x) for x in (tmp / "log").read_text(encoding="utf-8").splitlines()]
    return rc, calls


def writes(calls: list[list[Any]]) -> list[list[Any]]:
    return [c for c in calls if c[0] != "GET"]


needs_jq = pytest.mark.skipif(shutil.which("jq") is None, reason="jq (as on GitHub's runners)")


@needs_jq
def test_comment_posts_the_summary_once_with_the_preview_warning(tmp_path: Path) -> None:
    hostile = "## 变更摘要\n@octocat #12 `$(touch pwned)` $(touch pwned2) a@b.c\n"
    rc, calls = run_comment_job(tmp_path, {"pr-number": "7\n", "summary.md": hostile})
    assert rc == 0
    [(method, path, payload)] = writes(calls)
    assert (method, path) == ("POST", "repos/owner/repo/issues/7/comments")
    body = payload["body"]
    assert body.startswith("<!-- registry-review -->\n### 预览（运行本拉取请求的代码，未经审阅）")
    assert "http://pr-7-99.localhost:8001/" in body
    assert "https://github.com/owner/repo/actions/runs/99/artifacts/5" in body
    assert "python3 -m http.server 8001 --bind 127.0.0.1" in body
    assert "@\u2060octocat #\u206012" in body and "@octocat" not in body
    assert "`$(touch pwned)` $(touch pwned2)" in body
    assert not list(tmp_path.rglob("pwned*"))


@needs_jq
def test_comment_updates_its_own_comment_only(tmp_path: Path) -> None:
    marker = "<!-- registry-review -->"
    comments = [
        {"id": 1, "user": {"login": "mallory"}, "body": marker + " fake"},
        {"id": 2, "user": {"login": "github-actions[bot]"}, "body": "other"},
        {"id": 3, "user": {"login": "github-actions[bot]"}, "body": marker + "\nold"},
    ]
    rc, calls = run_comment_job(
        tmp_path, {"pr-number": "7", "summary.md": "x"}, comments=comments, run_prs=[{"number": 7}]
    )
    assert rc == 0
    assert [c[:2] for c in writes(calls)] == [["PATCH", "repos/owner/repo/issues/comments/3"]]


@needs_jq
@pytest.mark.parametrize(
    "number, run_prs",
    [
        ("7; touch pwned", []),
        ("07", []),
        ("", []),
        ("7\n8", []),
        ("../7", []),
        ("7", [{"number": 8}]),  # listed by GitHub: must be among them
    ],
)
def test_comment_refuses_a_number_it_cannot_trust(
    tmp_path: Path, number: str, run_prs: list[dict[str, int]]
) -> None:
    rc, calls = run_comment_job(tmp_path, {"pr-number": number, "summary.md": "x"}, run_prs=run_prs)
    assert rc != 0 and writes(calls) == [] and not list(tmp_path.rglob("pwned"))


@needs_jq
def test_comment_writes_nothing_for_a_commit_that_is_not_the_head(tmp_path: Path) -> None:
    rc, calls = run_comment_job(tmp_path, {"pr-number": "7", "summary.md": "x"}, head="b" * 40)
    assert rc == 0 and writes(calls) == []


@needs_jq
def test_comment_is_capped_and_says_when_the_summary_is_missing(tmp_path: Path) -> None:
    rc, calls = run_comment_job(tmp_path / "a", {"pr-number": "7", "summary.md": "字" * 70_000})
    body = writes(calls)[0][2]["body"]
    assert rc == 0 and 60_000 < len(body) < 61_500 and "已截断" in body
    rc, calls = run_comment_job(tmp_path / "b", {"pr-number": "7"})
    assert rc == 0 and "变更摘要未能生成" in writes(calls)[0][2]["body"]


def test_inert_programs_in_the_guard_chain_nothing() -> None:
    """`mkdir`, `echo` and `cat` may stand beside the base code in the guard job; a command chained
    onto them, or run inside them, is pull request code."""
    for line in ("cat review/summary.md && make", "echo $(make -C pr)", "mkdir x; ./pr/run"):

        def chained(wf: Workflow, line: str = line) -> None:
            wf["jobs"]["guard"]["steps"].insert(5, {"run": line})

        assert runs_pr_code(broken(chained)["jobs"]["guard"], broken(chained)), line
