"""expectations.gx_process: Great Expectations in a child process, and the run's own process without it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from expectations import gx_process
from expectations.gx_process import GxProcess, ProcessGone, call, call_in

pytestmark = pytest.mark.slow  # each test starts the child, which imports Great Expectations


@pytest.fixture
def process():
    child = GxProcess()
    yield child
    child.stop()


def _ended(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_call_returns_the_childs_value_and_its_errors(process):
    assert process.call("math:hypot", 3.0, 4.0) == 5.0
    pid = process.call("os:getpid")
    assert pid == process._child.pid != os.getpid()
    with pytest.raises(ValueError, match="math domain error"):
        process.call("math:sqrt", -1.0)
    assert process.call("math:sqrt", 9.0) == 3.0  # an error does not end the conversation


def test_a_print_in_the_child_does_not_break_the_replies(process):
    assert process.call("builtins:print", "stray output") is None
    assert process.call("math:hypot", 6.0, 8.0) == 10.0


def test_a_dead_child_means_the_call_runs_here(process):
    process._child.kill()
    process._child.wait()
    with pytest.raises(ProcessGone):
        process.call("os:getpid")
    assert not process.alive
    assert call_in(process, "os:getpid") == os.getpid()


def test_call_runs_here_without_a_running_process():
    assert gx_process.current() is None
    assert call("os:getpid") == os.getpid()


def test_running_sends_calls_to_the_child_and_stops_it():
    with gx_process.running() as child:
        assert gx_process.current() is child
        pid = call("os:getpid")
        assert pid != os.getpid()
    assert gx_process.current() is None
    assert _ended(pid, 10)


def test_an_interrupt_during_a_call_kills_the_child_first(process):
    """Ctrl-C or SIGTERM while the child works: the child is gone before the run cleans up after itself."""
    pid = process.call("os:getpid")

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            process.call("time:sleep", 30)
        assert time.monotonic() - started < 5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert _ended(pid, 1)
    assert not process.alive


SCRIPT_KILLED = """
import os, signal
from expectations.gx_process import GxProcess
child = GxProcess()
print(child.call("os:getpid"), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_child_ends_with_a_run_killed_outright():
    done = subprocess.run([sys.executable, "-c", SCRIPT_KILLED], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert _ended(int(done.stdout.split()[0]), 10)


# The 2023 paper through extraction, normalising, validation and Data Docs with the checks in a GX
# process, then the same validation in-process: the findings must be equal, and the run's own process
# must not have imported GX before the in-process part.
SCRIPT_PIPELINE = """
import json, sys
from pathlib import Path
from expectations import gx_process
from expectations.validation import validate_document
from extractors.reader import extract_document
from normalise.document import normalise_document
from publish.report.data_docs import build_data_docs

pdf, out = sys.argv[1], Path(sys.argv[2])
normalised = normalise_document(extract_document(pdf), pdf)
def validate(context):
    return validate_document(normalised.cells, normalised.profile, facts=normalised.facts, context=context,
                             run_name=normalised.doc_id, period=normalised.period)
with gx_process.running() as child:
    there = validate(child)
    (out / "gx").mkdir(parents=True)
    for check, result in there.gx_results.items():
        (out / "gx" / f"{check}.json").write_text(json.dumps(result))
    (out / "document.json").write_text(json.dumps({"doc_id": normalised.doc_id}))
    pages = gx_process.call("publish.report.data_docs:build_data_docs", out, out / "docs")
imported = "great_expectations" in sys.modules
here = validate(None)
print(json.dumps({
    "gx_imported_before": imported,
    "pages": len(pages),
    "index": (out / "docs" / "index.html").is_file(),
    "findings_equal": there.findings.equals(here.findings),
    "severities": there.findings["severity"].value_counts().to_dict(),
    "summary_equal": there.summary.equals(here.summary),
    "cells_equal": there.cell_status.equals(here.cell_status),
}, default=str))
"""


def test_the_checks_in_the_child_give_the_same_findings_and_gx_stays_out(fixture_pdf, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT_PIPELINE), str(fixture_pdf), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["gx_imported_before"] is False
    assert answer["findings_equal"]
    assert answer["severities"] == {"error": 4, "warning": 4, "info": 1}  # what `run` says of the paper
    assert answer["summary_equal"] and answer["cells_equal"]
    assert answer["pages"] > 0 and answer["index"]
