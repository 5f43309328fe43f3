"""The Prefect flow: for each PDF, extract -> normalise -> validate -> publish.

A bad input never stops the batch: it comes back as a `DocumentResult` with a one-line reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from prefect import flow, get_run_logger

from extractors.document import sha256_of
from flows.tasks import (
    Rejected,
    extract_task,
    extractor_version,
    normalise_task,
    publish_task,
    validate_task,
)

STATUS_PROCESSED = "processed"
STATUS_REJECTED = "rejected"


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


def _rejected(record: Rejected) -> DocumentResult:
    return DocumentResult(record.path, STATUS_REJECTED, reason=record.reason, kind=record.kind)


def process_document(pdf_path: str, out_dir: str, profile_path: str | None, code_version: str,
                     limits: dict | None = None, refresh: bool = False) -> DocumentResult:
    """One document through the tasks; any step may hand back `Rejected`, which ends it with one line."""
    try:
        digest = sha256_of(pdf_path)
    except OSError as exc:  # vanished or unreadable between listing and reading
        return DocumentResult(pdf_path, STATUS_REJECTED, reason=f"cannot read file ({exc.strerror or exc})",
                              kind="unreadable")
    extract_step = extract_task.with_options(refresh_cache=True) if refresh else extract_task
    extract = extract_step(pdf_path, digest, code_version, limits)
    # The cache is keyed on content, not path: a copy or a renamed file gets the stored extraction,
    # which must carry this input's path (it names the output folder and the error line).
    extract = replace(extract, path=pdf_path)
    if isinstance(extract, Rejected):
        return _rejected(extract)
    normalised = normalise_task(extract, profile_path)
    if isinstance(normalised, Rejected):
        return _rejected(normalised)
    validation = validate_task(normalised)
    if isinstance(validation, Rejected):
        return _rejected(validation)
    folder = publish_task(normalised, validation, out_dir)
    if isinstance(folder, Rejected):
        return _rejected(folder)
    counts = validation.findings["severity"].value_counts().to_dict() if len(validation.findings) else {}
    return DocumentResult(pdf_path, STATUS_PROCESSED, doc_id=normalised.doc_id, out_dir=folder,
                          findings={str(k): int(v) for k, v in counts.items()}, warnings=list(extract.warnings))


@flow(name="whitepaper", log_prints=False)
def whitepaper_flow(pdf_paths: list[str], out_dir: str = "output", profile_path: str | None = None,
                    limits: dict | None = None, refresh: bool = False) -> list[DocumentResult]:
    """Process every PDF in `pdf_paths`, writing `<out_dir>/<pdf stem>/` for each one that can be read.

    `limits` are `extractors.pdf_open.OpenLimits` fields (max_pages, max_page_area_sq_in, max_seconds).
    Rejected documents are logged at INFO: the CLI prints their one line itself. `refresh` re-reads
    every PDF even when the same file was extracted before by the same extractor code.
    """
    logger = get_run_logger()
    code_version = extractor_version()
    results = []
    for pdf_path in pdf_paths:
        result = process_document(str(pdf_path), str(out_dir), profile_path, code_version, limits, refresh)
        if result.status == STATUS_REJECTED:
            logger.info("%s rejected: %s", result.path, result.reason)
        else:
            logger.info("%s: %s findings -> %s", result.path, result.findings or "no", result.out_dir)
        results.append(result)
    return results
