"""Cross-edition equations from hand-built frames: jumps and cumulative counts between two editions'
tables, and year-on-year prose statements (facts schema) against the two editions' levels."""

import pandas as pd
import pytest

from expectations.editions.edition_rules import (
    Edition,
    EditionSettings,
    edition_equations,
    load_settings,
    metric_column,
)
from expectations.equations import equations_to_frame
from normalise.profile import PUBLISHERS_DIR, load_profile
from normalise.tidy import cells_frame, table_ids
from tests.grids import table_from_grid

PROFILE = load_profile(PUBLISHERS_DIR / "jiangsu-ipr.yaml")
HEADER = [
    [
        "Region",
        "Number of Valid Invention Patents",
        "Invention Patent Ownership per 10,000 People",
        "Cumulative registrations of layout designs of integrated circuits",
    ]
]
FACT_COLUMNS = [
    "fact_id",
    "page",
    "section",
    "sentence",
    "raw",
    "value",
    "unit",
    "kind",
    "metric",
    "subject",
    "period",
    "role",
    "group",
]


def cells(doc_id: str, year: int, rows: list[list[str]]) -> pd.DataFrame:
    table = table_from_grid(HEADER, rows, title=f"Patents by Region in Jiangsu in {year}", unit="Unit: piece")
    return cells_frame(doc_id, [table], table_ids([table]), PROFILE)


def outcomes(equations) -> dict[str, bool | None]:
    frame = equations_to_frame(equations)
    return dict(zip(frame["rule_id"], frame["passed"]))


PREV_ROWS = [
    ["Nanjing", "1,000", "10.00", "3,689"],
    ["Wuxi", "1,000", "10.00", "17"],
    ["Suqian", "50", "9.02", "20"],
    ["Jiangsu", "529,185", "62.15", "11,865"],
]
CUR_ROWS = [
    ["Nanjing", "1,600", "15.00", "3,700"],  # x1.6: a jump; 15.00 against 10.00 is x1.5 within rounding
    ["Wuxi", "1,400", "15.02", "15"],  # x1.4: fine; 15.02 is beyond x1.5 even with rounding; cumulative falls
    ["Suqian", "90", "9.50", "20"],  # small counts: not compared
    ["Jiangsu", "589,084", "68.84", "12,000"],
]
TABLE = "patents-by-region-in-jiangsu-in"


@pytest.fixture(scope="module")
def editions():
    return Edition("paper-2024", 2024, cells("paper-2024", 2024, CUR_ROWS)), Edition(
        "paper-2023", 2023, cells("paper-2023", 2023, PREV_ROWS)
    )


def test_settings_come_from_the_yaml():
    settings = load_settings()
    assert (settings.max_ratio, settings.min_count, settings.previous_year_offset) == (1.5, 100.0, 1)
    assert settings.cumulative_words == ("cumulative", "accumulated")
    with pytest.raises(ValueError, match="max_ratio"):
        EditionSettings(max_ratio=1.0)


def test_jumps_and_cumulative_counts_between_two_tables(editions):
    current, previous = editions
    result = edition_equations(current, previous, PROFILE)
    assert outcomes(result.equations) == {
        f"edition_jump:{TABLE}:Nanjing:valid_invention_patents": False,
        f"edition_jump:{TABLE}:Nanjing:invention_patents_per_10k": True,
        f"edition_jump:{TABLE}:Nanjing:ic_layout_registrations": True,
        f"edition_jump:{TABLE}:Wuxi:valid_invention_patents": True,
        f"edition_jump:{TABLE}:Wuxi:invention_patents_per_10k": False,
        f"edition_jump:{TABLE}:Suqian:invention_patents_per_10k": True,
        f"edition_jump:{TABLE}:Jiangsu:valid_invention_patents": True,
        f"edition_jump:{TABLE}:Jiangsu:invention_patents_per_10k": True,
        f"edition_jump:{TABLE}:Jiangsu:ic_layout_registrations": True,
        f"edition_cumulative:{TABLE}:Nanjing:ic_layout_registrations": True,
        f"edition_cumulative:{TABLE}:Wuxi:ic_layout_registrations": False,
        f"edition_cumulative:{TABLE}:Suqian:ic_layout_registrations": True,
        f"edition_cumulative:{TABLE}:Jiangsu:ic_layout_registrations": True,
    }
    jump = next(e for e in result.equations if e.rule_id == f"edition_jump:{TABLE}:Nanjing:valid_invention_patents")
    assert (jump.stated_value, jump.expected_value, jump.subject_id) == (1600.0, 1000.0, f"{TABLE}:r1:c2")
    assert jump.inputs == [f"{TABLE}:r1:c2", f"paper-2023/{TABLE}:r1:c2"]
    assert result.labels[f"paper-2023/{TABLE}:r1:c2"] == "2023: Nanjing / Number of Valid Invention Patents"
    assert "x1.60" in jump.message and "1,000 in 2023" in jump.message


def facts(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{c: row.get(c, "") for c in FACT_COLUMNS} for row in rows], columns=FACT_COLUMNS)


