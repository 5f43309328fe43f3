"""Two runs at once, as two users (or a user and a cron job) would start them: real subprocesses.

- on different output folders, started together on a machine where no Prefect server runs yet: both
  succeed, with nothing but their summary lines, and they share one local Prefect server;
- on the same output folder: a second run waits for the first's lock and then succeeds, the history
  database holding both documents once each; one with `--wait 0` is refused with one line (exit 3);
- a run killed by SIGKILL leaves no server behind for good: the next run reuses the server it had
  started, which stops by itself once unused, and no process of theirs is left.

The module uses its own PREFECT_HOME (no server is running there at the start) and a short server
idle time, so that what is left behind can be checked.
"""

from __future__ import annotations

import json
import shutil

import pytest

from flows.cli import EXIT_LOCKED, EXIT_OK
from flows.local_server import is_server_process, state_dir, stop_local_server
from flows.local_server_process import read_state
from publish import history
from tests.cli_runs import finish, kill_group, processes_with_env, start_run, wait_for_swap, wait_until
from tests.pdfgen import TableSpec, render_table_pdf

pytestmark = pytest.mark.slow

IDLE_SECONDS = 10  # long enough for the tests to share one server, short enough to see it stop
PAUSE_SECONDS = 8  # how long the first run holds the output folder with every file written
# The papers are generic tables that no shipped publisher profile recognises: their summary line says so.
NO_PROFILE = (
    "; no publisher profile matched (no recognition phrase in the first pages); checks that need one "
    "(regions, declared columns) did not run: `whitepaper profile draft` writes a starting profile"
)


def _paper(path, offset: int):
    rows = [
        [f"City {i}", f"{1000 + offset + 37 * i:,}", f"{i * 3}", f"{1000 + offset + 40 * i:,}"] for i in range(1, 9)
    ]
    spec = TableSpec(
        header=[["Region", "Patents", "Designs", "Total"]],
        body=rows,
        title="Number of Patents by Region in 2023",
        unit="piece",
        rules="grid",
    )
    render_table_pdf(str(path), [spec])
    return path


@pytest.fixture(scope="module")
def home(tmp_path_factory, seed_prefect_home):
    """A PREFECT_HOME of this module's own (its database copied from the session's); its server is
    stopped at the end."""
    folder = seed_prefect_home(tmp_path_factory.mktemp("prefect-home"))
    env = {"PREFECT_HOME": str(folder), "WHITEPAPER_SERVER_IDLE": str(IDLE_SECONDS)}
    yield folder, env
    stop_local_server(state_dir(folder))
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("papers")
    return _paper(folder / "paper-a.pdf", 0), _paper(folder / "paper-b.pdf", 5)


def test_two_runs_on_different_output_folders_started_together_both_succeed(home, papers, tmp_path):
    home_dir, env = home
    outs = [tmp_path / "out-a", tmp_path / "out-b"]
    procs = [start_run([str(pdf), "--out", str(out)], env) for pdf, out in zip(papers, outs)]
    done = [finish(proc) for proc in procs]
    for (code, stdout, stderr), pdf, out in zip(done, papers, outs):
        assert code == EXIT_OK, stderr
        assert stderr == ""  # no traceback, no warning: nothing but the summary line on stdout
        assert stdout == f"{pdf} -> {out / pdf.stem} (0 error, 0 warning, 0 info{NO_PROFILE})\n"
        assert (out / pdf.stem / "cells.csv").is_file()
    record = read_state(state_dir(home_dir))  # one shared server, still up for IDLE_SECONDS
    assert record and record["ready"]
    servers = [
        pid for pid in processes_with_env("PREFECT_HOME", str(home_dir)) if is_server_process(pid, state_dir(home_dir))
    ]
    assert servers == [record["pid"]]


def test_on_the_same_output_folder_a_second_run_waits_and_one_with_wait_zero_is_refused(home, papers, tmp_path):
    _, env = home
    out = tmp_path / "out"
    first = start_run([str(papers[0]), "--out", str(out)], env, pause=PAUSE_SECONDS)
    wait_for_swap(out, first)  # the first run holds the folder's lock, its outputs not yet swapped in
    refused = start_run([str(papers[1]), "--out", str(out), "--wait", "0"], env)
    second = start_run([str(papers[1]), "--out", str(out)], env)
    code0, out0, err0 = finish(refused)
    code1, _, err1 = finish(first)
    code2, out2, err2 = finish(second)

    assert (code0, out0) == (EXIT_LOCKED, "")
    assert err0 == f"whitepaper: {out}: another whitepaper run is writing this output folder; try again when it ends\n"
    assert (code1, err1) == (EXIT_OK, "")
    assert code2 == EXIT_OK, err2
    assert err2 == f"whitepaper: {out}: another run is writing this output folder; waiting up to 600 s\n"
    assert out2 == f"{papers[1]} -> {out / papers[1].stem} (0 error, 0 warning, 0 info{NO_PROFILE})\n"
    rows = history.documents(history.db_path(out))  # both, once each: nothing lost, nothing doubled
    assert sorted(rows["doc_id"]) == ["paper-a", "paper-b"]
    for doc in ("paper-a", "paper-b"):
        assert json.loads((out / doc / "document.json").read_text())["doc_id"] == doc


def test_a_run_killed_by_sigkill_leaves_no_process_behind(home, papers, tmp_path):
    home_dir, env = home
    out = tmp_path / "out"
    killed = start_run([str(papers[0]), "--out", str(out)], env, pause=PAUSE_SECONDS)
    wait_for_swap(out, killed)
    server = read_state(state_dir(home_dir))["pid"]
    kill_group(killed)  # the run and anything in its process group; the server has its own session
    killed.wait(timeout=60)

    code, stdout, stderr = finish(start_run([str(papers[0]), "--out", str(out)], env))
    assert (code, stderr) == (EXIT_OK, "")
    assert stdout.startswith(f"{papers[0]} -> ")
    assert read_state(state_dir(home_dir))["pid"] == server  # reused, not a second server
    assert not any(p.name.startswith(".tmp-") for p in out.iterdir())  # the killed run's folder is gone

    # Unused for IDLE_SECONDS, the shared server stops by itself; nothing of these runs is left.
    wait_until(lambda: not processes_with_env("PREFECT_HOME", str(home_dir)), IDLE_SECONDS + 60, "clean exit")
    assert read_state(state_dir(home_dir)) is None
