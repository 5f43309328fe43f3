"""Many documents through the flow's task runner (`whitepaper run --workers N` / `--dask-address`).

The same tasks as one document at a time (flows.flow.process_document), submitted instead of called:

1. every document's extract and normalise tasks at once (the runner spreads them over its workers);
2. in waves, in edition order: a document is checked (validate) and published on a worker once the
   previous edition of the same publisher, when it is in this batch too, has been recorded, so that
   it is compared with that edition as a run one document at a time would compare it;
3. the history database is read and written here, in the flow's process only (DuckDB has a single
   writer), in input order within each wave.

Workers therefore need the input PDFs and the output folder at the same paths (one machine, or a
shared filesystem), and the Prefect API the flow uses. Results are the same as a run without a runner:
the tests compare the published files.
"""

from __future__ import annotations

from dataclasses import dataclass

from expectations.editions.edition_terms import load_settings  # not edition_rules: no spaCy import
from flows import progress
from flows.edition_tasks import history_task, previous_edition_task
from flows.flow import (
    RunOptions,
    _guarded,
    digest_unless_done,
    document_key,
    processed_result,
    refreshed,
    rejected_result,
)
from flows.results import DocumentResult
from flows.stage_keys import validate_key
from flows.tasks import Rejected, extract_task, internal_error, normalise_task, publish_task, validate_task


@dataclass
class Submitted:
    """One document on its way: its futures, then what the driver learnt from them."""

    index: int
    path: str
    key: str
    extract: object  # future of extract_task
    normalise: object  # future of normalise_task
    normalised: object = None


def _outcome(future, pdf_path: str, step: str):
    """The task's value, or the document's one line when the task (or its worker) failed."""
    try:
        return future.result()
    except Exception as exc:  # a worker that died, a task that raised: this document's line, not the batch's end
        return internal_error(pdf_path, step, exc)


def _submit(index: int, pdf_path: str, options: RunOptions) -> Submitted | DocumentResult:
    digest = digest_unless_done(pdf_path, options)
    if isinstance(digest, DocumentResult):
        return digest
    key = document_key(pdf_path, digest, options)
    extracted = refreshed(extract_task, options).submit(pdf_path, digest, options.extractor_hash, options.limits)
    normalised = refreshed(normalise_task, options).submit(
        extracted, pdf_path, options.profile_path, options.profile_dirs, cache_key=key
    )
    return Submitted(index, pdf_path, key, extracted, normalised)


def _blocked(doc: Submitted, pending: list[Submitted], offset: int) -> bool:
    """Is the previous edition of `doc` (same publisher, year - offset) still to be recorded?"""
    document = doc.normalised.document
    year, publisher = document.get("year"), document.get("publisher", "")
    if year is None:
        return False
    return any(
        other.normalised.document.get("publisher", "") == publisher
        and other.normalised.document.get("year") == year - offset
        for other in pending
        if other is not doc
    )


def _check_and_publish(doc: Submitted, options: RunOptions):
    """Submit validate + publish for one document; the previous edition is read here (the history)."""
    out = options.out_dir
    edition = _guarded("finding the previous edition", doc.path, previous_edition_task, doc.normalised, out)
    if isinstance(edition, Rejected):
        return edition, None, None
    key = validate_key(doc.key, edition)
    validated = refreshed(validate_task, options).submit(doc.normalised, edition, cache_key=key)
    published = publish_task.submit(doc.normalised, validated, out, doc.path)
    return edition, validated, published


def _record(doc: Submitted, edition, validated, published, options: RunOptions) -> DocumentResult:
    if isinstance(edition, Rejected):
        return rejected_result(edition, doc.extract.state.name)
    validation = _outcome(validated, doc.path, "validating")
    folder = _outcome(published, doc.path, "writing outputs")
    for value in (validation, folder):
        if isinstance(value, Rejected):
            return rejected_result(value, doc.extract.state.name)
    history = (doc.normalised, validation, edition, folder, options.out_dir, options.pipeline_hash)
    written = _guarded("writing the history", doc.path, history_task, *history)
    if isinstance(written, Rejected):
        return rejected_result(written, doc.extract.state.name)
    extract = doc.extract.result()
    return processed_result(doc.path, extract, doc.normalised, validation, edition, folder, doc.extract.state.name)


def process_in_parallel(pdf_paths: list[str], options: RunOptions) -> list[DocumentResult]:
    """Every document through the task runner; results in input order (see the module's docstring)."""
    report = progress.current()
    results: list[DocumentResult | None] = [None] * len(pdf_paths)
    pending: list[Submitted] = []
    for index, pdf_path in enumerate(pdf_paths):
        submitted = _submit(index, pdf_path, options)
        if isinstance(submitted, DocumentResult):
            results[index] = submitted
            report.document(index, pdf_path)
            report.finished(submitted)
        else:
            pending.append(submitted)
    for doc in list(pending):
        report.document(doc.index, doc.path)
        report.stage("reading pages")
        normalised = _outcome(doc.normalise, doc.path, "normalising")
        if isinstance(normalised, Rejected):
            results[doc.index] = rejected_result(normalised, doc.extract.state.name)
            report.finished(results[doc.index])
            pending.remove(doc)
        else:
            doc.normalised = normalised
    offset = load_settings().previous_year_offset
    while pending:
        wave = [doc for doc in pending if not _blocked(doc, pending, offset)] or pending[:1]
        submitted = [(doc, *_check_and_publish(doc, options)) for doc in wave]
        for doc, edition, validated, published in submitted:
            report.document(doc.index, doc.path)
            report.stage("checking and publishing")
            results[doc.index] = _record(doc, edition, validated, published, options)
            report.finished(results[doc.index])
            pending.remove(doc)
    return results
