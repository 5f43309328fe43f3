"""Prefect tasks: extract -> normalise -> validate -> publish, one document at a time.

Extraction is the only expensive step, so it alone is cached, keyed on the PDF's sha256 and the
extractor's source code (not on the path: a renamed file is not re-read, a changed one is).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from prefect import task
from prefect.cache_policies import INPUTS, TASK_SOURCE

from expectations.prose.prose_rules import fact_equations
from expectations.prose.prose_terms import fact_intervals, fact_labels
from expectations.validation import Validation, validate_document
from extractors.pdf_open import InputError, OpenLimits
from extractors.reader import DocumentExtract, extract_document
from normalise.profile import Profile, choose_profile, load_profile
from normalise.tidy import cells_frame, facts_frame, table_ids, tables_frame
from publish import files as publish
from publish import package as publication

log = logging.getLogger(__name__)
EXTRACTORS_DIR = Path(__file__).resolve().parent.parent / "extractors"
YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")


def extractor_version() -> str:
    """Hash of the extractor sources: a changed extractor must not reuse old cached extractions."""
    digest = hashlib.sha256()
    for path in sorted(EXTRACTORS_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json"):
            digest.update(path.relative_to(EXTRACTORS_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


KIND_INTERNAL = "internal"
KIND_OUTPUT = "output"
MAX_MESSAGE_CHARS = 120


@dataclass
class Rejected:
    """An input that could not be processed, with a one-line reason."""

    path: str
    reason: str
    kind: str


def internal_error(path: str, step: str, exc: BaseException) -> Rejected:
    """A bug or an unforeseen input met in `step`: one line for the user, the traceback in the debug log
    (`whitepaper run --verbose`), and the batch goes on. Tasks return this instead of raising, so
    Prefect does not print a traceback for a document."""
    log.debug("%s: %s failed", path, step, exc_info=exc)
    message = " ".join(str(exc).split())[:MAX_MESSAGE_CHARS] or type(exc).__name__
    return Rejected(
        str(path),
        f"internal error while {step} ({type(exc).__name__}: {message}); --verbose shows the traceback",
        KIND_INTERNAL,
    )


@dataclass
class Normalised:
    doc_id: str
    document: dict
    tables: pd.DataFrame
    cells: pd.DataFrame
    facts: pd.DataFrame
    profile: Profile | None = None


def document_id(path: str | Path) -> str:
    return Path(path).stem


def edition_year(head_text: str, profile: Profile | None) -> int | None:
    """The edition year read from the document's first pages, not from the file name."""
    if profile is not None:
        match = re.search(profile.year_pattern, head_text, flags=re.IGNORECASE)
        if match:
            return int(match.group(1))
    years = Counter(YEAR_RE.findall(head_text))
    return int(years.most_common(1)[0][0]) if years else None


@task(name="extract", persist_result=True, cache_policy=(INPUTS - "pdf_path") + TASK_SOURCE)
def extract_task(
    pdf_path: str, sha256: str, code_version: str, limits: dict | None = None
) -> DocumentExtract | Rejected:
    """Read tables (and text) from the PDF; an unreadable file comes back as `Rejected`, never raised.

    Cached on the file's hash, the extractor's code and the limits (not on the path)."""
    try:
        return extract_document(pdf_path, OpenLimits(**(limits or {})))
    except InputError as exc:
        return Rejected(exc.path, exc.reason, exc.kind)
    except Exception as exc:  # anything else pdfminer or an extractor raises: report, keep the batch going
        return internal_error(pdf_path, "extracting", exc)


@task(name="normalise")
def normalise_task(extract: DocumentExtract, pdf_path: str, profile_path: str | None = None) -> Normalised | Rejected:
    """Tidy frames for one document. `pdf_path` is this run's path: a cached extraction (keyed on the
    file's hash) may carry the path of an earlier run of the same bytes under another name."""
    try:
        return _normalise(extract, pdf_path, profile_path)
    except Exception as exc:
        return internal_error(pdf_path, "normalising", exc)


