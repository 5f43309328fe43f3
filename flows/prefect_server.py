"""A Prefect API for `whitepaper serve`: the one in PREFECT_API_URL, else a local `prefect server start`
run for as long as the serve command runs.

Schedules need a real server: Prefect's temporary (ephemeral) server, which `whitepaper run` uses,
does not run the scheduler ("Cannot schedule flows on an ephemeral server").
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 90.0  # a first start creates the database (about 15 s on 2 cores)
STOP_TIMEOUT_SECONDS = 20.0
HEALTH_POLL_SECONDS = 0.5
log = logging.getLogger(__name__)


class ServerError(RuntimeError):
    """The local Prefect server did not start; the message says where its log is."""


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        log.warning("the local Prefect server did not stop in %s s; killing it", STOP_TIMEOUT_SECONDS)
        process.kill()
        process.wait()


@contextmanager
def prefect_api(log_path: Path, timeout: float = START_TIMEOUT_SECONDS) -> Iterator[str]:
    """Yield the API URL to use; start (and finally stop) a local server when none is configured."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    port = free_port()
    api_url = f"http://{HOST}:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port)]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log_file:
        # Own session: a Ctrl-C in the terminal reaches serve, which then stops the server itself.
        process = subprocess.Popen(
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=os.environ | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
        )
    try:
        deadline = time.monotonic() + timeout
        while not healthy(api_url):
            if process.poll() is not None:
                raise ServerError(f"the local Prefect server exited with code {process.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise ServerError(f"the local Prefect server did not answer within {timeout:.0f} s; see {log_path}")
            time.sleep(HEALTH_POLL_SECONDS)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(process)
