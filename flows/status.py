"""`whitepaper status`: the editions in the history database, one line each."""

from __future__ import annotations

import pandas as pd

SHA_CHARS = 12


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def status_records(documents: pd.DataFrame) -> list[dict]:
    out = []
    for row in documents.itertuples():
        out.append(
            {
                "doc_id": row.doc_id,
                "year": None if pd.isna(row.year) else int(row.year),
                "publisher": _text(row.publisher),
                "sha256": _text(row.sha256),
                "processed_at": pd.Timestamp(row.processed_at).tz_convert("UTC").isoformat(timespec="seconds")
                if not pd.isna(row.processed_at)
                else "",
                "findings": {
                    "error": int(row.findings_error),
                    "warning": int(row.findings_warning),
                    "info": int(row.findings_info),
                },
                "previous_doc_id": _text(row.previous_doc_id),
                "out_dir": _text(row.out_dir),
            }
        )
    return out


def status_lines(records: list[dict]) -> list[str]:
    """One aligned line per edition: id, year, short sha256, processed at, finding counts by severity."""
    if not records:
        return ["no editions in the history yet"]
    width = max(len(r["doc_id"]) for r in records)
    lines = []
    for r in records:
        counts = ", ".join(f"{n} {s}" for s, n in r["findings"].items())
        year = str(r["year"]) if r["year"] is not None else "----"
        compared = f"; compared with {r['previous_doc_id']}" if r["previous_doc_id"] else ""
        lines.append(
            f"{r['doc_id']:<{width}}  {year}  sha256 {r['sha256'][:SHA_CHARS]}  "
            f"processed {r['processed_at']}  {counts}{compared}"
        )
    return lines
