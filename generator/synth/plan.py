"""Planning a synthetic registry: how many records of each kind, the announcement calendar, and
for each record its candidate actions, placed into themed announcements (synth/accept.py then
keeps only what status/ accepts)."""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from generator.domain.kinds import FIRST_ACTION
from generator.domain.vocabulary import DIRECT_GROUNDS, REVIEW_GROUNDS, SUSPEND_GROUNDS
from generator.synth.words import (
    BAN_GROUNDS,
    EMBARGO_AFTER,
    EMBARGO_SHARE,
    EMERGENCY_SCOPES,
    MAX_PER_YEAR,
    MIN_PER_WEEK,
    NOTES,
    START,
    Platform,
)

T = TypeVar("T")


def pick(rng: random.Random, weighted: Sequence[tuple[float, T]]) -> T:
    """One value of (weight, value) pairs, with probability proportional to its weight."""
    total = sum(w for w, _ in weighted)
    r = rng.random() * total
    for w, value in weighted:
        r -= w
        if r < 0:
            return value
    return weighted[-1][1]  # pragma: no cover - rounding


@dataclass
class Rec:
    kind: str  # a record kind of domain/kinds.py
    index: int
    plan: list[str]  # candidate actions, first to last (research projects: none)
    grade: str = ""
    rid: str = ""
    # (announcement index, action fields, position in the announcement): the accepted actions
    events: list[tuple[int, dict, int]] = field(default_factory=list)
    source: Rec | None = None  # the guidance entry it grew out of (approved) or was filed under
    avoid: set[int] = field(default_factory=set)  # entries status/ refused as its source (E409)
    filed: date | None = None  # research: filing date and reported events (date, event)
    reports: list[tuple[date, str]] = field(default_factory=list)
    # text, filled later
    name: str = ""
    platform: Platform | None = None
    disease: str = ""
    institutions: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Its key while planning (ids are given in order of first action, once all is placed)."""
        return f"#{self.index}"


RESEARCH_SHARE = 0.15  # research projects among the records (issue 24: "the usual share")


def split_counts(count: int) -> tuple[int, int, int, int]:
    """(guidance entries, approved, banned, research projects): research 15 %, the rest split
    60 : 30 : 10 (GL, BAN and CR numbers stop at 9999; the rest become approved technologies)."""
    n_cr = min(9999, round(count * RESEARCH_SHARE))
    rest = count - n_cr
    n_gl = min(9999, round(rest * 0.6))
    n_ban = min(9999, round(rest * 0.1))
    if rest >= 3:
        n_gl, n_ban = max(n_gl, 1), max(n_ban, 1)
    n_bmt = max(rest - n_gl - n_ban, 0)
    if rest >= 3 and n_bmt == 0:
        n_bmt, n_gl = 1, n_gl - 1
    return n_gl, n_bmt, n_ban, n_cr


def calendar(n: int) -> list[date]:
    """Dates of `n` announcements: increasing from START, several a week (more when there are
    many), about 5 % after EMBARGO_AFTER, and at most 999 in any year (ANN-YYYY-NNN)."""
    embargoed = max(1, round(n * EMBARGO_SHARE)) if n >= 10 else 0
    published = min(MAX_PER_YEAR, n - embargoed)
    days = min((EMBARGO_AFTER - START).days, published * 7 / MIN_PER_WEEK)
    step = days / max(published, 1)  # days between announcements
    later = step if published == MAX_PER_YEAR else 7 / MIN_PER_WEEK
    dates: list[date] = []
    per_year: dict[int, int] = {}
    after = 0.0
    for k in range(n):
        if k < published:
            d = START + timedelta(days=int(k * step))
        else:
            d = EMBARGO_AFTER + timedelta(days=1 + int(after))
            after += later
        if dates and d < dates[-1]:
            d = dates[-1]
        if per_year.get(d.year, 0) >= MAX_PER_YEAR:
            d = date(d.year + 1, 1, 1)
            after = (d - EMBARGO_AFTER).days - 1 + later
        per_year[d.year] = per_year.get(d.year, 0) + 1
        dates.append(d)
    return dates


def action_fields(rng: random.Random, step: str, day: date) -> dict:
    """The extra fields of one action (record and institutions are added when writing)."""
    act, _, variant = step.partition(":")
    out: dict = {"action": act}
    if act == "delist":
        route = variant or "direct"
        out["route"] = route
        out["ground"] = rng.choice(DIRECT_GROUNDS if route == "direct" else REVIEW_GROUNDS)
    elif act == "emergency_use":
        out["scope"] = rng.choice(EMERGENCY_SCOPES)
        out["until"] = day + timedelta(days=rng.randint(60, 540))
    elif act == "suspend":
        out["ground"] = rng.choice(SUSPEND_GROUNDS)
        if rng.random() < 0.5:
            out["note"] = rng.choice(NOTES["suspend"])
    elif act == "ban":
        out["ground"] = rng.choice(BAN_GROUNDS)
    elif act in ("retain", "open", "resume", "amend") and rng.random() < 0.8:
        out["note"] = rng.choice(NOTES[act])
    return out


def place_steps(rng: random.Random, recs: list[Rec]) -> list[list[tuple[Rec, str]]]:
    """Every plan step in announcement order, each announcement with one theme."""
    total = sum(len(r.plan) for r in recs)
    # 5-20 actions an announcement; more when that would need over 999 announcements in 2026
    # (then ~5 % embargoed would be impossible), up to 40, beyond which later years take the rest.
    published_max = MAX_PER_YEAR / (1 - EMBARGO_SHARE)
    biggest = min(40, max(20, math.ceil(2.2 * total / published_max) - 5))
    max_delay = max(2, min(120, round(total / 12.5) // 4))  # in announcements
    fresh: dict[str, list[Rec]] = {kind: [] for kind in FIRST_ACTION}  # one theme a kind
    for rec in recs:
        if rec.plan:  # research projects are filings, in no announcement
            fresh[rec.kind].append(rec)
    for queue in fresh.values():
        rng.shuffle(queue)  # pop() from the end
    due: list[tuple[int, int, int]] = []  # (earliest announcement, seq, record index)
    ready: deque[int] = deque()  # records whose next step may go into the next adjustment
    placed = [0] * len(recs)  # steps placed so far, per record
    steps: list[list[tuple[Rec, str]]] = []
    seq = 0
    while due or ready or any(fresh.values()):
        k = len(steps)
        while due and due[0][0] <= k:
            ready.append(heapq.heappop(due)[2])
        themes = [(len(q), kind) for kind, q in fresh.items() if q]
        if len(ready) >= 12 or (ready and not themes):  # adjustments come in full batches too
            themes.append((len(ready) * 3, "adjust"))
        if not themes:  # only steps that must wait: the next announcement takes the earliest
            while due and len(ready) < 12:
                ready.append(heapq.heappop(due)[2])
            continue
        theme = pick(rng, themes)
        if k == 0 and fresh["guidance"]:
            theme = "guidance"  # the list is published first: approvals need a listed entry
        size = rng.randint(5, biggest)
        batch: list[Rec] = []
        if theme == "adjust":
            while ready and len(batch) < size:
                batch.append(recs[ready.popleft()])
        else:
            queue = fresh[theme]
            while queue and len(batch) < size:
                batch.append(queue.pop())
        items = []
        for rec in batch:
            items.append((rec, rec.plan[placed[rec.index]]))
            placed[rec.index] += 1
            if placed[rec.index] < len(rec.plan):
                seq += 1
                heapq.heappush(due, (k + rng.randint(1, max_delay), seq, rec.index))
        steps.append(items)

    return steps


def announcement_ids(dates: list[date]) -> list[tuple[str, int]]:
    """(id, number within its year) of each announcement: ANN-<year>-<nnn> in date order."""
    counter: dict[int, int] = {}
    out = []
    for day in dates:
        counter[day.year] = counter.get(day.year, 0) + 1
        out.append((f"ANN-{day.year}-{counter[day.year]:03d}", counter[day.year]))
    return out


def stable_first_order(recs: list[Rec]) -> list[Rec]:
    """Records in the order their first action was placed (announcement, then position)."""
    keyed = sorted((rec.events[0][0], rec.events[0][2], i) for i, rec in enumerate(recs))
    return [recs[i] for _, _, i in keyed]
