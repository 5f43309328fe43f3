"""This edition against the previous one -> equations for the cross-edition checks.

    cells (and facts) of this edition + the previous edition of its series + the same period a year earlier
    -> edition_jump (year ago) / edition_cumulative (previous) / edition_growth_column (declared against
       either) (edition_tables): same table, region and column in both editions
    -> edition_growth / edition_change (edition_prose): year-on-year statements in the prose against
       the two editions' levels of the same metric (year ago)

Pure: frames in, `Equation`s out; the checks and thresholds are declared in rules/editions.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from expectations.editions.edition_prose import edition_growth_equations, metric_column
from expectations.editions.edition_tables import (
    cumulative_equations,
    growth_column_equations,
    jump_equations,
    matched_cells,
)
from expectations.editions.edition_terms import Edition, EditionSettings, load_settings, prefixed
from expectations.equations import Equation
from expectations.intervals import Interval, cell_intervals
from normalise.profile import Profile

__all__ = [
    "Edition",
    "EditionEquations",
    "EditionSettings",
    "edition_equations",
    "load_settings",
    "metric_column",
    "year_ago_of",
]


@dataclass
class EditionEquations:
    equations: list[Equation]
    intervals: dict[str, Interval]  # previous-edition ids -> intervals (for blame)
    labels: dict[str, str]  # previous-edition and fact ids -> readable labels (for findings)


def year_ago_of(cur: Edition, prev: Edition | None, settings: EditionSettings) -> Edition | None:
    """`prev` when it is the same period a year (`previous_year_offset`) earlier, else None."""
    if prev is None:
        return None
    return prev if prev.period == cur.period.years_earlier(settings.previous_year_offset) else None


def _pairs(cur: Edition, other: Edition | None) -> pd.DataFrame:
    if other is None or cur.cells.empty or other.cells.empty:
        return pd.DataFrame()
    return matched_cells(cur.cells, other.cells)


def edition_equations(
    cur: Edition,
    prev: Edition | None,
    profile: Profile | None,
    settings: EditionSettings | None = None,
    year_ago: Edition | None = None,
) -> EditionEquations:
    """Every cross-edition equation of `cur`: against `prev`, the latest earlier edition of its series
    (cumulative counts never fall; growth-rate columns declared against the previous edition), and against
    `year_ago`, the same period a year earlier (jumps, growth-rate columns, prose year-on-year statements).
    `year_ago` defaults to `prev` when `prev` is that period (yearly editions)."""
    settings = settings or load_settings()
    year_ago = year_ago or year_ago_of(cur, prev, settings)
    intervals: dict[str, Interval] = cell_intervals(cur.cells, profile) if not cur.cells.empty else {}
    for other in {e.doc_id: e for e in (prev, year_ago) if e is not None}.values():
        if not other.cells.empty:
            intervals.update({prefixed(other.doc_id, k): v for k, v in cell_intervals(other.cells, profile).items()})
    yoy_pairs, prev_pairs = _pairs(cur, year_ago), _pairs(cur, prev)
    equations = jump_equations(yoy_pairs, cur, year_ago, intervals, settings, profile) if len(yoy_pairs) else []
    if len(prev_pairs):
        equations += cumulative_equations(prev_pairs, cur, prev, intervals, settings, profile)
    equations += growth_column_equations(cur, {"year_ago": year_ago, "previous": prev}, intervals, profile)
    prose, prose_intervals, labels = (
        edition_growth_equations(cur, year_ago, profile, settings) if year_ago is not None else ([], {}, {})
    )
    compared = {e.doc_id for e in (prev, year_ago) if e is not None}
    prev_intervals = {k: v for k, v in intervals.items() if k.split("/", 1)[0] in compared and "/" in k}
    prev_intervals.update(prose_intervals)
    for other, pairs in ((year_ago, yoy_pairs), (prev, prev_pairs)):
        for pair in pairs.itertuples() if len(pairs) else ():
            labels[prefixed(other.doc_id, pair.cell_id_prev)] = (
                f"{other.label}: {pair.row_label_prev} / {pair.column_prev}"
            )
    return EditionEquations(equations + prose, prev_intervals, labels)
