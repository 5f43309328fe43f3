"""Is a grid a real data table? Enough rows and columns actually filled, and not a list or prose."""

from __future__ import annotations

import re

from .cell_text import is_value
from .grid import Grid
from .settings import TableSettings

LIST_MARKER = re.compile(r"^(\W{1,3}|\(?[0-9]{1,2}[.)]|\(?[a-z]{1,3}[.)]|[a-z]|[ivx]{1,4})$")
LIST_SHARE = 0.8  # this share of row labels being bullets or list numbers makes a list


def is_list(grid: Grid) -> bool:
    """Bulleted or numbered text: every row starts with a marker and the rest is not figures."""
    rows = grid.rows_text()[grid.header_rows :]
    labels = [r[0] for r in rows if r[0]]
    if len(labels) < 2 or sum(bool(LIST_MARKER.match(t)) for t in labels) < LIST_SHARE * len(rows):
        return False
    rest = [t for r in rows for t in r[1:] if t]
    return sum(is_value(t) for t in rest) < 0.5 * max(len(rest), 1)


def grid_is_table(grid: Grid, settings: TableSettings) -> bool:
    """A ruled grid needs one body row (the rules are evidence enough, and the first part of a
    table broken after its first row must not be lost); a borderless one needs `min_rows`."""
    min_rows = 1 if grid.kind == "ruled" and grid.header_rows else settings.min_rows
    if grid.n_cols < settings.min_cols or grid.n_rows - grid.header_rows < min_rows:
        return False
    per_row: dict[int, int] = {}
    per_col: dict[int, int] = {}
    for c in grid.cells:
        if c.words:
            per_row[c.r0] = per_row.get(c.r0, 0) + 1
            per_col[c.c0] = per_col.get(c.c0, 0) + 1
    multi_rows = sum(1 for n in per_row.values() if n >= 2)
    if multi_rows < settings.min_filled_rows:
        return False
    if sum(1 for n in per_col.values() if n >= 2) < settings.min_cols:
        return False
    return not is_list(grid)


def grid_is_fragment(grid: Grid, settings: TableSettings) -> bool:
    """Too small to be a table alone, but enough to be the start or the end of one broken across
    pages: a row of cells under the same columns. Kept only when it is stitched to a table."""
    if grid.n_cols < settings.min_cols or grid.n_rows - grid.header_rows < 1:
        return False
    filled: dict[int, int] = {}
    for c in grid.cells:
        if c.words:
            filled[c.r0] = filled.get(c.r0, 0) + 1
    return any(n >= 2 for n in filled.values()) and not is_list(grid)
