"""Synthetic research projects (临床研究备案项目, 界定指导原则 二): each filed under a guidance entry
on a day the entry is listed, with the events a filing institution reports.

The plan is a candidate like any other: `status/research.project_status` replays it against the
entry's intervals (status/intervals.py, from the snapshots synth/accept.py took) and its
delistings, and a plan it finds an issue with (E410, E411) is not written: the events are left
out, or another entry and date are drawn. The mix follows what the entry's later delisting asks
(二(二)2): after a direct delisting most projects report `terminated`, some not yet
(`terminate_required`); after a delisting after review some report `ethics_continued` (then often
`completed`), some `terminated`, some not yet (`ethics_review_required`); without a delisting a
few report `completed` or `terminated`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from generator.domain import ids
from generator.domain.models import ResearchProject
from generator.status.intervals import Interval, intervals_of
from generator.status.research import project_status
from generator.status.states import Event
from generator.synth.accept import Judge
from generator.synth.plan import Rec
from generator.synth.words import EMBARGO_AFTER, EMBARGO_SHARE

TRIES = 12
DAY = timedelta(days=1)
FAR = date.max  # every reported event: a bad plan is refused whenever its problem lies


def plan_research(rng: random.Random, projects: list[Rec], judge: Judge, last: date) -> None:
    """Give every project an entry, a filing date and events that status/ accepts; a project
    for which none is found keeps `filed` None (and is not written)."""
    entries = [e for e in judge.entries if e.key in judge.history]
    intervals = {e.key: intervals_of(judge.history[e.key]) for e in entries}
    spans = {key: _listed(ivs) for key, ivs in intervals.items()}
    # entries that are later delisted weigh 3: the statuses a delisting brings occur often enough
    pool = [e for e in entries if spans[e.key]]
    if not pool:
        return
    cum = list(accumulate(3.0 if _delists(judge, e) else 1.0 for e in pool))
    for rec in projects:
        for _ in range(TRIES):
            entry = rng.choices(pool, cum_weights=cum)[0]
            filed = _filing_day(rng, spans[entry.key], last)
            if filed is None:
                continue
            delists = [
                e for e in _timeline(judge, entry) if e.action == "delist" and e.date > filed
            ]
            reports = _reports(rng, filed, delists[0] if delists else None)
            for candidate in (reports, []):  # the events left out when they are refused
                if _accepted(judge, entry, intervals[entry.key], filed, candidate):
                    rec.source, rec.filed, rec.reports = entry, filed, candidate
                    break
            if rec.filed is not None:
                break


def _listed(intervals: list[Interval]) -> list[Interval]:
    return [iv for iv in intervals if iv.status.code == "listed"]


def _timeline(judge: Judge, entry: Rec) -> list[Event]:
    return judge.history[entry.key][-1][1].timeline


def _delists(judge: Judge, entry: Rec) -> bool:
    return any(e.action == "delist" for e in _timeline(judge, entry))


def _filing_day(rng: random.Random, listed: list[Interval], last: date) -> date | None:
    """A day inside one of the entry's listed intervals; about 5 % after the as-of date of the
    tests (embargoed filings), the rest on or before it."""
    iv = listed[rng.randrange(len(listed))]
    late = rng.random() < EMBARGO_SHARE
    stop = last if late else EMBARGO_AFTER
    start = max(iv.start, EMBARGO_AFTER + DAY) if late else iv.start
    end = min(iv.end or stop, stop)
    if end < start:
        return None
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _reports(rng: random.Random, filed: date, delist: Event | None) -> list[tuple[date, str]]:
    """Candidate events: what the entry's next delisting (if any) asks, or a plain ending."""
    r = rng.random()
    if delist is not None and delist.fields.get("route") == "direct":
        return [(delist.date + timedelta(days=rng.randint(7, 90)), "terminated")] if r < 0.7 else []
    if delist is not None:
        after = delist.date + timedelta(days=rng.randint(14, 120))
        if r < 0.45:
            done = [(after + timedelta(days=rng.randint(60, 400)), "completed")]
            return [(after, "ethics_continued"), *(done if rng.random() < 0.5 else [])]
        return [(after, "terminated")] if r < 0.75 else []
    if r < 0.25:
        return [(filed + timedelta(days=rng.randint(30, 400)), "completed")]
    return [(filed + timedelta(days=rng.randint(10, 200)), "terminated")] if r < 0.33 else []


def _accepted(
    judge: Judge,
    entry: Rec,
    intervals: list[Interval],
    filed: date,
    reports: list[tuple[date, str]],
) -> bool:
    """Does status/research.py find no issue with this filing and these events?"""
    project = ResearchProject.model_validate(
        {
            "id": ids.CR.example,
            "title": "候选项目",
            "guidance_entry": ids.GL.example,
            "sponsor": "候选机构",
            "institutions": ["候选机构"],
            "filed": filed,
            "events": [{"date": d, "event": e} for d, e in reports],
        }
    )
    status = project_status(project, intervals, _timeline(judge, entry), FAR)
    return not status.issues
