"""ICDAR 2013 regression: relation F1 of a handful of documents stays at or above what we reach.

Reads the data set in place from ../shared/icdar2013 (or $ICDAR_DATA) and scores with its own
scorer; skipped, with the reason, when the data set is not there. The floors are the values
measured when this test was written (bench/RESULTS.md has the full-set numbers).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from extractors.tables import extract_tables
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ICDAR_DATA", SHARED / "icdar2013"))

# document: (layout, relation-F1 floor, numeric-recall floor)
CASES = {
    "eu-001": ("ruled with filled cells, three tables on a page", 0.98, 1.0),
    "eu-004": ("ruled, 15 pages, 12 tables", 0.99, 1.0),
    "eu-016": ("ruled with interior verticals", 0.99, 1.0),
    "us-012": ("rows ruled, text cells, notes inside the frame", 0.98, 1.0),
    "us-018": ("one borderless table per page over 7 pages", 0.98, 0.99),
    "us-025": ("borderless, three-level headers, side-by-side prose", 0.98, 1.0),
    "us-034": ("two stacked tables with repeated headers", 0.98, 1.0),
    "us-035a": ("three side-by-side blocks, ruled only between blocks", 0.98, 1.0),
}


def _scorer():
    path = DATA / "score.py"
    if not path.exists():
        pytest.skip(f"ICDAR 2013 data set not found at {DATA} (set ICDAR_DATA to run this test)")
    spec = importlib.util.spec_from_file_location("icdar_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("doc", sorted(CASES))
def test_relation_f1_does_not_regress(doc):
    score = _scorer()
    layout, f1_floor, num_floor = CASES[doc]
    sub = doc.split("-")[0]
    units = score.parse_gt(str(DATA / sub / f"{doc}-str.xml"))
    tables = [t.to_json() for t in extract_tables(DATA / sub / f"{doc}.pdf")]
    counts = score.score_document(units, tables)
    _, _, f1 = score.prf(counts["correct"], counts["det_rel_matched"], counts["gt_rel"])
    recall = counts["num_hit"] / counts["num_total"] if counts["num_total"] else 1.0
    assert f1 >= f1_floor, f"{doc} ({layout}): relation F1 {f1:.4f} < {f1_floor}"
    assert recall >= num_floor, f"{doc} ({layout}): numeric recall {recall:.4f} < {num_floor}"


@pytest.mark.parametrize("doc", sorted(CASES))
def test_lean_objects_equal_pdfplumber(doc):
    """The lean loader gives pdfplumber's own values on these documents too (fonts, rotations,
    filled cells, Form XObjects)."""
    import pdfplumber

    from extractors.tables.objects import load_lean_objects

    _scorer()
    path = DATA / doc.split("-")[0] / f"{doc}.pdf"
    with pdfplumber.open(path) as lean_pdf, pdfplumber.open(path) as full_pdf:
        for lean_page, full_page in zip(lean_pdf.pages, full_pdf.pages):
            lean, full = load_lean_objects(lean_page), full_page.objects
            for kind in ("char", "line", "rect", "curve"):
                assert len(lean[kind]) == len(full.get(kind, [])), (doc, kind)
                for a, b in zip(lean[kind], full.get(kind, [])):
                    assert all(b[k] == v for k, v in a.items()), (doc, kind)
