"""Table extraction: ruled and borderless tables from a PDF, one `Table` record per logical table.

    extract_tables(path, settings=None) -> list[Table]       # opens the file (InputError if unreadable)
    pdf_to_tables(pdf, settings=None) -> list[Table]          # an already open pdfplumber document
    page_to_tables(page, settings) -> (list[PageTable], PageText)   # one page, before stitching

Pipeline (each step a function of the previous one's output):
page objects, lean (objects) → turned upright if the text runs sideways (orientation) → glyphs →
words → text lines and chunks (layout) · lines/rects → rules (rulings) · chart marks (graphics) →
ruled regions and text regions (regions, sidetext) → cell grids: columns (columns), rows and
cells (grid, text_grid), header placement (header_layout) → header rows and paths (header) → is it
a table (validate) → title, unit, notes (captions) → tables stitched across pages (stitch), pages
read in worker processes for long documents (extract). The main thresholds are fields of
`TableSettings`; finer structural constants are named at the top of the module that uses them.
"""

from .extract import extract_tables, pdf_to_tables
from .page import PageTable, page_to_tables
from .settings import TableSettings

__all__ = ["extract_tables", "pdf_to_tables", "page_to_tables", "PageTable", "TableSettings"]
