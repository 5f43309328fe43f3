"""The whole pipeline (CLI, Prefect flow, GX) on PDFs generated with known tables: a clean table gives no
finding at all; one planted wrong total gives exactly the findings that cell explains, naming it."""

import copy
import json

import pandas as pd
import pytest

from flows.cli import EXIT_OK, main
from tests.pdfgen import TableSpec, render_table_pdf
from tests.regions import HEADER, per10k_rows

# Starts Prefect (a flow run) or subprocesses: outside the quick loop (`pytest -m "not slow"`).
pytestmark = pytest.mark.slow

TITLE = "Number of Invention Patents per 10,000 People by Region in Jiangsu in 2023"
WRONG_CITY, WRONG_COLUMN = "Wuxi", 2  # "Number of Valid Invention Patents"


def _pdf(path, rows):
    spec = TableSpec(
        header=HEADER, body=rows, title=TITLE, unit="piece", notes=["Note: generated figures for a test."], rules="grid"
    )
    render_table_pdf(str(path), tables=[spec])
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("generated")
    rows = per10k_rows(seed=7)
    planted = copy.deepcopy(rows)
    row = next(r for r in planted if r[0] == WRONG_CITY)
    printed = int(row[WRONG_COLUMN].replace(",", ""))
    row[WRONG_COLUMN] = f"{printed + 10:,}"
    clean_pdf, planted_pdf = _pdf(base / "clean.pdf", rows), _pdf(base / "planted.pdf", planted)
    out = base / "out"
    assert main(["run", str(clean_pdf), str(planted_pdf), "--out", str(out)]) == EXIT_OK
    load = lambda name: json.loads((out / name / "findings.json").read_text())  # noqa: E731
    checks = pd.read_csv(out / "clean" / "checks.csv").set_index("check")
    return {"clean": load("clean"), "planted": load("planted"), "printed": printed, "checks": checks}


def test_clean_table_gives_no_finding(runs):
    assert runs["clean"] == []
    # ... because every rule held, not because none ran: 18 rows, 17 ratios (Others has none),
    # 3 regions and the province over 7 additive columns.
    checks = runs["checks"]
    assert checks.loc["row_sum", ["items", "passes"]].tolist() == [18, 18]
    assert checks.loc["ratio", ["items", "passes"]].tolist() == [17, 17]
    assert checks.loc["hierarchy", ["items", "passes"]].tolist() == [28, 28]


def test_planted_total_gives_exactly_the_findings_it_explains(runs):
    findings = runs["planted"]
    got = {(f["check"], f["row_label"], f["column"]) for f in findings}
    assert got == {
        ("row_sum", WRONG_CITY, "Number of Valid Invention Patents"),
        ("ratio", WRONG_CITY, "Invention Patent Ownership per 10,000 People"),
        ("hierarchy", "Southern Jiangsu", "Number of Valid Invention Patents"),
    }
    assert {f["severity"] for f in findings} == {"error"}
    assert {f["suspect_label"] for f in findings} == {f"{WRONG_CITY} / Number of Valid Invention Patents"}
    assert {f["suspect_value"] for f in findings} == {runs["printed"]}
    sums = [f for f in findings if f["check"] in ("row_sum", "hierarchy")]
    assert {f["difference"] for f in sums} == {10, -10}  # Wuxi is 10 above its parts; Southern 10 below its cities
