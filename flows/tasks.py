"""Prefect tasks, one per stage, for one document at a time: extract -> normalise -> validate -> publish.

Each task wraps its stage's one function and never raises: an unreadable input or a bug comes back as
`Rejected` with a one-line reason (the traceback goes to the debug log), so the batch goes on and
Prefect prints no traceback. Extraction (tables and prose facts) is the only expensive stage, so it
alone is cached: keyed on the PDF's sha256, the extractors' code hash and the limits, not on the path
(a renamed file is not re-read, a changed one is).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from prefect import task
from prefect.cache_policies import INPUTS, TASK_SOURCE

from expectations.validation import Validation, validate_document
from extractors.pdf_open import InputError, OpenLimits
from extractors.reader import DocumentExtract, extract_document
from normalise.document import Normalised, document_id, normalise_document
from publish.outputs import write_outputs

__all__ = ["Normalised", "Rejected", "document_id", "extract_task", "normalise_task", "publish_task", "validate_task"]

log = logging.getLogger(__name__)
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
    (`whitepaper run --verbose`), and the batch goes on."""
    log.debug("%s: %s failed", path, step, exc_info=exc)
    message = " ".join(str(exc).split())[:MAX_MESSAGE_CHARS] or type(exc).__name__
    return Rejected(
        str(path),
        f"internal error while {step} ({type(exc).__name__}: {message}); --verbose shows the traceback",
        KIND_INTERNAL,
    )


@task(name="extract", persist_result=True, cache_policy=(INPUTS - "pdf_path") + TASK_SOURCE)
def extract_task(
    pdf_path: str, sha256: str, extractor_hash: str, limits: dict | None = None
) -> DocumentExtract | Rejected:
    """Tables, prose sentences and prose facts of the PDF; an unreadable file comes back as `Rejected`."""
    try:
        return extract_document(pdf_path, OpenLimits(**(limits or {})))
    except InputError as exc:
        return Rejected(exc.path, exc.reason, exc.kind)
    except Exception as exc:  # anything else pdfminer or an extractor raises: report, keep the batch going
        return internal_error(pdf_path, "extracting", exc)


@task(name="normalise")
def normalise_task(
    extract: DocumentExtract, pdf_path: str, profile_path: str | None = None, profile_dirs: tuple[str, ...] = ()
) -> Normalised | Rejected:
    """Tidy frames for one document, with its publisher profile applied (normalise.document)."""
    try:
        return normalise_document(extract, pdf_path, profile_path, profile_dirs)
    except Exception as exc:
        return internal_error(pdf_path, "normalising", exc)


@task(name="validate")
def validate_task(normalised: Normalised, edition=None) -> Validation | Rejected:
    """Every declared check (expectations.validation); `edition` (flows.edition_tasks.EditionContext)
    brings the previous edition for the cross-edition ones."""
    try:
        return validate_document(
            normalised.cells,
            normalised.profile,
            facts=normalised.facts,
            current=edition.current if edition is not None else None,
            previous=edition.previous if edition is not None else None,
            run_name=normalised.doc_id,
            year_ago=edition.year_ago if edition is not None else None,
            period=normalised.period,
        )
    except Exception as exc:
        return internal_error(normalised.document["path"], "validating", exc)


@task(name="publish")
def publish_task(
    normalised: Normalised, validation: Validation, out_dir: str, pdf_path: str | None = None
) -> str | Rejected:
    """Write all outputs of one document atomically (publish.outputs) and show its report as a Prefect
    artifact; returns the output folder. On failure the previous outputs stay as they were."""
    from flows.report_artifact import publish_artifact

    path = normalised.document["path"]
    try:
        folder = write_outputs(normalised, validation, out_dir, pdf_path)
        publish_artifact(folder)
    except OSError as exc:
        final = Path(out_dir) / normalised.doc_id
        log.debug("%s: writing %s failed", path, final, exc_info=exc)
        return Rejected(path, f"cannot write outputs to {final} ({exc.strerror or exc})", KIND_OUTPUT)
    except Exception as exc:
        return internal_error(path, "writing outputs", exc)
    return str(folder)
