"""Write a valid synthetic registry (`registry synth`) for benchmarks and tests.

The output has the layout of `data/` and passes `check_registry`: every record is named by an
announcement, every action is legal under `status/` when the announcements are replayed, names are
unique after NFKC, and every file carries `sample: true`.

How it is built:

1. Split `count` into about 60 % guidance entries, 30 % approved technologies (each with its
   conditions file) and 10 % banned technologies (GL and BAN ids stop at 9999; the rest become
   approved technologies).
2. Give every record a *plan*: its sequence of actions (list → retain → delist, approve → suspend →
   resume, …), drawn from a fixed mix so that every status occurs.
3. Schedule the plans into themed announcements of 5-20 actions (a batch of new guidance entries,
   of approvals, of bans, or of adjustments: every later step of a plan). Dates start on
   2026-05-15 and increase, several a week (several a day for large registries); about 5 % of the
   announcements fall after 2026-11-23, the as-of of the tests, and are therefore embargoed. When
   that would need more than 999 announcements in 2026 (ANN-2026-NNN has three digits),
   announcements grow up to 40 actions, and beyond that later years take the rest. A small state
   machine mirroring `status/transitions.py` checks each action on its date and turns an illegal one (an
   `open` inside the 限定期 or of a technology that opens by itself, 规范 第二十条第二款) into an
   `amend`. The `open`s of technologies suspended inside their period and resumed go into one
   last announcement dated the day after the latest of their periods, so that opening by
   announcement occurs too.
5. Every approved technology grows out of a guidance entry that is listed on its approval date
   (规范 第三条) and is not directly delisted before the technology's last action (a direct
   delisting bans it, 界定指导原则 二(二)2(1)). About half of the technologies with an `amend`
   publish a second conditions version by it (`versions`).
4. Number the records in the order of their first action (GL-0001 is the first listed, BMT ids in
   approval order: BMT-<year>-<nnn> with at most 999 a year and the id year never before the year
   of approval), then write the text: names built from parts, Markdown with lists and tables.

Everything comes from `random.Random(seed)`: the same seed gives byte-identical files. The YAML is
written with string templates; every free-text scalar is a JSON string (a valid YAML double-quoted
scalar) or a literal block whose content was checked to be safe for one.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from generator.synth.files import (
    announcement_yaml,
    approved_yaml,
    banned_yaml,
    conditions_yaml,
    guidance_yaml,
)
from generator.synth.plan import (
    Rec,
    announcement_ids,
    pick,
    pick_source,
    schedule,
    split_counts,
    stable_first_order,
)
from generator.synth.text import UsedNames, grades_yaml, pick_institutions, registry_yaml
from generator.synth.words import BMT_PLANS, GL_PLANS, GRADE_WEIGHTS, MAX_PER_YEAR, START


def write_synthetic(out: Path, count: int, seed: int = 1) -> int:
    """Write a valid synthetic registry of `count` records into `out`; returns files written."""
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    recs = _records(rng, count)
    anns, dates = schedule(rng, recs)
    ordered = _assign_ids(recs, dates)
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("guidance-list", "approved", "conditions", "banned", "announcements"):
        (out / sub).mkdir(exist_ok=True)
    files = _files(rng, ordered, anns, dates)
    for rel, text in files.items():
        with open(out / rel, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return len(files)


def _records(rng: random.Random, count: int) -> list[Rec]:
    """`count` records split by kind, each with its plan of actions."""
    n_gl, n_bmt, n_ban = split_counts(count)

    recs: list[Rec] = []
    for _ in range(n_gl):
        recs.append(Rec("guidance", len(recs), ["list", *pick(rng, GL_PLANS)]))
    for _ in range(n_bmt):
        grade = pick(rng, GRADE_WEIGHTS)
        recs.append(Rec("approved", len(recs), ["approve", *pick(rng, BMT_PLANS)], grade=grade))
    for _ in range(n_ban):
        recs.append(Rec("banned", len(recs), ["ban"]))
    return recs


def _assign_ids(recs: list[Rec], dates: list[date]) -> dict[str, list[Rec]]:
    """Ids in order of first action; BMT-<year>-<nnn>, never before the year of approval."""

    counters = {"guidance": 0, "banned": 0}
    bmt_year, bmt_n = START.year, 0
    ordered: dict[str, list[Rec]] = {"guidance": [], "approved": [], "banned": []}
    for rec in stable_first_order(recs):
        if rec.kind == "approved":
            year = dates[rec.events[0][0]].year
            if year > bmt_year:
                bmt_year, bmt_n = year, 0
            if bmt_n >= MAX_PER_YEAR:
                bmt_year, bmt_n = bmt_year + 1, 0
            bmt_n += 1
            rec.rid = f"BMT-{bmt_year}-{bmt_n:03d}"
        else:
            counters[rec.kind] += 1
            prefix = "GL" if rec.kind == "guidance" else "BAN"
            rec.rid = f"{prefix}-{counters[rec.kind]:04d}"
        ordered[rec.kind].append(rec)
    return ordered


def _files(
    rng: random.Random, ordered: dict[str, list[Rec]], anns: list[Any], dates: list[date]
) -> dict[str, str]:
    """Every file of the registry, by path under the data directory."""
    files: dict[str, str] = {"registry.yaml": registry_yaml(), "risk-grades.yaml": grades_yaml()}

    used = {"guidance": UsedNames(), "approved": UsedNames(), "banned": UsedNames()}
    for rec in ordered["guidance"]:
        files[f"guidance-list/{rec.rid}.yaml"] = guidance_yaml(rng, rec, used["guidance"], dates)

    aids = announcement_ids(dates)
    # Approved technologies, in approval order; each grew out of a guidance entry listed on its
    # approval date (规范 第三条) and not directly delisted before its last action (二(二)2(1));
    # a third of them keep the entry's name, which the contract allows.
    gl_listed = ordered["guidance"]
    pointer, pool = 0, []
    for rec in ordered["approved"]:
        first = rec.events[0][0]
        while pointer < len(gl_listed) and gl_listed[pointer].events[0][0] < first:
            pool.append(gl_listed[pointer])
            pointer += 1
        source = pick_source(rng, rec, pool, dates)
        rec.institutions = pick_institutions(rng, rng.randint(1, 4))
        files[f"approved/{rec.rid}.yaml"] = approved_yaml(rng, rec, source, used["approved"], dates)
        files[f"conditions/{rec.rid}.yaml"] = conditions_yaml(rng, rec, dates, aids)

    for rec in ordered["banned"]:
        files[f"banned/{rec.rid}.yaml"] = banned_yaml(rng, rec, used["banned"], dates)

    batches = {"list": 0}
    for actions, day, (aid, seq) in zip(anns, dates, aids, strict=True):
        files[f"announcements/{aid}.yaml"] = announcement_yaml(rng, aid, day, seq, actions, batches)
    return files
