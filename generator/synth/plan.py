"""Planning a synthetic registry: how many records of each kind, the announcement calendar, and for each record a legal sequence of actions."""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from generator.domain.vocabulary import DIRECT_GROUNDS, REVIEW_GROUNDS, SUSPEND_GROUNDS
from generator.synth.words import (
    BAN_GROUNDS,
    EMBARGO_AFTER,
    EMBARGO_SHARE,
    EMERGENCY_SCOPES,
    GRADE_YEARS,
    MAX_PER_YEAR,
    MIN_PER_WEEK,
    NOTES,
    START,
    THEMES,
    Platform,
)
from generator.status.states import period_end

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
    kind: str  # guidance, approved, banned
    index: int
    plan: list[str]
    grade: str = ""
    rid: str = ""
    # state mirrored from status/transitions.py while scheduling
    phase: str | None = None
    approved_on: date | None = None
    suspended_in_period: bool = False
    opened: bool = False
    # (announcement index, action fields, position in the announcement)
    events: list[tuple[int, dict, int]] = field(default_factory=list)
    # text, filled later
    name: str = ""
    platform: Platform | None = None
    disease: str = ""
    institutions: list[str] = field(default_factory=list)


def split_counts(count: int) -> tuple[int, int, int]:
    n_gl = min(9999, round(count * 0.6))
    n_ban = min(9999, round(count * 0.1))
    if count >= 3:
        n_gl, n_ban = max(n_gl, 1), max(n_ban, 1)
    n_bmt = max(count - n_gl - n_ban, 0)
    if count >= 3 and n_bmt == 0:
        n_bmt, n_gl = 1, n_gl - 1
    return n_gl, n_bmt, n_ban


def _calendar(n: int) -> list[date]:
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


def _legal(rec: Rec, act: str, day: date) -> bool:
    """Would `act` on `rec` be legal on `day`? Mirrors status/transitions.py (tests/shells/test_synth.py
    validates what it plans with the real rules, so the two cannot drift unseen)."""
    p = rec.phase
    if p == "banned":
        return False
    if act == "list":
        return p != "listed"
    if act in ("delist", "retain", "emergency_use"):
        return p == "listed"
    if act == "approve":
        return p is None
    if act == "open":
        # 规范 第二十条第二款: only after the period, and only when a suspension inside it kept the
        # technology from opening by itself
        if p != "active" or rec.opened or rec.approved_on is None:
            return False
        return rec.suspended_in_period and day > _until(rec)
    if act == "suspend":
        return p == "active"
    if act == "resume":
        return p == "suspended"
    if act == "ban":
        return rec.kind == "banned" or p is not None
    if act == "amend":
        return p is not None
    return False  # pragma: no cover


def _until(rec: Rec) -> date:
    assert rec.approved_on is not None
    return period_end(rec.approved_on, GRADE_YEARS[rec.grade])


def apply_event(rec: Rec, act: str, day: date) -> None:
    if act in ("list", "retain"):
        rec.phase = "listed"
    elif act == "delist":
        rec.phase = "delisted"
    elif act == "approve":
        rec.phase, rec.approved_on = "active", day
    elif act == "open":
        rec.opened = True
    elif act == "suspend":
        if day <= _until(rec) and not rec.opened:
            rec.suspended_in_period = True
        rec.phase = "suspended"
    elif act == "resume":
        rec.phase = "active"
    elif act == "ban":
        rec.phase = "banned"


def _action_fields(rng: random.Random, step: str, day: date) -> dict:
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


def schedule(
    rng: random.Random, recs: list[Rec]
) -> tuple[list[list[tuple[Rec, dict]]], list[date]]:
    """Place every plan step into announcements; returns their actions and dates.

    Like real notices, each announcement has one theme: a batch of new guidance entries, a batch
    of approvals, a batch of bans, or adjustments (every later step of a plan: delist, suspend…).
    Steps are first placed in announcement order; dates are spread once the number of
    announcements is known; then the actions are replayed on those dates to fill in their fields
    and to turn the rare step that would be illegal on its date into an `amend`.
    """
    steps = _place_steps(rng, recs)
    dates = _calendar(len(steps))
    anns = _fill_actions(rng, steps, dates)
    return anns, dates


