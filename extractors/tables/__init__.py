"""Table extraction: ruled and borderless tables from a PDF, one `Table` record per logical table.

    page_to_tables(page, settings) -> (list[PageTable], PageText)   # one page, before stitching
    stitch.stitch(page_tables, page_texts) -> list[Table]            # tables joined across pages
    extract_tables(path, settings=None) -> list[Table]               # a file: extractors.reader, tables only

Documents are read by `extractors.reader` (time budget, per-page guard, worker processes for long
documents); this package reads one page at a time. Pipeline (each step a function of the previous
one's output): page objects, lean (objects) → turned upright if the text runs sideways
(extractors.orientation) → glyphs → words → text lines and chunks (text_lines) · lines/rects → rules
(rulings) · chart marks (graphics) → ruled regions and text regions (regions, sidetext) → cell grids
(structure): columns (columns), rows and cells (grid, text_grid; union-find in disjoint_sets), header
placement (header_layout) → header rows and paths (header) → is it a table (acceptance) → title,
unit, notes (captions) → tables stitched across pages (stitch), running heads and page numbers told
apart by extractors.furniture. Layouts beyond that: sideways header text (sideways_words), a label
column left of a ruled box (outside_labels), panels side by side read as one table (panels), words
broken in header cells (broken_words), and the structural self-check of every table (self_check).
cell_text holds the small text predicates (numbers, years, captions, notes, units) the steps share.
The main thresholds are fields of `TableSettings`; finer structural constants are named at the top
of the module that uses them.
"""

from __future__ import annotations

import os

from ..records import Table
from .page import PageTable, page_to_tables
from .settings import TableSettings


def extract_tables(path: str | os.PathLike, settings: TableSettings | None = None) -> list[Table]:
    """Every data table in the PDF at `path`: `extractors.reader.extract_document(path, prose=False)`'s
    tables (raises `InputError` for files the reader refuses; page warnings are dropped)."""
    from ..reader import extract_document  # the reader reads pages with this package

    return extract_document(path, settings=settings, prose=False).tables


__all__ = ["extract_tables", "page_to_tables", "PageTable", "TableSettings"]
