"""The time budget of a document, enforced during a page: a timer signal stops the page being read.

Checking the clock between pages cannot stop one hostile page (a content stream of millions of
operators keeps pdfminer busy for minutes). `deadline(at)` arms a real-time timer (SIGALRM) for
the monotonic time `at`; when it fires, `OverBudget` is raised wherever the reading is, between two
Python bytecodes. Long C calls are already cut short: stream decoding runs in 1 MB steps
(extractors.inflate_limit). Signals reach only the main thread: elsewhere the budget falls back to
the check between pages, and `armed` says so.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

MIN_DELAY = 0.001  # setitimer(0) would disarm the timer instead of firing at once


class OverBudget(BaseException):
    """The document's time budget ran out while a page was being read.

    A BaseException, like KeyboardInterrupt: the page readers catch `Exception` to skip a damaged
    page, and an exhausted budget must end the document, not just the page."""


class Armed:
    """Whether the timer could be armed (only in the main thread, where signals are delivered)."""

    def __init__(self, on: bool):
        self.on = on


def _raise(signum, frame) -> None:
    raise OverBudget()


@contextlib.contextmanager
def deadline(at: float) -> Iterator[Armed]:
    """Raise OverBudget inside this block once time.monotonic() passes `at`."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield Armed(False)
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, max(MIN_DELAY, at - time.monotonic()))
    try:
        yield Armed(True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
