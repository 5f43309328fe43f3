"""Generated-layout corpus (issue 12): layouts the ICDAR set does not show, each read back cell by cell.

Every PDF is generated with reportlab (tests/pdfgen.py) from a known logical table; the extractor must
give exactly that table: header paths, every body cell, one row per region, panels stacked in reading
order. A deliberately ambiguous layout must come out with doubts (flagged), never as a clean table.
"""

from __future__ import annotations

import pytest

from extractors.tables import extract_tables
from tests.pdfgen import TableSpec, render_table_pdf

PROVINCES = [
    "Beijing",
    "Tianjin",
    "Hebei",
    "Shanxi",
    "Inner Mongolia",
    "Liaoning",
    "Jilin",
    "Heilongjiang",
    "Shanghai",
    "Jiangsu",
    "Zhejiang",
]
TITLE = "Number of Valid Patents by Province in 2023"
HEADER = [["Region", "Patents", "Designs", "Cases"]]


def rows(n: int, total: bool = False) -> list[list[str]]:
    body = [[p, f"{(i + 1) * 1234:,}", f"{(i + 3) * 71}", str(i * 17 + 3)] for i, p in enumerate(PROVINCES[:n])]
    if total:
        sums = [sum(int(r[c].replace(",", "")) for r in body) for c in (1, 2, 3)]
        body.append(["Total", f"{sums[0]:,}", str(sums[1]), str(sums[2])])
    return body


def read_one(tmp_path, spec: TableSpec):
    path = tmp_path / "t.pdf"
    render_table_pdf(str(path), [spec])
    tables = extract_tables(path)
    assert len(tables) == 1, [t.header_paths for t in tables]
    return tables[0]


def assert_every_cell(table, spec: TableSpec) -> None:
    assert table.header_paths == spec.expected_paths()
    assert table.body == spec.expected_body()
    assert table.title == spec.title
    assert table.doubts == []


# --- n-panel tables ---------------------------------------------------------------------------------
PANEL_CASES = [
    (panels, rules, gap, n, total)
    for panels in (2, 3)
    for rules in ("grid", "horizontal", "none")
    for gap in ((0.0, 16.0) if rules == "grid" else (16.0,))
    for n, total in ((9, False), (10, True))
]


@pytest.mark.parametrize("panels,rules,gap,n,total", PANEL_CASES)
def test_panels_stack_in_reading_order(tmp_path, panels, rules, gap, n, total):
    spec = TableSpec(
        header=HEADER, body=rows(n, total), title=TITLE, rules=rules, panels=panels, panel_gap=gap, total_rule=total
    )
    table = read_one(tmp_path, spec)
    assert table.panels == panels
    assert_every_cell(table, spec)
    # every value keeps the box it is printed in: a right-panel row's cells lie right of the left panel
    k = spec.rows_per_panel()
    left_x1 = max(b.x1 for r in table.body_boxes[:k] for b in r if b)
    assert all(b.x0 >= left_x1 - 0.5 for b in table.body_boxes[k] if b)
    assert len({b.top for b in table.body_boxes[0] + table.body_boxes[k] if b}) <= 2


def test_single_panel_is_one_panel(tmp_path):
    spec = TableSpec(header=HEADER, body=rows(8), title=TITLE, rules="grid")
    table = read_one(tmp_path, spec)
    assert table.panels == 1
    assert_every_cell(table, spec)


def test_two_level_header_in_panels(tmp_path):
    header = [["Region", "Valid Patents", "", "Cases"], ["", "Enterprises", "Universities", ""]]
    spec = TableSpec(header=header, body=rows(9), title=TITLE, rules="grid", panels=2)
    table = read_one(tmp_path, spec)
    assert table.panels == 2
    assert table.header_paths == ["Region", "Valid Patents / Enterprises", "Valid Patents / Universities", "Cases"]
    assert table.body == spec.expected_body()


# --- shading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
@pytest.mark.parametrize("shade", ["rows", "cells", "header"])
def test_shaded_tables_are_tables(tmp_path, rules, shade):
    spec = TableSpec(header=HEADER, body=rows(9), title=TITLE, rules=rules, shade=shade)
    assert_every_cell(read_one(tmp_path, spec), spec)


@pytest.mark.parametrize("rules", ["grid", "none"])
def test_shaded_panels(tmp_path, rules):
    spec = TableSpec(header=HEADER, body=rows(10), title=TITLE, rules=rules, shade="rows", panels=2, panel_gap=16.0)
    table = read_one(tmp_path, spec)
    assert table.panels == 2
    assert_every_cell(table, spec)


