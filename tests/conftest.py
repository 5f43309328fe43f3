"""Shared, expensive fixtures: the 2023 paper is parsed once per test session."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from expectations.profile import load_profile
from extractors.facts import extract_facts
from extractors.pdf_open import open_pdf
from extractors.text import extract_sentences
from tests.pdf_cells import pdf_cells

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PDF = ROOT / "raw" / "jiangsu-ipr-2023.pdf"
JIANGSU_PROFILE = ROOT / "expectations" / "publishers" / "jiangsu-ipr.yaml"


@pytest.fixture(scope="session")
def jiangsu_profile():
    return load_profile(JIANGSU_PROFILE)


@pytest.fixture(scope="session")
def fixture_pdf():
    """The 2023 paper, opened once: pdfplumber caches each page's parsed objects."""
    with open_pdf(FIXTURE_PDF) as pdf:
        yield pdf


@pytest.fixture(scope="session")
def fixture_cells(fixture_pdf, jiangsu_profile):
    """(cells frame, table boxes) of the 2023 paper."""
    return pdf_cells(fixture_pdf, jiangsu_profile)


@pytest.fixture(scope="session")
def fixture_sentences(fixture_pdf, fixture_cells):
    return extract_sentences(fixture_pdf, exclude_boxes=fixture_cells[1])


@pytest.fixture(scope="session")
def fixture_facts(fixture_sentences):
    started = time.perf_counter()
    facts = extract_facts(fixture_sentences)
    print(f"\nfact extraction on the 2023 paper: {len(facts)} facts in {time.perf_counter() - started:.2f} s")
    return facts
