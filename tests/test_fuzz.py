"""Validate and build agree (issue 13, class 5), property-based with Hypothesis.

Each example is a whole registry of generated records whose every text field is drawn from an
attack corpus (control characters and non-characters through YAML escapes, lone surrogates,
bidi and zero-width characters, Markdown link and image tricks, formulas, huge numbers, very long
strings, paths that collide with generated files, YAML look-alikes) mixed with random Unicode.
The property: `check_registry` never raises and every problem it reports is positioned (a file
of the registry, line ≥ 1, a catalogue code); when it reports none, every output of the build
is made and reads back (pages, API JSON, Atom XML, CSV, xlsx, the zip, redirects), without MkDocs
so that thousands of records fit in CI time. One full build with MkDocs over the valid records
of a large generated registry checks the real path too (test at the end).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.domain.errors import CATALOGUE
from generator.history.changes import change_entries
from generator.load.revisions import History
from generator.outputs.api import api_files
from generator.outputs.downloads import download_files
from generator.outputs.feeds import feed_files
from generator.outputs.redirects import redirect_files
from generator.publish.pipeline import check_registry
from generator.publish.version import data_version
from generator.publish.views import build_site
from generator.render.changes import changes_pages
from generator.render.pages import site_pages

AS_OF = date(2026, 11, 23)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
STATS = {"examples": 0, "records": 0, "valid": 0, "invalid": 0}

PAYLOADS = [
    "<script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "![x](https://evil.example/p.png)",
    "[a](//evil.example)",
    "[a](/\\evil.example)",
    "[a](&#x2F;&#x2F;evil.example)",
    "[a][r]\n\n[r]: //evil.example\n",
    "<https://evil.example/>",
    "<//evil.example>",
    "[a](javascript:alert(1))",
    '=HYPERLINK("https://evil.example")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\u200b",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u00ad",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\U0001fffe",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ud800",
    "\udfff",
    "../../etc/passwd",
    "/sitemap.xml/",
    "%2e%2e%2f",
    "]]>",
    "\"'<>&",
    "{{ 7*7 }}",
    "{% raw %}",
    "x" * 3000,
    "\U0010ffff",
    "😀👩‍👩‍👧",
    "𠀀𪚥",
    "  ",
    "",
    "null",
    "yes",
    "~",
    "&a",
    "*a",
    "!!python/object:os.system",
    "---",
    "# comment",
    "key: value",
    "1e309",
    "12345678901234567890123456789",
    "ＡＰＩ",
    "GL-0001",
]
TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=12),
    st.lists(st.sampled_from(PAYLOADS) | st.text(max_size=4), min_size=1, max_size=4).map("".join),
)
SCALAR = st.one_of(
    TEXT,
    TEXT,
    TEXT,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([True, False, None, 1.5, float("inf"), [], {}]),
)
DATE_VALUES = ["2026-03-01", "2026-03-01", "2026-02-29", "2028-02-29", "0001-01-01", "9999-12-31"]
DATE_VALUES += ["2026-13-01", "2099-01-01", "2026-11-23", "2026-11-24"]
GOOD_DATES = ["2026-03-01", "2026-11-23", "2026-11-24", "2099-01-01", "2028-02-29"]


# Text that validates but stresses every output: escaping, formulas, XML/Jinja look-alikes,
# long strings, astral characters. A "clean" example draws only these, a hostile one everything.
BENIGN = [
    "<script>alert(1)</script>",
    '=HYPERLINK("https://evil.example")',
    "+1",
    "-1",
    "@SUM(A1)",
    "]]>",
    "\"'<>&",
    "{{ 7*7 }}",
    "{% raw %}",
    "x" * 3000,
    "\U0010fffd",
    "😀👩‍👩‍👧",
    "𠀀𪚥",
    "&amp; &lt;",
    "[规范](https://www.nhc.gov.cn/)",
    "[站内](/approved/BMT-2026-001/)",
    "| a |\n|---|\n| b |",
    "**粗体** _斜体_ `代码`",
    "\u2028",
    "Ⅻ ① ﬁ",
    "null",
    "yes",
    "# 不是注释",
    "key: value",
    "12345678901234567890123456789",
]


class Pool:
    """Texts drawn once per example and handed out by a seeded generator: a few Hypothesis
    draws per registry instead of one per field keeps thousands of records within CI time."""

    @classmethod
    def fixed(cls, texts: list[Any], seed: int) -> Pool:
        import random

        pool = cls.__new__(cls)
        pool.texts, pool.rng, pool.hostile = texts, random.Random(seed), False
        return pool

    def __init__(self, draw: Any) -> None:
        import random

        # clean: text that validates; text: hostile text in well-formed files (the case that
        # finds validate/build disagreements); all: hostile structure, types and dates too.
        mode = draw(st.sampled_from(["clean", "text", "text", "all"]))
        letters = st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp"))
        clean = st.one_of(st.sampled_from(BENIGN), st.text(alphabet=letters, max_size=8))
        source = clean if mode == "clean" else SCALAR
        self.texts = draw(st.lists(source, min_size=8, max_size=24))
        if mode == "text":  # one hostile string among benign ones: most files stay valid
            self.texts = [t for t in draw(st.lists(clean, min_size=8, max_size=16))]
            self.texts.append(draw(TEXT))
        self.rng = random.Random(draw(st.integers(0, 2**32)))
        self.hostile = mode == "all"

    def text(self) -> str:
        t = self.rng.choice(self.texts)
        return t if isinstance(t, str) else str(t)

    def date(self) -> str:
        return self.rng.choice(DATE_VALUES if self.hostile else GOOD_DATES)

    def maybe(self, value: Any, p_bad: float = 0.1) -> Any:
        """Usually the valid value, sometimes (in a hostile example) a raw fuzzed scalar."""
        return self.rng.choice(self.texts) if self.hostile and self.rng.random() < p_bad else value


@st.composite
def registries(draw: Any, size: int) -> dict[str, Any]:
    """A registry of `size` guidance entries (+ one approved technology and one ban) whose text
    fields are fuzzed; mostly structurally right, so that many examples validate."""
    return make_files(Pool(draw), size)


def make_files(pool: Pool, size: int) -> dict[str, Any]:
    files: dict[str, Any] = {}
    cats = [{"id": "cell-therapy", "name": pool.maybe("细胞治疗")}, {"id": "other", "name": "其他"}]
    redirects = {}
    for _ in range(pool.rng.randint(0, 2)):
        redirects[
            pool.rng.choice(PAYLOADS + ["GL-0999", "/old/path/", "/approved/x/"])
            if pool.hostile
            else pool.rng.choice(["GL-0999", "/old/path/", "/approved/x/"])
        ] = pool.rng.choice(["GL-0001", "BMT-2026-001", "BAN-0001"])
    files["registry.yaml"] = {
        "title": pool.maybe("公示库"),
        "authority": pool.maybe("机关"),
        "disclaimer": pool.maybe("示例"),
        "categories": cats,
        "redirects": redirects,
    }
    files["risk-grades.yaml"] = {
        "grades": [
            {"id": "high", "name": "高风险", "exclusive_years": 5},
            {"id": "medium", "name": "中风险", "exclusive_years": 3},
            {"id": "low", "name": "低风险", "exclusive_years": 1},
        ]
    }
    list_actions = []
    for i in range(1, size + 1):
        gid = f"GL-{i:04d}"
        entry: dict[str, Any] = {
            "id": gid,
            "sample": True,
            "name": f"技术{i}" + pool.text(),
            "aliases": [f"别名{i}-{j}" + pool.text() for j in range(pool.rng.randint(0, 2))],
            "category": "cell-therapy",
            "purpose": pool.maybe("目的" + pool.text()),
            "mechanism": pool.maybe("机制" + pool.text()),
            "indications": [pool.text() + "症"],
            "filing_requirements": pool.maybe("要求" + pool.text()),
            "references": [{"title": "文献" + pool.text(), "url": "https://example.org/" + str(i)}],
        }
        files[f"guidance-list/{gid}.yaml"] = entry
        list_actions.append({"action": "list", "record": gid})
    files["approved/BMT-2026-001.yaml"] = {
        "id": "BMT-2026-001",
        "name": "批准技术" + pool.text(),
        "category": "cell-therapy",
        "guidance_entry": "GL-0001",
        "applicant": pool.maybe("医院" + pool.text()),
        "summary": pool.maybe("解读" + pool.text()),
    }
    files["conditions/BMT-2026-001.yaml"] = {
        "id": "BMT-2026-001",
        "institution": ["条件" + pool.text()],
        "personnel": [pool.maybe("人员" + pool.text())],
        "management": [pool.text() + "管理"],
        "operating_spec": pool.maybe("规范" + pool.text()),
    }
    files["banned/BAN-0001.yaml"] = {
        "id": "BAN-0001",
        "name": "禁止技术" + pool.text(),
        "category": "other",
        "description": pool.maybe("描述" + pool.text()),
    }
    files["announcements/ANN-2026-001.yaml"] = {
        "id": "ANN-2026-001",
        "number": "公告第1号" + pool.text(),
        "title": pool.maybe("标题" + pool.text()),
        "date": "2026-01-10",
        "body": pool.maybe("正文" + pool.text()),
        "actions": [
            *list_actions,
            {"action": "ban", "record": "BAN-0001", "ground": pool.text() + "理由"},
        ],
    }
    files["announcements/ANN-2026-002.yaml"] = {
        "id": "ANN-2026-002",
        "number": "公告第2号",
        "title": "批准",
        "date": pool.maybe(pool.date(), 0.3),
        "body": "正文" + pool.text(),
        "actions": [
            {
                "action": "approve",
                "record": "BMT-2026-001",
                "risk_grade": "high",
                "institutions": ["机构" + pool.text()],
            },
            {
                "action": "emergency_use",
                "record": "GL-0002" if size > 1 else "GL-0001",
                "scope": "范围" + pool.text(),
                "until": pool.date() if pool.hostile else "2099-12-31",
            },
        ],
    }
    return files


def write(root: Path, files: dict[str, Any]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # safe_dump writes what YAML cannot carry raw as \x, \u escapes in double quotes
        try:
            text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
        except UnicodeEncodeError:  # libyaml cannot take a lone surrogate: the Python emitter
            text = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, "utf-8", errors="surrogatepass")


def build_outputs(root: Path, reg: Any) -> int:
    """Every output of a build, made in memory and read back; the number of files made."""
    site = build_site(reg, data_version(root, AS_OF))
    site.site_url = "https://registry.example.org/"
    history = History(available=False, reason="无")
    pages = site_pages(site) + changes_pages(site, history)
    for page in pages:
        html = page.render()
        assert isinstance(html, str)
        html.encode("utf-8")  # no lone surrogate can reach a page
    made = len(pages)
    api = dict(api_files(site))
    for path, content in api.items():
        if path.endswith(".json"):
            json.loads(content.decode("utf-8"))
        made += 1
    rows = list(csv.reader(io.StringIO(api["downloads/records.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(site.records) + 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for _path, content in feed_files(site, history, site.site_url, change_entries(site, history)):
        etree.fromstring(content)
        made += 1
    for path, content in redirect_files(site, site.site_url):
        assert ".." not in path and not path.startswith("/")
        content.decode("utf-8")
        made += 1
    for path, content in download_files(site, root, api):
        if path.endswith(".zip"):
            zipfile.ZipFile(io.BytesIO(content)).testzip()
        made += 1
    return made


def check_positioned(root: Path, reg: Any) -> None:
    for p in reg.problems:
        assert p.code in CATALOGUE and p.line >= 1 and p.column >= 1, p
        assert "\n" not in p.text()
        assert Path(p.file).resolve().is_relative_to(root.resolve()), p.file


SIZE = 40
DEBUG = False


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(registries(SIZE))
def test_whatever_validates_builds(files: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        write(root, files)
        reg = check_registry(root, AS_OF)  # must not raise, whatever the data
        STATS["examples"] += 1
        STATS["records"] += SIZE + 3
        check_positioned(root, reg)
        if reg.problems:
            STATS["invalid"] += 1
            if DEBUG:
                print(
                    sorted({p.code for p in reg.problems}),
                    [p.message[:40] for p in reg.problems[:2]],
                )
            return
        STATS["valid"] += 1
        build_outputs(root, reg)


def test_fuzz_found_both_valid_and_invalid_registries() -> None:
    """The property above must exercise both branches, or it proves nothing."""
    if STATS["examples"] == 0:
        pytest.skip("run together with test_whatever_validates_builds")
    assert STATS["valid"] > 0 and STATS["invalid"] > 0, STATS
    print(f"fuzz: {STATS}")


def test_full_build_of_a_large_fuzzed_registry() -> None:
    """The real path, MkDocs and Pagefind included, over 400 records whose text cycles through
    the whole attack corpus (files that do not validate are replaced by plain ones until the
    registry validates: what remains is every payload the validator accepts)."""
    from sitekit import build_sample

    files = make_files(Pool.fixed(PAYLOADS + BENIGN, seed=13), 400)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        write(root, files)
        for _ in range(5):
            reg = check_registry(root, AS_OF)
            if not reg.problems:
                break
            for p in reg.problems:  # replace a broken field's file by a plain valid one
                _repair(root, Path(p.file))
        assert check_registry(root, AS_OF).problems == []
        site = build_sample(Path(tmp) / "site", data=root)
        assert (site / "api" / "records.json").is_file()
        records = (site / "api" / "records.json").read_text(encoding="utf-8")
        json.loads(records)
        assert "<script>" in records and "=HYPERLINK" in records  # hostile text did get through
        etree.fromstring((site / "feeds" / "changes.xml").read_bytes())


PLAIN = {
    "guidance-list": lambda rid: {
        "id": rid,
        "name": f"修复条目{rid}",
        "category": "cell-therapy",
        "purpose": "目的",
        "mechanism": "机制",
    },
}


def _repair(root: Path, file: Path) -> None:
    rel = file.resolve().relative_to(root.resolve())
    folder, stem = rel.parts[0], file.stem
    if folder in PLAIN:
        (root / rel).write_text(yaml.safe_dump(PLAIN[folder](stem), allow_unicode=True), "utf-8")
        return
    clean = {
        "registry.yaml": {
            "title": "公示库",
            "authority": "机关",
            "disclaimer": "示例",
            "categories": [
                {"id": "cell-therapy", "name": "细胞治疗"},
                {"id": "other", "name": "其他"},
            ],
        },
        "approved": {
            "id": stem,
            "name": "批准技术",
            "category": "cell-therapy",
            "guidance_entry": "GL-0001",
            "applicant": "医院",
        },
        "conditions": {
            "id": stem,
            "institution": ["条件"],
            "personnel": ["人员"],
            "operating_spec": "规范",
        },
        "banned": {"id": stem, "name": "禁止技术", "category": "other", "description": "描述"},
    }
    key = rel.parts[0] if rel.parts[0] in clean else None
    if key is None and folder == "announcements":
        data = (
            yaml.safe_load((root / rel).read_text(encoding="utf-8"))
            if (root / rel).exists()
            else {}
        )
        actions = [a for a in (data or {}).get("actions", []) if isinstance(a, dict)]
        for a in actions:
            for k in list(a):
                if k not in ("action", "record", "risk_grade"):
                    a[k] = (
                        ["机构"]
                        if k == "institutions"
                        else ("2027-01-01" if k == "until" else "文字")
                    )
        fixed = {
            "id": stem,
            "number": f"公告{stem}",
            "title": "标题",
            "date": "2026-01-10" if stem.endswith("001") else "2026-03-01",
            "body": "正文",
            "actions": actions,
        }
        (root / rel).write_text(yaml.safe_dump(fixed, allow_unicode=True), "utf-8")
        return
    if key is not None:
        (root / rel).write_text(yaml.safe_dump(clean[key], allow_unicode=True), "utf-8")


# --- issue 23: bounded validation and build ----------------------------------------------------
#
# Hostile Markdown (deep nesting of every kind, thousands of links and images, long lines) and huge
# integers, each up to the 1 MiB file limit, validated in a child process under RLIMIT_CPU and
# RLIMIT_AS: it must end with exit 0 or 1 and no traceback inside the budget (a process over it is
# killed, and the test fails). When the file validates, the same child renders the field through
# cmark and the sanitiser (the build's path), under the same budget: what validates renders.

BUDGET_CPU = 8  # seconds of CPU for validation and rendering together (measured: under 2)
BUDGET_MEMORY = 1 << 30

NESTERS = ["> ", ">", "- ", "1. ", "* ", "*", "**", "_", "~~", "[", "![", "  - ", "> - "]
PIECES = [
    "[a](https://e.example/)",
    "[a](/x)",
    "![i](/p.png)",
    "[a](//evil.example)",
    "[a](&#47;/e)",
    "<https://e.example/>",
    "<b>",
    "`<i>`",
    "x",
    "|a|b|\n|-|-|\n|c|d|\n",
    "[r]: /ok\n",
    "\n\n",
    "\n    x = <b>\n",
]


@st.composite
def hostile_markdown(draw: Any) -> str:
    budget = draw(st.sampled_from([2_000, 50_000, 400_000, 900_000]))
    nester = draw(st.sampled_from(NESTERS))
    depth = draw(st.sampled_from([0, 5, 31, 33, 200, 100_000]))
    head = nester * min(depth, budget // (2 * len(nester)))
    closing = {"*": "*", "**": "**", "_": "_", "~~": "~~", "[": "](/x)", "![": "](/p)"}
    tail = closing.get(nester, "") * min(depth, budget // (2 * max(len(nester), 1)))
    pieces = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6))
    body = " ".join(pieces)
    repeat = max(1, (budget - len(head) - len(tail)) // (len(body) + 1))
    joiner = draw(st.sampled_from(["\n", " ", "\n\n"]))
    return head + "x" + tail + "\n\n" + joiner.join([body] * repeat)


HUGE_INTEGERS = st.integers(min_value=20, max_value=6000).map(lambda n: "9" * n)


def _bounded_check(files: dict[str, str | bytes | None], field: str | None) -> tuple[int, str]:
    import subprocess
    import sys

    from tests.conftest import make_registry

    with tempfile.TemporaryDirectory() as tmp:
        root = make_registry(Path(tmp) / "data", files)
        code = (
            "import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_CPU, ({BUDGET_CPU}, {BUDGET_CPU}))\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({BUDGET_MEMORY}, {BUDGET_MEMORY}))\n"
            "from datetime import date\nfrom pathlib import Path\n"
            "from generator.publish.pipeline import check_registry\n"
            "from generator.domain.markdown import markdown\n"
            f"reg = check_registry(Path({str(root)!r}), date(2026, 11, 23))\n"
            "print(sorted({p.code for p in reg.problems}))\n"
            f"field = {field!r}\n"
            "if not reg.problems and field is not None:\n"
            "    text = reg.records['BMT-2026-001'].model.summary\n"
            "    assert text is not None and str(markdown(text))\n"
            "sys.exit(1 if reg.problems else 0)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=600
        )
        return proc.returncode, proc.stdout + proc.stderr


def _summary_file(body: str) -> dict[str, str | bytes | None]:
    from tests.conftest import BASE

    text = "\n".join("  " + line for line in body.split("\n"))
    return {
        "approved/BMT-2026-001.yaml": BASE["approved/BMT-2026-001.yaml"].replace(
            "  技术解读。\n", text + "\n"
        )
    }


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(hostile_markdown())
def test_hostile_markdown_validates_and_renders_within_budget(body: str) -> None:
    rc, out = _bounded_check(_summary_file(body), "summary")
    assert rc in (0, 1) and "Traceback" not in out, (rc, out[-3000:], body[:200])


@settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(HUGE_INTEGERS, st.sampled_from(["risk", "text", "list"]))
def test_huge_integers_are_an_error_not_a_traceback(digits: str, where: str) -> None:
    from tests.conftest import BASE

    if where == "risk":
        files = {"risk-grades.yaml": BASE["risk-grades.yaml"].replace("5}", digits + "}")}
    elif where == "text":
        files = _summary_file("x").copy()
        files["approved/BMT-2026-001.yaml"] = BASE["approved/BMT-2026-001.yaml"].replace(
            "applicant: 某某医院", "applicant: " + digits
        )
    else:
        files = {
            "approved/BMT-2026-001.yaml": BASE["approved/BMT-2026-001.yaml"].replace(
                "aliases: [CD19 CAR-T]", f"aliases: [{digits}]"
            )
        }
    rc, out = _bounded_check(files, None)
    assert rc == 1 and "Traceback" not in out, out[-3000:]
    if len(digits) > 100:  # shorter ones are ordinary type or range errors (E203, E207)
        assert "E216" in out, out[-3000:]
