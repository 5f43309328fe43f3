"""National-shape tables (the national office's profile, tests/nationalgen.py), one region per printed row:
the total first or last, sub-provincial cities interleaved with the provinces with no label cue, ruled and
borderless. The national total is checked over the provinces only, an "of which" city within its province,
and a table that leaves out Hong Kong and Macao is still decided."""

import json
import random

import pytest

from tests.nationalgen import CITIES, PROFILE, PROVINCES, ROOT, SPECIAL, NationalTable
from tests.pdfgen import render_table_pdf
from tests.regiongen import cell_id, extract_cells, validate_extracted

LAYOUTS = [("grid", "total_first"), ("none", "total_last")]


def run(tmp_path, table: NationalTable, rules: str, name: str = "t"):
    pdf = tmp_path / f"{name}-{rules}.pdf"
    render_table_pdf(pdf, [table.spec(rules=rules)])
    extracted = extract_cells(pdf, profile=PROFILE)
    assert len(extracted.tables) == 1 and extracted.tables[0].n_rows == len(table.rows)
    return extracted, validate_extracted([extracted], profile=PROFILE)


def errors(validation):
    f = validation.findings
    return f[f["severity"] == "error"]


def regions_read(validation, rule_id: str, cells) -> list[str]:
    frame = validation.frames["hierarchy"]
    inputs = json.loads(frame.loc[frame["rule_id"] == rule_id, "inputs"].iloc[0])
    by_id = cells.set_index("cell_id")["region"]
    return [by_id[i] for i in inputs[1:]]


@pytest.mark.parametrize("rules, order", LAYOUTS)
def test_clean_national_table_has_no_error_and_sums_the_provinces_only(tmp_path, rules, order):
    table = NationalTable.build(random.Random(7), order=order)
    extracted, v = run(tmp_path, table, rules)
    assert errors(v).empty and v.findings.empty
    cells = extracted.cells
    # Cities resolved as "of which" members of their provinces, though printed as ordinary rows.
    shenzhen = cells[cells["row_label"] == "Shenzhen"].iloc[0]
    assert (shenzhen["region"], shenzhen["region_level"], shenzhen["parent_region"]) == (
        "Shenzhen",
        "city",
        "Guangdong",
    )
    summary = v.summary.set_index("check")
    # The national total over the provinces, Hong Kong, Macao, Taiwan and Others, in 4 columns; no city read.
    tid = extracted.table_ids[0]
    read = regions_read(v, f"hierarchy:{tid}:China:invention", cells)
    assert read == [*PROVINCES, *SPECIAL, "Others"]
    assert summary.loc["hierarchy", "items"] == 4 and summary.loc["hierarchy", "passes"] == 4
    n_cities = sum(len(c) for c in CITIES.values())
    assert summary.loc["part_le_whole", "items"] == 4 * n_cities == summary.loc["part_le_whole", "passes"]
    assert summary.loc["row_sum", "items"] == len(table.rows) == summary.loc["row_sum", "passes"]


@pytest.mark.parametrize("rules, order", LAYOUTS)
def test_a_city_above_its_province_is_one_part_le_whole_error_naming_both(tmp_path, rules, order):
    table = NationalTable.build(random.Random(8), order=order)
    above = table.value("Guangdong", "design") + 25
    # Keep the city's own row consistent, so that the only broken rule is the city within its province.
    planted = table.planted("Shenzhen", "design", f"{above:,}")
    total = table.value("Shenzhen", "total") - table.value("Shenzhen", "design") + above
    planted = planted.planted("Shenzhen", "total", f"{total:,}")
    extracted, v = run(tmp_path, planted, rules)
    found = errors(v)
    assert list(found["check"]) == ["part_le_whole"], found[["check", "row_label", "column"]]
    row = found.iloc[0]
    assert (row["row_label"], row["column"], row["stated"]) == ("Shenzhen", "Design", above)
    assert row["expected"] == table.value("Guangdong", "design")
    assert "Shenzhen" in row["message"] and "Guangdong" in row["message"]
    assert row["subject_id"] == cell_id(extracted.table_ids[0], planted.position("Shenzhen", "design"))


@pytest.mark.parametrize("rules, order", LAYOUTS)
def test_a_province_total_off_by_ten_is_found_and_localised(tmp_path, rules, order):
    table = NationalTable.build(random.Random(9), order=order)
    planted = table.planted("Hubei", "total", f"{table.value('Hubei', 'total') + 10:,}")
    extracted, v = run(tmp_path, planted, rules)
    found = errors(v)
    wrong = cell_id(extracted.table_ids[0], planted.position("Hubei", "total"))
    # Hubei's row no longer adds up, nor does the national total of the Total column: one cell explains both.
    assert sorted(found["check"]) == ["hierarchy", "row_sum"]
    assert set(found["suspect_id"]) == {wrong}
    # ... and localisation names that one cell as the one cause of both, with the printed value less 10.
    assert found["root_id"].nunique() == 1
    root = found[found["finding_id"] == found["root_id"]].iloc[0]
    assert root["suspect_ids"] == wrong
    assert float(root["suggested_values"].replace(",", "")) == table.value("Hubei", "total")
    assert set(found["difference"].abs()) == {10}


