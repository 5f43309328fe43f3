"""Is a PDF unchanged since it was last ingested? The history database is the manifest.

A document is skipped only when all of these hold: the history has it with the same sha256 and the
same pipeline code hash (flows.versions), its output folder exists, and the editions it was compared
with (the previous edition of its series, the same period a year earlier) are still those in the history
(same sha256, or none then and now).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.editions.edition_terms import load_settings  # not edition_rules: no spaCy import
from publish import history


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def unchanged(out_dir: str | Path, doc_id: str, sha256: str, pipeline_hash: str) -> dict | None:
    """The history row of the document when it can be skipped, else None."""
    db = history.db_path(out_dir)
    row = history.document(db, doc_id)
    if row is None or row["sha256"] != sha256 or row["pipeline_hash"] != pipeline_hash:
        return None
    if not (Path(out_dir) / doc_id / "document.json").is_file():
        return None
    previous, year_ago = history.compared_editions(
        db,
        _text(row["publisher"]),
        history.edition_period(row),
        _text(row.get("series")),
        load_settings().previous_year_offset,
    )
    for compared, recorded in ((previous, "previous_sha256"), (year_ago, "year_ago_sha256")):
        sha = "" if compared is None or compared["doc_id"] == doc_id else _text(compared["sha256"])
        if sha != _text(row.get(recorded)):
            return None
    return row
