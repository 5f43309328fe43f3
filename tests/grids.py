"""Build `Table` records from printed grids (header rows + body), for tests of the stages after extraction."""

from __future__ import annotations

from extractors.records import Box, Table


def header_paths(header: list[list[str]]) -> list[str]:
    """Header path per column; an empty upper cell with a label below it belongs to the label on its left."""
    n_cols = max(len(r) for r in header)
    paths = []
    for c in range(n_cols):
        parts = []
        for r, row in enumerate(header):
            text = row[c] if c < len(row) else ""
            below = [h[c] for h in header[r + 1 :] if c < len(h) and h[c]]
            if not text and below:
                k = c
                while k > 0 and not row[k]:
                    k -= 1
                text = row[k]
            if text:
                parts.append(text)
        paths.append(" / ".join(parts))
    return paths


def table_from_grid(
    header: list[list[str]], body: list[list[str]], title: str = "", unit: str = "", page: int = 1
) -> Table:
    boxes = [
        [Box(page, 10.0 * c, 10.0 * r, 10.0 * c + 9, 10.0 * r + 9) for c in range(len(row))]
        for r, row in enumerate(body)
    ]
    return Table(
        page_first=page,
        page_last=page,
        bbox=Box(page, 0, 0, 100, 100),
        header=header,
        header_paths=header_paths(header),
        body=[list(r) for r in body],
        body_boxes=boxes,
        title=title,
        unit=unit,
    )


def truth_tables(truth: dict) -> list[Table]:
    """The truth file's tables as Table records (titles are not in the truth file; keys stand in)."""
    return [
        table_from_grid(t["header"], t["rows"], title=key, unit="Unit: piece") for key, t in truth["tables"].items()
    ]
