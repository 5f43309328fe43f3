"""One page → the tables printed on it (`PageTable`s: grid + title, unit, notes, position).

page objects → words, lines, rules → ruled regions → text regions (on the remaining lines) → grids →
captions. Tables are plain data so pages can be processed in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..furniture import furniture_key, in_margin
from ..orientation import page_turn, reading_box, turn_objects, unturn_box
from .acceptance import grid_is_fragment, grid_is_table
from .broken_words import vocabulary
from .captions import find_captions
from .cell_text import is_figure_caption
from .graphics import chart_marks, count_marks
from .grid import Grid
from .objects import load_lean_objects
from .panels import join_side_by_side
from .regions import Region, lines_to_text_regions, rules_to_ruled_regions
from .rulings import merge_rules, objects_to_rules
from .settings import TableSettings
from .sideways_words import sideways_words
from .structure import region_to_grid
from .text_lines import TextLine, Word, chars_to_words, words_to_lines


@dataclass
class PageTable:
    page: int
    grid: Grid
    box: tuple[float, float, float, float]
    title: str = ""
    title_box: tuple[float, float, float, float] | None = None
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    content_above: bool = False  # body text (outside the page margins) above the table
    content_below: bool = False
    margin_above: list[str] = field(default_factory=list)  # texts of margin-band lines above (running heads?)
    margin_below: list[str] = field(default_factory=list)
    weak: bool = False  # a fragment: output only as part of a table across pages
    turn: int = 0  # quarter turns applied to read the page (orientation.py)
    page_size: tuple[float, float] = (0.0, 0.0)

    def page_box(self, b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box of this table (in reading orientation) on the page as stored."""
        return unturn_box(b, self.turn, *self.page_size) if self.turn else b


@dataclass
class PageText:
    """Furniture keys of the lines in the page's margin band (extractors.furniture): running heads and
    feet when they repeat."""

    page: int
    margin_keys: list[str]
    vocabulary: set[str] = field(default_factory=set)  # words printed on the page (broken_words)


def _inside(line: TextLine, box: tuple[float, float, float, float], tol: float = 1.0) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return box[0] - tol <= cx <= box[2] + tol and box[1] - tol <= cy <= box[3] + tol


def _overlap_boxes(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _words_outside(words: list[Word], boxes: list[tuple[float, float, float, float]]) -> list[Word]:
    out = []
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
            out.append(w)
    return out


def page_to_tables(page: Any, settings: TableSettings) -> tuple[list[PageTable], PageText]:
    objects = load_lean_objects(page)
    size = (float(page.width), float(page.height))
    turn = page_turn(objects["char"])
    if turn:  # text runs sideways: read the page turned, report boxes on the page as stored
        objects = turn_objects(objects, turn, *size)
    box = reading_box(page, turn)
    words = chars_to_words(objects["char"], settings) + sideways_words(objects["char"], turn, settings)
    rules = merge_rules(objects_to_rules(objects, box, settings), settings)
    marks = chart_marks(objects, words, (box[2] - box[0]) * (box[3] - box[1]), settings)
    found: list[tuple[Region, Grid]] = []
    fragments: list[tuple[Region, Grid]] = []  # too small alone; kept for stitching only

    def keep(region: Region, grid: Grid | None) -> None:
        if grid is None:
            return
        if grid.box[0] < region.x0:  # a label column printed left of the ruled box joined it
            region = replace(region, x0=grid.box[0])
        if grid_is_table(grid, settings):
            found.append((region, grid))
        elif grid_is_fragment(grid, settings):
            fragments.append((region, grid))

    for region, _comp in rules_to_ruled_regions(rules, settings):
        # a ruled table may leave shaded cells empty: only strokes count against it
        if count_marks(marks, region.box, ("stroke",)) < settings.chart_min_marks:
            keep(region, region_to_grid(region, words, rules, settings))
    # text regions are looked for outside the ruled tables only (a shaded row is a ruled fragment
    # but its text still belongs to the table around it)
    rest = _words_outside(words, [r.box for r, _ in found])
    lines = words_to_lines(rest, settings)
    text_x0 = min((ln.x0 for ln in lines), default=box[0])
    text_x1 = max((ln.x1 for ln in lines), default=box[2])
    hrules = [r for r in rules if r.orient == "h"]
    for region in lines_to_text_regions(lines, hrules, text_x1 - text_x0, settings):
        if count_marks(marks, region.box) < settings.chart_min_marks:
            keep(region, region_to_grid(region, words, rules, settings))
    weak: set[int] = set()
    for region, grid in fragments:
        if not any(_overlap_boxes(region.box, r.box) for r, _ in found):
            found.append((region, grid))
            weak.add(id(grid))
    # panels drawn as separate boxes side by side (fragments are not joined: they wait for stitching)
    found = join_side_by_side([rg for rg in found if id(rg[1]) not in weak]) + [rg for rg in found if id(rg[1]) in weak]
    found.sort(key=lambda rg: (rg[0].top, rg[0].x0))
    table_boxes = [r.box for r, _ in found]
    free_lines = [ln for ln in lines if not any(_inside(ln, b) for b in table_boxes)]

    def in_band(ln: TextLine) -> bool:
        return in_margin(ln.top, ln.bottom, box[1], box[3])

    tables: list[PageTable] = []
    for region, grid in found:
        cap = find_captions(region.box, free_lines, (text_x0, box[1], text_x1, box[3]), settings)
        if is_figure_caption(cap.title):
            continue  # labels of a chart that line up like a table
        above = [ln for ln in free_lines if ln.bottom <= region.top]
        below = [ln for ln in free_lines if ln.top >= region.bottom]
        tables.append(
            PageTable(
                page=int(page.page_number),
                grid=grid,
                box=region.box,
                title=cap.title,
                title_box=cap.title_box,
                unit=cap.unit,
                notes=cap.notes,
                content_above=any(not in_band(ln) for ln in above),
                content_below=any(not in_band(ln) for ln in below),
                margin_above=[ln.text for ln in above if in_band(ln)],
                margin_below=[ln.text for ln in below if in_band(ln)],
                weak=id(grid) in weak,
                turn=turn,
                page_size=size,
            )
        )
    margin = [furniture_key(ln.text) for ln in free_lines if in_band(ln)]
    # header cells' own fragments are not evidence that they are words
    in_headers = {id(w) for t in tables for c in t.grid.cells if c.r0 < t.grid.header_rows for w in c.words}
    vocab = vocabulary([w for w in words if id(w) not in in_headers])
    return tables, PageText(int(page.page_number), margin, vocab)
