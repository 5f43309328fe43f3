"""End to end on the 2023 white paper: `whitepaper run` writes the output contract, every printed cell
arrives in cells.csv, and the report's real table problems are found without false alarms."""

import json

import pandas as pd
import pytest

from flows.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main
from tests.grids import header_paths

# Starts Prefect (a flow run) or subprocesses: outside the quick loop (`pytest -m "not slow"`).
pytestmark = pytest.mark.slow

OUTPUT_FILES = ["cells.csv", "facts.csv", "tables.csv", "findings.csv", "findings.json", "checks.csv", "document.json"]


@pytest.fixture(scope="module")
def run_2023(fixture_pdf, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    code = main(["run", str(fixture_pdf), "--out", str(out)])
    return code, out / fixture_pdf.stem


def test_run_exits_zero_and_writes_the_contract(run_2023):
    code, folder = run_2023
    assert code == EXIT_OK
    for name in OUTPUT_FILES:
        assert (folder / name).is_file(), name
    assert sorted(p.name for p in (folder / "gx").iterdir()) == [
        "edition_change.json",
        "edition_cumulative.json",
        "edition_growth.json",
        "edition_growth_column.json",
        "edition_jump.json",
        "fact_growth.json",
        "fact_part_le_whole.json",
        "fact_parts_sum.json",
        "fact_parts_within_total.json",
        "fact_rate.json",
        "fact_share.json",
        "fact_shares_sum.json",
        "fact_table.json",
        "hierarchy.json",
        "number_format.json",
        "part_le_whole.json",
        "ratio.json",
        "row_compare.json",
        "row_sum.json",
        "unrecognised_column.json",
    ]
    document = json.loads((folder / "document.json").read_text())
    assert (document["year"], document["pages"], document["publisher"]) == (2023, 19, "jiangsu-ipr")


def test_tables_csv_describes_both_tables(run_2023):
    _, folder = run_2023
    tables = pd.read_csv(folder / "tables.csv")
    assert len(tables) == 2
    per10k, ic = tables.iloc[0], tables.iloc[1]
    assert per10k["title"] == "Number of Invention Patents per 10,000 People by Region in Jiangsu in 2023"
    assert (per10k["unit"], per10k["page_first"], per10k["page_last"], per10k["n_rows"], per10k["n_cols"]) == (
        "piece",
        6,
        6,
        18,
        9,
    )
    assert "Jiangsu Statistical Yearbook 2023" in per10k["notes"]
    assert (ic["page_first"], ic["page_last"], ic["n_rows"], ic["n_cols"]) == (7, 8, 14, 2)


def test_every_truth_cell_is_in_cells_csv(run_2023, truth):
    _, folder = run_2023
    cells = pd.read_csv(folder / "cells.csv", dtype={"raw": str}, keep_default_na=False)
    got = {(r.row_label, r.column): r for r in cells.itertuples()}
    checked = 0
    for table in truth["tables"].values():
        paths = header_paths(table["header"])
        for row in table["rows"]:
            for col in range(1, len(row)):
                key = (row[0].replace("\n", " "), paths[col])
                assert key in got, key
                cell = got[key]
                assert cell.raw == row[col], key
                if row[col] in ("/", ""):
                    assert cell.value == "" and cell.status == "missing", key
                else:
                    assert float(cell.value) == float(row[col].replace(",", "")), key
                checked += 1
    assert checked == 18 * 8 + 14 * 1
    assert len(cells) == checked  # nothing else was taken for a data cell


def test_real_problems_are_found_with_values_and_pages(run_2023):
    _, folder = run_2023
    findings = json.loads((folder / "findings.json").read_text())
    errors = {
        (f["check"], f["row_label"], f["column"], f["stated"], f["expected"], f["page"])
        for f in findings
        if f["severity"] == "error" and not f["fact_id"]
    }
    assert errors == {
        ("hierarchy", "Jiangsu", "Number of Valid Invention Patents", 529185, 529288, 6),
        ("hierarchy", "Jiangsu", "Valid Invention Patent Quantity / Enterprises", 390125, 390228, 6),
    }
    warnings = {f["raw"]: (f["row_label"], f["stated"], f["page"]) for f in findings if f["severity"] == "warning"}
    assert warnings["4,5120"] == ("Nantong", 45120, 6)
    assert warnings["6671"] == ("Changzhou", 6671, 6)


def test_prose_problems_are_found_with_their_sentences(run_2023):
    _, folder = run_2023
    findings = json.loads((folder / "findings.json").read_text())
    prose = {f["check"]: f for f in findings if f["fact_id"] and f["severity"] == "error"}
    assert set(prose) == {"fact_growth", "fact_rate"}
    growth, rate = prose["fact_growth"], prose["fact_rate"]
    assert (growth["stated"], round(growth["expected"], 2), growth["page"]) == (12.0, 8.41, 5)
    assert "an increase of 225,686, up 12.00%" in growth["quote"]
    assert (rate["stated"], round(rate["expected"], 2), rate["page"]) == (26.32, 20.84, 9)
    assert "26.32%" in rate["quote"]


def test_checks_summary_has_no_false_alarms(run_2023):
    _, folder = run_2023
    checks = pd.read_csv(folder / "checks.csv").set_index("check")
    assert checks.loc["row_sum", "fails"] == 0
    assert checks.loc["ratio", "fails"] == 0
    assert checks.loc["hierarchy", "fails"] == 2
    assert checks["items"].sum() > 0


def test_failed_cells_carry_a_flag(run_2023):
    _, folder = run_2023
    cells = pd.read_csv(folder / "cells.csv", dtype={"raw": str}, keep_default_na=False)
    flagged = cells.set_index("raw")["status"]
    assert flagged["529,185"].startswith("failed:hierarchy")
    assert flagged["4,5120"] == "format"
    assert flagged["139,331"] == "ok"
    assert set(cells.loc[cells["raw"] == "/", "status"]) == {"missing"}


def test_fail_on_error_exits_one(fixture_pdf, tmp_path):
    assert main(["run", str(fixture_pdf), "--out", str(tmp_path), "--fail-on", "error"]) == EXIT_FINDINGS


def test_bad_inputs_exit_two_and_the_batch_goes_on(fixture_pdf, tmp_path, capsys):
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("<html>not a pdf</html>")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    code = main(["run", str(not_pdf), str(fixture_pdf), str(empty), str(tmp_path / "missing.pdf"), "--out", str(out)])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert f"whitepaper: {not_pdf}: not a PDF (no %PDF- header)" in err
    assert f"whitepaper: {empty}: empty file (0 bytes)" in err
    assert f"whitepaper: {tmp_path / 'missing.pdf'}: no such file or directory" in err
    assert not any("Traceback" in line for line in err)
    assert (out / fixture_pdf.stem / "cells.csv").is_file()
