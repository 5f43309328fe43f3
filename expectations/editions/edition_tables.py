"""Tables of two editions (checks edition_jump, edition_cumulative): the same table id, region and
column printed in both, compared as rounding intervals."""

from __future__ import annotations

import pandas as pd

from expectations.editions.edition_terms import Edition, EditionSettings, prefixed
from expectations.equations import Equation, Operand, Place, build_equation
from expectations.intervals import Interval
from normalise.labels import words
from normalise.profile import LEVEL_OF_WHICH


def _keyed(cells: pd.DataFrame) -> pd.DataFrame:
    """Readable numeric cells keyed by (table_id, region, column key); keys printed twice are dropped."""
    usable = cells[(cells["parse_status"] == "ok") & ~cells["region_level"].isin([LEVEL_OF_WHICH])].copy()
    usable["column_key"] = usable["column_id"].where(usable["column_id"].fillna("") != "", usable["column"])
    return usable.drop_duplicates(["table_id", "region", "column_key"], keep=False)


def matched_cells(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Pairs of cells with the same table id, region and column in both editions (suffixes _cur, _prev)."""
    keys = ["table_id", "region", "column_key"]
    return _keyed(current).merge(_keyed(previous), on=keys, suffixes=("_cur", "_prev"))


def _edition_equation(
    check: str,
    rule: str,
    pair,
    cur: Edition,
    prev: Edition,
    stated: Interval,
    expected: Interval,
    message: str,
    formula: dict | None = None,
) -> Equation:
    prev_id = prefixed(prev.doc_id, pair.cell_id_prev)
    box = (
        [] if pd.isna(pair.x0_cur) else [[int(pair.page_cur), pair.x0_cur, pair.top_cur, pair.x1_cur, pair.bottom_cur]]
    )
    return build_equation(
        check,
        f"{pair.table_id}:{pair.region}:{pair.column_key}",
        rule,
        Operand(pair.cell_id_cur, float(pair.value_cur), stated, tuple(tuple(b) for b in box)),
        [Operand(prev_id, float(pair.value_prev))],
        expected,
        Place(table_id=pair.table_id, row_label=pair.row_label_cur, column=pair.column_cur, page=int(pair.page_cur)),
        expected_value=float(pair.value_prev),
        message=message,
        quote=f"{cur.year}: {pair.raw_cur.strip()} | {prev.year}: {pair.raw_prev.strip()} ({prev.doc_id})",
        formula=formula,
    )


def jump_equations(
    pairs: pd.DataFrame, cur: Edition, prev: Edition, intervals: dict[str, Interval], settings: EditionSettings
) -> list[Equation]:
    equations = []
    r = settings.max_ratio
    for pair in pairs.itertuples():
        stated, before = intervals.get(pair.cell_id_cur), intervals.get(prefixed(prev.doc_id, pair.cell_id_prev))
        if stated is None or before is None or before.lo <= 0 or pair.value_cur < 0:
            continue
        integers = pair.decimals_cur == 0 and pair.decimals_prev == 0
        if integers and max(pair.value_cur, pair.value_prev) < settings.min_count:
            continue
        ratio = pair.value_cur / pair.value_prev
        message = (
            f"{pair.row_label_cur} / {pair.column_cur}: {pair.raw_cur.strip()} in {cur.year} against "
            f"{pair.raw_prev.strip()} in {prev.year} (x{ratio:.2f}), outside the declared band "
            f"x1/{r:g}..x{r:g}: a mistyped number, a changed definition or a real break"
        )
        equations.append(
            _edition_equation(
                "edition_jump",
                f"{cur.year} value within x1/{r:g}..x{r:g} of the {prev.year} value",
                pair,
                cur,
                prev,
                stated,
                Interval(before.lo / r, before.hi * r),
                message,
            )
        )
    return equations


def cumulative_equations(
    pairs: pd.DataFrame, cur: Edition, prev: Edition, intervals: dict[str, Interval], settings: EditionSettings
) -> list[Equation]:
    equations = []
    for pair in pairs.itertuples():
        if not set(words(pair.column_cur)) & set(settings.cumulative_words):
            continue
        stated, before = intervals.get(pair.cell_id_cur), intervals.get(prefixed(prev.doc_id, pair.cell_id_prev))
        if stated is None or before is None:
            continue
        message = (
            f"{pair.row_label_cur} / {pair.column_cur}: cumulative count {pair.raw_cur.strip()} in {cur.year} "
            f"is below {pair.raw_prev.strip()} in {prev.year}"
        )
        equations.append(
            _edition_equation(
                "edition_cumulative",
                f"cumulative count in {cur.year} >= its value in {prev.year}",
                pair,
                cur,
                prev,
                stated,
                Interval(before.lo, max(before.hi, stated.hi)),
                message,
                formula={"type": "le", "small": [prefixed(prev.doc_id, pair.cell_id_prev)], "large": pair.cell_id_cur},
            )
        )  # "at least", kept finite
    return equations
