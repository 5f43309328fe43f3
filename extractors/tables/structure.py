"""One table region → its cell grid (columns, rows, spanning cells, header rows).

Columns: interior vertical rules where the region has them, else whitespace gutters of the body
lines (plus any free-standing vertical rule). Rows: bands between horizontal rules when the region
is ruled row by row, else text lines grouped by `text_grid.body_rows`.
"""

from __future__ import annotations

from .cell_text import is_footnote_line, is_note
from .columns import gutters_to_separators, lines_to_gutters
from .grid import Grid, compact, ruled_cells, split_tall_cells
from .header import grid_header_rows, header_line_count
from .outside_labels import outside_label_column
from .regions import Region
from .rulings import Rule
from .settings import TableSettings
from .text_grid import text_grid
from .text_lines import Word, words_to_lines

RULED_ROWS_SHARE = 0.4  # interior horizontals per line gap needed to take rows from rules
SEPARATOR_MERGE = 4.0  # separators closer than this (pt) are one
TEXT_COLUMN_RULE_SHARE = 0.5  # a vertical rule along this share of a borderless region is a column rule
ROW_RULE_SHARE = 0.5  # a horizontal rule across this share of the table separates rows


def _inside(w: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _interior(
    rules: list[Rule], orient: str, box: tuple[float, float, float, float], min_len: float, tol: float
) -> list[Rule]:
    x0, top, x1, bottom = box
    if orient == "v":
        return [
            r
            for r in rules
            if r.orient == "v"
            and x0 + tol < r.pos < x1 - tol
            and r.b > top + tol
            and r.a < bottom - tol
            and r.length >= min_len
        ]
    return [
        r
        for r in rules
        if r.orient == "h"
        and top + tol < r.pos < bottom - tol
        and r.b > x0 + tol
        and r.a < x1 - tol
        and r.length >= min_len
    ]


def region_to_grid(region: Region, words: list[Word], rules: list[Rule], settings: TableSettings) -> Grid | None:
    box = region.box
    tol = settings.snap_tolerance
    if region.kind == "ruled":
        inside = [w for w in words if _inside(w, box)]
        lines = words_to_lines(inside, settings)
    else:
        lines = region.lines
        inside = [w for ln in lines for w in ln.words]
    while len(lines) > 1 and (is_note(lines[-1].text) or is_footnote_line([c.text for c in lines[-1].chunks])):
        lines = lines[:-1]  # notes printed inside the table's frame are not rows
    if not lines:
        return None
    if region.kind == "ruled":
        inside = [w for ln in lines for w in ln.words]
    height = box[3] - box[1]
    # in a borderless region only a rule along most of it separates columns
    min_v = TEXT_COLUMN_RULE_SHARE * height if region.kind == "text" else settings.rule_min_length
    vrules = _interior(rules, "v", box, min_v, tol)
    hrules = _interior(rules, "h", box, settings.rule_min_length, tol)
    full_h = [r for r in hrules if r.length >= ROW_RULE_SHARE * (box[2] - box[0])]
    n_head = header_line_count(lines, region.header_hint)
    body = lines[n_head:] or lines
    gutters = lines_to_gutters(body, settings.min_gutter_ratio)
    if region.kind == "ruled":
        ruled_x = _cluster([r.pos for r in vrules], SEPARATOR_MERGE)
        # whitespace columns inside a ruled column (a rule only between blocks of columns)
        extra = [
            s
            for s in gutters_to_separators(gutters)
            if not any(a - tol <= x <= b + tol for x in ruled_x for a, b in gutters if a <= s <= b)
        ]
        xs = [box[0]] + sorted(ruled_x + extra) + [box[2]]
        if len(full_h) >= max(1, RULED_ROWS_SHARE * (len(lines) - 1)):
            ys = [box[1]] + _cluster([r.pos for r in hrules], SEPARATOR_MERGE) + [box[3]]
            virtual = [Rule("v", x, box[1], box[3]) for x in extra]
            cells = split_tall_cells(ruled_cells(xs, ys, rules + virtual, inside, tol), ys)
            grid = Grid(cells, len(ys) - 1, len(xs) - 1, 0, "ruled", box)
            used = sorted({c.r0 for c in cells if c.words})  # compact's row numbering -> the bands of ys
            head = grid_header_rows(compact(grid))
            grid.header_rows = used[head] if head < len(used) else grid.n_rows
            grid = compact(outside_label_column(grid, ys, words, rules, settings))
            grid.header_rows = grid_header_rows(grid)
            return grid
        return compact(text_grid(lines, xs[1:-1], n_head, hrules, box))
    seps = gutters_to_separators(gutters)
    for r in vrules:  # a drawn column rule wins over the whitespace around it
        seps = [s for s in seps if not any(a <= r.pos <= b and a <= s <= b for a, b in gutters)]
        seps.append(r.pos)
    seps = _cluster(seps, SEPARATOR_MERGE)
    if not seps:
        return None
    return compact(text_grid(lines, seps, n_head, hrules, box))
