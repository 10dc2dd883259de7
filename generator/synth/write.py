"""Write a valid synthetic registry (`registry synth`) for benchmarks and tests.

The output has the layout of `data/` and passes `check_registry`: every record is named by an
announcement (research projects: filed under a listed entry), every action and filing is one
`status/` accepted, names are unique after NFKC, and every file carries `sample: true`.

How it is built:

1. Split `count` into 15 % research projects and, of the rest, about 60 % guidance entries, 30 %
   approved technologies (each with its conditions file) and 10 % banned technologies (GL, BAN
   and CR numbers stop at 9999; the rest become approved technologies).
2. Give every announced record a *plan*: its candidate actions (list → retain → delist, approve →
   suspend → resume, …), drawn from a fixed mix so that every status occurs (synth/words.py).
3. Place the steps into themed announcements of 5-20 actions (a batch of new guidance entries,
   of approvals, of bans, or of adjustments: every later step of a plan) and date them: from
   2026-05-15, several a week (several a day for large registries); about 5 % after 2026-11-23,
   the as-of of the tests, and therefore embargoed; at most 999 a year (ANN-YYYY-NNN), beyond
   which announcements grow up to 40 actions and later years take the rest (synth/plan.py).
4. Offer the actions, date by date, to `status/` (synth/accept.py): the action table
   (status/transitions.py) accepts or refuses each one on the records' states, the rules across
   records (status/across.py) each date at its end. A refused step becomes an `amend` when that
   is accepted, or is left out; an approved technology grows out of a guidance entry listed when
   it is approved (规范 第三条), and a direct delisting of that entry bans it as status/ says
   (界定指导原则 二(二)2(1)). An `open` refused inside the 限定期 of a technology suspended in it
   goes into one last announcement after the latest such period (规范 第二十条第二款).
5. File each research project under an entry on a day it is listed, with the events its entry's
   later delisting asks for, as status/research.py accepts them (synth/research.py).
6. Number the records (GL-0001 is the first listed; BMT ids in approval order, BMT-<year>-<nnn>
   with at most 999 a year and never before the year of approval; CR-<year>-<nnnn> in filing
   order), then write the text: names built from parts, Markdown with lists and tables.

Everything comes from `random.Random(seed)`: the same seed gives byte-identical files. The YAML is
written with string templates; every free-text scalar is a JSON string (a valid YAML double-quoted
scalar) or a literal block whose content was checked to be safe for one.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from generator.domain.kinds import DATA_FOLDERS, FOLDERS, RECORD_KINDS, spec
from generator.synth.accept import Placed, schedule
from generator.synth.files import (
    announcement_yaml,
    approved_yaml,
    banned_yaml,
    conditions_yaml,
    guidance_yaml,
    research_yaml,
)
from generator.synth.plan import Rec, announcement_ids, pick, split_counts, stable_first_order
from generator.synth.research import plan_research
from generator.synth.text import UsedNames, grades_yaml, registry_yaml
from generator.synth.words import (
    BMT_PLANS,
    GL_PLANS,
    GRADE_WEIGHTS,
    GRADE_YEARS,
    MAX_PER_YEAR,
    START,
)


def write_synthetic(out: Path, count: int, seed: int = 1) -> int:
    """Write a valid synthetic registry of `count` records into `out`; returns files written."""
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    recs = _records(rng, count)
    anns, dates, judge = schedule(rng, recs, GRADE_YEARS)
    projects = [r for r in recs if r.kind == "research"]
    plan_research(rng, projects, judge, dates[-1] if dates else START)
    ordered = _assign_ids([r for r in recs if r.events or r.filed is not None], dates)
    out.mkdir(parents=True, exist_ok=True)
    for folder in DATA_FOLDERS.values():
        (out / folder).mkdir(exist_ok=True)
    files = _files(rng, ordered, anns, dates)
    for rel, text in files.items():
        with open(out / rel, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return len(files)


def _records(rng: random.Random, count: int) -> list[Rec]:
    """`count` records split by kind, each announced one with its plan of candidate actions."""
    n_gl, n_bmt, n_ban, n_cr = split_counts(count)

    recs: list[Rec] = []
    for _ in range(n_gl):
        recs.append(Rec("guidance", len(recs), ["list", *pick(rng, GL_PLANS)]))
    for _ in range(n_bmt):
        grade = pick(rng, GRADE_WEIGHTS)
        recs.append(Rec("approved", len(recs), ["approve", *pick(rng, BMT_PLANS)], grade=grade))
    for _ in range(n_ban):
        recs.append(Rec("banned", len(recs), ["ban"]))
    for _ in range(n_cr):
        recs.append(Rec("research", len(recs), []))
    return recs


def _prefix(kind: str) -> str:
    return spec(kind).ids.example.split("-")[0]


def _assign_ids(recs: list[Rec], dates: list[date]) -> dict[str, list[Rec]]:
    """Ids in order of first action (research: of filing); BMT-<year>-<nnn> never before the
    year of approval, CR-<year>-<nnnn> numbered within the year of filing."""
    counters = dict.fromkeys(RECORD_KINDS, 0)
    bmt_year, bmt_n = START.year, 0
    ordered: dict[str, list[Rec]] = {kind: [] for kind in RECORD_KINDS}
    for rec in stable_first_order([r for r in recs if r.events]):
        if rec.kind == "approved":
            year = dates[rec.events[0][0]].year
            if year > bmt_year:
                bmt_year, bmt_n = year, 0
            if bmt_n >= MAX_PER_YEAR:
                bmt_year, bmt_n = bmt_year + 1, 0
            bmt_n += 1
            rec.rid = f"{_prefix(rec.kind)}-{bmt_year}-{bmt_n:03d}"
        else:
            counters[rec.kind] += 1
            rec.rid = f"{_prefix(rec.kind)}-{counters[rec.kind]:04d}"
        ordered[rec.kind].append(rec)
    filed = sorted((r for r in recs if r.filed is not None), key=lambda r: (r.filed, r.index))
    per_year: dict[int, int] = {}
    for rec in filed:
        assert rec.filed is not None
        n = per_year[rec.filed.year] = per_year.get(rec.filed.year, 0) + 1
        rec.rid = f"{_prefix(rec.kind)}-{rec.filed.year}-{n:04d}"
        ordered[rec.kind].append(rec)
    return ordered


def _files(
    rng: random.Random, ordered: dict[str, list[Rec]], anns: list[Placed], dates: list[date]
) -> dict[str, str]:
    """Every file of the registry, by path under the data directory."""
    files: dict[str, str] = {"registry.yaml": registry_yaml(), "risk-grades.yaml": grades_yaml()}
    used = {kind: UsedNames() for kind in RECORD_KINDS}
    for rec in ordered["guidance"]:
        files[f"{FOLDERS['guidance']}/{rec.rid}.yaml"] = guidance_yaml(
            rng, rec, used["guidance"], dates
        )

    aids = announcement_ids(dates)
    # Approved technologies, in approval order; each grew out of the guidance entry status/
    # accepted on its approval date (synth/accept.py); a third of them keep the entry's name,
    # which the contract allows.
    for rec in ordered["approved"]:
        text = approved_yaml(rng, rec, rec.source, used["approved"], dates)
        files[f"{FOLDERS['approved']}/{rec.rid}.yaml"] = text
        files[f"{DATA_FOLDERS['conditions']}/{rec.rid}.yaml"] = conditions_yaml(
            rng, rec, dates, aids
        )

    for rec in ordered["banned"]:
        files[f"{FOLDERS['banned']}/{rec.rid}.yaml"] = banned_yaml(rng, rec, used["banned"], dates)
    for rec in ordered["research"]:
        files[f"{FOLDERS['research']}/{rec.rid}.yaml"] = research_yaml(rng, rec)

    batches = {"list": 0}
    for actions, day, (aid, seq) in zip(anns, dates, aids, strict=True):
        name = f"{DATA_FOLDERS['announcement']}/{aid}.yaml"
        files[name] = announcement_yaml(rng, aid, day, seq, actions, batches)
    return files
