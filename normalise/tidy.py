"""Extracted records -> tidy pandas frames (`tables`, `cells`, `facts`), with the publisher profile applied.

One row per data cell: which table, page, row label and its place in the region hierarchy, which
column (header path and the profile's column id), the parsed value and the raw text as printed.
"""

from __future__ import annotations

import re

import pandas as pd

from extractors.numbers import parse_number
from extractors.records import Table
from normalise.labels import slug, words
from normalise.periods import without_period_words
from normalise.profile import LEVEL_UNKNOWN, Profile

TABLE_COLUMNS = [
    "doc_id",
    "table_id",
    "title",
    "unit",
    "page_first",
    "page_last",
    "n_rows",
    "n_cols",
    "notes",
    "header_paths",
]
CELL_COLUMNS = [
    "doc_id",
    "table_id",
    "cell_id",
    "page",
    "row_index",
    "col_index",
    "row_label",
    "region",
    "region_level",
    "parent_region",
    "column",
    "column_id",
    "value",
    "raw",
    "unit",
    "parse_status",
    "decimals",
    "percent",
    "grouped",
    "format_issue",
    "x0",
    "top",
    "x1",
    "bottom",
    "structure",
]
# A column is the row-label column when at least this share of its body cells is text, not numbers.
LABEL_COLUMN_TEXT_SHARE = 0.5
MAX_TABLE_ID_WORDS = 10
# Words of a unit line that are not the unit itself.
UNIT_PREFIX_RE = re.compile(r"^\s*unit\s*[:：]\s*", re.IGNORECASE)
# A unit written in a header: "Total Population (in ten thousand people)".
HEADER_UNIT_RE = re.compile(r"[(（]\s*(?:in\s+|unit\s*[:：]\s*)?([^()（）]+?)\s*[)）]\s*$", re.IGNORECASE)


def table_ids(tables: list[Table]) -> list[str]:
    """Stable ids from titles without their period words (years, months, quarters), so the same table
    keeps its id across editions ("... by Region, January 2015" and "... March 2016" are one table)."""
    ids: list[str] = []
    for number, table in enumerate(tables, start=1):
        title_words = [w for w in slug(without_period_words(table.title)).split("-") if w]
        base = "-".join(title_words[:MAX_TABLE_ID_WORDS]) or f"table-p{table.page_first}-{number}"
        candidate, k = base, 2
        while candidate in ids:
            candidate, k = f"{base}-{k}", k + 1
        ids.append(candidate)
    return ids


def label_column(table: Table) -> int:
    """Index of the row-label column: the left-most column whose body is mostly text."""
    for col in range(table.n_cols):
        texts = [row[col] for row in table.body if col < len(row) and row[col].strip()]
        if not texts:
            continue
        text_share = sum(parse_number(t).status == "text" for t in texts) / len(texts)
        if text_share >= LABEL_COLUMN_TEXT_SHARE:
            return col
    return 0


def clean_unit(unit: str) -> str:
    return UNIT_PREFIX_RE.sub("", unit or "").strip().rstrip(".")


def column_unit(header_path: str, spec_unit: str, table_unit: str) -> str:
    """The unit of a column: declared in the profile, else written in the header, else the table's."""
    if spec_unit:
        return spec_unit
    match = HEADER_UNIT_RE.search(header_path)
    if match and not words(match.group(1))[:1] == ["of"]:
        return match.group(1).strip()
    return clean_unit(table_unit)


def tables_frame(doc_id: str, tables: list[Table], ids: list[str]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": doc_id,
            "table_id": tid,
            "title": t.title,
            "unit": clean_unit(t.unit),
            "page_first": t.page_first,
            "page_last": t.page_last,
            "n_rows": t.n_rows,
            "n_cols": t.n_cols,
            "notes": " | ".join(t.notes),
            "header_paths": " || ".join(t.header_paths),
        }
        for t, tid in zip(tables, ids)
    ]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def cells_frame(doc_id: str, tables: list[Table], ids: list[str], profile: Profile | None) -> pd.DataFrame:
    """Long/tidy cells: one row per body cell that is not the row label."""
    records: list[dict] = []
    for table, tid in zip(tables, ids):
        records.extend(_table_cells(doc_id, table, tid, profile))
    frame = pd.DataFrame(records, columns=CELL_COLUMNS)
    return frame.astype({"value": "float64", "row_index": "int64", "col_index": "int64", "page": "int64"})


def _table_cells(doc_id: str, table: Table, tid: str, profile: Profile | None) -> list[dict]:
    label_col = label_column(table)
    # Columns are recognised among those of the table family the title belongs to.
    specs = [profile.match_column(h, table.title)[0] if profile else None for h in table.header_paths]
    table_unit = clean_unit(table.unit)
    records = []
    for r, row in enumerate(table.body):
        label = " ".join(row[label_col].split()) if label_col < len(row) else ""
        region = profile.match_region(label) if profile else None
        for c, raw in enumerate(row):
            if c == label_col:
                continue
            spec = specs[c] if c < len(specs) else None
            if spec is not None and spec.kind == "label":
                continue
            number = parse_number(raw)
            box = table.body_boxes[r][c] if r < len(table.body_boxes) and c < len(table.body_boxes[r]) else None
            header = table.header_paths[c] if c < len(table.header_paths) else f"column {c + 1}"
            records.append(
                {
                    "doc_id": doc_id,
                    "table_id": tid,
                    "cell_id": f"{tid}:r{r + 1}:c{c + 1}",
                    "page": box.page if box else table.page_first,
                    "row_index": r + 1,
                    "col_index": c + 1,
                    "row_label": label,
                    "region": region.name if region else label,
                    "region_level": region.level if region else LEVEL_UNKNOWN,
                    "parent_region": region.parent if region else "",
                    "column": header,
                    "column_id": spec.id if spec else "",
                    "value": number.value,
                    "raw": raw,
                    "unit": "percent" if number.percent else column_unit(header, spec.unit if spec else "", table_unit),
                    "parse_status": number.status,
                    "decimals": number.decimals,
                    "percent": number.percent,
                    "grouped": number.grouped,
                    "format_issue": number.format_issue,
                    "x0": box.x0 if box else None,
                    "top": box.top if box else None,
                    "x1": box.x1 if box else None,
                    "bottom": box.bottom if box else None,
                    "structure": " | ".join(table.doubts),
                }
            )
    return records


FACT_COLUMNS = [
    "doc_id",
    "fact_id",
    "sentence_id",
    "page",
    "section",
    "sentence",
    "raw",
    "value",
    "unit",
    "kind",
    "metric",
    "subject",
    "period",
    "role",
    "group",
    "ref",
    "category",
    "qualifier",
    "action",
    "half_width",
    "decimals",
    "paragraph",
    "start",
    "end",
    "evidence",
]


def facts_frame(doc_id: str, facts: list) -> pd.DataFrame:
    """Prose facts (`extractors.prose.fact_types.Fact` records, as `extract_facts` returns them) -> one
    row per number (FACT_COLUMNS); values are floats, missing ones NaN."""
    rows = [{"doc_id": doc_id} | {c: getattr(f, c) for c in FACT_COLUMNS[1:]} for f in facts]
    frame = pd.DataFrame(rows, columns=FACT_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["half_width"] = frame["half_width"].astype("float64")
    return frame
