"""Monthly editions (tests/nationalgen.py bulletins, national office's profile) compared as periods: a month
apart (the previous edition of the series: a cumulative count that falls) and a year apart (the same month
a year earlier: a growth-rate column against the two editions' monthly totals); a consistent pair raises
nothing; the January-only relation; which editions the history offers; table identity across months."""

import random

import pandas as pd
import pytest

from expectations.editions.edition_rules import Edition
from expectations.validation import validate_document
from extractors.reader import extract_document
from extractors.records import Box, Table
from normalise.document import normalise_document
from normalise.periods import Period
from normalise.tidy import table_ids
from publish import history
from tests.nationalgen import ROOT, monthly_series, render_bulletin

EDITIONS = [(2015, 3), (2016, 1), (2016, 2), (2016, 3)]
FALLS, WRONG_GROWTH = "Zhejiang", "Sichuan"


def number(raw: str) -> int:
    return int(raw.replace(",", ""))


@pytest.fixture(scope="module")
def series():
    return monthly_series(random.Random(21), EDITIONS)


@pytest.fixture(scope="module")
def normalised(series, tmp_path_factory):
    """Each bulletin (and two planted copies of March 2016) read as the flow reads it: extract, normalise."""
    folder = tmp_path_factory.mktemp("bulletins")
    march = series[(2016, 3)]
    february = series[(2016, 2)]
    # A province's running total printed below February's, the national total lowered with it: the table
    # adds up, only the comparison with the previous edition can tell.
    fallen = number(february.rows[FALLS][3]) - 7
    national = number(march.rows[ROOT][3]) - (number(march.rows[FALLS][3]) - fallen)
    bulletins = {f"{y}-{m:02d}": b for (y, m), b in series.items()}
    bulletins["2016-03-fall"] = march.planted(FALLS, 3, f"{fallen:,}").planted(ROOT, 3, f"{national:,}")
    printed = float(march.rows[WRONG_GROWTH][2])
    bulletins["2016-03-growth"] = march.planted(WRONG_GROWTH, 2, f"{printed + 3:.2f}")
    january = series[(2016, 1)]
    bulletins["2016-01-unequal"] = january.planted("Hunan", 1, f"{number(january.rows['Hunan'][0]) + 5:,}")
    out = {}
    for name, bulletin in bulletins.items():
        pdf = folder / f"cnipa-monthly-{name}.pdf"
        render_bulletin(pdf, bulletin, rules="grid" if name.endswith(("03", "fall")) else "none")
        out[name] = normalise_document(extract_document(pdf), str(pdf))
    return out


def edition(n) -> Edition:
    return Edition(n.doc_id, n.period.year, n.cells, n.facts, n.period)


def validate(cur, previous=None, year_ago=None):
    return validate_document(
        cur.cells,
        cur.profile,
        facts=cur.facts,
        current=edition(cur),
        previous=edition(previous) if previous is not None else None,
        year_ago=edition(year_ago) if year_ago is not None else None,
        run_name=cur.doc_id,
    )


def counts(v) -> dict:
    return v.summary.set_index("check")[["items", "passes", "fails", "undecided"]].to_dict("index")


def test_bulletins_are_recognised_and_read_as_months(normalised):
    march = normalised["2016-03"]
    assert march.profile.id == "cnipa" and march.document["profile"]["how"] == "phrase"
    assert (march.document["period"], march.document["series"], march.document["year"]) == ("2016-03", "monthly", 2016)
    assert normalised["2015-03"].document["period"] == "2015-03"
    # The month is not part of the table's identity: the same table id in every edition.
    assert len({tuple(n.tables["table_id"]) for n in normalised.values()}) == 1
    ids = dict(zip(march.cells["column"], march.cells["column_id"]))
    assert ids == {
        "Monthly Total": "monthly_total",
        "Yearly Total": "yearly_total",
        "Year-on-year Growth Rate (%)": "yoy_growth",
        "Total": "total_since_start",
    }


def test_a_consistent_pair_raises_nothing(normalised):
    march, february, year_ago = normalised["2016-03"], normalised["2016-02"], normalised["2015-03"]
    # A month apart: the cumulative total is compared, there is no year-ago edition for growth rates.
    v = validate(march, previous=february)
    assert v.findings.empty, v.findings[["check", "row_label", "message"]]
    c = counts(v)
    assert c["edition_cumulative"]["items"] == 32 == c["edition_cumulative"]["passes"]
    assert c["edition_growth_column"]["items"] == 0 and c["edition_jump"]["items"] == 0
    # A year apart: growth rates against the same month a year earlier, and jumps.
    v = validate(march, previous=year_ago)
    assert v.findings.empty, v.findings[["check", "row_label", "message"]]
    c = counts(v)
    assert c["edition_growth_column"]["items"] == 32 == c["edition_growth_column"]["passes"]
    assert c["edition_jump"]["items"] > 0 and c["edition_jump"]["fails"] == 0
    # In the flow both come together: previous = February, year ago = March 2015.
    v = validate(march, previous=february, year_ago=year_ago)
    assert v.findings.empty
    assert counts(v)["edition_cumulative"]["items"] == 32 and counts(v)["edition_growth_column"]["items"] == 32


def test_a_cumulative_count_that_falls_between_months_is_found(normalised):
    v = validate(normalised["2016-03-fall"], previous=normalised["2016-02"])
    found = v.findings[v.findings["severity"] == "error"]
    assert list(zip(found["check"], found["row_label"])) == [("edition_cumulative", FALLS)]
    assert "2016-03" in found.iloc[0]["message"] and "2016-02" in found.iloc[0]["message"]
    # The table itself adds up: without the previous edition nothing is found.
    assert validate(normalised["2016-03-fall"]).findings.empty