def _normalise(extract: DocumentExtract, pdf_path: str, profile_path: str | None) -> Normalised:
    row_labels = [row[0] for table in extract.tables for row in table.body if row]
    profile = load_profile(profile_path) if profile_path else choose_profile(extract.head_text, row_labels)
    doc_id = document_id(pdf_path)
    ids = table_ids(extract.tables)
    document = {
        "doc_id": doc_id,
        "path": str(pdf_path),
        "sha256": extract.sha256,
        "publisher": profile.id if profile else "",
        "year": edition_year(extract.head_text, profile),
        "pages": extract.pages,
        "tables": len(extract.tables),
        "sentences": len(extract.sentences),
        "warnings": list(extract.warnings),
    }
    facts = facts_frame(doc_id, extract.facts)
    document["facts"] = len(facts)
    return Normalised(
        doc_id=doc_id,
        document=document,
        tables=tables_frame(doc_id, extract.tables, ids),
        cells=cells_frame(doc_id, extract.tables, ids, profile),
        facts=facts,
        profile=profile,
    )


@task(name="validate")
def validate_task(normalised: Normalised, edition=None) -> Validation | Rejected:
    """Run every declared check; `edition` (flows.edition_tasks.EditionContext) adds the cross-edition ones."""
    try:
        return _validate(normalised, edition)
    except Exception as exc:
        return internal_error(normalised.document["path"], "validating", exc)


def _validate(normalised: Normalised, edition) -> Validation:
    facts, cells, profile = normalised.facts, normalised.cells, normalised.profile
    # Prose-prose rules need no profile; prose-table rules use its vocabulary when there is one.
    extra = fact_equations(facts, cells, profile) if len(facts) else []
    intervals, labels = fact_intervals(facts), fact_labels(facts)
    if edition is not None:
        extra = extra + edition.equations
        intervals, labels = intervals | edition.intervals, labels | edition.labels
    return validate_document(
        cells,
        profile,
        extra_equations=extra,
        extra_intervals=intervals,
        extra_labels=labels,
        run_name=normalised.doc_id,
    )


@task(name="publish")
def publish_task(
    normalised: Normalised, validation: Validation, out_dir: str, pdf_path: str | None = None
) -> str | Rejected:
    """Write all outputs of one document atomically, the report included; returns the output folder. On
    failure the previous outputs stay as they were (publish.files) and the document comes back `Rejected`."""
    final = Path(out_dir) / normalised.doc_id
    path = normalised.document["path"]
    try:
        return _publish(normalised, validation, final, pdf_path)
    except OSError as exc:
        log.debug("%s: writing %s failed", path, final, exc_info=exc)
        return Rejected(path, f"cannot write outputs to {final} ({exc.strerror or exc})", KIND_OUTPUT)
    except Exception as exc:
        return internal_error(path, "writing outputs", exc)


def _publish(normalised: Normalised, validation: Validation, final: Path, pdf_path: str | None) -> str:
    from flows.report_artifact import publish_artifact
    from publish.report.build import write_report

    document = dict(normalised.document)
    document["processed_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    document["findings"] = validation.findings["severity"].value_counts().to_dict()
    cells = normalised.cells.copy()
    cells["status"] = validation.cell_status.values if len(cells) else []
    with publish.atomic_dir(final) as tmp:
        publish.write_csv(normalised.tables, tmp / "tables.csv")
        publish.write_csv(cells, tmp / "cells.csv")
        publish.write_csv(normalised.facts, tmp / "facts.csv")
        publish.write_csv(validation.findings, tmp / "findings.csv")
        publish.write_json(publish.records(validation.findings), tmp / "findings.json")
        publish.write_csv(validation.summary, tmp / "checks.csv")
        publish.write_json(document, tmp / "document.json")
        gx_dir = tmp / "gx"
        gx_dir.mkdir()
        for check, result in validation.gx_results.items():
            publish.write_json(result, gx_dir / f"{check}.json")
        recon_dir = tmp / "reconciliation"
        recon_dir.mkdir()
        for check, frame in validation.frames.items():
            publish.write_csv(frame, recon_dir / f"{check}.csv")
        publication.write_publication(
            tmp,
            {
                "tables": normalised.tables,
                "cells": cells,
                "facts": normalised.facts,
                "findings": validation.findings,
                "checks": validation.summary,
            },
            document,
        )
        write_report(tmp, pdf_path)  # report.html, crops/, data_docs/: needs the files above
    publish_artifact(final)
    return str(final)
