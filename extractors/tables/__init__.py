"""Table extraction: ruled and borderless tables from a PDF, one `Table` record per logical table.

    extract_tables(path, settings=None) -> list[Table]       # opens the file (InputError if unreadable)
    pdf_to_tables(pdf, settings=None) -> list[Table]          # an already open pdfplumber document
    page_to_tables(page, settings) -> (list[PageTable], PageText)   # one page, before stitching

Pipeline (each step a pure function of the previous one's output):
chars → words → text lines/chunks (layout) · lines/rects → rules (rulings) → ruled regions and text
regions (regions) → cell grids (structure, grid, text_grid, columns) → header rows and paths (header)
→ title, unit, notes (captions) → tables stitched across pages (stitch).
"""
from .extract import extract_tables, pdf_to_tables
from .page import PageTable, page_to_tables
from .settings import TableSettings

__all__ = ["extract_tables", "pdf_to_tables", "page_to_tables", "PageTable", "TableSettings"]
