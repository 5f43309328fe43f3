"""n-panel national tables (issue 12): the national office's by-type table printed in two or three panels
side by side, read back with every value under its own region label, and checked by the national profile
(expectations/publishers/cnipa.yaml: hierarchy, part_le_whole of the "of which" cities, row sums) with zero
false alarms. A deliberately ambiguous layout is flagged: cells `doubtful`, a document warning."""

from __future__ import annotations

import random

import pytest

from expectations.findings import cell_flags
from normalise.document import normalise_document
from tests.nationalgen import PROFILE, NationalTable
from tests.pdfgen import TableSpec, render_table_pdf
from tests.regiongen import extract_cells, validate_extracted

LAYOUTS = [(2, "grid", 0.0), (2, "grid", 14.0), (2, "none", 18.0), (3, "horizontal", 14.0)]


def printed_spec(table: NationalTable, panels: int, rules: str, gap: float) -> TableSpec:
    return table.spec(rules=rules, panels=panels, panel_gap=gap)


@pytest.mark.parametrize("panels, rules, gap", LAYOUTS)
@pytest.mark.parametrize("order", ["total_first", "total_last"])
def test_paneled_national_table_every_cell_under_its_region_and_no_false_alarm(tmp_path, panels, rules, gap, order):
    table = NationalTable.build(random.Random(11), order=order)
    pdf = tmp_path / "national.pdf"
    render_table_pdf(pdf, [printed_spec(table, panels, rules, gap)], landscape=panels > 2)
    extracted = extract_cells(pdf, profile=PROFILE)
    (read,) = extracted.tables
    assert read.panels == panels and read.doubts == []
    assert read.n_rows == len(table.rows)
    cells = extracted.cells
    # every value under its own region label and column, as generated
    got = {(r.row_label, r.col_index): r.raw for r in cells.itertuples()}
    want = {(row, 2 + table.columns.index(col)): raw for (row, col), raw in table.cells.items()}
    assert got == want
    v = validate_extracted([extracted], profile=PROFILE)
    assert v.findings.empty, v.findings[["check", "row_label", "column", "message"]].to_string()
    summary = v.summary.set_index("check")
    assert summary.loc["hierarchy", "passes"] == summary.loc["hierarchy", "items"] == 4
    assert summary.loc["row_sum", "passes"] == summary.loc["row_sum", "items"] == len(table.rows)
    assert summary.loc["part_le_whole", "items"] > 0
    assert set(cell_flags(cells, v.findings)) == {"ok"}


def test_planted_error_in_the_right_panel_is_found_at_its_cell(tmp_path):
    table = NationalTable.build(random.Random(5)).planted("Guangdong", "design", "1")
    pdf = tmp_path / "national.pdf"
    render_table_pdf(pdf, [printed_spec(table, 2, "grid", 0.0)])
    extracted = extract_cells(pdf, profile=PROFILE)
    assert table.rows.index("Guangdong") >= -(-len(table.rows) // 2)  # printed in the right-hand panel
    v = validate_extracted([extracted], profile=PROFILE)
    flagged = v.findings[v.findings["check"] == "row_sum"]
    assert list(flagged["row_label"]) == ["Guangdong"]


def test_ambiguous_side_by_side_rows_are_flagged_not_ok(tmp_path):
    """Two regions per printed row under a header that does not repeat: the self-check fires, the cells
    are published `doubtful` and the document says why."""
    table = NationalTable.build(random.Random(3), cities=False, optional_regions=False)
    body = table.body()
    half = -(-len(body) // 2)
    printed = [a + (body[half + i] if half + i < len(body) else [""] * len(a)) for i, a in enumerate(body[:half])]
    header = [["Region", "Invention", "Utility Model", "Design", "Total", "Province", "Inv.", "Util.", "Des.", "Sum"]]
    spec = TableSpec(header=header, body=printed, title=table.title, unit="piece", rules="grid")
    pdf = tmp_path / "ambiguous.pdf"
    render_table_pdf(pdf, [spec], landscape=True)
    from extractors.reader import extract_document

    extract = extract_document(pdf)
    (read,) = extract.tables
    assert read.panels == 1 and read.doubts
    normalised = normalise_document(extract, str(pdf))
    cells = normalised.cells
    assert (cells["structure"] != "").all()
    import pandas as pd

    assert set(cell_flags(cells, pd.DataFrame(columns=["status"]))) == {"doubtful"}
    warnings = normalised.document["warnings"]
    assert any("structure doubtful" in w and "second row-label column (c6)" in w for w in warnings)
