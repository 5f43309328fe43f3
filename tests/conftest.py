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
