"""Tables that run on to the next page become one `Table`.

Two parts are stitched when the evidence is strong: the first part is the last content on its page
(nothing below it but margin lines that repeat on other pages: running feet, page numbers), the
next part is the first content on the following page (likewise; no title of its own), both have the
same number of columns at the same x-positions, and the next part either repeats the first part's
header (dropped from the body) or starts straight with data rows. A part that brings a different
header of its own is a different table.
"""

from __future__ import annotations

from ..furniture import is_furniture, running_keys
from ..records import Box, Table
from .broken_words import rejoin_header_words
from .cell_text import text_key
from .grid import Grid
from .header import header_paths
from .page import PageTable, PageText
from .panels import first_panel, panel_count, split_rows
from .self_check import panel_doubts, structure_doubts

COLUMN_MATCH_SHARE = 0.5  # a column's x-extents on both pages must overlap this much


def _col_extents(grid: Grid) -> list[tuple[float, float] | None]:
    out: list[tuple[float, float] | None] = []
    for col in range(grid.n_cols):
        boxes = [c.bbox for c in grid.cells if c.c0 == col == c.c1 and c.words]
        out.append((min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else None)
    return out


def columns_match(a: Grid, b: Grid) -> bool:
    if a.n_cols != b.n_cols:
        return False
    for ea, eb in zip(_col_extents(a), _col_extents(b)):
        if ea is None or eb is None:
            continue
        overlap = min(ea[1], eb[1]) - max(ea[0], eb[0])
        if overlap < COLUMN_MATCH_SHARE * min(ea[1] - ea[0], eb[1] - eb[0]):
            return False
    return True


def repeated_header_rows(first: PageTable, nxt: PageTable) -> int | None:
    """How many leading rows of `nxt` repeat `first`'s header; None if `nxt` has another header."""
    head = [[text_key(t) for t in r] for r in first.grid.rows_text()[: first.grid.header_rows]]
    rows = [[text_key(t) for t in r] for r in nxt.grid.rows_text()]
    if head and rows[: len(head)] == head:
        return len(head)
    if nxt.grid.header_rows == 0:
        return 0
    return None


# A table continued on page 2 of a two-page document must see both pages' running head as furniture.
FURNITURE_MIN_PAGES = 2


def furniture_keys(page_texts: list[PageText]) -> set[str]:
    """Margin lines printed on many pages (running heads and feet, extractors.furniture); a title
    printed again on its continuation page is not one of them."""
    return running_keys((pt.margin_keys for pt in page_texts), len(page_texts), FURNITURE_MIN_PAGES)


def clear_furniture_titles(tables: list[PageTable], keys: set[str]) -> None:
    """A running head picked up as a table's title is not its title."""
    for t in tables:
        if t.title and is_furniture(t.title, keys):
            t.title, t.title_box = "", None


def continues(first: PageTable, nxt: PageTable, keys: set[str]) -> int | None:
    """Rows of `nxt` to drop when it continues `first`, or None when it does not."""
    if nxt.page != first.page + 1 or nxt.title:
        return None
    if first.content_below or not all(is_furniture(t, keys) for t in first.margin_below):
        return None
    if nxt.content_above or not all(is_furniture(t, keys) for t in nxt.margin_above):
        return None
    if not columns_match(first.grid, nxt.grid):
        return None
    return repeated_header_rows(first, nxt)


def _box(part: PageTable, b: tuple[float, float, float, float]) -> Box:
    x0, top, x1, bottom = part.page_box(b)
    return Box(part.page, x0, top, x1, bottom)


def parts_to_table(parts: list[tuple[PageTable, int]]) -> Table:
    """Parts (each with the number of its leading rows to skip) → one Table record; a paneled grid's
    rows in reading order, page by page (panel 1 then panel 2 of each page)."""
    first = parts[0][0]
    grid = first.grid
    rows = grid.rows_text()
    h = grid.header_rows
    k = panel_count(rows[:h], rows[h:])
    body: list[list[str]] = []
    body_boxes: list[list[Box | None]] = []
    notes: list[str] = []
    printed = [list(r) for r in rows[:h]] if k > 1 else []
    for i, (part, skip) in enumerate(parts):
        prow = part.grid.rows_text()
        pbox = part.grid.rows_boxes()
        start = h if i == 0 else skip
        if k > 1:
            printed.extend(list(r) for r in prow[start:])
        body.extend(split_rows(prow[start:], prow[start:], k))
        body_boxes.extend([_box(part, b) if b else None for b in r] for r in split_rows(pbox[start:], prow[start:], k))
        notes.extend(part.notes)
    header = [first_panel(r, k) for r in rows[:h]]
    paths = first_panel(header_paths(grid), k)
    doubts = structure_doubts(header, paths, body)
    if k > 1:
        w = grid.n_cols // k
        doubts += panel_doubts([[r[p * w] for r in rows[h:] if any(r[p * w : (p + 1) * w])] for p in range(k)])
    return Table(
        page_first=first.page,
        page_last=parts[-1][0].page,
        bbox=_box(first, first.box),
        header=header,
        header_paths=paths,
        body=body,
        body_boxes=body_boxes,
        title=first.title,
        unit=first.unit,
        notes=notes,
        title_box=_box(first, first.title_box) if first.title_box else None,
        panels=k,
        doubts=doubts,
        printed_rows=printed,
    )


def stitch(page_tables: list[PageTable], page_texts: list[PageText]) -> list[Table]:
    """Page tables in page order → tables, continued parts joined to their first part."""
    keys = furniture_keys(page_texts)
    clear_furniture_titles(page_tables, keys)
    vocab = set().union(*(pt.vocabulary for pt in page_texts))
    for pt in page_tables:  # before parts are compared: a repeated header is broken the same way
        rejoin_header_words(pt.grid, vocab)
    chains: list[list[tuple[PageTable, int]]] = []
    for pt in page_tables:
        if chains:
            last = chains[-1][-1][0]
            skip = continues(last, pt, keys) if _is_last_of_page(last, page_tables) else None
            if skip is not None and _is_first_of_page(pt, page_tables):
                chains[-1].append((pt, skip))
                continue
        chains.append([(pt, 0)])
    # a fragment (a single row under a header, a last row) only counts inside a longer table
    return [parts_to_table(chain) for chain in chains if not all(p.weak for p, _ in chain)]


def _is_last_of_page(pt: PageTable, all_tables: list[PageTable]) -> bool:
    return not any(o.page == pt.page and o.box[1] > pt.box[1] for o in all_tables)


def _is_first_of_page(pt: PageTable, all_tables: list[PageTable]) -> bool:
    return not any(o.page == pt.page and o.box[1] < pt.box[1] for o in all_tables)
