"""Layout variation that real editions show, each on a generated PDF run through the pure pipeline
(extract -> tidy -> facts -> validate, as the flow's tasks do): the table is read cell for cell and the
checks give exactly the expected outcome, with no false alarm.

The region table is the 2023 paper's "patents per 10,000 people" table with generated, consistent
values (tests/regiongen.py). A case where the table extractor gets the header wrong is kept as a
strict xfail with the exact failure, for the extractor's owner (none is open now).
"""

from __future__ import annotations

import random

import pytest

from tests import regiongen as G
from tests.pdfgen import TableSpec, render_table_pdf

FULL_COLUMNS = ["population", "patents", "per10k"] + G.OWNERS
ADDITIVE = ["population", "patents"] + G.OWNERS  # the hierarchy checks every one of them
N_PARENTS = 4  # three regions and the province


@pytest.fixture(scope="module")
def gx_context():
    from expectations.gx_suites import make_context

    return make_context()


def full_table(seed: int = 7, order: str = "cities_first", columns=FULL_COLUMNS, labels=None, regions=True):
    rnd = random.Random(seed)
    values = G.random_values(rnd)
    rows = G.ordered_rows(order, rnd, regions=regions)
    return G.RegionTable.build(values, rows, list(columns), others=G.random_others(rnd), labels=labels)


def run(tmp_path, gx_context, specs, name="t.pdf", **render):
    path = tmp_path / name
    render_table_pdf(str(path), specs, **render)
    return G.run_pipeline(path, context=gx_context)


def summary(result) -> dict[str, tuple[int, int, int, int]]:
    s = result.summary.set_index("check")
    return {
        c: (int(r["items"]), int(r["passes"]), int(r["fails"]), int(r["undecided"]))
        for c, r in s.iterrows()
        if r["items"]
    }


def findings(result, *severities):
    f = result.findings
    return f[f["severity"].isin(severities)] if severities else f


def assert_read_exactly(result, table: G.RegionTable, index: int = 0):
    got = result.tables[index]
    assert got.header_paths == table.header_paths()
    assert got.body == table.body()


def assert_clean_full_table(result, table: G.RegionTable):
    """Read cell for cell, no finding at all, and every rule of the full table evaluated."""
    assert_read_exactly(result, table)
    assert findings(result).empty, findings(result)[["check", "row_label", "column", "message"]].to_string()
    n_rows = len(table.rows)
    assert summary(result) == {
        "row_sum": (n_rows, n_rows, 0, 0),
        "hierarchy": (N_PARENTS * len(ADDITIVE), N_PARENTS * len(ADDITIVE), 0, 0),
        "ratio": (n_rows - 1, n_rows - 1, 0, 0),  # Others prints "/" for its ratio
        "number_format": (n_rows * len(FULL_COLUMNS) - 2, n_rows * len(FULL_COLUMNS) - 2, 0, 0),  # two "/"
        "unrecognised_column": (len(FULL_COLUMNS), len(FULL_COLUMNS), 0, 0),
    }


# --- rules, orientation, pages ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rules,span_rules,wrap", [("grid", False, True), ("grid", False, False), ("horizontal", True, False)]
)
@pytest.mark.parametrize("landscape", [False, True])
def test_full_region_table_is_read_and_consistent(tmp_path, gx_context, rules, span_rules, wrap, landscape):
    table = full_table()
    spec = table.spec(wrap=wrap, rules=rules, span_rules=span_rules)
    result = run(tmp_path, gx_context, [spec], landscape=landscape)
    assert len(result.tables) == 1
    assert_clean_full_table(result, table)


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_split_across_pages(tmp_path, gx_context, repeat_header):
    table = full_table()
    result = run(tmp_path, gx_context, [table.spec(rules="grid", split_after=9, repeat_header=repeat_header)])
    assert len(result.tables) == 1
    assert (result.tables[0].page_first, result.tables[0].page_last) == (1, 2)
    assert_clean_full_table(result, table)
    pages = result.cells.drop_duplicates("row_index").sort_values("row_index")["page"].tolist()
    assert pages == [1] * 9 + [2] * (len(table.rows) - 9)


def test_borderless_single_level_table(tmp_path, gx_context):
    """Whitespace only, no rules at all: fine while every header is one level."""
    table = full_table(columns=["population", "patents", "per10k"])
    result = run(tmp_path, gx_context, [table.spec(rules="none")])
    assert_read_exactly(result, table)
    assert findings(result).empty
    n = len(table.rows)
    assert summary(result)["hierarchy"] == (N_PARENTS * 2, N_PARENTS * 2, 0, 0)
    assert summary(result)["ratio"] == (n - 1, n - 1, 0, 0)


@pytest.mark.parametrize("rules", ["horizontal", "none"])
def test_borderless_two_level_header_without_spanner_rule(tmp_path, gx_context, rules):
    """The spanner over five sub-columns is given to all five though its text covers two (was an
    extractor xfail; fixed on main by the table extractor's owner)."""
    table = full_table()
    result = run(tmp_path, gx_context, [table.spec(wrap=False, rules=rules)])
    assert_clean_full_table(result, table)


def test_borderless_wrapped_two_level_header(tmp_path, gx_context):
    """With horizontal rules and a rule under the spanner, header cells wrapped over several lines:
    the spanner's rule lies two lines under it (its row is as tall as the tallest wrapped cell) and
    still gives it the outer sub-columns 'Colleges and Universities' and 'Individuals' (was an
    extractor xfail)."""
    table = full_table()
    spec = table.spec(rules="horizontal", span_rules=True)
    result = run(tmp_path, gx_context, [spec])
    assert_clean_full_table(result, table)


