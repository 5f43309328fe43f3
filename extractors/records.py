"""Plain records that extractors return: the contract between extraction and everything after it.

Extractors are pure functions of a document; they know nothing about a publisher. These records
carry what later stages need for provenance (page, box, raw text) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The reader's warning for a document without tables, always its last; normalise keeps it last.
NO_TABLES = "no tables found"
DOUBTFUL = "structure doubtful, cells flagged"  # the words every doubtful-table warning carries (normalise)


@dataclass(frozen=True)
class Box:
    """A rectangle on one page, in PDF points with pdfplumber's top-left origin. Pages are 1-based."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def as_list(self) -> list[float]:
        return [self.page, round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2)]


@dataclass
class Table:
    """One logical table. A table continued across pages is one record (page_first..page_last).

    `header` is the header grid as printed: a spanning cell's text sits in its top-left position and
    the positions it covers are "". `header_paths` has one entry per column, the header texts from top
    to bottom joined with " / " (a two-level "Valid Invention Patent Quantity" over "Enterprises"
    becomes "Valid Invention Patent Quantity / Enterprises"). `body` holds the data rows (text with
    in-cell line breaks joined by a space); `body_boxes` gives each body cell's box (None when the
    position is empty or covered by a spanning cell). A table printed in `panels` side by side is one
    logical table: the header of one panel, the body rows of panel 1, then panel 2's, ... `doubts` says
    why its structure is doubtful (empty when it is not): its cells are then never published as ok.
    """

    page_first: int
    page_last: int
    bbox: Box
    header: list[list[str]]
    header_paths: list[str]
    body: list[list[str]]
    body_boxes: list[list[Box | None]]
    title: str = ""
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    title_box: Box | None = None
    panels: int = 1  # printed in this many panels side by side (rows are panel 1's, then panel 2's, ...)
    doubts: list[str] = field(default_factory=list)  # why its structure is doubtful (tables.self_check)
    printed_rows: list[list[str]] = field(default_factory=list)  # panels > 1: header and body rows as printed

    @property
    def n_cols(self) -> int:
        return len(self.header_paths)

    @property
    def n_rows(self) -> int:
        return len(self.body)

    def to_json(self) -> dict:
        """The raw-grid form printed by `whitepaper tables --format json` (rows include header rows): the
        grid as printed, so a paneled table's rows hold every panel side by side (panel p is columns
        p * len(header_paths) .. (p + 1) * len(header_paths) - 1); `header_paths` are one panel's."""
        printed = (
            self.printed_rows if self.panels > 1 else [list(r) for r in self.header] + [list(r) for r in self.body]
        )
        return {
            "page": self.page_first,
            "page_last": self.page_last,
            "title": self.title,
            "unit": self.unit,
            "header_rows": len(self.header),
            "rows": [list(r) for r in printed],
            "header_paths": list(self.header_paths),
            "notes": list(self.notes),
            "bbox": self.bbox.as_list(),
            "panels": self.panels,
            "doubts": list(self.doubts),
        }
