"""`whitepaper run` as a user starts it, for the tests of runs that overlap, are interrupted or killed:
a subprocess in its own process group, with bounded waits, and a look at which processes are left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from publish import files as publish
from tests.conftest import ROOT

POLL = 0.05
STARTUP_TIMEOUT = 300  # a loaded machine: the shared Prefect server and the imports come first


def start_run(args: list[str], env: dict | None = None, pause: float | None = None) -> subprocess.Popen:
    """`python -m flows.cli run ARGS`; `pause`: seconds the run waits with every file written and the
    swap not yet done (publish.files.PAUSE_ENV), so a test can act at that moment."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    if pause:
        full_env[publish.PAUSE_ENV] = str(pause)
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_swap(out: Path, proc: subprocess.Popen, timeout: float = STARTUP_TIMEOUT) -> Path:
    """The run's temporary folder once every file is in it (document.json is written last)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        for tmp in out.glob(f"{publish.TMP_PREFIX}{proc.pid}-*"):
            if (tmp / "reconciliation").is_dir() and (tmp / "document.json").is_file():
                return tmp
        time.sleep(POLL)
    raise AssertionError("the run never reached its output swap")


def finish(proc: subprocess.Popen, timeout: float = STARTUP_TIMEOUT) -> tuple[int, str, str]:
    """Exit code, stdout, stderr; the run's process group is killed if it outlives `timeout`."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def processes_with_env(name: str, value: str) -> list[int]:
    """Live processes (other than this one) whose environment has NAME=VALUE (Linux /proc)."""
    wanted = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if wanted in environ and state != "Z":
            found.append(int(entry.name))
    return sorted(found)


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"no {what} within {timeout} s")
