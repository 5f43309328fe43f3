"""Atomic, idempotent outputs: a run killed at any moment leaves the previous outputs byte for byte; the
next run cleans what the killed one left; two runs write byte-identical CSV files.

The kills are real: `python -m flows.cli run` in its own process group, SIGKILL or SIGTERM. To kill at
the worst moment deterministically (every new file written, the swap not yet done) the run is told to
pause there (publish.files.PAUSE_ENV, a test-only hook).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from expectations.gx_suites import load_checks
from flows.cli import EXIT_OK, EXIT_TERMINATED, main
from flows.up_to_date import STAMP
from publish import files as publish
from tests.conftest import ROOT
from tests.pdfgen import TableSpec, render_table_pdf

# Starts Prefect (a flow run) or subprocesses: outside the quick loop (`pytest -m "not slow"`).
pytestmark = pytest.mark.slow

POLL = 0.02
STARTUP_TIMEOUT = 300  # a loaded CI machine: Prefect's temporary server and the imports come first


HISTORY = "whitepaper.duckdb"  # the history database beside the document folders (publish.history)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file but the up-to-date stamp (a run removes it before writing anything)."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file() and p.name != STAMP)
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def entries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def csvs(snap: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in snap.items() if k.endswith(".csv")}


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "paper.pdf"
    rows = [[f"City {i}", f"{1000 + 37 * i:,}", f"{i * 3}", f"{1000 + 40 * i:,}"] for i in range(1, 13)]
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
def previous(paper, tmp_path_factory):
    """A complete earlier run: the output folder to protect, and its files (the history database too)."""
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(paper), "--out", str(out)]) == EXIT_OK
    assert entries(out) == [STAMP, "paper", HISTORY]
    return out, snapshot(out)


def start_run(paper: Path, out: Path, pause: float | None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if pause:
        env[publish.PAUSE_ENV] = str(pause)
    return subprocess.Popen(
        # --refresh: a real run, not the up-to-date answer of a run asked the same thing (flows.up_to_date)
        [sys.executable, "-m", "flows.cli", "run", str(paper), "--out", str(out), "--refresh"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_complete_temporary(out: Path, proc: subprocess.Popen) -> Path:
    """The run's temporary folder once every file is in it (document.json is written last)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        for tmp in out.glob(f"{publish.TMP_PREFIX}{proc.pid}-*"):
            if (tmp / "reconciliation").is_dir() and (tmp / "document.json").is_file():
                return tmp
        time.sleep(POLL)
    raise AssertionError("the run never reached its output swap")


def end_group(proc: subprocess.Popen) -> tuple[str, str]:
    """Reap the run and anything it started (Prefect's temporary server) so nothing outlives the test."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return proc.communicate(timeout=60)


def assert_previous_intact(out: Path, files: dict[str, bytes]):
    """The document's folder and the history database byte for byte (a temporary folder may remain)."""
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(publish.TMP_PREFIX)} == files
    assert not any(p.name.startswith(publish.BACKUP_PREFIX) for p in out.iterdir())


