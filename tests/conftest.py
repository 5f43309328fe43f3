"""Shared test fixtures: paths to the fixture PDF and the shared data next to the repository; one
Prefect API for the whole session.

Prefect: unless PREFECT_API_URL is set (a long-running server), the session gets its own PREFECT_HOME
(a temporary folder: its own database, result cache and shared local server, touching nobody's
~/.prefect), set here before anything imports Prefect. Every `whitepaper run` of the session, in this
process, a subprocess or another pytest-xdist worker, then shares one local server
(flows.local_server), started by the first run and stopped when the session ends.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Idle time of the session's shared server: long enough to bridge the quick tests between two runs;
# a session that is killed leaves it for at most this long.
TEST_SERVER_IDLE_SECONDS = "300"
# The process that made the session's PREFECT_HOME owns it (stops its server, removes it); pytest-xdist
# workers inherit it through this variable and share the one server (a database created once).
SESSION_HOME_ENV = "WHITEPAPER_TESTS_PREFECT_HOME"
_SESSION_PREFECT_HOME: list[Path] = []
if not os.environ.get("PREFECT_API_URL"):
    if not os.environ.get(SESSION_HOME_ENV):
        _SESSION_PREFECT_HOME.append(Path(tempfile.mkdtemp(prefix="whitepaper-tests-prefect-")))
        os.environ[SESSION_HOME_ENV] = str(_SESSION_PREFECT_HOME[0])
    os.environ["PREFECT_HOME"] = os.environ[SESSION_HOME_ENV]
    os.environ.setdefault("WHITEPAPER_SERVER_IDLE", TEST_SERVER_IDLE_SECONDS)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PDF = ROOT / "raw" / "jiangsu-ipr-2023.pdf"


# The team's shared corpora (ICDAR 2013, the bad-PDF set), used in place and never copied into the
# repository: $WHITEPAPER_SHARED, else ../shared beside the checkout. Tests that need them skip without.
SHARED = Path(os.environ.get("WHITEPAPER_SHARED") or ROOT.parent / "shared")
# The 2023 paper's two tables cell by cell, as printed (a copy of shared/truth, kept with the tests).
TRUTH_JSON = ROOT / "tests" / "fixtures" / "jiangsu-ipr-2023.truth.json"


@pytest.fixture(scope="session")
def fixture_pdf() -> Path:
    return FIXTURE_PDF


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads(TRUTH_JSON.read_text(encoding="utf-8"))


# --- prose facts: the 2023 paper parsed once per session -------------------------------------------
JIANGSU_PROFILE = ROOT / "expectations" / "publishers" / "jiangsu-ipr.yaml"


@pytest.fixture(scope="session")
def jiangsu_profile():
    from normalise.profile import load_profile

    return load_profile(JIANGSU_PROFILE)


@pytest.fixture(scope="session")
def fixture_document():
    """The 2023 paper, opened once: pdfplumber caches each page's parsed objects."""
    from extractors.pdf_open import open_pdf

    with open_pdf(FIXTURE_PDF) as pdf:
        yield pdf


@pytest.fixture(scope="session")
def fixture_cells(jiangsu_profile):
    """(cells frame, table boxes) of the 2023 paper, from the project's table extractor and tidy step."""
    from extractors.prose.sentences import table_boxes
    from extractors.tables import extract_tables
    from normalise.tidy import cells_frame, table_ids

    tables = extract_tables(FIXTURE_PDF)
    return cells_frame("jiangsu-ipr-2023", tables, table_ids(tables), jiangsu_profile), table_boxes(tables)


@pytest.fixture(scope="session")
def fixture_sentences(fixture_document, fixture_cells):
    from extractors.prose.sentences import extract_sentences

    return extract_sentences(fixture_document, exclude_boxes=fixture_cells[1])


@pytest.fixture(scope="session")
def fixture_facts(fixture_sentences):
    import time

    from extractors.prose.facts import extract_facts
    from normalise.tidy import facts_frame

    started = time.perf_counter()
    facts = facts_frame("", extract_facts(fixture_sentences))
    print(f"\nfact extraction on the 2023 paper: {len(facts)} facts in {time.perf_counter() - started:.2f} s")
    return facts


@pytest.fixture(scope="session")
def report_runs(fixture_pdf, tmp_path_factory) -> dict:
    """One flow run (one Prefect server start) over the 2023 paper and a PDF whose text holds <script>.

    Shared by the report tests: {"code": exit code, "out": folder, "2023": output folder, "script": ...}.
    """
    from flows.cli import main
    from tests.pdfs import script_injection_pdf

    raw = tmp_path_factory.mktemp("report-raw")
    hostile = script_injection_pdf(raw / "script-injection.pdf")
    out = tmp_path_factory.mktemp("report-out")
    code = main(["run", str(fixture_pdf), str(hostile), "--out", str(out)])
    return {
        "code": code,
        "out": out,
        "2023": out / fixture_pdf.stem,
        "script": out / hostile.stem,
        "script_pdf": hostile,
    }


@pytest.fixture(scope="session")
def prefect_api():
    """The session's Prefect API for tests that call a flow directly (the CLI finds it by itself):
    PREFECT_API_URL when set, else the shared local server, for this process's Prefect settings."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.local_server import LocalServer

    server = LocalServer()
    server.begin()
    try:
        url = server.wait()
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        server.release()


@pytest.fixture(scope="session")
def seed_prefect_home(prefect_api):
    """A function giving a new PREFECT_HOME whose database is a copy of the session's, migrated already:
    a server started there skips Prefect's database creation (~11 s of a ~19 s start on 2 cores idle).
    For tests that need a PREFECT_HOME of their own (no server running there at their start)."""
    import sqlite3

    session_home = os.environ.get(SESSION_HOME_ENV)  # unset with PREFECT_API_URL: nothing to copy
    session_db = Path(session_home) / "prefect.db" if session_home else None

    def seeded(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        if session_db and session_db.is_file():  # copied through SQLite's backup API: a consistent copy
            with sqlite3.connect(session_db) as source, sqlite3.connect(folder / "prefect.db") as target:
                source.backup(target)
        return folder

    return seeded


def pytest_sessionfinish(session, exitstatus):
    """Stop the session's shared Prefect server and remove its PREFECT_HOME; stop any Prefect temporary
    server while pytest's output streams are still open (Prefect's own atexit hook would log after
    pytest has closed its captured streams: a "--- Logging error ---" trace at the end of every run)."""
    import sys

    if _SESSION_PREFECT_HOME:
        from flows.local_server import stop_local_server

        stop_local_server()
        shutil.rmtree(_SESSION_PREFECT_HOME[0], ignore_errors=True)
    if "prefect.server.api.server" not in sys.modules:
        return
    from prefect.server.api.server import SubprocessASGIServer

    for server in list(SubprocessASGIServer._instances.values()):
        server.stop()