# --- wrapped and vertically centred header cells -----------------------------------------------------
@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
@pytest.mark.parametrize("valign", ["top", "middle"])
def test_wrapped_header_beside_centred_neighbour(tmp_path, rules, valign):
    header = [["Region", "Valid Invention\nPatents", "Designs", "Closed\nCases"]]
    spec = TableSpec(header=header, body=rows(9), title=TITLE, rules=rules, header_valign=valign)
    assert_every_cell(read_one(tmp_path, spec), spec)


# --- the self-check -------------------------------------------------------------------------------------
def test_panels_with_different_headers_are_flagged(tmp_path):
    """Two regions per printed row under one header that does not repeat: not recognisable as panels,
    so the right-hand region must not pass as values of the left-hand one."""
    body = rows(8)
    header = [["Region", "Patents", "Designs", "Province", "Patents", "Designs"]]
    printed = [a[:3] + b[:3] for a, b in zip(body[:4], body[4:])]
    spec = TableSpec(header=header, body=printed, title=TITLE, rules="grid")
    table = read_one(tmp_path, spec)
    assert table.panels == 1
    assert table.body == printed  # read as printed ...
    assert table.doubts and "second row-label column (c4)" in table.doubts[0]  # ... and flagged


def test_value_under_no_header_is_flagged(tmp_path):
    header = [["Region", "Patents", "", "Cases"]]
    spec = TableSpec(header=header, body=rows(8), title=TITLE, rules="grid")
    table = read_one(tmp_path, spec)
    assert table.header_paths == ["Region", "Patents", "", "Cases"]
    assert table.doubts == ["values under no header (c3): a header cell not read?"]


# --- sideways header text ---------------------------------------------------------------------------
@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
@pytest.mark.parametrize("angle", [90, 270])
def test_sideways_header_cells_read_upright(tmp_path, rules, angle):
    header = [["Region", "Patents", "Design Patents", "Closed Cases"]]
    spec = TableSpec(header=header, body=rows(9), title=TITLE, rules=rules, rotated={2: angle, 3: 360 - angle})
    assert_every_cell(read_one(tmp_path, spec), spec)


def test_sideways_sub_header_under_a_spanner(tmp_path):
    header = [["Region", "Valid Patents", "", "Cases"], ["", "Enterprises", "Universities", ""]]
    spec = TableSpec(header=header, body=rows(9), title=TITLE, rules="grid", rotated={1: 90, 2: 90})
    assert_every_cell(read_one(tmp_path, spec), spec)


def test_tables_json_keeps_the_printed_grid_and_says_panels(tmp_path):
    """`whitepaper tables` prints the raw grid (as printed: the ICDAR relations are between printed
    neighbours) with `panels`; run publishes the logical rows."""
    spec = TableSpec(header=HEADER, body=rows(9), title=TITLE, rules="grid", panels=2)
    data = read_one(tmp_path, spec).to_json()
    assert data["panels"] == 2 and data["header_paths"] == HEADER[0]
    assert data["rows"] == spec.printed_header() + spec.printed_body()


# --- a label column outside the ruled box; a totals row ----------------------------------------------
@pytest.mark.parametrize("rules", ["grid", "horizontal"])
@pytest.mark.parametrize("panels", [1, 2])
def test_label_column_left_of_the_ruled_box(tmp_path, rules, panels):
    spec = TableSpec(header=HEADER, body=rows(9), title=TITLE, rules=rules, label_outside=True, panels=panels)
    table = read_one(tmp_path, spec)
    assert table.panels == panels
    assert_every_cell(table, spec)


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_totals_row_kept_whole(tmp_path, rules):
    spec = TableSpec(header=HEADER, body=rows(9, total=True), title=TITLE, rules=rules, total_rule=True, bold_last=True)
    table = read_one(tmp_path, spec)
    assert_every_cell(table, spec)
    assert table.body[-1][0] == "Total" and len(table.body) == 10


# --- three-level headers ---------------------------------------------------------------------------
THREE_LEVEL = [
    ["Region", "Employees", "", "", "", ""],
    ["", "Enterprises", "", "Universities", "", ""],
    ["", "Male", "Female", "Male", "Female", "Total"],
]


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_three_level_header_assigned_by_overlap(tmp_path, rules):
    body = [[p, str(i + 1), str(i + 2), str(i + 3), str(i + 4), str(4 * i + 10)] for i, p in enumerate(PROVINCES[:7])]
    spec = TableSpec(header=THREE_LEVEL, body=body, title=TITLE, rules=rules, span_rules=rules == "horizontal")
    table = read_one(tmp_path, spec)
    assert table.header_paths == [
        "Region",
        "Employees / Enterprises / Male",
        "Employees / Enterprises / Female",
        "Employees / Universities / Male",
        "Employees / Universities / Female",
        "Employees / Universities / Total",
    ]
    assert_every_cell(table, spec)


