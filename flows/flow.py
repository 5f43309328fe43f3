"""The Prefect flow: for each PDF, extract -> normalise -> previous edition -> validate -> publish -> history.

A bad input never stops the batch: it comes back as a `DocumentResult` with a one-line reason. Every
task returns a `Rejected` record instead of raising (so Prefect prints no traceback either); the
history tasks, which may raise, are run for their state and a failure becomes `Rejected` here.
Documents go one after the other in this process; with `parallel` (a Dask task runner, see
flows.scale_out) their stages are submitted to the runner instead. Progress goes to
flows.progress.current().
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.utilities.annotations import quote

from expectations.severity import COUNT_COLUMNS
from extractors.pdf_open import sha256_of
from flows import manifest, progress
from flows.edition_tasks import history_task, previous_edition_task
from flows.results import STATUS_PROCESSED, STATUS_REJECTED, STATUS_SKIPPED, DocumentResult
from flows.stage_keys import normalise_key, validate_key
from flows.tasks import Rejected, extract_task, internal_error, normalise_task, publish_task, validate_task
from flows.versions import extractor_code_hash, pipeline_code_hash
from normalise.document import document_id
from normalise.profiles import user_profiles_hash


@dataclass(frozen=True)
class RunOptions:
    """How every document of a run is processed (the flow's parameters)."""

    out_dir: str = "output"
    profile_path: str | None = None
    skip_unchanged: bool = False
    limits: dict | None = None  # extractors.pdf_open.OpenLimits fields
    refresh: bool = False  # re-read even when the extraction is cached
    profile_dirs: tuple[str, ...] = ()  # user folders of publisher profiles, before the package's
    extractor_hash: str = ""
    pipeline_hash: str = ""


class _Stop(Exception):
    """A stage handed back `Rejected`: the document ends with its one line."""

    def __init__(self, rejected: Rejected):
        self.rejected = rejected


def _ok(value):
    if isinstance(value, Rejected):
        raise _Stop(value)
    return value


def _guarded(step: str, pdf_path: str, task, *args):
    """Run a task that may raise; its failure is this document's `Rejected` line, not the batch's end."""
    state = task(*args, return_state=True)
    if state.is_completed():
        return state.result()
    try:
        state.result()
    except Exception as exc:  # the task's own exception, re-raised by Prefect
        return internal_error(pdf_path, step, exc)
    return internal_error(pdf_path, step, RuntimeError(f"task ended {state.name}"))


def refreshed(step, options: RunOptions):
    """The task as this run calls it: with `refresh`, its cached result is not reused."""
    return step.with_options(refresh_cache=True) if options.refresh else step


def read_digest(pdf_path: str) -> str | DocumentResult:
    """The file's sha256, or the document's one line when it vanished or cannot be read."""
    try:
        return sha256_of(pdf_path)
    except OSError as exc:  # vanished or unreadable between listing and reading
        reason = f"cannot read file ({exc.strerror or exc})"
        return DocumentResult(pdf_path, STATUS_REJECTED, reason=reason, kind="unreadable")


def document_key(pdf_path: str, digest: str, options: RunOptions) -> str:
    limits, profile, dirs = options.limits, options.profile_path, options.profile_dirs
    return normalise_key(pdf_path, digest, profile, dirs, limits, options.extractor_hash, options.pipeline_hash)


def rejected_result(rejected: Rejected, extract_state: str = "") -> DocumentResult:
    return DocumentResult(
        rejected.path, STATUS_REJECTED, reason=rejected.reason, kind=rejected.kind, extract_state=extract_state
    )


def processed_result(pdf_path, extract, normalised, validation, edition, folder, extract_state) -> DocumentResult:
    counts = validation.findings["severity"].value_counts().to_dict() if len(validation.findings) else {}
    return DocumentResult(
        pdf_path,
        STATUS_PROCESSED,
        doc_id=normalised.doc_id,
        out_dir=folder,
        findings={str(k): int(v) for k, v in counts.items()},
        # the document's warnings: the reader's, and normalise's (a table whose structure is doubtful)
        warnings=[*normalised.notes, *normalised.document.get("warnings", extract.warnings)],
        extract_state=extract_state,
        year=normalised.document.get("year"),
        previous_doc_id=edition.previous_doc_id,
    )


def digest_unless_done(pdf_path: str, options: RunOptions) -> str | DocumentResult:
    """The file's sha256 to process it with, or its result already: unreadable, or (with
    skip_unchanged) unchanged since its last ingestion."""
    digest = read_digest(pdf_path)
    if isinstance(digest, DocumentResult):
        return digest
    if options.skip_unchanged:
        known = manifest.unchanged(options.out_dir, document_id(pdf_path), digest, options.pipeline_hash)
        if known is not None:
            return _skipped(pdf_path, known)
    return digest


def process_document(pdf_path: str, options: RunOptions) -> DocumentResult:
    """One document through the stages; any stage may hand back `Rejected`, which ends it with one line."""
    report = progress.current()
    digest = digest_unless_done(pdf_path, options)
    if isinstance(digest, DocumentResult):
        return digest
    report.stage("reading pages")
    extract_step = refreshed(extract_task, options)
    extract_state = extract_step(pdf_path, digest, options.extractor_hash, options.limits, return_state=True)
    out = options.out_dir
    key = document_key(pdf_path, digest, options)
    try:
        extract = extract_state.result()
        if isinstance(extract, Rejected):  # cached on content: it may name another copy's path
            extract = replace(extract, path=pdf_path)
        extract = _ok(extract)
        # The stages' inputs are values, never futures: quoted, Prefect does not walk each one (twice per
        # task, ~0.5 s of a run on the 2023 paper; the price: the UI's task graph shows no input edges).
        report.stage("normalising")
        normalise_step = refreshed(normalise_task, options)
        normalised = _ok(
            normalise_step(quote(extract), pdf_path, options.profile_path, options.profile_dirs, cache_key=key)
        )
        report.stage("finding the previous edition")
        edition = _ok(_guarded("finding the previous edition", pdf_path, previous_edition_task, quote(normalised), out))
        report.stage("checking")
        validate_step = refreshed(validate_task, options)
        validation = _ok(validate_step(quote(normalised), quote(edition), cache_key=validate_key(key, edition)))
        report.stage("publishing")
        folder = _ok(publish_task(quote(normalised), quote(validation), out, pdf_path))
        report.stage("recording the history")
        history = (quote(normalised), quote(validation), quote(edition), folder, out, options.pipeline_hash)
        _ok(_guarded("writing the history", pdf_path, history_task, *history))
    except _Stop as stop:
        return rejected_result(stop.rejected, extract_state.name)
    return processed_result(pdf_path, extract, normalised, validation, edition, folder, extract_state.name)


@contextmanager
def _states_forgotten():
    """Prefect keeps every task state of a flow run, its result with it, to link later tasks' inputs to
    it (FlowRunContext.run_results); no later task reads a finished document's results (the stages'
    inputs are quoted), so the document's are dropped when it ends: memory stays flat over a batch."""
    context = FlowRunContext.get()
    known = set(context.run_results) if context is not None else set()
    try:
        yield
    finally:
        if context is not None:
            for key in set(context.run_results) - known:
                context.run_results.pop(key, None)


def _skipped(pdf_path: str, known: dict) -> DocumentResult:
    counts = {severity: known[column] for severity, column in COUNT_COLUMNS.items()}
    return DocumentResult(
        pdf_path,
        STATUS_SKIPPED,
        doc_id=known["doc_id"],
        out_dir=str(known["out_dir"]),
        findings={k: int(v) for k, v in counts.items() if v},
        year=known["year"],
        previous_doc_id=known["previous_doc_id"] or "",
    )


def _stale(result: DocumentResult, options: RunOptions) -> bool:
    """Processed or skipped, but no longer as the history says it should be (its previous edition changed)."""
    if result.status == STATUS_REJECTED:
        return False
    try:
        digest = sha256_of(result.path)
    except OSError:
        return False  # gone since: the next run reports it
    return manifest.unchanged(options.out_dir, result.doc_id, digest, options.pipeline_hash) is None


def recheck_stale(results: list[DocumentResult], options: RunOptions) -> None:
    """Once more every document whose previous edition changed during this run (an earlier edition
    processed after a later one), so its cross-edition checks see the new history."""
    report = progress.current()
    for index, result in enumerate(results):
        if _stale(result, options):
            get_run_logger().info("%s: its previous edition changed during this run; checking it again", result.path)
            report.document(index, result.path)
            again = process_document(result.path, replace(options, skip_unchanged=False, refresh=False))
            results[index] = replace(again, rechecked=True)
            report.finished(results[index])


def process_documents(pdf_paths: list[str], options: RunOptions, parallel: bool = False) -> list[DocumentResult]:
    """Every PDF in order (with `parallel`, through the flow's task runner: flows.scale_out); then the
    documents whose previous edition arrived later in the run are checked again."""
    logger = get_run_logger()
    profiles = user_profiles_hash(options.profile_path, options.profile_dirs)  # profiles outside the package
    pipeline = pipeline_code_hash() + (f"+{profiles}" if profiles else "")
    options = replace(options, extractor_hash=extractor_code_hash(), pipeline_hash=pipeline)
    report = progress.current()
    report.begin(len(pdf_paths))
    if parallel:
        from flows.scale_out import process_in_parallel

        results = process_in_parallel([str(p) for p in pdf_paths], options)
    else:
        results = []
        for index, pdf_path in enumerate(pdf_paths):
            report.document(index, str(pdf_path))
            with _states_forgotten():
                results.append(process_document(str(pdf_path), options))
            report.finished(results[-1])
    recheck_stale(results, options)
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
    profile_dirs: list[str] | None = None,
    parallel: bool = False,
) -> list[DocumentResult]:
    """Process every PDF in `pdf_paths`, writing `<out_dir>/<pdf stem>/` for each one that can be read and
    its rows in `<out_dir>/whitepaper.duckdb`. With `skip_unchanged`, a PDF whose sha256, pipeline
    code hash and previous edition are as last ingested is not processed again. `limits` are
    `extractors.pdf_open.OpenLimits` fields (max_pages, max_page_area_sq_in, max_seconds); `refresh`
    re-reads every PDF even when the same file was extracted before by the same extractor code (and
    recomputes every cached stage); `profile_dirs` are folders of publisher profiles searched before the
    package's. `parallel`: the documents' stages go to the flow's task runner
    (give it a DaskTaskRunner with `whitepaper_flow.with_options(task_runner=...)`; flows.dask_runner)."""
    options = RunOptions(str(out_dir), profile_path, skip_unchanged, limits, refresh, tuple(profile_dirs or ()))
    return process_documents([str(p) for p in pdf_paths], options, parallel)
