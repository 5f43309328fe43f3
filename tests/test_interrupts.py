"""SIGTERM and Ctrl-C (SIGINT) in the middle of a run: exactly the one documented line on stderr, the
documented exit code, and the previous outputs untouched (real signals to a `whitepaper run` subprocess,
paused with every new file written and the swap not yet done)."""

from __future__ import annotations

import os
import signal

import pytest

from flows.cli import EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, main
from tests.cli_runs import finish, start_run, wait_for_swap
from tests.pdfgen import TableSpec, render_table_pdf

pytestmark = pytest.mark.slow

LINES = {
    signal.SIGTERM: (
        EXIT_TERMINATED,
        "whitepaper: terminated (SIGTERM); documents not finished keep their previous outputs\n",
    ),
    signal.SIGINT: (EXIT_INTERRUPTED, "whitepaper: interrupted; documents not finished keep their previous outputs\n"),
}


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A paper and a complete earlier run of it (the outputs to protect)."""
    pdf = tmp_path_factory.mktemp("pdf") / "signals.pdf"
    rows = [[f"City {i}", f"{2000 + 11 * i:,}", f"{2000 + 11 * i:,}"] for i in range(1, 7)]
    spec = TableSpec(header=[["Region", "Patents", "Total"]], body=rows, title="Patents by Region", unit="piece")
    render_table_pdf(str(pdf), [spec])
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(pdf), "--out", str(out)]) == EXIT_OK
    cells = (out / pdf.stem / "cells.csv").read_bytes()
    return pdf, out, cells


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_run_prints_exactly_one_line(previous, sig):
    pdf, out, cells = previous
    proc = start_run([str(pdf), "--out", str(out), "--refresh"], pause=300)  # a real run, not "up to date"
    tmp = wait_for_swap(out, proc)
    os.kill(proc.pid, sig)  # the command alone, as `kill PID` or Ctrl-C on its terminal would
    code, stdout, stderr = finish(proc, timeout=120)
    assert (code, stderr) == LINES[sig]
    assert stdout == ""
    assert not tmp.exists()  # unwound: its temporary folder removed
    assert (out / pdf.stem / "cells.csv").read_bytes() == cells
