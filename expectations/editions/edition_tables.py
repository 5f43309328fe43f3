"""Tables of two editions (checks edition_jump, edition_cumulative, edition_growth_column): the same table
id, region and column printed in both, compared as rounding intervals.

    edition_jump:          this value within [before / r, before x r] (r = jump.max_ratio); not growth rates
    edition_cumulative:    a cumulative column (declared `kind: cumulative`, or its header says so) does not fall
    edition_growth_column: a `growth_rate` column = (this edition's `of` column / the base edition's - 1) x scale
"""

from __future__ import annotations

import pandas as pd

from expectations.editions.edition_terms import Edition, EditionSettings, prefixed
from expectations.equations import Equation, Operand, Place, build_equation
from expectations.intervals import Interval
from normalise.labels import words
from normalise.profile import LEVEL_OF_WHICH, Profile

KEYS = ["table_id", "region", "column_key"]


def _keyed(cells: pd.DataFrame) -> pd.DataFrame:
    """Readable numeric cells keyed by (table_id, region, column key); keys printed twice are dropped."""
    usable = cells[(cells["parse_status"] == "ok") & ~cells["region_level"].isin([LEVEL_OF_WHICH])].copy()
    usable["column_key"] = usable["column_id"].where(usable["column_id"].fillna("") != "", usable["column"])
    return usable.drop_duplicates(KEYS, keep=False)


