"""Text lines of one table + column separators → a cell grid (borderless and partly ruled tables).

Header lines are stacked per column: text that continues below in the same columns joins one cell,
a narrower piece under a spanning cell starts the next header level. Body lines become rows; a
line with only a row label is folded into its neighbour when it visibly continues it (lower-case
start, open end, tighter spacing than between rows), otherwise it stays a row of its own (a
section heading such as "Projected").
"""

from __future__ import annotations

from dataclasses import dataclass

from .cell_text import ends_open, is_value, starts_lower
from .columns import span_of
from .grid import Cell, Grid, words_to_text
from .header_layout import place_header
from .rulings import Rule
from .text_lines import TextLine, Word


@dataclass
class Fragment:
    c0: int
    c1: int
    words: list[Word]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)


HEADER_CUT_RATIO = 0.35  # in a header, a word gap this wide (x size) over a separator splits texts


def line_to_fragments(line: TextLine, seps: list[float], header: bool = False) -> list[Fragment]:
    """Map a line's chunks to columns. A chunk that crosses a separator is cut at that word gap
    when a value sits on either side (two tight number columns) or, in a header, when the gap is
    wider than a word space (two tight column headings); otherwise it spans."""
    out: list[Fragment] = []
    for chunk in line.chunks:
        piece = [chunk.words[0]]
        for w in chunk.words[1:]:
            prev = piece[-1]
            gap = w.x0 - prev.x1
            if any(prev.x1 <= s <= w.x0 for s in seps) and (
                is_value(prev.text) or is_value(w.text) or (header and gap >= HEADER_CUT_RATIO * max(w.size, prev.size))
            ):
                out.append(_fragment(piece, seps))
                piece = [w]
            else:
                piece.append(w)
        out.append(_fragment(piece, seps))
    return out


def column_extents(frag_lines: list[list[Fragment]], n_cols: int) -> list[tuple[float, float] | None]:
    """x-extent of each column's single-column fragments."""
    ext: list[tuple[float, float] | None] = [None] * n_cols
    for frags in frag_lines:
        for f in frags:
            if f.c0 == f.c1:
                e = ext[f.c0]
                ext[f.c0] = (f.x0, f.x1) if e is None else (min(e[0], f.x0), max(e[1], f.x1))
    return ext


def _fragment(words: list[Word], seps: list[float]) -> Fragment:
    x0 = min(w.x0 for w in words)
    x1 = max(w.x1 for w in words)
    c0, c1 = span_of(x0, x1, seps)
    return Fragment(c0, c1, list(words))


def header_cells(frag_lines: list[list[Fragment]], hrules: list[Rule] | None = None) -> tuple[list[Cell], int]:
    """Stack header fragments into cells with levels; returns cells (rows = levels) and level count.
    Text continues the cell above it in the same columns unless a rule is drawn between them; a
    narrower text under a spanning cell continues it only when it is alone there and centred under
    it (a wrapped spanning heading), otherwise it is a sub-heading one level down."""
    open_cell: dict[int, int] = {}  # column -> index of the cell currently open there
    cells: list[dict] = []
    for frags in frag_lines:
        for f in frags:
            cols = range(f.c0, f.c1 + 1)
            owners = {open_cell.get(c) for c in cols}
            if len(owners) == 1 and None not in owners:
                k = owners.pop()
                cell = cells[k]
                same_span = (cell["c0"], cell["c1"]) == (f.c0, f.c1)
                inside = (
                    cell["c0"] <= f.c0
                    and f.c1 <= cell["c1"]
                    and _alone_under(f, frags, cell)
                    and _centred_under(f, cell["words"])
                )
                if (same_span or inside) and not _ruled_apart(cell["words"], f, hrules or []):
                    cell["words"].extend(f.words)
                    continue
            level = 1 + max((cells[open_cell[c]]["level"] for c in cols if c in open_cell), default=-1)
            cells.append({"c0": f.c0, "c1": f.c1, "words": list(f.words), "level": level})
            for c in cols:
                open_cell[c] = len(cells) - 1
    n_levels = 1 + max((c["level"] for c in cells), default=-1)
    out = []
    for c in cells:
        bottom = c["level"]
        # a cell that nothing sits under reaches down to the last header level
        if all(open_cell.get(col) is not None and cells[open_cell[col]] is c for col in range(c["c0"], c["c1"] + 1)):
            bottom = n_levels - 1
        out.append(Cell(c["level"], bottom, c["c0"], c["c1"], c["words"]))
    return out, n_levels


def _centred_under(f: Fragment, words: list[Word]) -> bool:
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    return abs((f.x0 + f.x1) / 2 - (x0 + x1) / 2) <= 0.15 * (x1 - x0) + 2.0


def _ruled_apart(words: list[Word], f: Fragment, hrules: list[Rule]) -> bool:
    """A rule runs between the cell's text and the fragment below it, across the fragment."""
    bottom = max(w.bottom for w in words)
    top = min(w.top for w in f.words)
    return any(bottom - 1 <= r.pos <= top + 1 and r.a <= f.x1 and r.b >= f.x0 for r in hrules)


def _alone_under(f: Fragment, frags: list[Fragment], cell: dict) -> bool:
    """`f` is the only fragment of its line inside the columns of `cell` (a wrapped spanning text)."""
    inside = [g for g in frags if cell["c0"] <= g.c0 and g.c1 <= cell["c1"]]
    return len(inside) == 1


def _rule_between(a: TextLine, b: TextLine, hrules: list[Rule], x0: float, x1: float) -> bool:
    width = x1 - x0
    for r in hrules:
        if a.bottom - 1 <= r.pos <= b.top + 1 and min(r.b, x1) - max(r.a, x0) >= 0.5 * width:
            return True
    return False


