"""Test helper: the fixture's table cells as the tidy `cells` frame the prose-vs-table rule reads.

The table extractor is built elsewhere; these tests need its output shape only, so this reads the
fixture's ruled tables with pdfplumber's own `find_tables` and names rows and columns with the
publisher profile. Columns: table_id, page, row_label, region, region_level, column, column_id,
value, raw, unit, cell_id (the contract of the cells frame). Also returns the table boxes, which
text extraction excludes.
"""
from __future__ import annotations

import pandas as pd

from expectations.profile import LEVEL_UNKNOWN, Profile
from extractors.numbers import parse_number
from extractors.pdf_open import open_pdf
from extractors.records import Box


def _header_paths(header_rows: list[list[str | None]]) -> list[str]:
    width = len(header_rows[0])
    paths = []
    for c in range(width):
        parts = [" ".join((row[c] or "").split()) for row in header_rows if row[c]]
        paths.append(" / ".join(parts))
    return paths


def pdf_cells(pdf_or_path, profile: Profile) -> tuple[pd.DataFrame, list[Box]]:
    """Cells and table boxes of a document (an open pdfplumber PDF or a path)."""
    if not hasattr(pdf_or_path, "pages"):
        with open_pdf(pdf_or_path) as pdf:
            return pdf_cells(pdf, profile)
    records, boxes = [], []
    for page in pdf_or_path.pages:
        for index, table in enumerate(page.find_tables()):
            boxes.append(Box(page.page_number, *table.bbox))
            rows = table.extract()
            first_data = next(
                i for i, r in enumerate(rows) if profile.match_region(r[0] or "").level != LEVEL_UNKNOWN
            )
            paths = _header_paths(rows[:first_data])
            table_id = f"p{page.page_number}t{index + 1}"
            for r, cells in enumerate(rows[first_data:]):
                label = " ".join((cells[0] or "").split())
                region = profile.match_region(label)
                for c, raw in enumerate(cells[1:], start=1):
                    spec, _ = profile.match_column(paths[c])
                    parsed = parse_number(raw)
                    records.append(dict(
                        table_id=table_id, page=page.page_number, row_label=label, region=region.name,
                        region_level=region.level, column=paths[c], column_id=spec.id if spec else "",
                        value=parsed.value, raw=raw, unit=spec.unit if spec else "",
                        cell_id=f"{table_id}:r{r + 1}:c{c}",
                    ))
    return pd.DataFrame(records), boxes
