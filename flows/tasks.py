"""Prefect tasks, one per stage, for one document at a time: extract -> normalise -> validate -> publish.

Each task wraps its stage's one function and never raises: an unreadable input or a bug comes back as
`Rejected` with a one-line reason (the traceback goes to the debug log), so the batch goes on and
Prefect prints no traceback. Extraction is cached on the PDF's sha256, the extractors' code hash and
the limits, not on the path (a renamed file is not re-read, a changed one is). Normalising and
validating are cached too, on keys that say everything their results depend on (flows.stage_keys), so
that a re-run of an unchanged document reuses them; a `Rejected` result of those two is never cached.

The stage modules are imported when a task first runs, not with this module: a run whose results are
all cached never imports spaCy's pipeline or Great Expectations.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.transactions import get_transaction

from flows import progress
from normalise.document import Normalised, document_id

if TYPE_CHECKING:
    from expectations.validation import Validation
    from extractors.reader import DocumentExtract

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


def _not_cached(rejected: Rejected) -> Rejected:
    """A failure is reported, never remembered: the next run tries again."""
    transaction = get_transaction()
    if transaction is not None:
        transaction.write_on_commit = False
    return rejected


def _given_key(context, parameters: dict) -> str | None:
    """The key the flow computed; without one (a direct call) nothing is cached."""
    return parameters.get("cache_key") or None


# The cached stages: results on disk, not also in Prefect's in-memory result cache (it would hold every
# document's results until the run ends: memory growing with the batch).
PERSISTED = {"persist_result": True, "cache_result_in_memory": False}


@task(name="extract", cache_policy=(INPUTS - "pdf_path") + TASK_SOURCE, **PERSISTED)
def extract_task(
    pdf_path: str, sha256: str, extractor_hash: str, limits: dict | None = None
) -> DocumentExtract | Rejected:
    """Tables, prose sentences and prose facts of the PDF; an unreadable file comes back as `Rejected`."""
    from extractors.pdf_open import InputError, OpenLimits
    from extractors.reader import extract_document

    try:
        return extract_document(pdf_path, OpenLimits(**(limits or {})), on_page=progress.current().page)
    except InputError as exc:
        return Rejected(exc.path, exc.reason, exc.kind)
    except Exception as exc:  # anything else pdfminer or an extractor raises: report, keep the batch going
        return internal_error(pdf_path, "extracting", exc)


# Looked up at call time (tests replace it to inject a fault).
def normalise_document(
    extract, pdf_path: str, profile_path: str | None = None, profile_dirs: tuple[str, ...] = ()
) -> Normalised:
    from normalise.document import normalise_document as normalise

    return normalise(extract, pdf_path, profile_path, profile_dirs)


@task(name="normalise", cache_key_fn=_given_key, **PERSISTED)
def normalise_task(
    extract: DocumentExtract,
    pdf_path: str,
    profile_path: str | None = None,
    profile_dirs: tuple[str, ...] = (),
    cache_key: str = "",
) -> Normalised | Rejected:
    """Tidy frames for one document, with its publisher profile applied (normalise.document).
    `cache_key` (flows.stage_keys.normalise_key) names what the result depends on. A `Rejected`
    extraction (tasks chained through a task runner's futures) is handed on, under this path."""
    if isinstance(extract, Rejected):  # cached on content: it may name another copy's path
        return _not_cached(replace(extract, path=pdf_path))
    try:
        return normalise_document(extract, pdf_path, profile_path, profile_dirs)
    except Exception as exc:
        return _not_cached(internal_error(pdf_path, "normalising", exc))


@task(name="validate", cache_key_fn=_given_key, **PERSISTED)
def validate_task(normalised: Normalised, edition=None, cache_key: str = "") -> Validation | Rejected:
    """Every declared check (expectations.validation); `edition` (flows.edition_tasks.EditionContext)
    brings the previous edition for the cross-edition ones. `cache_key`: flows.stage_keys.validate_key."""
    if isinstance(normalised, Rejected):
        return _not_cached(normalised)
    from expectations import gx_process
    from expectations.gx_suites import run_context
    from expectations.validation import validate_document

    try:
        return validate_document(
            normalised.cells,
            normalised.profile,
            facts=normalised.facts,
            current=edition.current if edition is not None else None,
            previous=edition.previous if edition is not None else None,
            context=gx_process.current() or run_context(),  # GX in the run's own process when there is one
            run_name=normalised.doc_id,
            year_ago=edition.year_ago if edition is not None else None,
            period=normalised.period,
        )
    except Exception as exc:
        return _not_cached(internal_error(normalised.document["path"], "validating", exc))


@task(name="publish")
def publish_task(
    normalised: Normalised, validation: Validation, out_dir: str, pdf_path: str | None = None
) -> str | Rejected:
    """Write all outputs of one document atomically (publish.outputs) and show its report as a Prefect
    artifact; returns the output folder. On failure the previous outputs stay as they were."""
    for earlier in (normalised, validation):
        if isinstance(earlier, Rejected):
            return earlier
    from flows.report_artifact import publish_artifact
    from publish.outputs import write_outputs

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
