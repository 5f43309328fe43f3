"""Write the reviewer's report into an output folder: page crops, GX Data Docs, then `report.html`.

Called by the publish task inside its temporary folder (so the report is swapped in with the other
outputs) and by `whitepaper report DIR` to rebuild it from an existing folder. Crops need the PDF;
without it the crops already in the folder are used, and the report says when there are none.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from publish import files
from publish.report.crops import CROPS_DIR, CropSettings, render_crops
from publish.report.load import load_report_data
from publish.report.render import render_html
from publish.report.view import report_view

log = logging.getLogger(__name__)

REPORT_FILE = "report.html"


class PdfMismatch(Exception):
    """The PDF given for the crops is not the one the outputs were made from."""


@dataclass
class ReportResult:
    path: Path
    findings: int
    crops: int
    data_docs: bool
    note: str = ""  # why crops are missing, when they are


def _check_descriptions() -> dict[str, str]:
    from expectations.registry import load_checks

    return {name: check.description for name, check in load_checks().items()}


def write_crops(folder: Path, pdf_path: str | Path, settings: CropSettings = CropSettings()) -> None:
    """Render the crops of the folder's findings from the PDF (which must be the run's PDF)."""
    from extractors.pdf_open import InputError
    from extractors.reader import sha256_of

    document = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    try:
        digest = sha256_of(pdf_path)
    except OSError as exc:
        raise InputError(pdf_path, f"cannot read file ({exc.strerror or exc})") from exc
    if document.get("sha256") and digest != document["sha256"]:
        raise PdfMismatch(
            f"{pdf_path} is not the PDF of this output (sha256 {digest[:12]}…, the run read {document['sha256'][:12]}…)"
        )
    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    with files.atomic_dir(folder / CROPS_DIR) as staging:
        render_crops(pdf_path, findings, folder, settings, crops_dir=staging)


def write_data_docs(folder: Path) -> bool:
    """(Re)build `folder/data_docs` from `folder/gx/*.json`; False when there are no results."""
    from publish.report.data_docs import DOCS_DIR, GX_DIR, build_data_docs

    if not any((folder / GX_DIR).glob("*.json")):
        return False
    with files.atomic_dir(folder / DOCS_DIR) as staging:
        build_data_docs(folder, staging)
    return True


def write_report(
    folder: str | Path,
    pdf_path: str | Path | None = None,
    data_docs: bool = True,
    settings: CropSettings = CropSettings(),
) -> ReportResult:
    """Crops (when the PDF is given), Data Docs (when asked), then report.html, all inside `folder`."""
    from extractors.pdf_open import InputError

    folder = Path(folder)
    note = ""
    if pdf_path is not None:
        try:
            write_crops(folder, pdf_path, settings)
        except InputError as exc:  # the PDF vanished since extraction: report without crops
            note = f"no page crops: {exc.reason}"
            log.warning("%s: %s", folder, note)
        except PdfMismatch as exc:  # the PDF changed since extraction: its crops would show other numbers
            note = f"no page crops: {exc}"
            log.warning("%s: %s", folder, note)
    built_docs = write_data_docs(folder) if data_docs else (folder / "data_docs" / "index.html").is_file()
    data = load_report_data(folder)
    files.atomic_write_text(folder / REPORT_FILE, render_html(report_view(data, _check_descriptions())))
    if data.findings and not data.crops and not note:
        note = "no page crops (give the PDF to render them)"
    return ReportResult(
        folder / REPORT_FILE, len(data.findings), len({c["file"] for c in data.crops}), built_docs, note
    )
