"""`whitepaper serve` as a user runs it: a subprocess with a short interval on an empty raw folder, a PDF
dropped in, its outputs and history row written, a later pass skips it, SIGTERM stops serve and the
Prefect server it started. Bounded: every wait polls with a deadline.

With PREFECT_API_URL set (a long-running `prefect server start`), serve uses that server; otherwise it
starts its own, here with a private PREFECT_HOME so that the test touches no one's Prefect database.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.prefect_server import healthy
from publish import history
from tests.edition_gen import Edition, render_edition

# Starts Prefect (a flow run) or subprocesses: outside the quick loop (`pytest -m "not slow"`).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
INTERVAL_SECONDS = 3
SERVER_UP_SECONDS = 90
PICKUP_SECONDS = 60
STOP_SECONDS = 45
SERVING_RE = re.compile(r"whitepaper: serving .* \(Prefect API (\S+)\)")


def wait_for(condition, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"no {what} within {seconds} s; serve log:\n{log.read_text()[-3000:]}")


def test_serve_picks_up_a_dropped_pdf_and_stops_cleanly(tmp_path, seed_prefect_home):
    raw, out, log = tmp_path / "raw", tmp_path / "out", tmp_path / "serve.log"
    raw.mkdir()
    # INFO: the ingestion flow's "<raw>: 1 skipped" line is a Prefect log line (other tests quieten Prefect).
    env = os.environ | {"PYTHONPATH": str(ROOT), "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_LOGGING_LEVEL": "INFO"}
    if "PREFECT_API_URL" not in os.environ:
        env["PREFECT_HOME"] = str(seed_prefect_home(tmp_path / "prefect-home"))
    with open(log, "w") as log_file:
        serve = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flows.cli",
                "serve",
                "--raw",
                str(raw),
                "--out",
                str(out),
                "--interval",
                str(INTERVAL_SECONDS),
                "--verbose",
            ],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        api_url = wait_for(
            lambda: (m := SERVING_RE.search(log.read_text())) and m.group(1), SERVER_UP_SECONDS, "serving line", log
        )
        staged = tmp_path / "jiangsu-ipr-dropped.pdf"
        render_edition(staged, Edition(2024))
        staged.rename(raw / staged.name)  # appears whole, as a copy into the folder would after its rename
        dropped = time.monotonic()

        folder = out / "jiangsu-ipr-dropped"
        wait_for(lambda: (folder / "datapackage.json").is_file(), PICKUP_SECONDS, "outputs", log)
        latency = time.monotonic() - dropped
        row = wait_for(lambda: _row(out), 30, "history row", log)
        assert (row["doc_id"], row["year"], row["findings_error"]) == ("jiangsu-ipr-dropped", 2024, 0)
        assert {p.name for p in folder.iterdir()} >= {
            "cells.csv",
            "cells.parquet",
            "document.json",
            "datapackage.json",
            "findings.csv",
            "tables.parquet",
        }

        # A later scheduled pass skips the unchanged PDF (the ingestion flow logs "<raw>: 1 skipped") and
        # does not rewrite its row.
        wait_for(lambda: f"{raw}: 1 skipped" in log.read_text(), 8 * INTERVAL_SECONDS + 30, "skipping pass", log)
        assert _row(out)["processed_at"] == row["processed_at"]
        print(f"pickup latency {latency:.1f} s (interval {INTERVAL_SECONDS} s)")
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            code = serve.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise
    text = log.read_text()
    assert code == 0, text[-3000:]
    assert text.rstrip().endswith("whitepaper: stopped")
    assert "Traceback" not in text
    if "PREFECT_API_URL" not in os.environ:
        assert not healthy(api_url)  # the server serve started is gone with it


def _row(out: Path) -> dict | None:
    if not history.db_path(out).is_file():
        return None
    rows = history.documents(history.db_path(out))
    return rows.iloc[0].to_dict() if len(rows) else None
