"""The 2023 Jiangsu white paper: both tables, every cell, exactly as printed (issue 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from extractors.tables import extract_tables
from extractors.tables.objects import load_lean_objects
from flows.cli import main
from tests.conftest import TRUTH_JSON

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "raw" / "jiangsu-ipr-2023.pdf"
TRUTH = TRUTH_JSON

PER10K_TITLE = "Number of Invention Patents per 10,000 People by Region in Jiangsu in 2023"
IC_TITLE = "Cumulative Number of Registrations of Layout Designs of Integrated Circuits in Jiangsu in 2023"
PER10K_NOTES = [
    "Note: 1. Source of total population: Jiangsu Statistical Yearbook 2023",
    "2. * Refers to data provided by the China National Intellectual Property Administration that "
    "cannot be classified.",
]


def truth_paths(header: list[list[str]]) -> list[str]:
    """Header paths from a truth header grid: texts down each column, spanning texts included."""
    paths = []
    for col in range(len(header[0])):
        parts = []
        for row in header:
            c = col
            while c > 0 and not row[c] and row is header[0] and any(r[c] for r in header[1:]):
                c -= 1
            if row[c] and row[c] not in parts:
                parts.append(row[c])
        paths.append(" / ".join(parts))
    return paths


@pytest.fixture(scope="module")
def tables():
    return extract_tables(PDF)


@pytest.fixture(scope="module")
def truth():
    if not TRUTH.exists():
        pytest.skip(f"truth file not found at {TRUTH}")
    return json.loads(TRUTH.read_text())["tables"]


def test_exactly_two_tables(tables):
    assert [(t.page_first, t.page_last) for t in tables] == [(6, 6), (7, 8)]


@pytest.mark.parametrize("index,key", [(0, "per10k"), (1, "ic")])
def test_every_cell_matches_truth(tables, truth, index, key):
    t, expected = tables[index], truth[key]
    assert t.header == expected["header"]
    assert t.header_paths == truth_paths(expected["header"])
    assert len(t.body) == len(expected["rows"])
    for r, (got, want) in enumerate(zip(t.body, expected["rows"])):
        assert got == want, f"{key} body row {r}"


def test_header_paths_read_as_documented(tables):
    per10k = tables[0]
    assert per10k.header_paths[1] == "Total Population (in ten thousand people)"
    assert per10k.header_paths[2] == "Number of Valid Invention Patents"
    assert per10k.header_paths[6] == "Valid Invention Patent Quantity / Enterprises"
    assert tables[1].header_paths == [
        "Prefecture-level City",
        "Cumulative registrations of layout designs of integrated circuits",
    ]


def test_titles_units_notes(tables):
    per10k, ic = tables
    assert (per10k.title, per10k.unit, per10k.notes) == (PER10K_TITLE, "piece", PER10K_NOTES)
    assert (ic.title, ic.unit, ic.notes) == (IC_TITLE, "piece", [])
    assert per10k.title_box is not None and per10k.title_box.page == 6
    assert ic.title_box is not None and ic.title_box.page == 7


def test_repeated_header_is_not_a_body_row(tables):
    ic = tables[1]
    assert ["Prefecture-level City", "Cumulative registrations of layout designs of integrated circuits"] not in ic.body
    assert [b.page for b in (row[0] for row in ic.body_boxes)] == [7] * 4 + [8] * 10


def test_body_boxes_hold_their_cell_text(tables):
    """Every body cell's box, on its own page, contains exactly the glyphs of the cell's text."""
    with pdfplumber.open(PDF) as pdf:
        for t in tables:
            for row, boxes in zip(t.body, t.body_boxes):
                for text, box in zip(row, boxes):
                    assert box is not None, (t.title, row)
                    page = pdf.pages[box.page - 1]
                    chars = [
                        c
                        for c in load_lean_objects(page)["char"]
                        if c["text"].strip()
                        and box.x0 - 0.5 <= c["x0"]
                        and c["x1"] <= box.x1 + 0.5
                        and box.top - 0.5 <= c["top"]
                        and c["bottom"] <= box.bottom + 0.5
                    ]
                    # glyphs drawn twice (fake bold) are counted once, in reading order
                    seen, glyphs = set(), []
                    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
                        key = (c["text"], round(c["x0"]), round(c["top"]))
                        if key not in seen:
                            seen.add(key)
                            glyphs.append(c["text"])
                    assert "".join(glyphs) == text.replace(" ", ""), (box, text)


def test_chart_captions_are_not_tables(tables):
    titles = [t.title for t in tables]
    assert "Number of Valid Invention Patents by Patentee in Jiangsu in 2023" not in titles
    assert all(t.page_first != 5 for t in tables)


def test_cli_json_prints_exactly_two_tables(capsys):
    assert main(["tables", str(PDF), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(t["page"], t["page_last"], t["header_rows"], len(t["rows"])) for t in out] == [
        (6, 6, 2, 20),
        (7, 8, 1, 15),
    ]
    assert out[0]["title"] == PER10K_TITLE and out[1]["unit"] == "piece"


def test_lean_objects_match_pdfplumber():
    """The fast object loader keeps pdfplumber's values for every key it keeps, on every page."""
    with pdfplumber.open(PDF) as lean_pdf, pdfplumber.open(PDF) as full_pdf:
        for n in range(len(full_pdf.pages)):
            lean = load_lean_objects(lean_pdf.pages[n])
            full = full_pdf.pages[n].objects
            for kind in ("char", "line", "rect"):
                assert len(lean[kind]) == len(full.get(kind, []))
                for a, b in zip(lean[kind], full.get(kind, [])):
                    assert all(b[k] == v for k, v in a.items())


@pytest.mark.slow
def test_tables_command_imports_no_heavy_packages():
    """`whitepaper tables` must start fast: no Prefect, Great Expectations or pandas on its path."""
    import subprocess
    import sys

    code = (
        f"import sys, runpy; sys.argv=['whitepaper','tables',{str(PDF)!r},'--format','json'];"
        "import flows.cli as c; c.main(sys.argv[1:]);"
        "bad=[m for m in ('prefect','great_expectations','pandas','numpy') if m in sys.modules];"
        "print('HEAVY', bad, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
