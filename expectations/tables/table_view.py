"""One table's tidy cells as the table checks read them: cells by (row, column), the profile's column kinds,
and the one builder of "stated = sum of parts" equations the row and hierarchy checks share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from expectations.equations import Equation, Operand, Place, build_equation
from expectations.intervals import Interval, interval_sum
from extractors.numbers import format_number
from normalise.labels import words
from normalise.periods import Period
from normalise.profile import Profile
from normalise.profile_model import ADDITIVE_KINDS

# Header words that mark a column whose values do not add up across rows (columns the profile does not know).
NON_ADDITIVE_WORDS = frozenset(
    {
        "per",
        "rate",
        "ratio",
        "share",
        "proportion",
        "percentage",
        "percent",
        "growth",
        "average",
        "mean",
        "rank",
        "ranking",
        "density",
        "yoy",
        "index",
        "year",
        "median",
        "change",
    }
)


@dataclass(frozen=True)
class CellValue:
    """The bits of a tidy cell a rule needs."""

    cell_id: str
    label: str
    column: str
    raw: str
    value: float | None
    interval: Interval | None
    box: list[float] | None

    @property
    def operand(self) -> Operand:
        return Operand(self.cell_id, self.value, self.interval, (tuple(self.box),) if self.box else ())


class TableView:
    """One table's cells indexed by (row, column), with the profile's kinds attached. `period` is the
    edition's (for relations declared only for some months or quarters)."""

    def __init__(
        self,
        cells: pd.DataFrame,
        profile: Profile | None,
        intervals: dict[str, Interval],
        period: Period | None = None,
    ):
        self.cells = cells
        self.profile = profile
        self.period = period
        self.table_id = str(cells["table_id"].iloc[0])
        self.columns = cells.drop_duplicates("col_index").set_index("col_index")[["column", "column_id"]]
        self._by_pos: dict[tuple[int, int], CellValue] = {}
        for row in cells.to_dict("records"):  # plain dicts: iterrows builds a Series per row
            box = None if pd.isna(row["x0"]) else [int(row["page"]), row["x0"], row["top"], row["x1"], row["bottom"]]
            self._by_pos[(int(row["row_index"]), int(row["col_index"]))] = CellValue(
                cell_id=row["cell_id"],
                label=row["row_label"],
                column=row["column"],
                raw=str(row["raw"]),
                value=None if pd.isna(row["value"]) else float(row["value"]),
                interval=intervals.get(row["cell_id"]),
                box=box,
            )
        rows = cells.drop_duplicates("row_index").sort_values("row_index")
        self.rows = rows[["row_index", "row_label", "region", "region_level", "parent_region", "page"]]

    def kind(self, col: int) -> str:
        column_id = self.columns.loc[col, "column_id"]
        if column_id and self.profile is not None:
            return self.profile.column_by_id(column_id).kind
        return "unknown"

    def col_of(self, column_id: str) -> int | None:
        matches = self.columns.index[self.columns["column_id"] == column_id].tolist()
        return matches[0] if len(matches) == 1 else None

    def cell(self, row: int, col: int) -> CellValue | None:
        return self._by_pos.get((row, col))

    def page_of(self, row: int) -> int:
        return int(self.rows.loc[self.rows["row_index"] == row, "page"].iloc[0])

    def row_quote(self, row: int) -> str:
        label = self.rows.loc[self.rows["row_index"] == row, "row_label"].iloc[0]
        values = [self._by_pos[(row, c)].raw for c in self.columns.index if (row, c) in self._by_pos]
        return " | ".join([label, *values])

    def column_key(self, col: int) -> str:
        """What a rule id calls a column: the profile's column id, else its position."""
        return self.columns.loc[col, "column_id"] or f"c{col}"

    def is_additive(self, col: int) -> bool:
        kind = self.kind(col)
        if kind in ADDITIVE_KINDS:
            return True
        if kind != "unknown":
            return False
        header_words = set(words(self.columns.loc[col, "column"]))
        if header_words & NON_ADDITIVE_WORDS:
            return False
        col_cells = self.cells[self.cells["col_index"] == col]
        numeric = col_cells[col_cells["parse_status"] == "ok"]
        return len(numeric) > 0 and not numeric["percent"].any()


def sum_equation(
    view: TableView,
    check: str,
    rule: str,
    rule_key: str,
    row_label: str,
    total: CellValue,
    parts: list[CellValue | None],
    part_names: list[str],
    page: int,
    quote: str,
) -> Equation:
    """total = sum of parts; a part that is None (not printed) or blank makes it undecided."""
    missing = [name for name, part in zip(part_names, parts) if part is None or part.interval is None]
    present = [p for p in parts if p is not None]
    expected = None if missing else interval_sum([p.interval for p in present])
    expected_value = None if missing else sum(p.value for p in present)
    terms = " + ".join(part_names)
    if missing:
        message = f"undecided: {', '.join(missing)} missing, cannot recompute {total.raw!r} = {terms}"
    else:
        message = (
            f"{row_label} / {total.column}: printed {total.raw.strip()}, but {terms} = "
            f"{format_number(expected_value)} (difference {format_number(total.value - expected_value)})"
        )
    return build_equation(
        check,
        f"{view.table_id}:{rule_key}",
        rule,
        total.operand,
        [p.operand for p in present],
        expected,
        Place(table_id=view.table_id, row_label=row_label, column=total.column, page=page),
        expected_value=expected_value,
        message=message,
        quote=quote,
        undecided_reason=message if missing else "",
        formula={"type": "sum", "total": total.cell_id, "parts": [p.cell_id for p in present]},
    )


def within_equation(
    view: TableView,
    check: str,
    rule: str,
    rule_key: str,
    small: CellValue,
    large: CellValue | None,
    large_name: str,
    page: int,
    quote: str,
) -> Equation:
    """small <= large (a part within its whole); undecided when `large` is not printed or blank."""
    undecided = large is None or large.interval is None
    expected = None if undecided else Interval(min(0.0, small.interval.lo), large.interval.hi)
    if undecided:
        message = f"undecided: {large_name} missing, cannot compare {small.raw.strip()!r} with it"
    else:
        message = (
            f"{small.label} / {small.column}: printed {small.raw.strip()}, more than {large_name}'s "
            f"{large.raw.strip()} (difference {format_number(small.value - large.value)})"
        )
    return build_equation(
        check,
        f"{view.table_id}:{rule_key}",
        rule,
        small.operand,
        [large.operand if large is not None else None],
        expected,
        Place(table_id=view.table_id, row_label=small.label, column=small.column, page=page),
        expected_value=None if undecided else large.value,
        message=message,
        quote=quote,
        undecided_reason=message if undecided else "",
        formula={} if undecided else {"type": "le", "small": [small.cell_id], "large": large.cell_id},
    )