@pytest.mark.parametrize("rules, order", LAYOUTS)
def test_a_table_without_hong_kong_and_macao_is_decided(tmp_path, rules, order):
    table = NationalTable.build(random.Random(10), order=order, optional_regions=False)
    assert "Hong Kong" not in table.rows and "Macao" not in table.rows and "Taiwan" in table.rows
    extracted, v = run(tmp_path, table, rules)
    summary = v.summary.set_index("check")
    assert summary.loc["hierarchy", "undecided"] == 0 and summary.loc["hierarchy", "passes"] == 4
    assert v.findings.empty
    read = regions_read(v, f"hierarchy:{extracted.table_ids[0]}:China:design", extracted.cells)
    assert read == [*PROVINCES, "Taiwan", "Others"]
    # ... and a planted error in it is still found, not hidden as undecided.
    planted = table.planted(ROOT, "design", f"{table.value(ROOT, 'design') + 1:,}")
    _, v = run(tmp_path, planted, rules, name="planted")
    assert set(errors(v)["check"]) >= {"hierarchy"}


def test_a_missing_province_makes_the_total_undecided(tmp_path):
    table = NationalTable.build(random.Random(11), order="total_first", cities=False)
    table.rows.remove("Hainan")
    _, v = run(tmp_path, table, "grid")
    info = v.findings[v.findings["check"] == "hierarchy"]
    assert set(info["status"]) == {"undecided"} and len(info) == 4
    assert all("Hainan missing" in m for m in info["message"])


def _grid_cells(table: NationalTable, title: str | None = None, header=None, body=None, doc_id: str = "d"):
    from normalise.tidy import cells_frame, table_ids
    from tests.grids import table_from_grid

    header = header or [["Region", *(c.replace("_", " ").title() for c in table.columns)]]
    grid = table_from_grid(header, body or table.body(), title=title or table.title, unit="Unit: piece")
    return cells_frame(doc_id, [grid], table_ids([grid]), PROFILE)


def test_a_printed_blank_of_an_optional_member_still_makes_the_total_undecided():
    from expectations.validation import validate_document

    table = NationalTable.build(random.Random(12), cities=False).planted("Macao", "design", "/")
    v = validate_document(_grid_cells(table), PROFILE)
    undecided = v.findings[(v.findings["check"] == "hierarchy") & (v.findings["status"] == "undecided")]
    assert list(undecided["column"]) == ["Design"] and "Macao missing" in undecided.iloc[0]["message"]
    assert errors(v).empty


def test_yearbook_year_columns_are_one_declared_column_per_year():
    from expectations.editions.edition_rules import Edition, edition_equations
    from expectations.equations import equations_to_frame
    from expectations.validation import validate_document

    rnd = random.Random(13)
    years = ["2019", "2020", "2021"]
    values = {p: [rnd.randint(1_000, 50_000) for _ in years] for p in PROVINCES}
    body = [[p, *(f"{v:,}" for v in vals)] for p, vals in values.items()]
    body.append([ROOT, *(f"{sum(v[i] for v in values.values()):,}" for i in range(len(years)))])
    title = "Table 5 Invention Patent Grants by Region of Origin, 2019-2021"
    cells = _grid_cells(None, title, [["Region of Origin", *years]], body, doc_id="yb-2022")
    assert sorted(set(cells["column_id"])) == ["year_2019", "year_2020", "year_2021"]
    v = validate_document(cells, PROFILE)
    summary = v.summary.set_index("check")
    assert summary.loc["hierarchy", "items"] == 3 == summary.loc["hierarchy", "passes"] and v.findings.empty
    # The next yearbook prints 2020-2022: the years both print are compared, value for value.
    later = [[row[0], row[2], row[3], row[3]] for row in body]
    later[0][1] = f"{values[PROVINCES[0]][1] * 2:,}"  # Beijing's 2020 revised to twice its value: a jump
    later_cells = _grid_cells(
        None, title.replace("2019-2021", "2020-2022"), [["Region of Origin", "2020", "2021", "2022"]], later, "yb-2023"
    )
    result = edition_equations(Edition("yb-2023", 2023, later_cells), Edition("yb-2022", 2022, cells), PROFILE)
    jumps = {e.rule_id for e in result.equations if e.check == "edition_jump"}
    assert len(jumps) == 2 * (len(PROVINCES) + 1)  # 2020 and 2021, every region
    frame = equations_to_frame(result.equations)
    failed = frame[frame["passed"] == False]  # noqa: E712
    assert list(failed["rule_id"]) == [f"edition_jump:{later_cells['table_id'].iloc[0]}:Beijing:year_2020"]
