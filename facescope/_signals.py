"""Ctrl-C and SIGTERM end a command-line run cleanly: the browser is stopped, then every ``with``
block unwinds (the server stops, temporary files go) and the process exits 130 / 143.

Raising from the signal handler is not enough: while Chromium analyses, Python mostly runs inside
Playwright's callbacks (progress, downloads), and an exception raised there is handed to the page
as a failed callback, so the run would go on. The handler kills the browser instead, which fails
the call Python is waiting in; ``stopping`` then turns that failure into ``Stopped``.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_stops: list[Callable[[], bool]] = []
_received: list[int] = []


class Stopped(KeyboardInterrupt):
    """The run was ended by a signal (``signum``); nothing was written."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def _handle(signum: int, frame) -> None:  # noqa: ANN001 (the signal module's signature)
    _received.append(signum)
    stopped = [stop() for stop in list(_stops)]
    if not any(stopped):  # no browser running: plain Python unwinds safely from here
        raise Stopped(signum)


@contextlib.contextmanager
def handling_signals() -> Iterator[None]:
    """Installs the handlers for the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handle) for s in SIGNALS}
    _received.clear()
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def stopping(stop: Callable[[], bool]) -> Iterator[None]:
    """Runs ``stop`` when a handled signal arrives during the block (it returns whether it stopped
    anything; if not, ``Stopped`` is raised right there), and raises ``Stopped`` at the block's end
    if a signal came (in place of the error the stop caused)."""
    _stops.append(stop)
    try:
        yield
    except Exception as error:
        if _received:
            raise Stopped(_received[0]) from error
        raise
    finally:
        _stops.remove(stop)
    if _received:
        raise Stopped(_received[0])
