"""Tidy cells + profile -> the schema frame: one row per value column, `recognised` False when the
profile declares no such column (its cells are kept in cells.csv with an empty column_id, unchecked).
"""

from __future__ import annotations

import json

import pandas as pd

from normalise.profile import Profile

SCHEMA_COLUMNS = [
    "rule_id",
    "check",
    "rule",
    "table_id",
    "column",
    "col_index",
    "page",
    "n_cells",
    "sample",
    "recognised",
    "subject_id",
    "evidence",
]
SCHEMA_CHECK = "unrecognised_column"
SCHEMA_RULE = "Every value column matches a column declared in the publisher profile"
SAMPLE_VALUES = 3
EVIDENCE_BOXES = 3


def column_id(table_id: str, col_index: int) -> str:
    """The id of a whole table column, in the style of cell ids (`<table_id>:c<col>`)."""
    return f"{table_id}:c{col_index}"


def schema_frame(cells: pd.DataFrame, profile: Profile | None) -> pd.DataFrame:
    """One row per (table, column) of the tidy cells; empty without a profile (nothing is declared)."""
    rows = []
    if profile is not None and not cells.empty:
        for (table_id, col), group in cells.groupby(["table_id", "col_index"], sort=False):
            first = group.iloc[0]
            boxed = group.dropna(subset=["x0"]).head(EVIDENCE_BOXES)
            boxes = [[int(r.page), r.x0, r.top, r.x1, r.bottom] for r in boxed.itertuples()]
            rows.append(
                {
                    "rule_id": f"{SCHEMA_CHECK}:{table_id}:c{int(col)}",
                    "check": SCHEMA_CHECK,
                    "rule": SCHEMA_RULE,
                    "table_id": table_id,
                    "column": first["column"],
                    "col_index": int(col),
                    "page": int(group["page"].min()),
                    "n_cells": len(group),
                    "sample": " | ".join(str(v) for v in group["raw"].head(SAMPLE_VALUES)),
                    "recognised": bool(first["column_id"]),
                    "subject_id": column_id(table_id, int(col)),
                    "evidence": json.dumps(boxes),
                }
            )
    return pd.DataFrame(rows, columns=SCHEMA_COLUMNS)
