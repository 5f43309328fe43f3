"""Shared test fixtures: paths to the fixture PDF and the shared data next to the repository."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PDF = ROOT / "raw" / "jiangsu-ipr-2023.pdf"


def _shared_dir() -> Path:
    """The team's shared data (truth, ICDAR, bad PDFs), used in place: $WHITEPAPER_SHARED, ../shared, /work/shared."""
    candidates = [os.environ.get("WHITEPAPER_SHARED"), ROOT.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return ROOT.parent / "shared"


SHARED = _shared_dir()
TRUTH_JSON = SHARED / "truth" / "jiangsu-ipr-2023.truth.json"


@pytest.fixture(scope="session")
def fixture_pdf() -> Path:
    return FIXTURE_PDF


@pytest.fixture(scope="session")
def truth() -> dict:
    if not TRUTH_JSON.exists():
        pytest.skip(f"truth file not found at {TRUTH_JSON} (set WHITEPAPER_SHARED)")
    return json.loads(TRUTH_JSON.read_text(encoding="utf-8"))


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
    return {"code": code, "out": out, "2023": out / fixture_pdf.stem, "script": out / hostile.stem,
            "script_pdf": hostile}