ROW_GAP_PERCENTILE = 0.75  # most line gaps in a body are gaps between rows
TIGHT_SHARE = 0.5  # a gap below this share of the row gap joins lines of one cell


def body_rows(
    lines: list[TextLine], frags: list[list[Fragment]], hrules: list[Rule], box: tuple[float, float, float, float]
) -> list[list[int]]:
    """Group body line indices into rows (see module docstring). A label-only line joins the line
    it is set tight against (closer than rows are to each other): the one above when the values
    stand on the label's first line, the one below when they stand on its last line."""
    n = len(lines)
    has_values = [any(f.c0 >= 1 for f in fl) for fl in frags]
    stub_only = [bool(fl) and all(f.c0 == 0 for f in fl) for fl in frags]
    gaps = [lines[i + 1].top - lines[i].bottom for i in range(n - 1)]
    ordered = sorted(gaps)
    row_gap = ordered[round(ROW_GAP_PERCENTILE * (len(ordered) - 1))] if len(ordered) >= 2 else None

    def tight(i: int) -> bool:
        """Lines i and i + 1 are set tight."""
        return row_gap is not None and 0 <= i < n - 1 and gaps[i] < TIGHT_SHARE * row_gap - 0.5

    rows: list[list[int]] = []
    waiting = False  # the last row is a label that waits for its values on the next line
    for i in range(n):
        text = " ".join(f.text for f in frags[i])
        blocked = i > 0 and _rule_between(lines[i - 1], lines[i], hrules, box[0], box[2])
        if not rows or blocked:
            rows.append([i])
            waiting = stub_only[i] and _label_waits(i, lines, frags, has_values, hrules, box, tight)
            continue
        prev = rows[-1][-1]
        prev_stub = " ".join(f.text for f in frags[prev] if f.c0 == 0)
        if waiting and has_values[i]:
            rows[-1].append(i)
            waiting = False
            continue
        if stub_only[i]:
            values_below = i + 1 < n and has_values[i + 1] and not any(f.c0 == 0 for f in frags[i + 1])
            joins_above = tight(i - 1) and not tight(i) and not waiting and not values_below
            if starts_lower(text) or ends_open(prev_stub) or joins_above:
                rows[-1].append(i)
                continue
            rows.append([i])
            waiting = _label_waits(i, lines, frags, has_values, hrules, box, tight)
            continue
        if not any(f.c0 == 0 for f in frags[i]) and _continues_text(frags[prev], frags[i]):
            rows[-1].append(i)
            continue
        rows.append([i])
        waiting = False
    return rows


def _label_waits(
    i: int,
    lines: list[TextLine],
    frags: list[list[Fragment]],
    has_values: list[bool],
    hrules: list[Rule],
    box: tuple[float, float, float, float],
    tight,
) -> bool:
    """A label-only line whose row continues on the next line (values printed on the last line)."""
    if i + 1 >= len(lines) or not has_values[i + 1]:
        return False
    if _rule_between(lines[i], lines[i + 1], hrules, box[0], box[2]):
        return False
    label = " ".join(f.text for f in frags[i])
    nxt = [f for f in frags[i + 1] if f.c0 == 0]
    if not nxt:
        return True
    nxt_text = " ".join(f.text for f in nxt)
    return ends_open(label) or starts_lower(nxt_text) or (tight(i) and not tight(i - 1))


def _continues_text(prev: list[Fragment], cur: list[Fragment]) -> bool:
    """A line without a row label whose pieces all continue text cells of the previous line."""
    prev_by_col = {f.c0: f for f in prev}
    for f in cur:
        p = prev_by_col.get(f.c0)
        if p is None or is_value(f.text) or is_value(p.text):
            return False
        if not (starts_lower(f.text) or ends_open(p.text)):
            return False
    return True


def rows_to_cells(rows: list[list[int]], frags: list[list[Fragment]], first_row: int) -> list[Cell]:
    cells: list[Cell] = []
    for r, members in enumerate(rows):
        by_span: dict[tuple[int, int], list[Word]] = {}
        for i in members:
            for f in frags[i]:
                by_span.setdefault((f.c0, f.c1), []).extend(f.words)
        taken: set[int] = set()
        for (c0, c1), words in sorted(by_span.items(), key=lambda kv: (kv[0][1] - kv[0][0], kv[0][0])):
            cols = set(range(c0, c1 + 1))
            if cols & taken:
                c1 = c0
                existing = next((c for c in cells if c.r0 == first_row + r and c.c0 <= c0 <= c.c1), None)
                if existing is not None:
                    existing.words.extend(words)
                    continue
            taken |= set(range(c0, c1 + 1))
            cells.append(Cell(first_row + r, first_row + r, c0, c1, list(words)))
    return cells


def text_grid(
    lines: list[TextLine],
    seps: list[float],
    header_lines: int,
    hrules: list[Rule],
    box: tuple[float, float, float, float],
) -> Grid:
    frags = [line_to_fragments(ln, seps, i < header_lines) for i, ln in enumerate(lines)]
    extents = column_extents(frags[header_lines:], len(seps) + 1)
    place_header(frags[:header_lines], extents, seps, box[0], box[2], hrules)
    head, n_levels = header_cells(frags[:header_lines], hrules) if header_lines else ([], 0)
    rows = body_rows(lines[header_lines:], frags[header_lines:], hrules, box)
    body = rows_to_cells(rows, frags[header_lines:], n_levels)
    return Grid(head + body, n_levels + len(rows), len(seps) + 1, n_levels, "text", box)


__all__ = ["Fragment", "line_to_fragments", "header_cells", "body_rows", "text_grid", "words_to_text"]
