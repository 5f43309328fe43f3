"""Tables printed in panels side by side (national bulletins: two regions on every printed row, the
header printed once per panel) read as one logical table: panel 1's rows, then panel 2's, ...

A grid is paneled when its header, cut into k equal groups of columns, gives k identical groups (k > 1,
at least two columns per group). Each body row is cut the same way; a panel's row with nothing printed
(the last panel of an odd row count is a row short) is dropped. Every cell keeps its own page box.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from .cell_text import is_value, is_year, text_key
from .grid import Cell, Grid
from .regions import Region

MIN_PANEL_COLS = 2  # a panel is a label column and at least one value column
PANEL_ALIGN = 3.0  # side-by-side panels' tops agree this closely (pt)
PANEL_MAX_GAP_SHARE = 0.5  # ... and the gap between them is under this share of a panel's width

T = TypeVar("T")


def _labels_first(body: list[list[str]], width: int) -> bool:
    """Does a panel of this width start with a row-label column (texts or years, not like its values)?"""
    firsts = [r[0] for r in body if r and r[0].strip()]
    if not firsts or not body or width < MIN_PANEL_COLS:
        return False
    labels = sum(1 for t in firsts if is_year(t) or not is_value(t))
    return labels * 2 > len(firsts)


def panel_count(header: list[list[str]], body: list[list[str]]) -> int:
    """How many identical groups of columns the header rows repeat side by side, each starting with a
    label column (1: not paneled; "Male | Female | Male | Female" over numbers only is one table)."""
    if not header or not header[0]:
        return 1
    n = len(header[0])
    for k in range(n // MIN_PANEL_COLS, 1, -1):  # the most panels first: A B A B is 2 panels, not 1
        if n % k:
            continue
        w = n // k
        groups = [[tuple(text_key(t) for t in row[p * w : (p + 1) * w]) for row in header] for p in range(k)]
        if (
            any(t for row in groups[0] for t in row)
            and all(g == groups[0] for g in groups[1:])
            and _labels_first(body, w)
        ):
            return k
    return 1


def split_rows(rows: list[list[T]], texts: list[list[str]], k: int) -> list[list[T]]:
    """Rows (texts or boxes) of a k-panel grid in reading order: panel 1's rows, then panel 2's, ...;
    a panel's row is dropped when nothing is printed in it (`texts` says what is printed)."""
    if k == 1:
        return [list(r) for r in rows]
    w = len(texts[0]) // k if texts else 0
    out: list[list[T]] = []
    for p in range(k):
        for row, text in zip(rows, texts):
            if any(t.strip() for t in text[p * w : (p + 1) * w]):
                out.append(list(row[p * w : (p + 1) * w]))
    return out


def first_panel(row: list[T], k: int) -> list[T]:
    return list(row[: len(row) // k]) if k > 1 else list(row)


def _header(grid: Grid) -> list[tuple[str, ...]]:
    return [tuple(text_key(t) for t in row) for row in grid.rows_text()[: grid.header_rows]]


def _beside(a: tuple[Region, Grid], b: tuple[Region, Grid]) -> bool:
    """Is `b` the next panel of `a`: a separate box to its right, top aligned, the same header, no more rows."""
    (ra, ga), (rb, gb) = a, b
    width = ra.x1 - ra.x0
    return (
        ga.header_rows > 0
        and gb.header_rows == ga.header_rows
        and gb.n_cols == ga.n_cols
        and gb.n_rows <= ga.n_rows
        and abs(rb.top - ra.top) <= PANEL_ALIGN
        and 0 <= rb.x0 - ra.x1 + PANEL_ALIGN <= PANEL_MAX_GAP_SHARE * width + PANEL_ALIGN
        and _header(gb) == _header(ga)
        and any(t for row in _header(ga) for t in row)
    )


def _join(parts: list[tuple[Region, Grid]]) -> tuple[Region, Grid]:
    region, grid = parts[0]
    cells: list[Cell] = []
    for p, (_r, g) in enumerate(parts):
        off = p * grid.n_cols
        cells += [Cell(c.r0, c.r1, c.c0 + off, c.c1 + off, c.words) for c in g.cells]
    x1 = max(r.x1 for r, _g in parts)
    bottom = max(r.bottom for r, _g in parts)
    box = (region.x0, region.top, x1, bottom)
    joined = Grid(cells, grid.n_rows, grid.n_cols * len(parts), grid.header_rows, grid.kind, box)
    return replace(region, x1=x1, bottom=bottom, lines=[ln for r, _g in parts for ln in r.lines]), joined


def join_side_by_side(found: list[tuple[Region, Grid]]) -> list[tuple[Region, Grid]]:
    """Tables printed as separate boxes side by side with the same header (panels drawn apart) → one
    grid whose header repeats, read as panels by `panel_count`."""
    todo = sorted(found, key=lambda rg: (rg[0].x0, rg[0].top))
    used: set[int] = set()
    out: list[tuple[Region, Grid]] = []
    for i, rg in enumerate(todo):
        if i in used:
            continue
        chain = [rg]
        for j in range(i + 1, len(todo)):
            if j not in used and _beside(chain[-1], todo[j]):
                chain.append(todo[j])
                used.add(j)
        out.append(_join(chain) if len(chain) > 1 else rg)
    return out
