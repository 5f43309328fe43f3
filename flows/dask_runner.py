"""The task runner for many documents: Prefect's DaskTaskRunner (prefect-dask).

`whitepaper run --workers N` starts a local Dask cluster of N worker processes (one thread each: a
document's stages are CPU-bound Python, and one Great Expectations context per process is used by one
document at a time) for the run and stops it at the end; `--dask-address tcp://HOST:PORT` sends the same
tasks to a Dask cluster that is already running (`dask scheduler`, `dask worker ...` on any machines).
"""

from __future__ import annotations

import logging
import os
import socket
from urllib.parse import urlsplit

CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_DASK_PORT = 8786


def dask_task_runner(workers: int | None = None, address: str | None = None):
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    # A local cluster's teardown can log a closed comm with its traceback (distributed's batched send,
    # seen under load in CI); the run's outcome is in Prefect's task states and the one-line contract.
    # The scheduler runs here and the workers read the environment when they start.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    cluster = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    return DaskTaskRunner(cluster_kwargs=cluster)


def unreachable(address: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> str:
    """Why the scheduler at `address` (tcp://HOST:PORT) cannot be reached, or '' when it answers a TCP
    connect; checked before the flow starts so that a wrong address is one line, not a crashed flow."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname:
        return "expected tcp://HOST:PORT"
    try:
        with socket.create_connection((parts.hostname, parts.port or DEFAULT_DASK_PORT), timeout=timeout):
            return ""
    except OSError as exc:
        return f"cannot connect ({exc.strerror or exc})"
