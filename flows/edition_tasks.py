"""Prefect tasks that connect one document to the history of editions.

previous_edition_task: the previous edition (year - 1, same publisher) from the history database,
                       and the cross-edition equations of this document against it
history_task:          after publishing, replace the document's rows in the history database
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from prefect import task

from expectations.editions.edition_rules import Edition, edition_equations, load_settings
from expectations.equations import Equation, Interval
from publish import history

SEVERITY_COLUMNS = {"error": "findings_error", "warning": "findings_warning", "info": "findings_info"}


@dataclass
class EditionContext:
    """The previous edition a document was compared with (empty when none) and the equations."""

    previous_doc_id: str = ""
    previous_sha256: str = ""
    previous_year: int | None = None
    equations: list[Equation] = field(default_factory=list)
    intervals: dict[str, Interval] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


def facts_of(normalised) -> pd.DataFrame:
    """The document's prose facts (facts.csv schema), or an empty frame."""
    facts = getattr(normalised, "facts", None)
    return facts if isinstance(facts, pd.DataFrame) else pd.DataFrame()


@task(name="previous-edition")
def previous_edition_task(normalised, out_dir: str) -> EditionContext:
    settings = load_settings()
    document = normalised.document
    db = history.db_path(out_dir)
    previous = history.previous_edition(
        db, document.get("publisher", ""), document.get("year"), settings.previous_year_offset
    )
    if previous is None or previous["doc_id"] == normalised.doc_id:
        return EditionContext()
    frames = history.load_frames(db, previous["doc_id"])
    current = Edition(normalised.doc_id, int(document["year"]), normalised.cells, facts_of(normalised))
    before = Edition(previous["doc_id"], int(previous["year"]), frames["cells"], frames["facts"])
    result = edition_equations(current, before, normalised.profile, settings)
    return EditionContext(
        previous["doc_id"],
        str(previous["sha256"]),
        int(previous["year"]),
        result.equations,
        result.intervals,
        result.labels,
    )


def document_row(normalised, validation, edition: EditionContext, folder: str, code_version: str) -> dict:
    published = json.loads((Path(folder) / "document.json").read_text(encoding="utf-8"))
    counts = validation.findings["severity"].value_counts().to_dict() if len(validation.findings) else {}
    document = normalised.document
    return {
        "doc_id": normalised.doc_id,
        "year": document.get("year"),
        "publisher": document.get("publisher", ""),
        "path": document.get("path", ""),
        "sha256": document.get("sha256", ""),
        "pages": document.get("pages"),
        "n_tables": document.get("tables"),
        "processed_at": published["processed_at"],
        "code_version": code_version,
        "previous_doc_id": edition.previous_doc_id,
        "previous_sha256": edition.previous_sha256,
        "out_dir": str(folder),
        **{column: int(counts.get(severity, 0)) for severity, column in SEVERITY_COLUMNS.items()},
    }


@task(name="history", retries=2, retry_delay_seconds=2)
def history_task(
    normalised, validation, edition: EditionContext, folder: str, out_dir: str, code_version: str
) -> dict[str, int]:
    """Replace the document's rows in `<out_dir>/whitepaper.duckdb` (one transaction); rows written per table."""
    cells = normalised.cells.copy()
    cells["status"] = validation.cell_status.values if len(cells) else []
    findings = validation.findings.copy()
    frames = {"tables": normalised.tables, "cells": cells, "findings": findings}
    facts = facts_of(normalised)
    if not facts.empty:
        frames["facts"] = facts
    row = document_row(normalised, validation, edition, folder, code_version)
    return history.replace_edition(history.db_path(out_dir), row, frames)