S1 = (
    "As of the end of 2024, Jiangsu recorded 589,084 valid invention patents, an increase of 59,899, "
    "up 11.32% year on year."
)
S2 = "The number of invention patents per 10,000 people reached 68.84 in Jiangsu, up 15.00% year on year."
CUR_FACTS = [
    dict(
        fact_id="F1",
        page=2,
        sentence=S1,
        raw="589,084",
        value=589084.0,
        unit="piece",
        kind="count",
        metric="valid invention patents",
        subject="Jiangsu",
        period="2024",
        role="level",
        group="gF1",
    ),
    dict(
        fact_id="F2",
        page=2,
        sentence=S1,
        raw="59,899",
        value=59899.0,
        unit="piece",
        kind="change",
        metric="valid invention patents",
        subject="Jiangsu",
        period="2024",
        role="change",
        group="gF1",
    ),
    dict(
        fact_id="F3",
        page=2,
        sentence=S1,
        raw="11.32%",
        value=11.32,
        unit="percent",
        kind="growth_rate",
        metric="valid invention patents",
        subject="Jiangsu",
        period="2024",
        role="growth",
        group="gF1",
    ),
    dict(
        fact_id="F4",
        page=2,
        sentence=S2,
        raw="68.84",
        value=68.84,
        unit="piece per 10,000 persons",
        kind="per_base",
        metric="invention patents per 10,000 people",
        subject="Jiangsu",
        role="level",
        group="gF4",
    ),
    dict(
        fact_id="F5",
        page=2,
        sentence=S2,
        raw="15.00%",
        value=15.0,
        unit="percent",
        kind="growth_rate",
        metric="invention patents per 10,000 people",
        subject="Jiangsu",
        role="growth",
        group="gF4",
    ),
]


def test_growth_statements_against_the_previous_table(editions):
    current, previous = editions
    current = Edition(current.doc_id, current.year, current.cells, facts(CUR_FACTS))
    result = edition_equations(current, previous, PROFILE)
    prose = [e for e in result.equations if e.fact_id]
    assert outcomes(prose) == {"edition_change:F2": True, "edition_growth:F3": True, "edition_growth:F5": False}
    wrong = next(e for e in prose if e.rule_id == "edition_growth:F5")
    assert round(wrong.expected_value, 2) == 10.76  # 68.84 / 62.15 - 1
    assert wrong.inputs == ["F5", "F4", f"paper-2023/{TABLE}:r4:c3"]
    assert (wrong.page, wrong.quote, wrong.subject_id) == (2, S2, "F5")
    assert "table of paper-2023" in wrong.message
    assert result.intervals[f"paper-2023/{TABLE}:r4:c3"].lo == pytest.approx(62.145)


def test_growth_statements_against_the_previous_prose_first():
    previous = Edition(
        "paper-2023",
        2023,
        cells("paper-2023", 2023, PREV_ROWS),
        facts(
            [
                dict(
                    fact_id="P1",
                    page=5,
                    raw="529,000",
                    value=529000.0,
                    unit="piece",
                    kind="count",
                    metric="valid invention patents",
                    subject="Jiangsu",
                    period="2023",
                    role="total",
                    group="gP1",
                ),
            ]
        ),
    )
    current = Edition("paper-2024", 2024, cells("paper-2024", 2024, CUR_ROWS), facts(CUR_FACTS[:3]))
    result = edition_equations(current, previous, PROFILE)
    prose = {e.rule_id: e for e in result.equations if e.fact_id}
    # 589,084 - 529,000 = 60,084 (the prose says 59,899, computed from the table's 529,185)
    assert outcomes(list(prose.values())) == {"edition_change:F2": False, "edition_growth:F3": False}
    assert prose["edition_change:F2"].expected_value == 60084.0
    assert prose["edition_change:F2"].inputs[-1] == "paper-2023/P1"


def test_no_equation_without_a_clear_previous_level(editions):
    current, previous = editions
    ambiguous = Edition(
        previous.doc_id,
        previous.year,
        previous.cells,
        facts(
            [
                dict(
                    fact_id="P1",
                    raw="529,000",
                    value=529000.0,
                    unit="piece",
                    kind="count",
                    metric="valid invention patents",
                    subject="Jiangsu",
                    role="level",
                    group="g1",
                ),
                dict(
                    fact_id="P2",
                    raw="530,000",
                    value=530000.0,
                    unit="piece",
                    kind="count",
                    metric="valid invention patents",
                    subject="Jiangsu",
                    role="level",
                    group="g2",
                ),
            ]
        ),
    )
    other_period = [dict(CUR_FACTS[0], period="2020"), *CUR_FACTS[1:3]]
    unknown_metric = [dict(f, metric="trademark registrations") for f in CUR_FACTS[:3]]
    for cur_facts, prev in ((CUR_FACTS[:3], ambiguous), (other_period, previous), (unknown_metric, previous)):
        current_with = Edition(current.doc_id, current.year, current.cells, facts(cur_facts))
        assert [e.rule_id for e in edition_equations(current_with, prev, PROFILE).equations if e.fact_id] == []


def test_prose_metric_names_a_profile_column():
    assert metric_column(PROFILE, "valid invention patents", 1) == "valid_invention_patents"
    assert metric_column(PROFILE, "invention patents per 10,000 people", 1) == "invention_patents_per_10k"
    assert metric_column(PROFILE, "patents", 1) is None  # too vague: two words short of any column
    assert metric_column(PROFILE, "trademark registrations", 1) is None
    assert metric_column(None, "valid invention patents", 1) is None
