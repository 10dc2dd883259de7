"""Points inside long loops where the preview's background work may be stopped.

`registry serve` writes the edited pages first and everything else in a background thread
(shells/live_site.py `settle`); a newer save must stop that thread before it is published in turn.
A thread stops only where it looks, so the loops over every record that make one file (the
release zip, the workbook, the /check/ index, the calendar) call `checkpoint()` once per record,
and the templates of the list pages and /changes/ loop over a `Checkpointed` list: it runs the thread's `stop_here` (which raises to stop) while
one is set, and does nothing otherwise (every other caller: a build, a test). The callback is a
context variable, so it is the settling thread's own (a new thread starts without one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

_STOP: ContextVar[Callable[[], None] | None] = ContextVar("registry_checkpoint", default=None)


def checkpoint() -> None:
    """Raise here if this thread's work was asked to stop (see `stopping_at`)."""
    stop = _STOP.get()
    if stop is not None:
        stop()


@contextmanager
def stopping_at(stop: Callable[[], None]) -> Iterator[None]:
    """Within the block, every `checkpoint()` of this thread calls `stop` (which may raise)."""
    token = _STOP.set(stop)
    try:
        yield
    finally:
        _STOP.reset(token)


T = TypeVar("T")


class Checkpointed(list[T], Generic[T]):
    """A list whose every iteration passes a checkpoint before each item: a template's loop over
    every record (a list page, /changes/) can be stopped inside the page."""

    def __iter__(self) -> Iterator[T]:
        for item in list.__iter__(self):
            checkpoint()
            yield item
