"""Is a grid a real data table? Enough rows and columns actually filled, and not running text."""
from __future__ import annotations

from .grid import Grid
from .settings import TableSettings


def grid_is_table(grid: Grid, settings: TableSettings) -> bool:
    if grid.n_cols < settings.min_cols or grid.n_rows - grid.header_rows < settings.min_rows:
        return False
    per_row: dict[int, int] = {}
    per_col: dict[int, int] = {}
    for c in grid.cells:
        if c.words:
            per_row[c.r0] = per_row.get(c.r0, 0) + 1
            per_col[c.c0] = per_col.get(c.c0, 0) + 1
    multi_rows = sum(1 for n in per_row.values() if n >= 2)
    if multi_rows < settings.min_numeric_or_align:
        return False
    return sum(1 for n in per_col.values() if n >= 2) >= settings.min_cols
