"""This edition against the previous one -> equations for the cross-edition checks.

    cells (and facts) of this edition + cells (and facts) of the previous edition + profile
    -> edition_jump / edition_cumulative (edition_tables): same table, region and column in both editions
    -> edition_growth / edition_change (edition_prose): year-on-year statements in the prose against
       the two editions' levels of the same metric

Pure: frames in, `Equation`s out; the checks and thresholds are declared in rules/editions.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from expectations.editions.edition_prose import edition_growth_equations, metric_column
from expectations.editions.edition_tables import cumulative_equations, jump_equations, matched_cells
from expectations.editions.edition_terms import Edition, EditionSettings, load_settings, prefixed
from expectations.equations import Equation
from expectations.intervals import Interval, cell_intervals
from normalise.profile import Profile

__all__ = ["Edition", "EditionEquations", "EditionSettings", "edition_equations", "load_settings", "metric_column"]


@dataclass
class EditionEquations:
    equations: list[Equation]
    intervals: dict[str, Interval]  # previous-edition ids -> intervals (for blame)
    labels: dict[str, str]  # previous-edition and fact ids -> readable labels (for findings)


def edition_equations(
    cur: Edition, prev: Edition, profile: Profile | None, settings: EditionSettings | None = None
) -> EditionEquations:
    """Every cross-edition equation of `cur` against `prev`."""
    settings = settings or load_settings()
    intervals: dict[str, Interval] = {}
    if not cur.cells.empty and not prev.cells.empty:
        intervals.update(cell_intervals(cur.cells, profile))
        intervals.update({prefixed(prev.doc_id, k): v for k, v in cell_intervals(prev.cells, profile).items()})
        pairs = matched_cells(cur.cells, prev.cells)
        equations = jump_equations(pairs, cur, prev, intervals, settings)
        equations += cumulative_equations(pairs, cur, prev, intervals, settings)
    else:
        pairs, equations = pd.DataFrame(), []
    prose, prose_intervals, labels = edition_growth_equations(cur, prev, profile, settings)
    prev_intervals = {k: v for k, v in intervals.items() if k.startswith(prev.doc_id + "/")}
    prev_intervals.update(prose_intervals)
    for pair in pairs.itertuples() if len(pairs) else ():
        labels[prefixed(prev.doc_id, pair.cell_id_prev)] = f"{prev.year}: {pair.row_label_prev} / {pair.column_prev}"
    return EditionEquations(equations + prose, prev_intervals, labels)
