"""The cell grid of one table on one page, and how to build it from ruling lines.

A `Grid` is a list of possibly spanning `Cell`s on an n_rows x n_cols lattice. Ruled grids come from
column and row boundaries (interior rules) where a missing stretch of rule between two elementary
cells merges them into one spanning cell, as pdfplumber's `intersections_to_cells` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .disjoint_sets import DisjointSets
from .rulings import Rule, covered
from .text_lines import Word


@dataclass
class Cell:
    r0: int
    r1: int
    c0: int
    c1: int
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return words_to_text(self.words)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if not self.words:
            return None
        return (
            min(w.x0 for w in self.words),
            min(w.top for w in self.words),
            max(w.x1 for w in self.words),
            max(w.bottom for w in self.words),
        )


@dataclass
class Grid:
    cells: list[Cell]
    n_rows: int
    n_cols: int
    header_rows: int = 0
    kind: str = "text"
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def rows_text(self) -> list[list[str]]:
        """Row-major text with each spanning cell's text in its top-left position."""
        rows = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            t = c.text
            if t:
                rows[c.r0][c.c0] = (rows[c.r0][c.c0] + " " + t).strip()
        return rows

    def rows_boxes(self) -> list[list[tuple[float, float, float, float] | None]]:
        boxes: list[list] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            if c.words:
                boxes[c.r0][c.c0] = c.bbox
        return boxes


def cell_lines(words: list[Word]) -> list[list[Word]]:
    """A cell's words in lines, top to bottom, each line's words left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and w.top < max(x.bottom for x in lines[-1]) - 0.5 * w.height:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(ln, key=lambda w: w.x0) for ln in lines]


def words_to_text(words: list[Word]) -> str:
    """Cell words in reading order: lines top to bottom, words left to right, joined by spaces."""
    return " ".join(" ".join(x.text for x in ln) for ln in cell_lines(words))


def compact(grid: Grid) -> Grid:
    """Drop rows and columns in which no non-empty cell starts; renumber the rest."""
    used_rows = sorted({c.r0 for c in grid.cells if c.words})
    used_cols = sorted({c.c0 for c in grid.cells if c.words})
    if not used_rows or not used_cols:
        return Grid([], 0, 0, 0, grid.kind, grid.box)
    rmap = {r: i for i, r in enumerate(used_rows)}
    cmap = {c: i for i, c in enumerate(used_cols)}

    def last(mapping: dict[int, int], lo: int, hi: int) -> int:
        return max(v for k, v in mapping.items() if lo <= k <= hi)

    cells = [
        Cell(rmap[c.r0], last(rmap, c.r0, c.r1), cmap[c.c0], last(cmap, c.c0, c.c1), c.words)
        for c in grid.cells
        if c.words
    ]
    header = sum(1 for r in used_rows if r < grid.header_rows)
    return Grid(cells, len(used_rows), len(used_cols), header, grid.kind, grid.box)


def ruled_cells(xs: list[float], ys: list[float], rules: list[Rule], words: list[Word], tol: float) -> list[Cell]:
    """Elementary cells between boundaries, merged where no rule separates them; words by centre."""
    n_r, n_c = len(ys) - 1, len(xs) - 1
    sets = DisjointSets(n_r * n_c)
    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and not covered(rules, "v", xs[c + 1], ys[r], ys[r + 1], tol):
                sets.union(r * n_c + c, r * n_c + c + 1)
            if r + 1 < n_r and not covered(rules, "h", ys[r + 1], xs[c], xs[c + 1], tol):
                sets.union(r * n_c + c, (r + 1) * n_c + c)
    cells: dict[int, Cell] = {}
    for root, members in sets.groups().items():
        rows = [m // n_c for m in members]
        cols = [m % n_c for m in members]
        cells[root] = Cell(min(rows), max(rows), min(cols), max(cols))
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        c = _index(xs, cx)
        r = _index(ys, cy)
        if c is None or r is None:
            continue
        cells[sets.find(r * n_c + c)].words.append(w)
    return list(cells.values())


def _index(bounds: list[float], v: float) -> int | None:
    if v < bounds[0] or v > bounds[-1]:
        return None
    for i in range(len(bounds) - 1):
        if v <= bounds[i + 1]:
            return i
    return len(bounds) - 2


def split_tall_cells(cells: list[Cell], ys: list[float]) -> list[Cell]:
    """A cell merged down across rows only because a rule is missing in its column (row labels
    without rules between them) is split back into rows when its text lines sit in rows that hold
    figures elsewhere. A header cell spanning two levels has no figures beside it and stays."""
    from .cell_text import ends_open, is_numeric, starts_lower  # local: grid needs them only here

    figure_rows = {r for c in cells if c.r0 == c.r1 and is_numeric(c.text) for r in (c.r0,)}
    out: list[Cell] = []
    for c in cells:
        if c.r1 == c.r0 or not c.words:
            out.append(c)
            continue
        by_row: dict[int, list[Word]] = {}
        for w in c.words:
            r = _index(ys, (w.top + w.bottom) / 2)
            by_row.setdefault(c.r0 if r is None else min(max(r, c.r0), c.r1), []).append(w)
        if len(by_row) < 2 or not all(r in figure_rows for r in by_row):
            out.append(c)
            continue
        # lines that continue the line above (lower-case start, open end) stay with it
        pieces: list[list] = []
        for r, ws in sorted(by_row.items()):
            text = words_to_text(ws)
            if pieces and (starts_lower(text) or ends_open(words_to_text(pieces[-1][1]))):
                pieces[-1][1].extend(ws)
                pieces[-1][2] = r
            else:
                pieces.append([r, list(ws), r])
        out.extend(Cell(r0, r1, c.c0, c.c1, ws) for r0, ws, r1 in pieces)
    return out
