"""The local Prefect server process that `whitepaper run`s share (started by flows.local_server).

    python -m flows.local_server_process STATE_DIR IDLE_SECONDS

Prefect's API app (the same app and settings as Prefect's own temporary server: no UI, no background
services) under uvicorn, on a port the kernel picks (bound here, so two starts can never race for
one). When it is up it writes `STATE_DIR/server.json` (pid, port, API URL). It stops itself once no
run has held the lease for IDLE_SECONDS: runs hold a shared flock on `STATE_DIR/lease` while they use
it, which the kernel drops when a run dies, even by SIGKILL, so a killed run never keeps it alive.
It also stops when `server.json` no longer names it (someone stopped it by removing the file).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
STATE_FILE = "server.json"
LEASE_FILE = "lease"
START_LOCK_FILE = "start.lock"
POLL_SECONDS = 1.0
# Prefect's temporary server runs the API app in this mode: no UI, no scheduler or other services.
EPHEMERAL_ENV = {"PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1", "PREFECT_UI_ENABLED": "0"}


def read_state(state_dir: Path) -> dict | None:
    """The recorded server, or None when there is no (readable) record."""
    try:
        return json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_state(state_dir: Path, record: dict) -> None:
    """Replace the record whole (a reader never sees half of it)."""
    tmp = state_dir / f".{STATE_FILE}-{os.getpid()}"
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, state_dir / STATE_FILE)


def _try_lock(path: Path, mode: int) -> int | None:
    """An fd holding the flock, or None when someone else holds a conflicting one."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


class IdleWatch:
    """Decides when the server has been unused for long enough, under the same locks runs take."""

    def __init__(self, state_dir: Path, idle_seconds: float):
        self.state_dir = state_dir
        self.idle_seconds = idle_seconds
        self.last_busy = time.time()
        self.held: list[int] = []

    def _lease_released_at(self) -> float:
        try:
            return (self.state_dir / LEASE_FILE).stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def should_stop(self) -> bool:
        """True (keeping both locks until the process ends) when no run holds or is taking a lease and
        none has for `idle_seconds`, or when the record no longer names this process."""
        record = read_state(self.state_dir)
        if record is None or record.get("pid") != os.getpid():
            return True
        start = _try_lock(self.state_dir / START_LOCK_FILE, fcntl.LOCK_EX)
        if start is None:  # a run is attaching or starting a server right now
            self.last_busy = time.time()
            return False
        lease = _try_lock(self.state_dir / LEASE_FILE, fcntl.LOCK_EX)
        if lease is None:  # at least one run is using the server
            os.close(start)
            self.last_busy = time.time()
            return False
        self.last_busy = max(self.last_busy, self._lease_released_at())
        if time.time() - self.last_busy < self.idle_seconds:
            os.close(lease)
            os.close(start)
            return False
        # Under both locks: no run can attach between removing the record and stopping.
        remove_own_state(self.state_dir)
        self.held = [start, lease]
        return True


def remove_own_state(state_dir: Path) -> None:
    record = read_state(state_dir)
    if record is not None and record.get("pid") == os.getpid():
        (state_dir / STATE_FILE).unlink(missing_ok=True)


def _watch(server, watch: IdleWatch, state_dir: Path, port: int) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.05)
    if server.should_exit:
        return
    record = read_state(state_dir) or {}
    if record.get("pid") not in (None, os.getpid()):
        server.should_exit = True  # another server was recorded meanwhile: leave it the place
        return
    record.update(pid=os.getpid(), port=port, api_url=f"http://{HOST}:{port}/api", ready=True)
    write_state(state_dir, record)
    while not server.should_exit:
        time.sleep(POLL_SECONDS)
        if watch.should_stop():
            server.should_exit = True


def main(argv: list[str]) -> int:
    state_dir, idle_seconds = Path(argv[0]), float(argv[1])
    os.environ.update(EPHEMERAL_ENV)
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        "prefect.server.api.server:create_app", factory=True, log_level="error", lifespan="on", access_log=False
    )
    server = uvicorn.Server(config)
    watcher = threading.Thread(target=_watch, args=(server, IdleWatch(state_dir, idle_seconds), state_dir, port))
    watcher.daemon = True
    watcher.start()
    try:
        server.run(sockets=[sock])
    finally:
        remove_own_state(state_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
