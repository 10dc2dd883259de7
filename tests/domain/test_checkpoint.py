"""Points where the preview's background work may be stopped (domain/checkpoint.py)."""

from __future__ import annotations

import threading

import pytest

from generator.domain.checkpoint import Checkpointed, checkpoint, stopping_at


class Stop(Exception):
    pass


def _raise() -> None:
    raise Stop


def test_a_checkpoint_does_nothing_outside_a_stopping_block() -> None:
    checkpoint()


def test_a_checkpoint_in_the_block_calls_stop_and_the_block_ends_it() -> None:
    with pytest.raises(Stop), stopping_at(_raise):
        checkpoint()
    checkpoint()  # reset on the way out, even by the exception


def test_another_thread_is_not_stopped_by_this_ones_block() -> None:
    seen: list[str] = []

    def other() -> None:
        try:
            checkpoint()
            seen.append("ran")
        except Stop:
            seen.append("stopped")

    with stopping_at(_raise):
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == ["ran"]


def test_a_checkpointed_list_checks_before_each_item_and_is_a_list_otherwise() -> None:
    calls = []
    rows = Checkpointed([1, 2, 3])
    with stopping_at(lambda: calls.append(1)):
        assert [x * 2 for x in rows] == [2, 4, 6]
    assert len(calls) == 3
    assert rows == [1, 2, 3] and len(rows) == 3 and sorted(rows) == [1, 2, 3]
