"""Pages of a long document read by several processes when the machine has idle cores.

The reader splits the page numbers into one share per worker. The parent forks `workers - 1`
children after it has opened and checked the file; each child reads its share (reopening the file:
a file offset cannot be shared) and sends what it read back through a pipe, pickled; the parent
reads the first share meanwhile. What a page gives is plain data, so it travels back cheaply.
Without `fork`, with one worker, for short documents or when every core is already busy (1-minute
load average), everything is read in-process: forking then only adds work.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Share = list[int]  # 1-based page numbers read by one process


class WorkerFailed(RuntimeError):
    """A page worker died or returned nothing; the reader turns it into the document's one line."""

    def __init__(self, path: str, status: int):
        super().__init__(f"page worker failed (wait status {status}) reading {path}")
        self.status = status


def worker_count(n_pages: int, settings: Any) -> int:
    """Processes worth using for a document of `n_pages` pages right now (`settings`: TableSettings,
    whose `workers` is the most and `parallel_min_pages` the shortest document worth splitting)."""
    if n_pages < settings.parallel_min_pages or not hasattr(os, "fork"):
        return 1
    cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:  # no load average on this platform: assume the cores are ours
        idle = cores
    return max(1, min(settings.workers, n_pages, cores, int(idle + 0.5) + 1))


def shares(n_pages: int, workers: int) -> list[Share]:
    """Every `workers`-th page to each process, so that each gets early and late pages alike."""
    numbers = list(range(1, n_pages + 1))
    return [numbers[i::workers] for i in range(workers)]


def _child(read_share: Callable[[Share], Any], share: Share, fd: int) -> None:
    """Runs in a forked child: read the share, write the pickled result, exit without cleanup."""
    status = 1
    try:
        # Ctrl-C reaches the whole process group: the parent stops the children, they stay quiet
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        result = read_share(share)
        with os.fdopen(fd, "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # the parent sees the exit status; the traceback goes to the debug log
        log.debug("page worker %s failed", os.getpid(), exc_info=True)
    finally:
        os._exit(status)


def read_in_workers(
    read_own: Callable[[Share], Any], read_share: Callable[[Share], Any], all_shares: list[Share], path: str
) -> list[Any]:
    """The first share read in this process by `read_own`, every other one by `read_share` in a
    forked child; results in the order of `all_shares`. A child that fails fails the document."""
    children: list[tuple[int, int]] = []
    try:
        for share in all_shares[1:]:
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _child(read_share, share, w)
            os.close(w)
            children.append((pid, r))
        results = [read_own(all_shares[0])]
        while children:
            pid, r = children[0]
            with os.fdopen(r, "rb") as inp:
                children[0] = (pid, -1)  # the file object closes the pipe
                data = inp.read()
            _, status = os.waitpid(pid, 0)
            children.pop(0)
            if status != 0 or not data:
                raise WorkerFailed(path, status)
            results.append(pickle.loads(data))
        return results
    finally:
        for pid, r in children:  # only after an error or an interrupt: stop and reap the rest
            if r >= 0:
                os.close(r)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
