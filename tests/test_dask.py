"""The same flow on Dask: a real `dask scheduler` and one `dask worker`, started here as processes on
localhost, run two documents (`whitepaper run --dask-address`); `--workers 2` runs them on a local
cluster. Both publish exactly what a run without Dask publishes.

The two documents are two editions given newest first, so the newer one must wait for the older one's
history to be compared with it (flows.scale_out). `--refresh`: every stage is computed on the workers,
none is taken from the cache the local run filled.
"""

from __future__ import annotations

import filecmp
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.cli import EXIT_OK, main
from publish import history
from tests.cli_runs import finish, start_run
from tests.conftest import ROOT
from tests.edition_gen import Edition, render_edition

pytestmark = pytest.mark.slow

DASK = Path(sys.executable).with_name("dask")
COMPARED = ("cells.csv", "findings.csv", "checks.csv", "facts.csv", "tables.csv")
WORKER_UP_SECONDS = 180
# A bound on one run, not a speed check: two documents, every stage computed, on a loaded 2-core machine
# the workers' first imports (Great Expectations, spaCy) alone can take minutes.
RUN_TIMEOUT_SECONDS = 1200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Two generated editions, 2023 and 2024 (3 pages each: what is compared is where the tasks ran,
    not how much a document holds)."""
    raw = tmp_path_factory.mktemp("raw")
    old = raw / "jiangsu-ipr-2023.pdf"
    render_edition(old, Edition(2023, growth=1.0, jumps={}, ic_changes={}))
    new = raw / "jiangsu-ipr-dask.pdf"
    render_edition(new, Edition(2024))
    return [new, old]  # newest first: the 2024 edition waits for 2023 to be recorded


@pytest.fixture(scope="module")
def local_run(editions, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    assert main(["run", *map(str, editions), "--out", str(out)]) == EXIT_OK
    return out


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """`dask scheduler` and `dask worker` (one process, one thread) on localhost; their address."""
    logs = tmp_path_factory.mktemp("dask-logs")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {"PYTHONPATH": str(ROOT)}
    commands = {
        "scheduler": [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        "worker": [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
    }
    procs = {}
    try:
        for name, command in commands.items():
            with open(logs / f"{name}.log", "w") as log:
                procs[name] = subprocess.Popen(
                    command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}, cwd=logs
                )
        deadline = time.monotonic() + WORKER_UP_SECONDS
        while "Registered to" not in (logs / "worker.log").read_text():
            assert all(p.poll() is None for p in procs.values()), (logs / "worker.log").read_text()
            assert time.monotonic() < deadline, "the Dask worker did not register"
            time.sleep(0.5)
        yield address
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _same_outputs(a: Path, b: Path, docs: list[str]) -> None:
    for doc in docs:
        for name in COMPARED:
            assert filecmp.cmp(a / doc / name, b / doc / name, shallow=False), f"{doc}/{name} differs"
    rows = {out: history.documents(history.db_path(out)).set_index("doc_id") for out in (a, b)}
    columns = ["year", "sha256", "previous_doc_id", "previous_sha256", "findings_error", "findings_warning"]
    assert rows[a][columns].sort_index().equals(rows[b][columns].sort_index())


def test_two_documents_on_a_dask_scheduler_and_worker_publish_what_a_local_run_does(
    editions, local_run, dask_cluster, tmp_path
):
    out = tmp_path / "dask"
    code, stdout, stderr = finish(
        start_run([*map(str, editions), "--out", str(out), "--dask-address", dask_cluster, "--refresh"]),
        timeout=RUN_TIMEOUT_SECONDS,
    )
    assert code == EXIT_OK, stderr
    assert "Traceback" not in stderr
    # one line each, as each is recorded: the older edition first (the newer one waits for it)
    assert [line.split(" -> ")[0] for line in stdout.splitlines()] == [str(p) for p in reversed(editions)]
    _same_outputs(local_run, out, [p.stem for p in editions])
    assert history.document(history.db_path(out), "jiangsu-ipr-dask")["previous_doc_id"] == "jiangsu-ipr-2023"


def test_workers_two_runs_a_local_cluster_with_the_same_outputs(editions, local_run, tmp_path):
    out = tmp_path / "workers"
    run = start_run([*map(str, editions), "--out", str(out), "--workers", "2", "--refresh"])
    code, stdout, stderr = finish(run, timeout=RUN_TIMEOUT_SECONDS)
    assert code == EXIT_OK, stderr
    assert "Traceback" not in stderr
    _same_outputs(local_run, out, [p.stem for p in editions])


def test_an_unreachable_scheduler_is_one_line(editions, tmp_path, capsys):
    address = f"tcp://127.0.0.1:{_free_port()}"
    assert main(["run", str(editions[1]), "--out", str(tmp_path), "--dask-address", address]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"whitepaper: {address}: Dask scheduler not reachable: cannot connect (")
