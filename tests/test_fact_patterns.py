"""Fact patterns and prose checks on sentences written for these tests (none copied from the fixture).

Each pattern family has one statement that is right and must raise nothing, and one that is wrong
and must be flagged by exactly the expected check. The publisher is a fictional one
(tests/fixtures/xland-profile.yaml), so nothing here leans on the Jiangsu vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from expectations.equations import equations_to_frame
from expectations.prose.prose_rules import fact_equations
from extractors.prose.facts import extract_facts
from extractors.prose.sentences import text_to_sentences
from normalise.profile import profile_from_dict
from normalise.tidy import FACT_COLUMNS, facts_frame

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def profile():
    path = FIXTURES / "xland-profile.yaml"
    return profile_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def facts_of(*paragraphs: str) -> pd.DataFrame:
    return facts_frame("", extract_facts(text_to_sentences(list(paragraphs))))


def outcomes(profile, *paragraphs: str, cells: pd.DataFrame | None = None) -> list[tuple[str, str, object]]:
    """(check, stated fact's raw text, passed) for every rule instance, in order."""
    facts = facts_of(*paragraphs)
    frame = equations_to_frame(fact_equations(facts, cells, profile))
    raw = dict(zip(facts["fact_id"], facts["raw"]))
    return [(r.check, raw[r.fact_id], r.passed) for r in frame.itertuples()]


def row(facts: pd.DataFrame, raw: str) -> dict:
    matching = facts[facts["raw"] == raw]
    assert len(matching) == 1, f"{raw!r} found {len(matching)} times"
    return matching.iloc[0].to_dict()


# --- typing of single numbers ------------------------------------------------------------------------
def test_frame_has_the_documented_columns():
    facts = facts_of("The county reported 1,210 trademark applications.")
    assert list(facts.columns) == FACT_COLUMNS


def test_money_scales_are_applied_with_their_rounding():
    facts = facts_of(
        "Licensing income reached 3.5 billion yuan, while pledges amounted to 1,200 10,000 yuan and "
        "subsidies to 4.2 100 million yuan, with fines of RMB 2.24 million and a grant of RMB 80,500."
    )
    got = {r["raw"]: (r["value"], r["unit"], r["kind"], r["half_width"]) for r in facts.to_dict("records")}
    assert got == {
        "3.5 billion yuan": (3.5e9, "yuan", "amount", 0.05e9),
        "1,200 10,000 yuan": (1.2e7, "yuan", "amount", 5e3),
        "4.2 100 million yuan": (4.2e8, "yuan", "amount", 0.05e8),
        "RMB 2.24 million": (2.24e6, "yuan", "amount", 0.005e6),
        "RMB 80,500": (80500.0, "yuan", "amount", 0.0),
    }
    assert row(facts, "1,200 10,000 yuan")["metric"] == "pledges"


def test_growth_points_and_comparisons_are_different_kinds():
    facts = facts_of(
        "The share of enterprise filings was 61.20%, up 1.30 percentage points, and was 2.5% higher than "
        "the national level, while filings fell 4.10% year on year."
    )
    kinds = {r["raw"]: (r["kind"], r["unit"], r["value"]) for r in facts.to_dict("records")}
    assert kinds == {
        "61.20%": ("share", "percent", 61.2),
        "1.30 percentage points": ("point_change", "percentage point", 1.3),
        "2.5%": ("comparison", "percent", 2.5),
        "4.10%": ("growth_rate", "percent", -4.1),
    }


def test_spelled_numbers_ranks_durations_and_multiples():
    facts = facts_of(
        "Seventy-one new incubators were set up, bringing the total number to two hundred twelve, ranking "
        "first nationwide for three consecutive years, about twice the national average, with a one-stop service."
    )
    got = [(r["raw"], r["value"], r["kind"], r["unit"], r["role"]) for r in facts.to_dict("records")]
    assert got == [
        ("Seventy-one", 71.0, "count", "incubator", "change"),
        ("two hundred twelve", 212.0, "count", "incubator", "level"),
        ("first", 1.0, "rank", "place", ""),
        ("three", 3.0, "duration", "year", ""),
        ("twice", 2.0, "comparison", "times", "comparison"),
    ]
    assert row(facts, "twice")["qualifier"] == "about"


def test_years_dates_ordinals_and_quoted_labels():
    facts = facts_of(
        'In 2021, the 5th Harbour Expo under the "2021-2025" plan opened on May 12 and the "808" '
        "programme registered 14 partner firms."
    )
    got = [(r["raw"], r["kind"], r["unit"]) for r in facts.to_dict("records")]
    assert got == [
        ("2021", "year", "year"),
        ("5th", "ordinal", "position"),
        ("2021-2025", "year", "year"),
        ("May 12", "date", "day"),
        ("808", "identifier", "label"),
        ("14", "count", "firm"),
    ]
    assert set(facts["period"]) == {"2021"}


def test_subject_and_period_carry_over_to_pronoun_sentences():
    facts = facts_of("As of the end of 2022, the harbour court received 410 appeals. They allowed 120 appeals.")
    assert row(facts, "410")["subject"] == "the harbour court"
    assert row(facts, "120")["subject"] == "the harbour court"
    assert row(facts, "120")["period"] == "end of 2022"
    assert row(facts, "120")["action"] == "allowed"


# --- total and parts with shares ---------------------------------------------------------------------
RIGHT_BREAKDOWN = (
    "In 2021, the city registered 12,000 software copyrights, including 9,000 (75.00%) filed by companies, "
    "2,400 (20.00%) by universities and 600 (5.00%) by individuals."
)
WRONG_BREAKDOWN = (
    "At the end of 2022, the region held 8,800 valid design patents, including 5,000 (56.82%) owned by "
    "firms, 3,000 (34.09%) by institutes and 900 (9.09%) by individuals."
)


def test_breakdown_roles_and_categories():
    facts = facts_of(RIGHT_BREAKDOWN)
    total = row(facts, "12,000")
    assert total["role"] == "total"
    parts = facts[facts["role"] == "part"]
    assert list(parts["raw"]) == ["9,000", "2,400", "600"]
    assert list(parts["category"]) == ["companies", "universities", "individuals"]
    assert set(parts["ref"]) == {total["fact_id"]}
    assert set(facts["group"]) == {"", f"g{total['fact_id']}"}
    assert row(facts, "20.00%")["ref"] == row(facts, "2,400")["fact_id"]


def test_right_breakdown_raises_nothing(profile):
    assert outcomes(profile, RIGHT_BREAKDOWN) == [
        ("fact_shares_sum", "12,000", True),
        ("fact_share", "75.00%", True),
        ("fact_share", "20.00%", True),
        ("fact_share", "5.00%", True),
        ("fact_parts_sum", "12,000", True),
    ]


def test_wrong_part_is_flagged_by_its_share_and_the_sum(profile):
    assert outcomes(profile, WRONG_BREAKDOWN) == [
        ("fact_shares_sum", "8,800", True),
        ("fact_share", "56.82%", True),
        ("fact_share", "34.09%", True),
        ("fact_share", "9.09%", False),  # 900 / 8,800 = 10.23%
        ("fact_parts_sum", "8,800", False),  # 5,000 + 3,000 + 900 = 8,900
    ]


def test_shares_across_sentences_and_a_remainder(profile):
    right = (
        "The office granted 2,000 licences. The number of export licences granted was 1,500, accounting for "
        "75.00% of the total licences granted. The number of import licences granted was 500, accounting "
        "for 25.00% of the total licences."
    )
    assert outcomes(profile, right) == [
        ("fact_shares_sum", "2,000", True),
        ("fact_share", "75.00%", True),
        ("fact_share", "25.00%", True),
        ("fact_parts_sum", "2,000", True),
    ]
    wrong_remainder = (
        "The office received 1,000 complaints, of which 640 concerned trademarks and the rest, 370, concerned patents."
    )
    assert outcomes(profile, wrong_remainder) == [("fact_parts_sum", "1,000", False)]


def test_shares_only_breakdown_must_add_to_100(profile):
    right = "Visitors numbered 52,000, including adults (61.5%), students (30.2%) and other visitors (8.3%)."
    wrong = "Visitors numbered 52,000, including adults (61.5%), students (30.2%) and other visitors (9.3%)."
    assert outcomes(profile, right) == [("fact_shares_sum", "52,000", True)]
    assert outcomes(profile, wrong) == [("fact_shares_sum", "52,000", False)]


# --- level, change, growth ------------------------------------------------------------------------------
def test_level_change_growth(profile):
    right = "The county reported 1,210 trademark applications, an increase of 110, up 10.00% YoY."
    wrong = "By the end of the year the county held 5,000 registered marks, an increase of 500, up 12.50% year on year."
    assert outcomes(profile, right) == [("fact_growth", "10.00%", True)]
    assert outcomes(profile, wrong) == [("fact_growth", "12.50%", False)]  # 500 / 4,500 = 11.11%
    facts = facts_of(right)
    assert [row(facts, r)["role"] for r in ("1,210", "110", "10.00%")] == ["level", "change", "growth"]


def test_growth_from_a_stated_previous_level(profile):
    assert outcomes(profile, "Exports rose to 540 units from 450 units, up 20.00% YoY.") == [
        ("fact_growth", "20.00%", True)
    ]
    assert outcomes(profile, "Exports rose to 540 units from 450 units, up 18.00% YoY.") == [
        ("fact_growth", "18.00%", False)
    ]


def test_growth_without_change_and_point_changes_are_not_checked(profile):
    assert (
        outcomes(profile, "Filings fell to 3,400, down 2.30% YoY, and their share rose 0.40 percentage points.") == []
    )


# --- K of M rates ------------------------------------------------------------------------------------
def test_k_of_m_rates(profile):
    right = "Of the 480 disputes mediated, 360 were settled, a settlement rate of 75.00%."
    wrong = "Out of 400 inspections, 90 found violations, a violation rate of 25.00%."
    assert outcomes(profile, right) == [("fact_rate", "75.00%", True), ("fact_part_le_whole", "360", True)]
    assert outcomes(profile, wrong) == [("fact_rate", "25.00%", False), ("fact_part_le_whole", "90", True)]


def test_with_k_rate_and_an_ambiguous_rate(profile):
    right = "The agency closed 820 files, with 205 files resolved by mediation, a mediation rate of 25.00%."
    wrong = "The agency closed 820 files, with 250 files resolved by mediation, a mediation rate of 25.00%."
    assert outcomes(profile, right) == [("fact_rate", "25.00%", True), ("fact_part_le_whole", "205", True)]
    assert outcomes(profile, wrong) == [("fact_rate", "25.00%", False), ("fact_part_le_whole", "250", True)]
    # Two counts, no word on how they pair: undecided, never a guess.
    assert outcomes(profile, "The court accepted 300 cases and closed 240 cases, a closure rate of 75.00%.") == [
        ("fact_rate", "75.00%", None)
    ]


def test_declared_rate_reads_its_inputs_from_the_paragraph(profile):
    right = "The tribunal reviewed 300 appeals. It allowed 120 appeals, an allowance ratio of 40.00%."
    wrong = "The tribunal reviewed 300 appeals. It allowed 120 appeals, an allowance ratio of 42.00%."
    assert outcomes(profile, right) == [("fact_rate", "40.00%", True)]
    assert outcomes(profile, wrong) == [("fact_rate", "42.00%", False)]


# --- part never exceeds its whole ----------------------------------------------------------------------
def test_part_of_which(profile):
    assert outcomes(profile, "The bureau handled 640 appeals, 410 of which were upheld.") == [
        ("fact_part_le_whole", "410", True)
    ]
    assert outcomes(profile, "The bureau handled 640 appeals, 710 of which were upheld.") == [
        ("fact_part_le_whole", "710", False)
    ]


def test_new_items_within_the_total(profile):
    assert outcomes(profile, "Nine new incubators opened this year, bringing the total number to 42.") == [
        ("fact_part_le_whole", "Nine", True)
    ]
    assert outcomes(profile, "Twelve new parks were opened, bringing the total to nine.") == [
        ("fact_part_le_whole", "Twelve", False)
    ]


def test_incomplete_list_within_total(profile):
    right = "The inspectors closed 950 cases. Among these cases, 600 were trademark cases and 300 were patent cases."
    wrong = "The inspectors closed 950 cases. Among these cases, 600 were trademark cases and 420 were patent cases."
    assert outcomes(profile, right) == [
        ("fact_part_le_whole", "600", True),
        ("fact_part_le_whole", "300", True),
        ("fact_parts_within_total", "950", True),
    ]
    assert outcomes(profile, wrong) == [
        ("fact_part_le_whole", "600", True),
        ("fact_part_le_whole", "420", True),
        ("fact_parts_within_total", "950", False),
    ]


def test_overlapping_categories_are_undecided_not_wrong(profile):
    assert outcomes(profile, "Among the 500 member firms, there are 300 exporters and 250 listed companies.") == [
        ("fact_part_le_whole", "300", True),
        ("fact_part_le_whole", "250", True),
        ("fact_parts_within_total", "500", None),
    ]


def test_clause_after_a_list_is_not_a_part(profile):
    facts = facts_of(
        "The office handled 700 cases, including 300 civil cases and 200 criminal cases, and mediated 150 cases."
    )
    assert list(facts[facts["role"] == "part"]["raw"]) == ["300", "200"]
    assert row(facts, "150")["role"] == ""


# --- prose vs table -------------------------------------------------------------------------------------
def cells_frame(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                table_id="t1",
                page=3,
                row_label=region,
                region=region,
                region_level="",
                column=column_id,
                column_id=column_id,
                value=value,
                raw=raw,
                unit="piece",
                cell_id=f"t1:{region}:{column_id}",
            )
            for region, column_id, value, raw in rows
        ]
    )


