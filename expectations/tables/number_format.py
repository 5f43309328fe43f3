"""Tidy cells -> the number-format frame: one row per table value, `well_formed` False with a reason.

A malformed number is still read (the parser keeps "4,5120" as 45120) and still used by the
arithmetic checks; this frame only says the printed form is wrong, as a warning.
"""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd

from extractors.numbers import needs_grouping, parse_number

FORMAT_COLUMNS = [
    "rule_id",
    "check",
    "rule",
    "table_id",
    "cell_id",
    "row_label",
    "column",
    "page",
    "raw",
    "value",
    "issue",
    "well_formed",
    "evidence",
]
# A table "uses separators" when at least this share of its numbers >= 1,000 carry one.
GROUPING_CONVENTION_SHARE = 0.5
MIN_GROUPED_FOR_CONVENTION = 2
# A column "uses d decimals" when at least this share of its decimal numbers print d decimals.
DECIMALS_CONVENTION_SHARE = 0.75
MIN_VALUES_FOR_DECIMALS_CONVENTION = 3
FORMAT_RULE = "Numbers are printed consistently: well-placed thousands separators, the column's decimals"


def _table_uses_grouping(cells: pd.DataFrame) -> bool:
    big = cells[(cells["parse_status"] == "ok") & (cells["value"].abs() >= 1000)]
    grouped = int(big["grouped"].sum())
    return grouped >= MIN_GROUPED_FOR_CONVENTION and grouped / max(len(big), 1) >= GROUPING_CONVENTION_SHARE


def _column_decimals(cells: pd.DataFrame) -> dict[int, int]:
    """col_index -> the decimals the column prints, where a clear convention exists."""
    conventions = {}
    numeric = cells[(cells["parse_status"] == "ok") & ~cells["percent"].astype(bool)]
    for col, group in numeric.groupby("col_index"):
        counts = Counter(group["decimals"].astype(int))
        decimals, n = counts.most_common(1)[0]
        if (
            decimals
            and len(group) >= MIN_VALUES_FOR_DECIMALS_CONVENTION
            and n / len(group) >= DECIMALS_CONVENTION_SHARE
        ):
            conventions[int(col)] = decimals
    return conventions


def _numeric_columns(cells: pd.DataFrame) -> set[int]:
    """Columns whose cells are mostly numbers: a word in one of them is a format problem."""
    shares = cells.groupby("col_index")["parse_status"].apply(lambda s: (s == "ok").mean())
    return {int(c) for c, share in shares.items() if share >= 0.5}


def cell_issue(row: pd.Series, uses_grouping: bool, decimals: int | None, numeric_column: bool) -> str:
    raw = str(row["raw"]).strip()
    if row["parse_status"] == "text":
        return f"{raw!r} is not a number in a numeric column" if numeric_column else ""
    if row["parse_status"] != "ok":
        return ""
    if row["format_issue"]:
        return str(row["format_issue"])
    number = parse_number(raw)
    if uses_grouping and needs_grouping(number):
        return f"{raw!r} has no thousands separator while the table uses them"
    if decimals is not None and int(row["decimals"]) != decimals and not row["percent"]:
        return f"{raw!r} has {int(row['decimals'])} decimal(s) where the column prints {decimals}"
    return ""


def format_frame(cells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for table_id, table_cells in cells.groupby("table_id", sort=False):
        uses_grouping = _table_uses_grouping(table_cells)
        conventions = _column_decimals(table_cells)
        numeric_cols = _numeric_columns(table_cells)
        for cell in table_cells.to_dict("records"):  # plain dicts: iterrows builds a Series per row
            if cell["parse_status"] == "missing":
                continue
            col = int(cell["col_index"])
            issue = cell_issue(cell, uses_grouping, conventions.get(col), col in numeric_cols)
            if cell["parse_status"] == "text" and not issue:
                continue  # a word in a text column is not a number at all
            box = (
                []
                if pd.isna(cell["x0"])
                else [[int(cell["page"]), cell["x0"], cell["top"], cell["x1"], cell["bottom"]]]
            )
            rows.append(
                {
                    "rule_id": f"number_format:{cell['cell_id']}",
                    "check": "number_format",
                    "rule": FORMAT_RULE,
                    "table_id": table_id,
                    "cell_id": cell["cell_id"],
                    "row_label": cell["row_label"],
                    "column": cell["column"],
                    "page": int(cell["page"]),
                    "raw": str(cell["raw"]),
                    "value": cell["value"],
                    "issue": issue,
                    "well_formed": not issue,
                    "evidence": json.dumps(box),
                }
            )
    return pd.DataFrame(rows, columns=FORMAT_COLUMNS)