def test_a_growth_rate_that_disagrees_with_the_two_editions_is_found(normalised):
    v = validate(normalised["2016-03-growth"], previous=normalised["2016-02"], year_ago=normalised["2015-03"])
    found = v.findings[v.findings["severity"] == "error"]
    assert list(zip(found["check"], found["row_label"])) == [("edition_growth_column", WRONG_GROWTH)]
    row = found.iloc[0]
    march, year_ago = normalised["2016-03"], normalised["2015-03"]

    def monthly(n):
        cells = n.cells
        return cells.loc[(cells["region"] == WRONG_GROWTH) & (cells["column_id"] == "monthly_total"), "value"].item()

    assert row["expected"] == pytest.approx((monthly(march) / monthly(year_ago) - 1) * 100)
    assert row["stated"] == pytest.approx(row["expected"], abs=3.01) and abs(row["difference"]) > 2.99
    assert "2015-03" in row["rule"] and "monthly_total" in row["rule"]


def test_the_january_relation_holds_only_in_january(normalised):
    january = counts(validate(normalised["2016-01"]))
    march = validate(normalised["2016-03"])
    rule_ids = set(march.frames["row_compare"]["rule_id"])
    assert not any(r.endswith(":yearly_is_monthly_in_january") for r in rule_ids)
    assert january["row_compare"]["items"] == 3 * 32 and january["row_compare"]["fails"] == 0
    v = validate(normalised["2016-01-unequal"])
    found = v.findings[v.findings["severity"] == "error"]
    assert ("row_compare", "Hunan") in set(zip(found["check"], found["row_label"]))
    hunan = found[(found["check"] == "row_compare") & (found["row_label"] == "Hunan")]
    assert list(hunan["rule"]) == ["Yearly total = monthly total in January (in month 1)"]


def test_a_relation_for_some_months_is_undecided_without_a_period(normalised):
    january = normalised["2016-01"]
    v = validate_document(january.cells, january.profile, run_name="no-period")
    c = counts(v)
    assert c["row_compare"]["undecided"] == 32 and c["row_compare"]["fails"] == 0


def _document(doc_id: str, period: str, series: str, publisher: str = "cnipa") -> dict:
    return {
        "doc_id": doc_id,
        "year": int(period[:4]),
        "period": period,
        "series": series,
        "publisher": publisher,
        "sha256": doc_id,
        "processed_at": pd.Timestamp("2026-12-01", tz="UTC"),
    }


def test_history_offers_the_latest_earlier_edition_and_the_same_period_a_year_earlier(tmp_path, normalised):
    db = tmp_path / history.DB_NAME
    for doc_id, period, series in (
        ("m-2015-03", "2015-03", "monthly"),
        ("m-2016-02", "2016-02", "monthly"),
        ("m-2016-03", "2016-03", "monthly"),
        ("yb-2015", "2015", "yearbook"),
        ("m-2016-05", "2016-05", "monthly"),
    ):
        cells = normalised[period].cells.assign(doc_id=doc_id) if period in normalised else pd.DataFrame()
        history.replace_edition(db, _document(doc_id, period, series), {"cells": cells} if len(cells) else {})
    previous, year_ago = history.compared_editions(db, "cnipa", Period(2016, 3), "monthly")
    assert (previous["doc_id"], year_ago["doc_id"]) == ("m-2016-02", "m-2015-03")
    previous, year_ago = history.compared_editions(db, "cnipa", Period(2016, 2), "monthly")
    assert (previous["doc_id"], year_ago) == ("m-2015-03", None)  # a gap of 11 months: still the previous
    assert history.compared_editions(db, "cnipa", Period(2016), "yearbook")[0]["doc_id"] == "yb-2015"
    assert history.compared_editions(db, "cnipa", Period(2015, 3), "monthly") == (None, None)
    with history.connect(db, read_only=True) as con:
        pairs = con.execute(
            "SELECT DISTINCT doc_id, previous_doc_id, period, previous_period FROM cells_year_on_year ORDER BY ALL"
        ).fetchall()
    assert pairs == [("m-2016-03", "m-2015-03", "2016-03", "2015-03")]


def test_table_ids_ignore_the_period_words():
    def table(title: str) -> Table:
        return Table(1, 1, Box(1, 0, 0, 1, 1), [["Region"]], ["Region"], [["X"]], [[None]], title=title)

    titles = [
        "Table 1 Patent Applications by Region, January 2015",
        "Table 1 Patent Applications by Region, March 2016",
        "Table 1 Patent Applications by Region (January-March 2016)",
        "Table 1 Patent Applications by Region, Q1 2016",
        "Table 1 Patent Applications by Region in the first quarter of 2016",
        "Table 1 Patent Applications by Region, Sept. 2016",
    ]
    ids = [table_ids([table(t)])[0] for t in titles]
    assert ids[:4] == ["table-1-patent-applications-by-region"] * 4
    assert ids[4] == "table-1-patent-applications-by-region-in-the-of"
    assert ids[5] == "table-1-patent-applications-by-region"
    assert table_ids([table("Number of Patents by Region in Jiangsu in 2023")]) == [
        "number-of-patents-by-region-in-jiangsu-in"
    ]


def test_root_of_national_bulletin_is_its_total_row(normalised):
    cells = normalised["2016-03"].cells
    assert set(cells.loc[cells["row_label"] == ROOT, "region_level"]) == {"nation"}
