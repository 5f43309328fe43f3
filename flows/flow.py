"""The Prefect flow: for each PDF, extract -> normalise -> validate -> publish.

A bad input never stops the batch: it comes back as a `DocumentResult` with a one-line reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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


def process_document(pdf_path: str, out_dir: str, profile_path: str | None, code_version: str) -> DocumentResult:
    try:
        digest = sha256_of(pdf_path)
    except OSError as exc:
        return DocumentResult(pdf_path, STATUS_REJECTED, reason=f"cannot read file ({exc.strerror or exc})",
                              kind="unreadable")
    extract = extract_task(pdf_path, digest, code_version)
    if isinstance(extract, Rejected):
        return DocumentResult(pdf_path, STATUS_REJECTED, reason=extract.reason, kind=extract.kind)
    normalised = normalise_task(extract, pdf_path, profile_path)
    validation = validate_task(normalised)
    folder = publish_task(normalised, validation, out_dir, pdf_path)
    counts = validation.findings["severity"].value_counts().to_dict() if len(validation.findings) else {}
    return DocumentResult(pdf_path, STATUS_PROCESSED, doc_id=normalised.doc_id, out_dir=folder,
                          findings={str(k): int(v) for k, v in counts.items()}, warnings=list(extract.warnings))


@flow(name="whitepaper", log_prints=False)
def whitepaper_flow(pdf_paths: list[str], out_dir: str = "output", profile_path: str | None = None) -> list[DocumentResult]:
    """Process every PDF in `pdf_paths`, writing `<out_dir>/<pdf stem>/` for each one that can be read."""
    logger = get_run_logger()
    code_version = extractor_version()
    results = []
    for pdf_path in pdf_paths:
        result = process_document(str(pdf_path), str(out_dir), profile_path, code_version)
        if result.status == STATUS_REJECTED:
            logger.warning("%s: %s", result.path, result.reason)
        else:
            logger.info("%s: %s findings -> %s", result.path, result.findings or "no", result.out_dir)
        results.append(result)
    return results

