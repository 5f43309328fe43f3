"""One validated document -> its output folder and its rows in the history: the only writer of `output/`.

write_outputs(normalised, validation, out_dir, pdf_path) -> folder
    `<out>/<doc_id>/`: CSV and JSON files, GX results, reconciliation frames, Parquet and
    datapackage.json, the report (crops, Data Docs), swapped in whole (publish.files)
record_edition(normalised, validation, folder, out_dir, previous, pipeline_hash) -> rows per table
    the document's rows in `<out>/whitepaper.duckdb`, replaced in one transaction (publish.history)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from expectations.severity import COUNT_COLUMNS
from publish import files, history
from publish.package import write_publication

GX_DIR = "gx"
RECONCILIATION_DIR = "reconciliation"


def _counts(findings: pd.DataFrame) -> dict[str, int]:
    return findings["severity"].value_counts().to_dict() if len(findings) else {}


def published_cells(normalised, validation) -> pd.DataFrame:
    """The cells as published: every value with the status its checks gave it."""
    cells = normalised.cells.copy()
    cells["status"] = validation.cell_status.values if len(cells) else []
    return cells


def write_outputs(normalised, validation, out_dir: str | Path, pdf_path: str | None = None) -> Path:
    """Write all outputs of one document atomically, the report included; returns the output folder.
    On any failure the previous outputs stay as they were."""
    from publish.report.build import write_report  # the report pulls in Jinja2 and image code

    final = Path(out_dir) / normalised.doc_id
    document = dict(normalised.document)
    document["processed_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    document["findings"] = validation.findings["severity"].value_counts().to_dict()
    cells = published_cells(normalised, validation)
    with files.atomic_dir(final) as tmp:
        files.write_csv(normalised.tables, tmp / "tables.csv")
        files.write_csv(cells, tmp / "cells.csv")
        files.write_csv(normalised.facts, tmp / "facts.csv")
        files.write_csv(validation.findings, tmp / "findings.csv")
        files.write_json(files.records(validation.findings), tmp / "findings.json")
        files.write_csv(validation.summary, tmp / "checks.csv")
        files.write_json(document, tmp / "document.json")
        (tmp / GX_DIR).mkdir()
        for check, result in validation.gx_results.items():
            files.write_json(result, tmp / GX_DIR / f"{check}.json")
        (tmp / RECONCILIATION_DIR).mkdir()
        for check, frame in validation.frames.items():
            files.write_csv(frame, tmp / RECONCILIATION_DIR / f"{check}.csv")
        frames = {
            "tables": normalised.tables,
            "cells": cells,
            "facts": normalised.facts,
            "findings": validation.findings,
            "checks": validation.summary,
        }
        write_publication(tmp, frames, document)
        # report.html, crops/, data_docs/: needs the files above; the old folder's crops and Data Docs
        # are reused when they would come out the same
        write_report(tmp, pdf_path, reuse=final)
    return final


def record_edition(
    normalised, validation, folder: str | Path, out_dir: str | Path, previous, pipeline_hash: str
) -> dict[str, int]:
    """Replace the document's rows in `<out_dir>/whitepaper.duckdb`; `previous` is the edition it was
    compared with (flows.edition_tasks.EditionContext). Returns the rows written per table."""
    published = json.loads((Path(folder) / "document.json").read_text(encoding="utf-8"))
    document = normalised.document
    counts = _counts(validation.findings)
    row = {
        "doc_id": normalised.doc_id,
        "year": document.get("year"),
        "publisher": document.get("publisher", ""),
        "path": document.get("path", ""),
        "sha256": document.get("sha256", ""),
        "pages": document.get("pages"),
        "n_tables": document.get("tables"),
        "processed_at": published["processed_at"],
        "pipeline_hash": pipeline_hash,
        "period": document.get("period", ""),
        "series": document.get("series", ""),
        "previous_doc_id": previous.previous_doc_id,
        "previous_sha256": previous.previous_sha256,
        "year_ago_doc_id": getattr(previous, "year_ago_doc_id", ""),
        "year_ago_sha256": getattr(previous, "year_ago_sha256", ""),
        "out_dir": str(folder),
        **{column: int(counts.get(severity, 0)) for severity, column in COUNT_COLUMNS.items()},
    }
    frames = {"tables": normalised.tables, "cells": published_cells(normalised, validation)}
    frames["findings"] = validation.findings.copy()
    facts = normalised.facts if isinstance(normalised.facts, pd.DataFrame) else pd.DataFrame()
    if not facts.empty:
        frames["facts"] = facts
    return history.replace_edition(history.db_path(out_dir), row, frames)