def matched_cells(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Pairs of cells with the same table id, region and column in both editions (suffixes _cur, _prev)."""
    return _keyed(current).merge(_keyed(previous), on=KEYS, suffixes=("_cur", "_prev"))


def _kind(profile: Profile | None, column_id) -> str:
    if profile is None or not isinstance(column_id, str) or not column_id:
        return ""
    return profile.column_by_id(column_id).kind


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
        quote=f"{cur.label}: {pair.raw_cur.strip()} | {prev.label}: {pair.raw_prev.strip()} ({prev.doc_id})",
        formula=formula,
    )


def jump_equations(
    pairs: pd.DataFrame,
    cur: Edition,
    prev: Edition,
    intervals: dict[str, Interval],
    settings: EditionSettings,
    profile: Profile | None = None,
) -> list[Equation]:
    equations = []
    r = settings.max_ratio
    for pair in pairs.itertuples():
        if _kind(profile, pair.column_id_cur) == "growth_rate":
            continue  # a rate of change is no level: 2% then 4% is no jump (edition_growth_column checks it)
        stated, before = intervals.get(pair.cell_id_cur), intervals.get(prefixed(prev.doc_id, pair.cell_id_prev))
        if stated is None or before is None or before.lo <= 0 or pair.value_cur < 0:
            continue
        integers = pair.decimals_cur == 0 and pair.decimals_prev == 0
        if integers and max(pair.value_cur, pair.value_prev) < settings.min_count:
            continue
        ratio = pair.value_cur / pair.value_prev
        message = (
            f"{pair.row_label_cur} / {pair.column_cur}: {pair.raw_cur.strip()} in {cur.label} against "
            f"{pair.raw_prev.strip()} in {prev.label} (x{ratio:.2f}), outside the declared band "
            f"x1/{r:g}..x{r:g}: a mistyped number, a changed definition or a real break"
        )
        equations.append(
            _edition_equation(
                "edition_jump",
                f"{cur.label} value within x1/{r:g}..x{r:g} of the {prev.label} value",
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
    pairs: pd.DataFrame,
    cur: Edition,
    prev: Edition,
    intervals: dict[str, Interval],
    settings: EditionSettings,
    profile: Profile | None = None,
) -> list[Equation]:
    equations = []
    for pair in pairs.itertuples():
        declared = _kind(profile, pair.column_id_cur) == "cumulative"
        if not declared and not set(words(pair.column_cur)) & set(settings.cumulative_words):
            continue
        stated, before = intervals.get(pair.cell_id_cur), intervals.get(prefixed(prev.doc_id, pair.cell_id_prev))
        if stated is None or before is None:
            continue
        message = (
            f"{pair.row_label_cur} / {pair.column_cur}: cumulative count {pair.raw_cur.strip()} in {cur.label} "
            f"is below {pair.raw_prev.strip()} in {prev.label}"
        )
        equations.append(
            _edition_equation(
                "edition_cumulative",
                f"cumulative count in {cur.label} >= its value in {prev.label}",
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


def _index(cells: pd.DataFrame) -> dict[tuple, object]:
    return {} if cells.empty else {(r.table_id, r.region, r.column_key): r for r in _keyed(cells).itertuples()}


def growth_column_equations(
    cur: Edition, bases: dict[str, Edition | None], intervals: dict[str, Interval], profile: Profile | None
) -> list[Equation]:
    """Each cell of a declared growth-rate column against its `of` column in this edition and in the base
    edition (`against`: "year_ago" or "previous", a key of `bases`), same table and region. No rule when
    there is no base edition; undecided when either edition does not print the `of` cell."""
    if profile is None or cur.cells.empty:
        return []
    now_cells = _index(cur.cells)
    base_cells = {key: _index(base.cells) for key, base in bases.items() if base is not None}
    equations = []
    for row in now_cells.values():
        spec = profile.column_by_id(row.column_id) if isinstance(row.column_id, str) and row.column_id else None
        if spec is None or spec.kind != "growth_rate" or not spec.of or bases.get(spec.against) is None:
            continue
        stated = intervals.get(row.cell_id)
        if stated is None:
            continue
        base = bases[spec.against]
        now = now_cells.get((row.table_id, row.region, spec.of))
        before = base_cells[spec.against].get((row.table_id, row.region, spec.of))
        before_id = prefixed(base.doc_id, before.cell_id) if before is not None else ""
        now_i = intervals.get(now.cell_id) if now is not None else None
        before_i = intervals.get(before_id) if before is not None else None
        quotient = now_i.divide(before_i) if now_i is not None and before_i is not None else None
        rule = f"{row.column} = ({spec.of} in {cur.label} / {spec.of} in {base.label} - 1) x {spec.scale:g}"
        expected = expected_value = None
        if quotient is None:
            missing = cur.label if now_i is None else base.label if before_i is None else ""
            reason = (
                f"undecided: {spec.of} of {row.region} is not printed in {missing}"
                if missing
                else f"undecided: {spec.of} of {row.region} in {base.label} may be zero"
            )
            message = reason
        else:
            expected = Interval((quotient.lo - 1) * spec.scale, (quotient.hi - 1) * spec.scale)
            expected_value = (float(now.value) / float(before.value) - 1) * spec.scale
            reason = ""
            message = (
                f"{row.row_label} / {row.column}: printed {str(row.raw).strip()}, but {str(now.raw).strip()} in "
                f"{cur.label} against {str(before.raw).strip()} in {base.label} ({base.doc_id}) gives "
                f"{expected_value:.2f}"
            )
        box = [] if pd.isna(row.x0) else [[int(row.page), row.x0, row.top, row.x1, row.bottom]]
        inputs = [
            Operand(now.cell_id, float(now.value), now_i) if now is not None else None,
            Operand(before_id, float(before.value), before_i) if before is not None else None,
        ]
        formula = {"type": "growth", "rate": row.cell_id, "now": now.cell_id, "before": before_id, "scale": spec.scale}
        equations.append(
            build_equation(
                "edition_growth_column",
                f"{row.table_id}:{row.region}:{row.column_key}",
                rule,
                Operand(row.cell_id, float(row.value), stated, tuple(tuple(b) for b in box)),
                inputs,
                expected,
                Place(table_id=row.table_id, row_label=row.row_label, column=row.column, page=int(row.page)),
                expected_value=expected_value,
                message=message,
                quote=f"{cur.label}: {str(row.raw).strip()} ({row.row_label})",
                undecided_reason=reason,
                formula={} if quotient is None else formula,
            )
        )
    return equations
