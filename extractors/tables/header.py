"""Which leading rows of a table are its header, and the header path of every column.

A data row has a row label and at least one value (a number that is not a year, or an empty-value
mark) in another column. The header is the rows above the first data row, extended down to cover
any spanning header cell's sub-headers; with no data row at all (a text table) the first row is the
header.
"""

from __future__ import annotations

from .cell_text import is_numeric, is_placeholder, is_year
from .grid import Cell, Grid
from .text_lines import TextLine

MAX_HEADER_SHARE = 0.6  # a header never takes more than this share of the table's rows ...
MAX_HEADER_LINES = 6  # ... or this many lines, whichever is more


def _value_not_year(text: str) -> bool:
    return (is_numeric(text) and not is_year(text)) or is_placeholder(text)


def is_data_texts(texts: list[str]) -> bool:
    """A row's texts (first = row label) form a data row."""
    rest = [t for t in texts[1:] if t]
    if not rest:
        return False
    if any(_value_not_year(t) for t in rest):
        return True
    # year-labelled rows ("1996 | 2005 | ...") are data when the label itself is a year too
    return (
        bool(texts[0])
        and is_year(texts[0])
        and all(is_numeric(t) for t in rest)
        and len(rest) > 0
        and not all(is_year(t) for t in rest)
    )


def line_is_data(line: TextLine) -> bool:
    """Before columns are known: a line with a value in a chunk other than the first."""
    texts = [c.text for c in line.chunks]
    return len(texts) >= 2 and is_data_texts(texts)


def header_line_count(lines: list[TextLine], hint: int) -> int:
    """Number of leading text lines that form the header of a borderless table."""
    for i, ln in enumerate(lines):
        if line_is_data(ln):
            limit = max(MAX_HEADER_LINES, int(MAX_HEADER_SHARE * len(lines)))
            k = min(i, limit)
            # label-only lines right above the first data row are section headings of the body
            stub_right = ln.chunks[1].x0
            while k > 0 and len(lines[k - 1].chunks) == 1 and lines[k - 1].x1 < stub_right:
                k -= 1
            return k
    return max(hint, 1 if len(lines) > 2 else 0)


def grid_header_rows(grid: Grid) -> int:
    """Header rows of a ruled grid: rows before the first data row, covering spanning cells."""
    rows = grid.rows_text()
    first_data = next((i for i, r in enumerate(rows) if is_data_texts(r)), None)
    if first_data is None:
        return 1 if grid.n_rows > 2 else 0
    k = min(first_data, max(MAX_HEADER_LINES, int(MAX_HEADER_SHARE * grid.n_rows)))
    # a cell that starts in the header and reaches further down pulls the header along
    changed = True
    while changed:
        changed = False
        for c in grid.cells:
            if c.r0 < k <= c.r1 and c.r1 + 1 <= first_data:
                k = c.r1 + 1
                changed = True
    return k


def header_paths(grid: Grid) -> list[str]:
    """One path per column: header cell texts over that column, top to bottom, joined by " / "."""
    paths = []
    head = [c for c in grid.cells if c.r0 < grid.header_rows and c.text]
    for col in range(grid.n_cols):
        over = sorted((c for c in head if c.c0 <= col <= c.c1), key=lambda c: (c.r0, c.c0))
        seen: list[Cell] = []
        for c in over:
            if all(c is not s for s in seen):
                seen.append(c)
        paths.append(" / ".join(c.text for c in seen))
    return paths
