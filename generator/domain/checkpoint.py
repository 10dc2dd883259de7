"""Points inside long loops where the preview's background work may be stopped.

`registry serve` writes the edited pages first and everything else in a background thread
(shells/live_site.py `settle`); a newer save must stop that thread before it is published in turn.
A thread stops only where it looks, so the loops over every record that make one file (the
release zip, the workbook, the /check/ index, the calendar, the change entries) call
`checkpoint()` once per record: it runs the thread's `stop_here` (which raises to stop) while
one is set, and does nothing otherwise (every other caller: a build, a test). The callback is a
context variable, so it is the settling thread's own (a new thread starts without one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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
