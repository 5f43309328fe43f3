"""A row-label column printed left of a ruled box (only the value columns are ruled): joined to its rows.

Left of the box, the text nearest to it on each row band, when those texts start at one common left
edge on most body rows, is the label column. Nothing else lies between them and the box (no rule
fences them off: another table's box), and none of them is prose (a text column beside the table).
"""

from __future__ import annotations

from .cell_text import is_value
from .grid import Cell, Grid
from .regions import is_prose_chunk
from .rulings import Rule
from .settings import TableSettings
from .text_lines import Word, words_to_lines

LABEL_ROWS_SHARE = 0.5  # labels found on at least this share of the body rows
ALIGN_TOLERANCE = 2.0  # left edges of one label column agree this closely (pt)


def _band(ys: list[float], y: float) -> int | None:
    for i in range(len(ys) - 1):
        if ys[i] <= y < ys[i + 1]:
            return i
    return None


def _fenced(w: Word, x0: float, rules: list[Rule], tol: float) -> bool:
    """A vertical rule between the word and the box: the word belongs to a box of its own."""
    cy = (w.top + w.bottom) / 2
    return any(r.orient == "v" and w.x1 - tol < r.pos < x0 - tol and r.a <= cy <= r.b for r in rules)


def outside_label_column(
    grid: Grid, ys: list[float], words: list[Word], rules: list[Rule], settings: TableSettings
) -> Grid:
    """`grid` (ruled rows `ys`) with the label column printed left of its box prepended, when there is one."""
    x0, top, _x1, bottom = grid.box
    tol = settings.snap_tolerance
    left = [
        w
        for w in words
        if w.x1 <= x0 + tol and top <= (w.top + w.bottom) / 2 <= bottom and not _fenced(w, x0, rules, tol)
    ]
    if not left:
        return grid
    nearest: dict[int, list[Word]] = {}
    for line in words_to_lines(left, settings):
        chunk = max(line.chunks, key=lambda c: c.x1)  # the text nearest to the box on this line
        if is_prose_chunk(chunk, settings):
            return grid  # a text column beside the table, not its labels
        row = _band(ys, (chunk.top + chunk.bottom) / 2)
        if row is not None:
            nearest.setdefault(row, []).extend(chunk.words)
    body_rows = [r for r in nearest if r >= grid.header_rows]
    if len(body_rows) < max(1, LABEL_ROWS_SHARE * (grid.n_rows - grid.header_rows)):
        return grid
    edges = sorted(min(w.x0 for w in nearest[r]) for r in body_rows)
    edge = edges[len(edges) // 2]
    aligned = {r: ws for r, ws in nearest.items() if abs(min(w.x0 for w in ws) - edge) <= ALIGN_TOLERANCE}
    labels = [" ".join(w.text for w in ws) for r, ws in aligned.items() if r >= grid.header_rows]
    if len(labels) < LABEL_ROWS_SHARE * (grid.n_rows - grid.header_rows) or sum(map(is_value, labels)) * 2 > len(
        labels
    ):
        return grid  # too few, or numbers: not a label column
    # a label column header printed over the labels (same left edge or centred) joins it too
    cells = [Cell(c.r0, c.r1, c.c0 + 1, c.c1 + 1, c.words) for c in grid.cells]
    cells += [Cell(r, r, 0, 0, ws) for r, ws in sorted(nearest.items()) if r in aligned or r < grid.header_rows]
    new_x0 = min(w.x0 for r, ws in nearest.items() if r in aligned or r < grid.header_rows for w in ws)
    return Grid(cells, grid.n_rows, grid.n_cols + 1, grid.header_rows, grid.kind, (new_x0, top, grid.box[2], bottom))
