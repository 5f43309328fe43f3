"""Is a PDF unchanged since it was last ingested? The history database is the manifest.

A document is skipped only when all of these hold: the history has it with the same sha256 and the
same pipeline code hash (flows.versions), its output folder exists, and the previous edition
it was compared with is still the previous edition in the history (same sha256, or none then and now).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.editions.edition_rules import load_settings
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
    year = None if pd.isna(row["year"]) else int(row["year"])
    previous = history.previous_edition(db, _text(row["publisher"]), year, load_settings().previous_year_offset)
    previous_sha = "" if previous is None or previous["doc_id"] == doc_id else _text(previous["sha256"])
    if previous_sha != _text(row["previous_sha256"]):
        return None
    return row
