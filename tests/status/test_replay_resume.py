"""A replay resumed from the last one (status/resume.py) ends exactly as a replay from the first
announcement: states with their timelines, statuses, emergency uses, issues in order, the
snapshots of every date and the published intervals, through a chain of edits of the
announcements (dates moved across others and across the as-of date, announcements removed and
added, actions dropped or pointed at other records, titles changed), as `registry serve` makes
them one after the other."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from generator.domain.models import Announcement
from generator.publish.pipeline import check_registry
from generator.status.derive import Replayed, ReplayMemo, _replayed
from generator.status.intervals import Snapshots, snapshot_watch
from generator.status.replay import replay
from generator.status.resume import first_change
from generator.status.states import Replay, ReplayInput
from generator.synth.write import write_synthetic


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> ReplayInput:
    root = tmp_path_factory.mktemp("resume") / "data"
    write_synthetic(root, 300, seed=5)
    inp = check_registry(root, date(2030, 1, 1)).derived.input
    # a few BAN records share a name with a guidance entry or an approved technology: the rule
    # of 二(一)1 reports each pair once, when it breaks, so the resumed replay must know which
    # pairs were broken before its start
    banned = sorted(r for r, k in inp.kinds.items() if k == "banned")
    allowed = sorted(r for r, k in inp.kinds.items() if k in ("guidance", "approved"))
    names = dict(inp.names)
    for ban, other in zip(banned[:6], allowed[::40], strict=False):
        names[ban] = names[ban] | names[other]
    return replace(inp, names=names)


def _edit(rng: random.Random, anns: list[Announcement], ids: list[str]) -> list[Announcement]:
    """One edit an editor could make to the announcements (legal or not: the replay reports)."""
    anns = list(anns)
    k = rng.randrange(len(anns))
    a = anns[k]
    what = rng.choice(["date", "drop", "copy", "record", "action", "title"])
    if what == "date":
        anns[k] = a.model_copy(update={"date": a.date + timedelta(days=rng.randint(-400, 400))})
    elif what == "drop":
        del anns[k]
    elif what == "copy":
        day = a.date + timedelta(days=rng.randint(-200, 200))
        anns.append(a.model_copy(update={"id": f"ANN-2099-{len(anns):03d}", "date": day}))
    elif what == "record" and a.actions:
        i = rng.randrange(len(a.actions))
        named = "GL-9999" if rng.random() < 0.2 else rng.choice(ids)  # GL-9999: none (E305)
        act = a.actions[i].model_copy(update={"record": named})
        anns[k] = a.model_copy(update={"actions": [*a.actions[:i], act, *a.actions[i + 1 :]]})
    elif what == "action" and a.actions:
        i = rng.randrange(len(a.actions))
        anns[k] = a.model_copy(update={"actions": [*a.actions[:i], *a.actions[i + 1 :]]})
    else:
        anns[k] = a.model_copy(update={"title": a.title + "（改）"})
    return anns


def _fresh(inp: ReplayInput, as_of: date) -> tuple[Replay, Snapshots]:
    watch, snaps = snapshot_watch(inp)
    done = replay(inp, as_of, watch=watch)
    return done, snaps


@pytest.mark.parametrize("seed", range(4))
def test_a_resumed_replay_ends_as_a_full_one(synthetic: ReplayInput, seed: int) -> None:
    rng = random.Random(seed)
    days = sorted(a.date for a in synthetic.announcements)
    as_of = days[len(days) // 2] if seed % 2 else days[-1] + timedelta(days=1)
    memo, anns = ReplayMemo(), list(synthetic.announcements)
    ids = sorted(synthetic.kinds)
    assert _replayed(synthetic, as_of, memo).dated  # asked for, as the published view does
    resumed = e408 = 0
    for _ in range(25):
        anns = _edit(rng, anns, ids)
        inp = replace(synthetic, announcements=tuple(anns))
        last = memo.value
        got = _replayed(inp, as_of, memo)
        assert last is not None and got is not last
        want, snaps = _fresh(inp, as_of)
        resumed += "dated" in got.__dict__  # carried over and worked out again where needed
        assert got.replay == want
        assert got.snapshots == snaps
        e408 += sum(i.code == "E408" for i in want.issues)
        assert got.dated == Replayed(want, snaps, as_of).dated
    assert resumed == 25  # every edit resumed the last replay
    assert e408  # the pairs broke


def test_the_first_change_is_the_earliest_old_or_new_date(synthetic: ReplayInput) -> None:
    anns = list(synthetic.announcements)
    a = max(anns, key=lambda x: x.date)
    moved = a.model_copy(update={"date": date(2000, 1, 2)})
    assert first_change(tuple(anns), tuple(anns)) is None
    changed = tuple(moved if x is a else x for x in anns)
    assert first_change(tuple(anns), changed) == date(2000, 1, 2)
    assert first_change(changed, tuple(anns)) == date(2000, 1, 2)
    dropped = tuple(x for x in anns if x is not a)
    assert first_change(tuple(anns), dropped) == a.date


def test_a_change_besides_the_announcements_replays_from_the_start(
    synthetic: ReplayInput,
) -> None:
    memo = ReplayMemo()
    as_of = max(a.date for a in synthetic.announcements)
    _replayed(synthetic, as_of, memo)
    grades = {g: y + 1 for g, y in synthetic.grades.items()}  # every period a year longer
    inp = replace(synthetic, grades=grades)
    got = _replayed(inp, as_of, memo)
    want, snaps = _fresh(inp, as_of)
    assert got.replay == want and got.snapshots == snaps
    assert "dated" not in got.__dict__  # replayed from the start: nothing carried over
