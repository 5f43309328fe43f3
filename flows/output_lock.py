"""One writer per output folder: a run (or a scheduled pass) holds an exclusive flock on the folder.

The lock is taken on the folder itself (no lock file is left in it) and the kernel drops it when the
process ends, even by SIGKILL, so a killed run never blocks the next one. A second run on the same
`--out` waits for the first (up to `--wait` seconds) or is refused with one line; runs on different
output folders do not touch each other. This is what keeps the history database (one writing process
at a time, DuckDB's rule) and the output folders consistent when two runs overlap.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.2
DEFAULT_WAIT_SECONDS = 600.0


class OutputLocked(Exception):
    """Another run kept the output folder for longer than this one would wait."""

    def __init__(self, out: Path, waited: float):
        self.out = out
        self.waited = waited
        after = f" after waiting {waited:g} s" if waited > 0 else ""
        super().__init__(f"another whitepaper run is writing this output folder{after}; try again when it ends")


@contextmanager
def output_lock(
    out: Path, wait_seconds: float = DEFAULT_WAIT_SECONDS, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the folder's lock for the block; wait for another holder up to `wait_seconds` (calling
    `on_wait` once when it has to), else raise OutputLocked."""
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _acquire(fd, out, wait_seconds, on_wait)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, out: Path, wait_seconds: float, on_wait: Callable[[], None] | None) -> None:
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OutputLocked(out, wait_seconds) from None
            if on_wait is not None and not told:
                on_wait()
                told = True
            time.sleep(POLL_SECONDS)
