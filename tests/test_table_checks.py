"""Table checks on the 2023 tables as printed (from the truth file) and on copies with one planted error.

These run the real GX suites on frames built from Table records, without PDF extraction, so a
failure here points at the checks, not at the extractor.
"""

import copy

import pytest

from expectations.validation import validate_document
from normalise.profile import PUBLISHERS_DIR, load_profile
from normalise.tidy import cells_frame, table_ids
from tests.grids import truth_tables

PROFILE = load_profile(PUBLISHERS_DIR / "jiangsu-ipr.yaml")


def run(tables):
    ids = table_ids(tables)
    cells = cells_frame("doc", tables, ids, PROFILE)
    return cells, validate_document(cells, PROFILE)


def failures(validation, check=None):
    f = validation.findings
    f = f[f["status"] == "fail"]
    if check:
        f = f[f["check"] == check]
    return {(r.row_label, r.column.rpartition(" / ")[2], r.stated, r.expected) for r in f.itertuples()}


@pytest.fixture(scope="module")
def printed(truth):
    return run(truth_tables(truth))


def test_2023_hierarchy_finds_the_province_103_below_its_regions(printed):
    _, v = printed
    assert failures(v, "hierarchy") == {
        ("Jiangsu", "Number of Valid Invention Patents", 529185, 529288),
        ("Jiangsu", "Enterprises", 390125, 390228),
    }
    found = v.findings[v.findings["check"] == "hierarchy"]
    assert set(found["difference"]) == {-103}
    assert set(found["page"]) == {1}


def test_2023_format_problems_are_warnings_with_the_raw_text(printed):
    _, v = printed
    fmt = v.findings[v.findings["check"] == "number_format"]
    assert set(fmt["severity"]) == {"warning"}
    by_raw = {r.raw: (r.row_label, r.stated) for r in fmt.itertuples()}
    assert by_raw["4,5120"] == ("Nantong", 45120)
    assert by_raw["6671"] == ("Changzhou", 6671)
    assert set(by_raw) == {"4,5120", "6671", "1291.06", "1,683.2"}


def test_2023_consistent_rows_raise_nothing(printed):
    _, v = printed
    summary = v.summary.set_index("check")
    assert summary.loc["row_sum", "fails"] == 0 and summary.loc["row_sum", "items"] == 18
    assert summary.loc["ratio", "fails"] == 0 and summary.loc["ratio", "items"] == 17
    # 3 regions + province over 7 additive columns, plus the IC table's "Entire province".
    assert summary.loc["hierarchy", "items"] == 29 and summary.loc["hierarchy", "passes"] == 27
    assert (summary["undecided"] == 0).all()


def test_2023_malformed_total_is_still_used_by_the_sums(printed):
    cells, _ = printed
    nantong = cells[(cells["row_label"] == "Nantong") & (cells["column_id"] == "valid_invention_patents")]
    assert nantong["value"].tolist() == [45120]


def _with_cell(truth, row_label, col, new_raw, key="per10k"):
    t = copy.deepcopy(truth)
    rows = t["tables"][key]["rows"]
    row = next(r for r in rows if r[0] == row_label)
    row[col] = new_raw
    return truth_tables(t)


def test_planted_wrong_city_total_is_reported_and_blamed(truth):
    _, v = run(_with_cell(truth, "Wuxi", 2, "55,983"))
    fails = v.findings[(v.findings["status"] == "fail") & (v.findings["severity"] == "error")]
    new = fails[~fails["row_label"].eq("Jiangsu")]
    assert set(new["check"]) == {"row_sum", "hierarchy", "ratio"}
    assert set(new["suspect_label"]) == {"Wuxi / Number of Valid Invention Patents"}
    # One cause: the row sum stating the wrong total is the root, the region and the ratio its symptoms.
    root = new[new["check"] == "row_sum"].iloc[0]
    assert set(new["root_id"]) == {root["finding_id"]}
    assert (root["suggested_values"], root["repair_kind"], root["confidence"]) == ("55973", "one wrong digit", "high")
    assert root["suspect_reason"].startswith(
        "Wuxi / Number of Valid Invention Patents: printed 55,983, probably 55,973 (one wrong digit) — explains 3"
    )


def test_planted_wrong_ratio_blames_the_ratio_cell(truth):
    _, v = run(_with_cell(truth, "Yancheng", 3, "26.95"))
    fails = v.findings[(v.findings["check"] == "ratio")]
    assert len(fails) == 1
    row = fails.iloc[0]
    assert (row["row_label"], row["stated"]) == ("Yancheng", 26.95)
    assert row["expected"] == round(17759 / 668.97, 2)  # at the printed precision of the stated ratio
    assert row["suspect_label"].endswith("Invention Patent Ownership per 10,000 People")


def test_planted_wrong_region_subtotal_is_blamed_on_the_subtotal(truth):
    _, v = run(_with_cell(truth, "Middle Jiangsu", 5, "968"))
    fails = v.findings[(v.findings["severity"] == "error") & v.findings["row_label"].eq("Middle Jiangsu")]
    assert set(fails["check"]) == {"row_sum", "hierarchy"}
    assert set(fails["suspect_label"]) == {"Middle Jiangsu / Valid Invention Patent Quantity / Research Institutions"}


def test_rounding_never_cries_wolf(truth):
    # Middle Jiangsu's population is printed 1,683.2, i.e. [1683.15, 1683.25]; its cities now add to 1,683.24.
    _, v = run(_with_cell(truth, "Nantong", 1, "774.39"))
    assert not any(f[0] == "Middle Jiangsu" for f in failures(v, "hierarchy"))
    # ... and to 1,683.27, beyond the rounding of all four printed numbers.
    _, v = run(_with_cell(truth, "Nantong", 1, "774.42"))
    middle = v.findings[(v.findings["check"] == "hierarchy") & (v.findings["row_label"] == "Middle Jiangsu")]
    assert len(middle) == 1
    assert middle.iloc[0]["expected"] == 1683.3  # 1,683.27 at the printed precision of the stated 1,683.2
    assert middle.iloc[0]["tolerance"] == pytest.approx(0.05 + 3 * 0.005)


def test_a_difference_of_one_between_exact_counts_is_found(truth):
    _, v = run(_with_cell(truth, "Suqian", 1, "18", key="ic"))
    assert failures(v, "hierarchy") >= {
        ("Entire province", "Cumulative registrations of layout designs of integrated circuits", 11865, 11866)
    }
    ic = v.findings[v.findings["row_label"] == "Entire province"]
    assert list(ic["difference"]) == [-1] and list(ic["tolerance"]) == [0]


def test_missing_child_makes_the_hierarchy_undecided_not_failed(truth):
    t = copy.deepcopy(truth)
    t["tables"]["ic"]["rows"] = [r for r in t["tables"]["ic"]["rows"] if r[0] != "Wuxi"]
    _, v = run(truth_tables(t))
    ic = v.findings[v.findings["row_label"] == "Entire province"]
    assert list(ic["status"]) == ["undecided"]
    assert "Wuxi" in ic.iloc[0]["message"]