def _place_steps(rng: random.Random, recs: list[Rec]) -> list[list[tuple[Rec, str]]]:
    """Every plan step in announcement order, each announcement with one theme."""
    total = sum(len(r.plan) for r in recs)
    # 5-20 actions an announcement; more when that would need over 999 announcements in 2026
    # (then ~5 % embargoed would be impossible), up to 40, beyond which later years take the rest.
    published_max = MAX_PER_YEAR / (1 - EMBARGO_SHARE)
    biggest = min(40, max(20, math.ceil(2.2 * total / published_max) - 5))
    max_delay = max(2, min(120, round(total / 12.5) // 4))  # in announcements
    fresh: dict[str, list[Rec]] = {kind: [] for kind in THEMES}
    for rec in recs:
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


def _fill_actions(
    rng: random.Random, steps: list[list[tuple[Rec, str]]], dates: list[date]
) -> list[list[tuple[Rec, dict]]]:
    """The steps replayed on their dates: fields filled in, an illegal step turned into `amend`,
    and opens that must wait for the period in one last announcement (appended to `dates`)."""
    anns: list[list[tuple[Rec, dict]]] = []
    postponed: list[Rec] = []  # opens that can only come after the period (规范 第二十条第二款)
    for k, (items, day) in enumerate(zip(steps, dates, strict=True)):
        actions = []
        for rec, step in items:
            name = step.partition(":")[0]
            alone = len(items) == 1
            if name == "open" and rec.suspended_in_period and rec.phase == "active" and not alone:
                postponed.append(rec)  # legal once the period has ended: the last announcement
                continue
            if not _legal(rec, name, day):
                step = "amend"  # e.g. an `open` of a technology that opens by itself
            act = _action_fields(rng, step, day)
            apply_event(rec, act["action"], day)
            rec.events.append((k, act, len(actions)))
            actions.append((rec, act))
        anns.append(actions)
    late = [r for r in postponed if r.phase == "active" and not r.opened]
    if late:
        day = max(_until(r) for r in late) + timedelta(days=1)
        k = len(anns)
        actions = []
        for pos, rec in enumerate(late):
            act = _action_fields(rng, "open", day)
            apply_event(rec, "open", day)
            rec.events.append((k, act, pos))
            actions.append((rec, act))
        anns.append(actions)
        dates.append(day)
    return anns


def announcement_ids(dates: list[date]) -> list[tuple[str, int]]:
    """(id, number within its year) of each announcement: ANN-<year>-<nnn> in date order."""
    counter: dict[int, int] = {}
    out = []
    for day in dates:
        counter[day.year] = counter.get(day.year, 0) + 1
        out.append((f"ANN-{day.year}-{counter[day.year]:03d}", counter[day.year]))
    return out


def _listed_after(gl: Rec, day: date, dates: list[date]) -> bool:
    """Is guidance entry `gl` listed after all announcements dated `day`?"""
    phase = None
    for k, act, _ in gl.events:
        if dates[k] > day:
            break
        a = act["action"]
        phase = "listed" if a in ("list", "retain") else "delisted" if a == "delist" else phase
    return phase == "listed"


def _fits(gl: Rec, rec: Rec, dates: list[date]) -> bool:
    approved_on, last = dates[rec.events[0][0]], rec.events[-1][0]
    if not _listed_after(gl, approved_on, dates):
        return False
    direct = [k for k, act, _ in gl.events if act.get("route") == "direct"]
    return all(k > last and dates[k] > dates[last] for k in direct)


def pick_source(rng: random.Random, rec: Rec, pool: list[Rec], dates: list[date]) -> Rec | None:
    """A guidance entry the technology can have grown out of (random, then by scanning)."""
    for _ in range(min(20, len(pool))):
        gl = pool[rng.randrange(len(pool))]
        if _fits(gl, rec, dates):
            return gl
    return next((gl for gl in pool if _fits(gl, rec, dates)), None)


def stable_first_order(recs: list[Rec]) -> list[Rec]:
    """Records in the order their first action was placed (announcement, then position)."""
    keyed = sorted((rec.events[0][0], rec.events[0][2], i) for i, rec in enumerate(recs))
    return [recs[i] for _, _, i in keyed]