def test_wrapped_header_cells_in_a_ruled_table(tmp_path, gx_context):
    table = full_table()
    spec = table.spec(rules="grid")
    assert any("\n" in h for h in spec.header[0])
    result = run(tmp_path, gx_context, [spec])
    assert_clean_full_table(result, table)


def test_missing_mark_left_aligned(tmp_path, gx_context):
    """A '/' left-aligned among right-aligned numbers stays in its column (was an extractor xfail)."""
    table = full_table()
    result = run(tmp_path, gx_context, [table.spec(rules="grid", missing_align="left")])
    assert_clean_full_table(result, table)


# --- rows: order, spelling, a missing city -----------------------------------------------------------------
@pytest.mark.parametrize("order", ["cities_first", "regions_first", "grouped", "shuffled"])
def test_row_order_does_not_matter(tmp_path, gx_context, order):
    table = full_table(order=order)
    result = run(tmp_path, gx_context, [table.spec(rules="grid")])
    assert_clean_full_table(result, table)


def test_region_name_spelled_differently(tmp_path, gx_context):
    table = full_table(labels={"Huai'an": "Huaian", G.PROVINCE: "Entire province", "Northern Jiangsu": "North Jiangsu"})
    result = run(tmp_path, gx_context, [table.spec(rules="grid")])
    assert_clean_full_table(result, table)
    resolved = result.cells.drop_duplicates("row_label").set_index("row_label")
    assert (resolved.loc["Huaian", "region"], resolved.loc["Huaian", "parent_region"]) == (
        "Huai'an",
        "Northern Jiangsu",
    )
    assert resolved.loc["Entire province", "region_level"] == "province"
    assert resolved.loc["North Jiangsu", "region"] == "Northern Jiangsu"


@pytest.mark.parametrize("regions", [True, False])
def test_missing_city_row_is_undecided_not_a_sum_error(tmp_path, gx_context, regions):
    table = full_table(regions=regions)
    table.rows.remove("Wuxi")  # its numbers still count in Southern Jiangsu and Jiangsu, as printed
    result = run(tmp_path, gx_context, [table.spec(rules="grid")])
    assert_read_exactly(result, table)
    assert findings(result, "error", "warning").empty
    undecided = findings(result, "info")
    assert set(undecided["check"]) == {"hierarchy"} and set(undecided["status"]) == {"undecided"}
    parent = "Southern Jiangsu" if regions else G.PROVINCE
    assert set(undecided["row_label"]) == {parent}
    assert len(undecided) == len(ADDITIVE)
    assert all("Wuxi missing" in m for m in undecided["message"])
    decided = N_PARENTS - 1 if regions else 0
    assert summary(result)["hierarchy"] == ((decided + 1) * len(ADDITIVE), decided * len(ADDITIVE), 0, len(ADDITIVE))


# --- columns: a renamed header, an unknown column -------------------------------------------------------
def test_header_renamed_slightly(tmp_path, gx_context, monkeypatch):
    monkeypatch.setitem(G.OWNER_HEADERS, "government", "Government Agencies and Organizations")
    monkeypatch.setitem(G.WRAPPED, "government", "Government\nAgencies and\nOrganizations")
    table = full_table()
    result = run(tmp_path, gx_context, [table.spec(rules="grid")])
    assert_clean_full_table(result, table)
    renamed = result.cells[result.cells["column"].str.endswith("Government Agencies and Organizations")]
    assert set(renamed["column_id"]) == {"patents_government"}


def test_extra_unknown_column_is_kept_and_reported(tmp_path, gx_context):
    rnd = random.Random(3)
    table = full_table(columns=["population", "patents", "per10k"]).with_extra_column(
        "Geographical Indications", {c: rnd.randint(0, 40) for c in G.CITIES}, others=0
    )
    result = run(tmp_path, gx_context, [table.spec(rules="grid")])
    assert_read_exactly(result, table)
    extra = result.cells[result.cells["column"] == "Geographical Indications"]
    assert len(extra) == len(table.rows) and set(extra["column_id"]) == {""}
    assert extra["raw"].tolist() == [row[-1] for row in table.body()]
    reported = findings(result)
    assert len(reported) == 1
    finding = reported.iloc[0]
    assert (finding["check"], finding["severity"], finding["status"]) == ("unrecognised_column", "info", "fail")
    assert finding["column"] == "Geographical Indications" and finding["raw"] == "Geographical Indications"
    assert finding["subject_id"] == f"{result.table_ids[0]}:c5"
    assert "kept in cells.csv" in finding["message"]
    assert summary(result)["unrecognised_column"] == (4, 3, 1, 0)


# --- two tables on one page ----------------------------------------------------------------------------------
def test_second_table_on_the_same_page(tmp_path, gx_context):
    rnd = random.Random(11)
    per10k = G.RegionTable.build(
        G.random_values(rnd, owners=False), G.CITIES + [G.PROVINCE], ["population", "patents", "per10k"]
    )
    ic_values = {c: rnd.randint(10, 4000) for c in G.CITIES}
    ic = TableSpec(
        header=[["Prefecture-level City", "Cumulative registrations of layout designs of integrated circuits"]],
        body=[[c, G.count(v)] for c, v in ic_values.items()] + [["Entire province", G.count(sum(ic_values.values()))]],
        title="Cumulative Registrations of Layout Designs of Integrated Circuits in Jiangsu in 2023",
        unit="piece",
        rules="horizontal",
    )
    result = run(tmp_path, gx_context, [per10k.spec(rules="grid"), ic], prose=False)
    assert [(t.page_first, t.title) for t in result.tables] == [(1, per10k.title), (1, ic.title)]
    assert_read_exactly(result, per10k, 0)
    assert result.tables[1].body == ic.body
    assert findings(result).empty
    assert summary(result)["hierarchy"] == (3, 3, 0, 0)  # population and patents, and the IC registrations
