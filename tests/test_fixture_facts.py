"""Facts and prose checks on the 2023 paper (raw/jiangsu-ipr-2023.pdf): the two wrong statements are
found with their stated and expected values, the consistent ones raise nothing, the prose total of
valid invention patents is compared with the table, and nearly every number of the prose is a fact."""

from __future__ import annotations

import re

import pytest

from expectations.equations import equations_to_frame
from expectations.prose.prose_rules import fact_equations
from extractors.prose.nlp import get_nlp

COVERAGE_TARGET = 0.95


@pytest.fixture(scope="module")
def recon(fixture_facts, fixture_cells, jiangsu_profile):
    return equations_to_frame(fact_equations(fixture_facts, fixture_cells[0], jiangsu_profile))


def fact(facts, raw: str, sentence_start: str) -> dict:
    hits = facts[(facts["raw"] == raw) & facts["sentence"].str.startswith(sentence_start)]
    assert len(hits) == 1, f"{raw!r} in {sentence_start!r}: {len(hits)} facts"
    return hits.iloc[0].to_dict()


def rule(recon, check: str, fact_id: str) -> dict:
    hits = recon[(recon["check"] == check) & (recon["fact_id"] == fact_id)]
    assert len(hits) == 1, f"{check} on {fact_id}: {len(hits)} rows"
    return hits.iloc[0].to_dict()


TRADEMARK = "As of the end of 2023, Jiangsu recorded 2,910,731 trademark registrations"
PROCURATORATE = "In total, 763 IPR cases were concluded"


def test_the_two_wrong_statements_are_the_only_failures(recon, fixture_facts):
    failed = recon[recon["passed"] == False]  # noqa: E712 (None is undecided)
    growth = fact(fixture_facts, "12.00%", TRADEMARK)
    rate = fact(fixture_facts, "26.32%", PROCURATORATE)
    assert sorted(failed["rule_id"]) == sorted([f"fact_growth:{growth['fact_id']}", f"fact_rate:{rate['fact_id']}"])


def test_trademark_growth_finding(recon, fixture_facts):
    growth = fact(fixture_facts, "12.00%", TRADEMARK)
    row = rule(recon, "fact_growth", growth["fact_id"])
    assert row["stated"] == 12.0 and (row["stated_lo"], row["stated_hi"]) == pytest.approx((11.995, 12.005))
    assert row["expected"] == pytest.approx(225686 / (2910731 - 225686) * 100)  # 8.41%
    assert round(row["expected"], 2) == 8.41
    assert row["passed"] is False and row["gap"] > 3.5
    assert row["page"] == 5
    assert (
        row["quote"] == "As of the end of 2023, Jiangsu recorded 2,910,731 trademark registrations, "
        "with an increase of 225,686, up 12.00% YoY."
    )
    level, change = fact(fixture_facts, "2,910,731", TRADEMARK), fact(fixture_facts, "225,686", TRADEMARK)
    assert row["inputs"] == f'["{growth["fact_id"]}", "{level["fact_id"]}", "{change["fact_id"]}"]'
    assert row["message"] == "stated 12.00% but 225,686 / (2,910,731 - 225,686) = 8.41%"


def test_procuratorate_rate_finding(recon, fixture_facts):
    rate = fact(fixture_facts, "26.32%", PROCURATORATE)
    row = rule(recon, "fact_rate", rate["fact_id"])
    assert row["stated"] == 26.32
    assert row["expected"] == pytest.approx(159 / 763 * 100)  # 20.84%, while 159 / 604 = 26.32%
    assert row["passed"] is False and row["page"] == 9
    assert row["quote"].startswith("In total, 763 IPR cases were concluded, with 159 cases comprehensively performed")
    assert [fact(fixture_facts, r, PROCURATORATE)["role"] for r in ("763", "159", "26.32%")] == [
        "denominator",
        "numerator",
        "rate",
    ]


def test_consistent_statements_pass(recon, fixture_facts):
    patents = "In 2023, Jiangsu Province got 447,006 patents granted"
    total = fact(fixture_facts, "447,006", patents)
    assert rule(recon, "fact_parts_sum", total["fact_id"])["passed"] is True  # 107,899 + 302,132 + 36,975
    shares = recon[(recon["check"] == "fact_share") & recon["inputs"].str.contains(total["fact_id"])]
    assert list(shares["stated"]) == [24.14, 67.59, 8.27] and shares["passed"].all()
    works = fact(fixture_facts, "331,814", "In 2023, Jiangsu registered 331,814 works")
    copyright = rule(recon, "fact_shares_sum", works["fact_id"])
    assert copyright["passed"] is True and copyright["stated"] == pytest.approx(100.0)
    courts = fact(fixture_facts, "98.12%", "They accepted 39,000 cases")
    row = rule(recon, "fact_rate", courts["fact_id"])
    assert row["passed"] is True and row["expected"] == pytest.approx(33855 / 34505 * 100)
    valid = fact(fixture_facts, "529,185", "As of the end of 2023, Jiangsu recorded 529,185")
    assert rule(recon, "fact_parts_sum", valid["fact_id"])["passed"] is True


