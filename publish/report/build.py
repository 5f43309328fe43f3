"""Write the reviewer's report into an output folder: page crops, GX Data Docs, then `report.html`.

Called by the publish task inside its temporary folder (so the report is swapped in with the other
outputs) and by `whitepaper report DIR` to rebuild it from an existing folder. Crops need the PDF;
without it the crops already in the folder are used, and the report says when there are none.
Given the folder being replaced (`reuse`), its crops and Data Docs are copied instead of rebuilt when
what they are made from is byte for byte the same (same findings and PDF; same GX results): a re-run
of an unchanged document renders no page and does not import Great Expectations.
"""

from __future__ import annotations

import filecmp
import json
import logging
import shutil
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
    from extractors.pdf_open import InputError, sha256_of

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
    """(Re)build `folder/data_docs` from `folder/gx/*.json`; False when there are no results. Built in
    the run's Great Expectations process when one is running (expectations.gx_process)."""
    from expectations import gx_process
    from publish.report.data_docs import DOCS_DIR, GX_DIR

    if not any((folder / GX_DIR).glob("*.json")):
        return False
    with files.atomic_dir(folder / DOCS_DIR) as staging:
        gx_process.call("publish.report.data_docs:build_data_docs", folder, staging)
    return True


def _same_files(a: Path, b: Path, names) -> bool:
    return all((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def _crops_reusable(previous: Path, folder: Path, pdf_path, settings: CropSettings) -> bool:
    """The previous folder's crops show the same findings of the same PDF, rendered the same way."""
    from extractors.pdf_open import sha256_of

    if settings != CropSettings() or not (previous / CROPS_DIR).is_dir():
        return False
    if not _same_files(previous, folder, ["findings.json"]):
        return False
    sha = json.loads((folder / "document.json").read_text(encoding="utf-8")).get("sha256")
    before = json.loads((previous / "document.json").read_text(encoding="utf-8")).get("sha256")
    try:
        return bool(sha) and sha == before and sha256_of(pdf_path) == sha
    except OSError:
        return False  # the PDF vanished: write_crops says so


def _docs_reusable(previous: Path, folder: Path) -> bool:
    """The previous folder's Data Docs were built from the same GX results (same files, same bytes)."""
    from publish.report.data_docs import DOCS_DIR, GX_DIR

    if not (previous / DOCS_DIR / "index.html").is_file():
        return False
    names = sorted(p.name for p in (folder / GX_DIR).glob("*.json"))
    before = sorted(p.name for p in (previous / GX_DIR).glob("*.json"))
    return bool(names) and names == before and _same_files(previous / GX_DIR, folder / GX_DIR, names)


def write_report(
    folder: str | Path,
    pdf_path: str | Path | None = None,
    data_docs: bool = True,
    settings: CropSettings = CropSettings(),
    reuse: Path | None = None,
) -> ReportResult:
    """Crops (when the PDF is given), Data Docs (when asked), then report.html, all inside `folder`;
    `reuse`: a previous output folder of the same document whose crops and Data Docs may be copied."""
    from extractors.pdf_open import InputError
    from publish.report.data_docs import DOCS_DIR

    folder = Path(folder)
    note = ""
    reuse = Path(reuse) if reuse is not None and Path(reuse).is_dir() else None
    if pdf_path is not None and reuse is not None and _crops_reusable(reuse, folder, pdf_path, settings):
        shutil.copytree(reuse / CROPS_DIR, folder / CROPS_DIR, dirs_exist_ok=True)
    elif pdf_path is not None:
        try:
            write_crops(folder, pdf_path, settings)
        except InputError as exc:  # the PDF vanished since extraction: report without crops
            note = f"no page crops: {exc.reason}"
            log.warning("%s: %s", folder, note)
        except PdfMismatch as exc:  # the PDF changed since extraction: its crops would show other numbers
            note = f"no page crops: {exc}"
            log.warning("%s: %s", folder, note)
    if data_docs and reuse is not None and _docs_reusable(reuse, folder):
        shutil.copytree(reuse / DOCS_DIR, folder / DOCS_DIR, dirs_exist_ok=True)
        built_docs = True
    else:
        built_docs = write_data_docs(folder) if data_docs else (folder / DOCS_DIR / "index.html").is_file()
    data = load_report_data(folder)
    files.atomic_write_text(folder / REPORT_FILE, render_html(report_view(data, _check_descriptions())))
    if data.findings and not data.crops and not note:
        note = "no page crops (give the PDF to render them)"
    return ReportResult(
        folder / REPORT_FILE, len(data.findings), len({c["file"] for c in data.crops}), built_docs, note
    )
