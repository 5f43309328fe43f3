"""The Prefect flow: for each PDF, extract -> normalise -> previous edition -> validate -> publish -> history.

A bad input never stops the batch: it comes back as a `DocumentResult` with a one-line reason. Every
task returns a `Rejected` record instead of raising (so Prefect prints no traceback either); a task
this module does not own is run for its state, and a failure becomes `Rejected` here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from prefect import flow, get_run_logger

from extractors.reader import sha256_of
from flows import manifest
from flows.edition_tasks import history_task, previous_edition_task
from flows.tasks import (
    Rejected,
    document_id,
    extract_task,
    extractor_version,
    internal_error,
    normalise_task,
    publish_task,
    validate_task,
)

STATUS_PROCESSED = "processed"
STATUS_REJECTED = "rejected"
STATUS_SKIPPED = "skipped"  # unchanged since its last ingestion (only with skip_unchanged)


@dataclass
class DocumentResult:
    path: str
    status: str
    doc_id: str = ""
    reason: str = ""
    kind: str = ""
    out_dir: str = ""
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count
    warnings: list[str] = field(default_factory=list)
    extract_state: str = ""  # final state name of the extract task: "Completed", or "Cached" when reused
    year: int | None = None
    previous_doc_id: str = ""  # the previous edition it was compared with


def _rejected(record: Rejected, extract_state: str = "") -> DocumentResult:
    return DocumentResult(
        record.path, STATUS_REJECTED, reason=record.reason, kind=record.kind, extract_state=extract_state
    )


def _guarded(step: str, pdf_path: str, task, *args):
    """Run a task that may raise; its failure is this document's `Rejected` line, not the batch's end."""
    state = task(*args, return_state=True)
    if state.is_completed():
        return state.result()
    try:
        state.result()
    except BaseException as exc:  # the task's own exception, re-raised by Prefect
        if not isinstance(exc, Exception):
            raise
        return internal_error(pdf_path, step, exc)
    return internal_error(pdf_path, step, RuntimeError(f"task ended {state.name}"))


def process_document(
    pdf_path: str,
    out_dir: str,
    profile_path: str | None,
    code_version: str,
    skip_unchanged: bool = False,
    pipeline_version: str = "",
    limits: dict | None = None,
    refresh: bool = False,
) -> DocumentResult:
    """One document through the tasks; any step may hand back `Rejected`, which ends it with one line."""
    try:
        digest = sha256_of(pdf_path)
    except OSError as exc:  # vanished or unreadable between listing and reading
        return DocumentResult(
            pdf_path, STATUS_REJECTED, reason=f"cannot read file ({exc.strerror or exc})", kind="unreadable"
        )
    if skip_unchanged:
        known = manifest.unchanged(out_dir, document_id(pdf_path), digest, pipeline_version)
        if known is not None:
            return _skipped(pdf_path, out_dir, known)
    extract_step = extract_task.with_options(refresh_cache=True) if refresh else extract_task
    extract_state = extract_step(pdf_path, digest, code_version, limits, return_state=True)
    extract = extract_state.result()
    if isinstance(extract, Rejected):
        # the cache is keyed on content: a Rejected from an earlier run may name another copy's path
        return _rejected(replace(extract, path=pdf_path), extract_state.name)
    normalised = normalise_task(extract, pdf_path, profile_path)
    if isinstance(normalised, Rejected):
        return _rejected(normalised, extract_state.name)
    edition = _guarded("finding the previous edition", pdf_path, previous_edition_task, normalised, out_dir)
    if isinstance(edition, Rejected):
        return _rejected(edition, extract_state.name)
    validation = validate_task(normalised, edition)
    if isinstance(validation, Rejected):
        return _rejected(validation, extract_state.name)
    folder = publish_task(normalised, validation, out_dir, pdf_path)
    if isinstance(folder, Rejected):
        return _rejected(folder, extract_state.name)
    written = _guarded(
        "writing the history",
        pdf_path,
        history_task,
        normalised,
        validation,
        edition,
        folder,
        out_dir,
        pipeline_version or manifest.pipeline_version(),
    )
    if isinstance(written, Rejected):
        return _rejected(written, extract_state.name)
    counts = validation.findings["severity"].value_counts().to_dict() if len(validation.findings) else {}
    return DocumentResult(
        pdf_path,
        STATUS_PROCESSED,
        doc_id=normalised.doc_id,
        out_dir=folder,
        findings={str(k): int(v) for k, v in counts.items()},
        warnings=list(extract.warnings),
        extract_state=extract_state.name,
        year=normalised.document.get("year"),
        previous_doc_id=edition.previous_doc_id,
    )


def _skipped(pdf_path: str, out_dir: str, known: dict) -> DocumentResult:
    counts = {"error": known["findings_error"], "warning": known["findings_warning"], "info": known["findings_info"]}
    return DocumentResult(
        pdf_path,
        STATUS_SKIPPED,
        doc_id=known["doc_id"],
        out_dir=str(known["out_dir"]),
        findings={k: int(v) for k, v in counts.items() if v},
        year=known["year"],
        previous_doc_id=known["previous_doc_id"] or "",
    )


def _stale(result: DocumentResult, out_dir: str, version: str) -> bool:
    """Processed or skipped, but no longer as the history says it should be (its previous edition changed)."""
    if result.status == STATUS_REJECTED:
        return False
    try:
        digest = sha256_of(result.path)
    except OSError:
        return False  # gone since: the next run reports it
    return manifest.unchanged(out_dir, result.doc_id, digest, version) is None


def process_documents(
    pdf_paths: list[str],
    out_dir: str,
    profile_path: str | None,
    skip_unchanged: bool = False,
    limits: dict | None = None,
    refresh: bool = False,
) -> list[DocumentResult]:
    """Every PDF in order; then once more every document whose previous edition changed during this run
    (an earlier edition processed after a later one), so its cross-edition checks see the new history."""
    logger = get_run_logger()
    code_version, version = extractor_version(), manifest.pipeline_version()
    results = []
    for pdf_path in pdf_paths:
        results.append(
            process_document(
                str(pdf_path), str(out_dir), profile_path, code_version, skip_unchanged, version, limits, refresh
            )
        )
    for index, result in enumerate(results):
        if not _stale(result, str(out_dir), version):
            continue
        logger.info("%s: its previous edition changed during this run; checking it again", result.path)
        results[index] = process_document(result.path, str(out_dir), profile_path, code_version, False, version, limits)
    for result in results:
        if result.status == STATUS_REJECTED:  # INFO: the CLI prints the one line itself
            logger.info("%s rejected: %s", result.path, result.reason)
        else:
            logger.info(
                "%s: %s, %s findings -> %s", result.path, result.status, result.findings or "no", result.out_dir
            )
    return results


@flow(name="whitepaper", log_prints=False)
def whitepaper_flow(
    pdf_paths: list[str],
    out_dir: str = "output",
    profile_path: str | None = None,
    skip_unchanged: bool = False,
    limits: dict | None = None,
    refresh: bool = False,
) -> list[DocumentResult]:
    """Process every PDF in `pdf_paths`, writing `<out_dir>/<pdf stem>/` for each one that can be read and
    its rows in `<out_dir>/whitepaper.duckdb`. With `skip_unchanged`, a PDF whose sha256, pipeline
    version and previous edition are as last ingested is not processed again. `limits` are
    `extractors.pdf_open.OpenLimits` fields (max_pages, max_page_area_sq_in, max_seconds); `refresh`
    re-reads every PDF even when the same file was extracted before by the same extractor code."""
    return process_documents([str(p) for p in pdf_paths], str(out_dir), profile_path, skip_unchanged, limits, refresh)