def test_incomplete_lists_pass_and_overlaps_are_undecided(recon, fixture_facts):
    cases = fact(fixture_facts, "3,896", "Jiangsu Provincial Administration for Market Regulation")
    assert rule(recon, "fact_parts_within_total", cases["fact_id"])["stated"] == 3893.0  # 3,378 + 515 <= 3,896
    assert rule(recon, "fact_parts_within_total", cases["fact_id"])["passed"] is True
    undecided = recon[recon["passed"].isna()]
    enterprises = fact(fixture_facts, "272", "Among the 272 demonstration enterprises")
    assert list(undecided["rule_id"]) == [f"fact_parts_within_total:{enterprises['fact_id']}:within"]
    assert "may overlap" in undecided.iloc[0]["message"]


def test_prose_total_against_the_table_province_cell(recon, fixture_facts, fixture_cells):
    cells = fixture_cells[0]
    valid = cells[cells["column_id"] == "valid_invention_patents"]
    province = valid[valid["region_level"] == "province"]["value"].item()
    cities_and_others = valid[valid["region_level"].isin(["city", "others"])]["value"].sum()
    # The table's own hierarchy fails (its province total is 103 below its cities plus Others) ...
    assert (province, cities_and_others) == (529185.0, 529288.0)
    # ... and the prose states the province cell as printed, so prose = table passes.
    total = fact(fixture_facts, "529,185", "As of the end of 2023, Jiangsu recorded 529,185")
    row = rule(recon, "fact_table", total["fact_id"])
    assert (row["stated"], row["expected"], row["passed"]) == (529185.0, 529185.0, True)
    assert (
        row["table_id"] == "number-of-invention-patents-per-10-000-people-by-region" and row["row_label"] == "Jiangsu"
    )
    table_rows = recon[recon["check"] == "fact_table"]
    assert sorted(zip(table_rows["stated"], table_rows["passed"])) == sorted(
        [
            (529185.0, True),
            (109894.0, True),
            (14085.0, True),
            (390125.0, True),
            (6289.0, True),
            (8792.0, True),
            (62.15, True),
            (62.15, True),
            (11865.0, True),
        ]
    )


def test_fact_count_and_typing(fixture_facts):
    assert len(fixture_facts) == 309
    assert (fixture_facts["unit"] != "").all() and (fixture_facts["kind"] != "").all()
    assert fixture_facts["evidence"].str.startswith("[[").all()


def test_coverage_of_numeric_tokens(fixture_sentences, fixture_facts):
    """Numeric tokens of the prose (tokens with a digit in body sentences: table cells, page numbers and
    captions are not body) that became a fact with a unit and a kind; years used as dates excluded."""
    nlp = get_nlp()
    total = covered = dates = 0
    misses = []
    for sentence in (s for s in fixture_sentences if s.kind == "body"):
        facts = fixture_facts[fixture_facts["sentence_id"] == sentence.sentence_id]
        for token in nlp.make_doc(sentence.text):
            if not re.search(r"\d", token.text):
                continue
            hit = facts[(facts["start"] <= token.idx) & (facts["end"] >= token.idx + len(token.text))]
            if len(hit) and hit.iloc[0]["kind"] in ("year", "date"):
                dates += 1
                continue
            total += 1
            if len(hit) and hit.iloc[0]["unit"] and hit.iloc[0]["kind"]:
                covered += 1
            else:
                misses.append(f"p{sentence.page} {token.text!r}: {sentence.text[:100]}")
    share = covered / total
    print(f"\ncoverage: {covered}/{total} numeric tokens = {share:.1%} ({dates} years/dates excluded)")
    for miss in misses:
        print("  not a fact:", miss)
    assert share >= COVERAGE_TARGET


def test_facts_csv_round_trip_gives_the_same_equations(tmp_path, fixture_facts, fixture_cells, jiangsu_profile, recon):
    import pandas as pd

    path = tmp_path / "facts.csv"
    fixture_facts.to_csv(path, index=False)
    again = pd.read_csv(path, keep_default_na=True)
    frame = equations_to_frame(fact_equations(again, fixture_cells[0], jiangsu_profile))
    assert list(frame["rule_id"]) == list(recon["rule_id"])
    assert list(frame["passed"]) == list(recon["passed"])


def test_fact_equations_through_the_projects_gx_validation(fixture_facts, fixture_cells, jiangsu_profile):
    """The equations are what GX consumes: validated with the table checks, the prose yields exactly the
    two failures and the one undecided overlap, quoted and paged, with the wrong number as suspect."""
    from expectations.prose.prose_terms import fact_intervals, fact_labels
    from expectations.validation import validate_document

    cells = fixture_cells[0]
    validation = validate_document(
        cells,
        jiangsu_profile,
        extra_equations=fact_equations(fixture_facts, cells, jiangsu_profile),
        extra_intervals=fact_intervals(fixture_facts),
        extra_labels=fact_labels(fixture_facts),
    )
    findings = validation.findings[validation.findings["check"].str.startswith("fact_")]
    got = [
        (f.check, f.status, f.page, f.stated, round(f.expected, 2) if f.expected == f.expected else None)
        for f in findings.itertuples()
    ]
    assert got == [
        ("fact_growth", "fail", 5, 12.0, 8.41),
        ("fact_rate", "fail", 9, 26.32, 20.84),
        ("fact_parts_within_total", "undecided", 14, 272.0, None),  # the printed total, not its parts' sum
    ]
    assert findings.iloc[1]["suspect_id"] == findings.iloc[1]["fact_id"]  # the stated rate is the number to fix
    summary = validation.summary.set_index("check")
    assert summary.loc["fact_table", "items"] == 9 and summary.loc["fact_table", "fails"] == 0