def test_kill_before_the_swap_leaves_the_previous_outputs(paper, previous, tmp_path):
    """Two runs over copies of the previous outputs, side by side (their start-up is the slow part),
    both paused with every new file written: one gets SIGKILL (no chance to clean up), the other
    SIGTERM (`kill <pid>` to the CLI alone: it unwinds and says so)."""
    out, files = previous
    outs = {}
    for name in ("sigkill", "sigterm"):
        outs[name] = tmp_path / name
        shutil.copytree(out, outs[name])
    procs = {name: start_run(paper, folder, pause=300) for name, folder in outs.items()}
    try:
        tmps = {name: wait_for_complete_temporary(outs[name], proc) for name, proc in procs.items()}
        os.killpg(procs["sigkill"].pid, signal.SIGKILL)
        os.kill(procs["sigterm"].pid, signal.SIGTERM)
        codes = {name: proc.wait(timeout=120) for name, proc in procs.items()}
    finally:
        errs = {name: end_group(proc)[1] for name, proc in procs.items()}

    assert codes["sigkill"] == -signal.SIGKILL
    assert_previous_intact(outs["sigkill"], files)
    assert tmps["sigkill"].is_dir()  # left behind by the killed run; the next run removes it
    assert publish.clean_stale_temporaries(outs["sigkill"]) == [tmps["sigkill"]]

    assert codes["sigterm"] == EXIT_TERMINATED, errs["sigterm"]
    assert "whitepaper: terminated (SIGTERM); documents not finished keep their previous outputs" in errs["sigterm"]
    assert "Traceback" not in errs["sigterm"]
    assert_previous_intact(outs["sigterm"], files)
    assert not tmps["sigterm"].exists()  # unwound: its own temporary folder removed


def test_sigkill_during_start_up_leaves_the_previous_outputs(paper, previous):
    out, files = previous
    proc = start_run(paper, out, pause=None)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    end_group(proc)
    assert_previous_intact(out, files)


def test_next_run_cleans_up_and_writes_byte_identical_csvs(paper, previous):
    """Runs after the kills above (file order): stale temporaries go, every CSV is byte-identical, with
    the PDF read again (--refresh: not the cached extraction)."""
    out, files = previous
    stale = out / f"{publish.TMP_PREFIX}999999999-paper-xyz"  # a pid that cannot be alive
    stale.mkdir()
    (stale / "cells.csv").write_text("half written")
    assert main(["run", str(paper), "--out", str(out), "--refresh"]) == EXIT_OK
    assert entries(out) == [STAMP, "paper", HISTORY]
    again = snapshot(out)  # (the report's Data Docs pages are named by run time: compare the CSVs)
    # tables, cells, facts, findings, checks + one reconciliation frame per check, and the report's CSVs
    assert len(csvs(files)) >= 5 + len(load_checks())
    assert csvs(again) == csvs(files)


def test_swap_killed_between_its_renames_is_recovered(tmp_path):
    """The narrowest window: old folder moved aside, new one not yet in place. The backup carries the
    dead run's pid; the next run's clean-up puts it back."""
    out = tmp_path / "out"
    (out / f"{publish.BACKUP_PREFIX}999999999-paper").mkdir(parents=True)
    (out / f"{publish.BACKUP_PREFIX}999999999-paper" / "cells.csv").write_text("previous")
    (out / f"{publish.TMP_PREFIX}999999999-paper-abc").mkdir()
    handled = publish.clean_stale_temporaries(out)
    assert len(handled) == 2
    assert [p.name for p in out.iterdir()] == ["paper"]
    assert (out / "paper" / "cells.csv").read_text() == "previous"


def test_backup_of_a_live_run_or_of_another_document_is_left_alone(tmp_path):
    out = tmp_path / "out"
    live = out / f"{publish.BACKUP_PREFIX}{os.getpid()}-paper"
    other = out / f"{publish.BACKUP_PREFIX}999999999-paper-2022"
    for folder in (live, other, out / "paper-2022"):
        folder.mkdir(parents=True)
    publish.recover(out / "paper")
    assert live.is_dir() and other.is_dir()
    publish.recover(out / "paper-2022")
    assert not other.exists()  # paper-2022 exists: its stale backup is dropped


def test_a_failed_write_removes_the_temporary_folder_and_keeps_the_old(tmp_path):
    final = tmp_path / "out" / "paper"
    final.mkdir(parents=True)
    (final / "cells.csv").write_text("old")
    with pytest.raises(OSError):
        with publish.atomic_dir(final) as tmp:
            (tmp / "cells.csv").write_text("new")
            raise OSError(28, "No space left on device")
    assert [p.name for p in final.parent.iterdir()] == ["paper"]
    assert (final / "cells.csv").read_text() == "old"
