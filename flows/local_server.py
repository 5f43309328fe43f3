"""The local Prefect server that `whitepaper run` uses when PREFECT_API_URL is not set.

Prefect 3 needs an API server for every flow run; its own answer without one is a temporary server
per process, which costs ~8 s at every run. Instead, the first run starts one server process
(flows.local_server_process) and the runs that follow reuse it; it stops by itself once no run has
used it for `idle_seconds` (default 10 minutes). Where it is: `$PREFECT_HOME/whitepaper-server-<key>/`
(`server.json`, `server.log`; one per Python environment and Prefect version), and its database is
Prefect's own (`$PREFECT_HOME/prefect.db`).

    server = LocalServer(idle_seconds)
    server.begin()          # find it, or spawn it (returns at once: imports can go on meanwhile)
    url = server.wait()     # the API URL once it answers; LocalServerError when it cannot start
    ...                     # the run, holding a lease the kernel drops even if the run is SIGKILLed
    server.release()

Coordination is by flock, which the kernel releases when a process dies: `start.lock` is held while
a run looks for or starts the server (so two runs never start two), `lease` is held shared by every
run using it (the server stops only when it can take it exclusively and has been idle long enough).
A run killed at any moment therefore leaves no server behind for good: at most the shared one, which
the next run reuses or which stops itself after `idle_seconds`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from flows.local_server_process import LEASE_FILE, START_LOCK_FILE, STATE_FILE, read_state, write_state
from flows.prefect_server import healthy
from publish.processes import pid_alive

DEFAULT_IDLE_SECONDS = 600.0
IDLE_ENV = "WHITEPAPER_SERVER_IDLE"  # seconds; the default of `whitepaper run --server-idle`
START_TIMEOUT_SECONDS = 300.0  # a first start creates the database: ~15 s on 2 cores idle, minutes when loaded
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.1
HEALTH_GRACE_SECONDS = 10.0
LOG_FILE = "server.log"
MAX_LOG_BYTES = 1 << 20
PROCESS_MODULE = "flows.local_server_process"
ROOT = Path(__file__).resolve().parent.parent


class LocalServerError(RuntimeError):
    """The local server did not start; the message says why and where its log is."""


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def state_dir(home: Path | None = None) -> Path:
    """One server per Python environment and Prefect version (a server of another venv is not used)."""
    key = hashlib.sha256(f"{sys.executable}\0{version('prefect')}".encode()).hexdigest()[:10]
    return (home or prefect_home()) / f"whitepaper-server-{key}"


def default_idle_seconds() -> float:
    text = os.environ.get(IDLE_ENV, "")
    try:
        return float(text) if text else DEFAULT_IDLE_SECONDS
    except ValueError:
        return DEFAULT_IDLE_SECONDS


def is_server_process(pid: int, folder: Path) -> bool:
    """Is `pid` alive and our server for `folder` (not a recycled pid of something else)?"""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: trust a live pid
        return pid_alive(pid)
    if not raw:  # a process just exec'ing (or a zombie): its arguments are not readable yet
        return pid_alive(pid)
    cmdline = raw.split(b"\0")
    return PROCESS_MODULE.encode() in cmdline and str(folder).encode() in cmdline


def _answers(api_url: str, seconds: float = HEALTH_GRACE_SECONDS) -> bool:
    """Healthy within a grace period: a loaded machine may keep a live server from answering at once."""
    deadline = time.monotonic() + seconds
    while not healthy(api_url):
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL_SECONDS * 5)
    return True


def _lock(path: Path, mode: int) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, mode)
    return fd


def _try_lock(path: Path, mode: int) -> int | None:
    try:
        return _lock(path, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return None


def terminate(pid: int, folder: Path, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Stop a server process (SIGTERM, then SIGKILL); nothing when the pid is not our server."""
    if not is_server_process(pid, folder):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while is_server_process(pid, folder) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(POLL_SECONDS)
    if is_server_process(pid, folder):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    """Collect the exit status when the server is this process's child (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child: its parent (or init) reaps it


class LocalServer:
    def __init__(self, idle_seconds: float | None = None, folder: Path | None = None):
        self.folder = folder or state_dir()
        self.idle_seconds = default_idle_seconds() if idle_seconds is None else idle_seconds
        self.api_url = ""
        self.pid: int | None = None
        self.started_here = False
        self._process: subprocess.Popen | None = None
        self._start_fd: int | None = None
        self._lease_fd: int | None = None

    @property
    def log_path(self) -> Path:
        return self.folder / LOG_FILE

    def begin(self) -> None:
        """Find the running server or spawn one; hold the lease from now on."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._start_fd = _lock(self.folder / START_LOCK_FILE, fcntl.LOCK_EX)
        self._lease_fd = _lock(self.folder / LEASE_FILE, fcntl.LOCK_SH)
        record = read_state(self.folder)
        if record and is_server_process(int(record.get("pid", 0)), self.folder):
            if record.get("ready") and _answers(record["api_url"]):
                self.api_url, self.pid = record["api_url"], int(record["pid"])
                self._release_start()
                return
            if not record.get("ready"):  # a run that died while starting it: it may still come up
                self.pid = int(record["pid"])
                return
            terminate(int(record["pid"]), self.folder)  # recorded but not answering: replace it
        self._spawn()

    def _spawn(self) -> None:
        log = self.log_path
        if log.exists() and log.stat().st_size > MAX_LOG_BYTES:
            log.unlink()
        env = os.environ | {
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        }
        env.pop("PREFECT_API_URL", None)
        with open(log, "ab") as log_file:
            # Own session: Ctrl-C in the terminal or a kill of the run's process group does not reach it.
            process = subprocess.Popen(
                [sys.executable, "-m", PROCESS_MODULE, str(self.folder), f"{self.idle_seconds:g}"],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.folder,
                start_new_session=True,
            )
        self.pid, self.started_here, self._process = process.pid, True, process
        write_state(self.folder, {"pid": process.pid, "ready": False, "idle_seconds": self.idle_seconds})

    def wait(self, timeout: float = START_TIMEOUT_SECONDS) -> str:
        """The API URL once the server answers (the start lock is released either way)."""
        try:
            deadline = time.monotonic() + timeout
            while not self.api_url:
                record = read_state(self.folder) or {}
                if record.get("ready") and record.get("pid") == self.pid and healthy(record["api_url"]):
                    self.api_url = record["api_url"]
                    break
                if not self._starting():
                    raise LocalServerError(f"the local Prefect server stopped while starting; see {self.log_path}")
                if time.monotonic() > deadline:
                    raise LocalServerError(
                        f"the local Prefect server did not answer within {timeout:.0f} s; see {self.log_path}"
                    )
                time.sleep(POLL_SECONDS)
        finally:
            self._release_start()
        return self.api_url

    def _starting(self) -> bool:
        """Is the server this run waits for still alive (ours: its exit status; another run's: its pid)?"""
        if self._process is not None:
            return self._process.poll() is None
        return is_server_process(self.pid, self.folder)

    def _release_start(self) -> None:
        if self._start_fd is not None:
            os.close(self._start_fd)
            self._start_fd = None

    def release(self) -> None:
        """Done with the server: its idle time counts from now. With idle 0, stop it now unless another
        run uses it."""
        self._release_start()
        if self._lease_fd is None:
            return
        os.utime(self.folder / LEASE_FILE)
        os.close(self._lease_fd)
        self._lease_fd = None
        if self.idle_seconds <= 0:
            self.stop_if_unused()

    def stop_if_unused(self) -> bool:
        """Stop the recorded server when no run holds a lease or is attaching; True when stopped."""
        if not (self.folder / STATE_FILE).exists():
            return True  # never started here, or already stopped
        start = _try_lock(self.folder / START_LOCK_FILE, fcntl.LOCK_EX)
        if start is None:
            return False
        try:
            lease = _try_lock(self.folder / LEASE_FILE, fcntl.LOCK_EX)
            if lease is None:
                return False
            try:
                record = read_state(self.folder)
                if record is None:
                    return True
                (self.folder / STATE_FILE).unlink(missing_ok=True)
                terminate(int(record.get("pid", 0)), self.folder)
                return True
            finally:
                os.close(lease)
        finally:
            os.close(start)


def stop_local_server(folder: Path | None = None) -> bool:
    """Stop the shared server now if no run uses it (tests' session end; `--server-idle 0`)."""
    return LocalServer(folder=folder).stop_if_unused()
