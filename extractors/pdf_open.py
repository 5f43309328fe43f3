"""Open a PDF or say, in one line, why it cannot be read.

pdfplumber reports unreadable files in many shapes (an empty PdfminerException wrapping
PDFPasswordIncorrect, a bare TypeError for a page without MediaBox, a zero-page document that opens
fine). This module turns all of them into one `InputError(path, reason)` so callers can print a
single line and move on to the next file.
"""
from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# The header may be preceded by junk; the PDF spec readers accept it within the first KiB.
MAGIC_SEARCH_BYTES = 1024


class InputError(Exception):
    """An input file that cannot be processed. `reason` is a short phrase, not a traceback."""

    def __init__(self, path: str | os.PathLike, reason: str, kind: str = "unreadable"):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.kind = kind


@dataclass(frozen=True)
class OpenLimits:
    """Configurable ceilings so a hostile file cannot take the machine."""

    max_pages: int = 2000
    max_page_area_sq_in: float = 200.0 * 200.0  # PDF's own implementation limit is 200 in x 200 in


def sniff(path: Path) -> None:
    """Reject what is plainly not a PDF before pdfminer gets to guess."""
    if not path.exists():
        raise InputError(path, "no such file", "missing")
    if path.is_dir():
        raise InputError(path, "is a directory, not a PDF file", "usage")
    try:
        with path.open("rb") as fh:
            head = fh.read(MAGIC_SEARCH_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})", "unreadable") from exc
    if not head:
        raise InputError(path, "empty file (0 bytes)", "empty")
    if PDF_MAGIC not in head:
        raise InputError(path, "not a PDF (no %PDF- header)", "not_pdf")


def _reason_from_pdfminer(exc: BaseException) -> tuple[str, str]:
    """Map pdfminer's exception (possibly wrapped in args[0]) to (kind, reason)."""
    inner = exc
    if exc.args and isinstance(exc.args[0], BaseException):
        inner = exc.args[0]
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return "encrypted", "encrypted: password required"
    if isinstance(inner, (PDFSyntaxError, PSException)):
        detail = str(inner).strip() or type(inner).__name__
        return "damaged", f"damaged beyond repair ({detail[:80]})"
    detail = str(inner).strip() or type(inner).__name__
    return "damaged", f"cannot parse PDF ({detail[:80]})"


@contextlib.contextmanager
def open_pdf(path: str | os.PathLike, limits: OpenLimits = OpenLimits()) -> Iterator[pdfplumber.PDF]:
    """Yield an open pdfplumber document whose pages are known to be listable, else InputError."""
    path = Path(path)
    sniff(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many unrelated types; all mean "cannot open"
        kind, reason = _reason_from_pdfminer(exc)
        raise InputError(path, reason, kind) from exc
    try:
        try:
            pages = pdf.pages
        except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as exc:
            raise InputError(path, f"damaged page tree ({type(exc).__name__})", "damaged") from exc
        if len(pages) == 0:
            raise InputError(path, "document has no pages", "no_pages")
        if len(pages) > limits.max_pages:
            raise InputError(path, f"too many pages ({len(pages)} > limit {limits.max_pages})", "limit")
        for page in pages:
            area_sq_in = (float(page.width) / 72.0) * (float(page.height) / 72.0)
            if area_sq_in > limits.max_page_area_sq_in:
                raise InputError(
                    path,
                    f"page {page.page_number} is too large ({page.width:.0f} x {page.height:.0f} pt)",
                    "limit",
                )
        yield pdf
    finally:
        try:
            pdf.close()
        except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as exc:
            # pdfplumber's close() walks the page tree again; on a damaged tree that fails too
            # and would hide the InputError above. Close the file and keep the original error.
            log.debug("%s: closing after a damaged page tree (%s)", path, type(exc).__name__)
            if not pdf.stream_is_external:
                pdf.stream.close()