# --- words broken across lines in narrow header cells ----------------------------------------------
BROKEN = [["Region", "Univer\u00adsities", "Enterprise\u00ads", "Governme\u00adnt"]]
VOCABULARY_NOTE = "Note: universities, enterprises and government bodies are counted where they are registered."


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_broken_header_words_rejoined_from_the_documents_vocabulary(tmp_path, rules):
    spec = TableSpec(header=BROKEN, body=rows(9), title=TITLE, rules=rules, notes=[VOCABULARY_NOTE])
    table = read_one(tmp_path, spec)
    assert table.header_paths == ["Region", "Universities", "Enterprises", "Government"]
    assert table.body == spec.expected_body()


def test_broken_header_words_stay_when_the_document_never_prints_them(tmp_path):
    """No evidence the halves make one word (and no dictionary is guessed from): kept as printed."""
    spec = TableSpec(header=BROKEN, body=rows(9), title=TITLE, rules="grid")
    table = read_one(tmp_path, spec)
    assert table.header_paths == ["Region", "Univer sities", "Enterprise s", "Governme nt"]


def test_body_cells_are_never_rejoined(tmp_path):
    body = rows(9)
    body[2][0] = "Univer\nsities"  # a body label broken over two lines stays as printed
    spec = TableSpec(header=HEADER, body=body, title=TITLE, rules="grid", notes=[VOCABULARY_NOTE])
    table = read_one(tmp_path, spec)
    assert table.body[2][0] == "Univer sities"


def test_panel_whose_label_column_holds_numbers_is_flagged(tmp_path):
    """The header repeats, but the right-hand panel's first column holds numbers where panel 1 has region
    names: its rows cannot be attributed to regions."""
    body = rows(4) + [[f"{110000 + i}", f"{i + 1}", f"{i + 2}", f"{i + 3}"] for i in range(4)]
    spec = TableSpec(header=HEADER, body=body, title=TITLE, rules="grid", panels=2)
    table = read_one(tmp_path, spec)
    assert table.panels == 2
    assert table.doubts == ["panel boundaries do not line up (panel 2: numbers in the label column)"]


def test_year_labelled_panels_are_not_flagged(tmp_path):
    body = [[str(2010 + i), f"{(i + 1) * 1234:,}", str(i * 7 + 3)] for i in range(10)]
    spec = TableSpec(header=[["Year", "Patents", "Cases"]], body=body, title=TITLE, rules="grid", panels=2)
    table = read_one(tmp_path, spec)
    assert table.panels == 2 and table.doubts == []
    assert table.body == body


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_three_level_header_over_narrow_columns(tmp_path, rules):
    """Spanners wider than the narrow M / F columns under them: each sub-header under its own group."""
    header = [
        ["Region", "Employees of All Registered Units", "", "", "", ""],
        ["", "Enterprises and Institutes", "", "Universities and Colleges", "", ""],
        ["", "M", "F", "M", "F", "All"],
    ]
    body = [[p, str(i + 1), str(i + 2), str(i + 3), str(i + 4), str(4 * i + 10)] for i, p in enumerate(PROVINCES[:7])]
    spec = TableSpec(header=header, body=body, title=TITLE, rules=rules, span_rules=rules == "horizontal")
    assert_every_cell(read_one(tmp_path, spec), spec)


def test_repeated_sub_headers_without_labels_are_one_table_and_flagged(tmp_path):
    """ "Male | Female | Male | Female" over numbers only (no label column, spanners left out): not
    panels, and which Male is which is not known, so the table is doubtful."""
    body = [[str(i + 1), str(i + 2), str(i + 3), str(i + 4)] for i in range(8)]
    spec = TableSpec(header=[["Male", "Female", "Male", "Female"]], body=body, title=TITLE, rules="grid")
    table = read_one(tmp_path, spec)
    assert table.panels == 1 and table.body == body
    assert table.doubts == ["the same header over several columns (c2 = c4): which is which is not known"]


def test_whitepaper_tables_json_says_panels_and_doubts(tmp_path, capsys):
    import json

    from flows.cli import main

    spec = TableSpec(header=HEADER, body=rows(9), title=TITLE, rules="none", panels=2, panel_gap=16.0)
    path = tmp_path / "t.pdf"
    render_table_pdf(str(path), [spec])
    assert main(["tables", str(path), "--format", "json"]) == 0
    (data,) = json.loads(capsys.readouterr().out)
    assert (data["panels"], data["doubts"], data["header_paths"]) == (2, [], HEADER[0])
    assert data["rows"] == spec.printed_header() + spec.printed_body()