CELLS = [
    ("Xland", "valid_design_patents", 8800.0, "8,800"),
    ("Port City", "valid_design_patents", 1250.0, "1,250"),
    ("Xland", "design_patents_per_10k", 12.35, "12.35"),
    ("Xland", "design_patents_firms", 5000.0, "5,000"),
]


def test_prose_equals_table(profile):
    cells = cells_frame(CELLS)
    right = (
        "At the end of 2022, Xland held 8,800 valid design patents, including 5,000 (56.82%) owned by firms. "
        "The number of valid design patents per 10,000 people reached 12.35."
    )
    assert outcomes(profile, right, cells=cells) == [
        ("fact_share", "56.82%", True),
        ("fact_part_le_whole", "5,000", True),
        ("fact_table", "8,800", True),
        ("fact_table", "5,000", True),
        ("fact_table", "12.35", True),
    ]


def test_prose_differs_from_table(profile):
    cells = cells_frame(CELLS)
    wrong = (
        "Port City held 1,200 valid design patents. The number of valid design patents per 10,000 people reached 12.53."
    )
    frame = equations_to_frame(fact_equations(facts_of(wrong), cells, profile))
    assert [(r.check, r.stated, r.expected, r.passed, r.table_id) for r in frame.itertuples()] == [
        ("fact_table", 1200.0, 1250.0, False, "t1"),  # compared with the region the sentence names
        ("fact_table", 12.53, 12.35, False, "t1"),
    ]
    assert frame.iloc[0]["quote"] == "Port City held 1,200 valid design patents."
    assert frame.iloc[0]["inputs"] == '["s0001.1", "t1:Port City:valid_design_patents"]'


def test_no_table_no_table_rule(profile):
    assert outcomes(profile, "Xland held 8,800 valid design patents.", cells=None) == []
