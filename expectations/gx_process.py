"""Great Expectations in a process of its own, started when a run starts.

Importing GX costs a run more than any other import (seconds of CPU, ~250 MiB), and a run needs it
only once the first document is checked. `whitepaper run` starts this process first thing, so that
the import happens on another core while the run's own process imports Prefect and reads the pages;
the run's process never imports GX. Two calls travel here: a document's suites
(expectations.gx_suites.run_suites) and its Data Docs (publish.report.data_docs.build_data_docs).

Protocol: a pickled `(target, args)` on the child's stdin, a pickled `(ok, value)` back on the
descriptor that was its stdout (fd 1 itself is pointed at stderr, so a library's print cannot break
the protocol; stderr goes to a temporary file read into the debug log). The child ignores Ctrl-C
(the run stops it) and ends at end of input, so it never outlives the run, even one killed with
SIGKILL. Without a running process (tests, `whitepaper serve`, Dask workers, `whitepaper report`)
`call` runs the function here. A child that dies is not restarted: the call and the run's later
calls run here, and the debug log says why.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

# What the child imports before it reads its first request (the calls below need nothing else).
WARM_UP = ("expectations.gx_suites", "publish.report.data_docs")
STOP_SECONDS = 5.0  # how long the child may take to end once its input is closed
STDERR_TAIL = 2000  # characters of the child's stderr kept in the debug log when it died


class ProcessGone(RuntimeError):
    """The child ended or could not be reached; the caller runs the function itself."""


def resolve(target: str):
    """`module:function` -> the function."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class GxProcess:
    """One child process; `call` runs a function there and returns its value (or raises its error)."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        self._child = subprocess.Popen(
            [sys.executable, "-m", "expectations.gx_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            close_fds=True,
        )
        self._lock = threading.Lock()  # one request at a time: the pipe carries one conversation
        self.alive = True

    def call(self, target: str, *args: Any) -> Any:
        with self._lock:
            if not self.alive:
                raise ProcessGone("the Great Expectations process has ended")
            try:
                pickle.dump((target, args), self._child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self._child.stdin.flush()
                ok, value = pickle.load(self._child.stdout)
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                self._gone(exc)
                raise ProcessGone(f"the Great Expectations process ended ({exc!r})") from exc
            except BaseException:
                # Interrupted (Ctrl-C, SIGTERM) while the child works: it must be gone before the run
                # removes a half-written folder the child may still be writing into.
                self.kill()
                raise
        if ok:
            return value
        raise value

    def _gone(self, exc: BaseException) -> None:
        self.kill()
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace")[-STDERR_TAIL:]
        status = self._child.returncode
        log.debug("Great Expectations process ended (%r, exit status %s); its stderr:\n%s", exc, status, tail)

    def kill(self) -> None:
        self.alive = False
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()

    def stop(self) -> None:
        """End of input: the child finishes and exits; killed if it does not within STOP_SECONDS."""
        self.alive = False
        try:
            self._child.stdin.close()
            self._child.wait(timeout=STOP_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("Great Expectations process did not end by itself (%r): killed", exc)
        self.kill()
        self._child.stdout.close()
        self._stderr.close()


_CURRENT: list[GxProcess] = []


def current() -> GxProcess | None:
    """The run's GX process, when one is running in this process's run."""
    return _CURRENT[0] if _CURRENT and _CURRENT[0].alive else None


@contextmanager
def running() -> Iterator[GxProcess]:
    """A GX process for the duration of a run; `call` sends work to it meanwhile."""
    process = GxProcess()
    _CURRENT.append(process)
    try:
        yield process
    finally:
        _CURRENT.remove(process)
        process.stop()


def call(target: str, *args: Any) -> Any:
    """`target(*args)` in the run's GX process when one is running, else here."""
    return call_in(current(), target, *args)


def call_in(process: GxProcess | None, target: str, *args: Any) -> Any:
    """`target(*args)` in `process`, or here when there is none or it has ended."""
    if process is not None:
        try:
            return process.call(target, *args)
        except ProcessGone as exc:
            log.info("%s; checking in the run's own process from now on", exc)
    return resolve(target)(*args)


def _reply(out, ok: bool, value: Any) -> None:
    try:
        payload = pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an error (or value) that cannot be pickled: its text travels instead
        payload = pickle.dumps((False, RuntimeError(f"{value!r} (not picklable: {exc})")))
    out.write(payload)
    out.flush()


def serve(requests, replies) -> None:
    """The child's loop: one request, one reply, until end of input."""
    while True:
        try:
            target, args = pickle.load(requests)
        except (EOFError, OSError, pickle.UnpicklingError):  # the run closed (or lost) its end
            return
        try:
            value = resolve(target)(*args)
        except Exception as exc:
            log.debug("%s failed in the Great Expectations process:\n%s", target, traceback.format_exc())
            _reply(replies, False, exc)
            continue
        _reply(replies, True, value)


def _main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the run stops us
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print goes to stderr, not into a reply
    sys.stdout = sys.stderr
    for module in WARM_UP:
        importlib.import_module(module)
    from expectations.gx_suites import run_context

    run_context()  # imports Great Expectations and makes the context every document's suites use
    serve(sys.stdin.buffer, replies)
    # Every reply is written and flushed; the interpreter's teardown of GX's modules would keep the run
    # waiting ~0.5-0.7 s for nothing.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    _main()
