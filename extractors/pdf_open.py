"""Open a PDF or say, in one line, why it cannot be read.

pdfplumber reports unreadable files in many shapes (an empty PdfminerException wrapping
PDFPasswordIncorrect, a bare TypeError for a page without MediaBox, a zero-page document that opens
fine, a `close()` that re-reads the page tree and raises again). This module turns all of them into
one `InputError(path, reason, kind)` so callers can print a single line and move on to the next file.

What can be repaired is repaired and said: a page without a MediaBox is read as US Letter (as
pdfminer itself defaults), a cross-reference table rebuilt by pdfminer, a page tree that loops, or
a file that opens with an empty user password are reported as warnings, not errors.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect, PDFXRefFallback
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page

from extractors.damage import recovered_warning
from extractors.inflate_limit import MB, ContentTooLarge, limited

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# The header may be preceded by junk; the PDF spec readers accept it within the first KiB.
MAGIC_SEARCH_BYTES = 1024
# A file without the header is still tried as a PDF when its first bytes look like PDF syntax
# (fuzzed or hand-made files); otherwise it is "not a PDF".
PDF_SYNTAX_RE = re.compile(rb"\d+\s+\d+\s+obj\b|\bstartxref\b|\bxref\b|/Root\b|/Type\s*/Catalog")
US_LETTER = (0.0, 0.0, 612.0, 792.0)
POINTS_PER_INCH = 72.0
# How far the page list is followed past the page limit, to say how many pages there are.
PAGE_COUNT_PROBE_FACTOR = 10
# Page-tree nodes visited at most when looking for loops (a tree is never bigger than its pages).
PAGE_TREE_MAX_NODES = 100_000
MAX_DETAIL_CHARS = 80
EOF_MARKER = b"%%EOF"
EOF_SEARCH_BYTES = 1024  # readers accept junk after %%EOF; look for it in the last KiB

DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_PAGE_AREA_SQ_IN = 200.0 * 200.0  # PDF's own implementation limit is 200 in x 200 in
DEFAULT_MAX_SECONDS = 600.0  # per document, enforced during a page (extractors.deadline)
# Inflated size of one stream: real content streams and fonts stay far below (a page's text and
# vector drawing are a few MB at most); a decompression bomb stops here, costing at most this much.
DEFAULT_MAX_INFLATED_MB = 64.0
# A document's streams together may inflate to this many times the per-stream limit.
INFLATED_DOCUMENT_FACTOR = 16

KIND_MISSING = "missing"
KIND_UNREADABLE = "unreadable"
KIND_EMPTY = "empty"
KIND_NOT_PDF = "not_pdf"
KIND_ENCRYPTED = "encrypted"
KIND_DAMAGED = "damaged"
KIND_NO_PAGES = "no_pages"
KIND_NO_TEXT = "no_text"
KIND_LIMIT = "limit"
KIND_USAGE = "usage"


class InputError(Exception):
    """An input file that cannot be processed. `reason` is a short phrase, not a traceback."""

    def __init__(self, path: str | os.PathLike, reason: str, kind: str = KIND_UNREADABLE):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.kind = kind


@dataclass(frozen=True)
class OpenLimits:
    """Configurable ceilings so a hostile file cannot take the machine (`whitepaper run --max-*`)."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_page_area_sq_in: float = DEFAULT_MAX_PAGE_AREA_SQ_IN
    max_seconds: float = DEFAULT_MAX_SECONDS
    max_inflated_mb: float = DEFAULT_MAX_INFLATED_MB

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or math.isnan(value):
                raise ValueError(f"OpenLimits.{f.name} must be a positive number, got {value!r}")

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def stream_bytes(self) -> int:
        return int(self.max_inflated_mb * MB)

    @property
    def document_bytes(self) -> int:
        return self.stream_bytes * INFLATED_DOCUMENT_FACTOR


def _detail(exc: BaseException) -> str:
    """A printable, short description of an exception (no binary junk from fuzzed files)."""
    text = str(exc).strip()
    text = text.split(": [", 1)[0]  # pdfminer appends the offending tokens after ": ["
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    text = text or type(exc).__name__
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def sniff(path: Path) -> None:
    """Reject what is plainly not a PDF before pdfminer gets to guess."""
    if not path.exists():
        raise InputError(path, "no such file", KIND_MISSING)
    if path.is_dir():
        raise InputError(path, "is a directory, not a PDF file", KIND_USAGE)
    try:
        with path.open("rb") as fh:
            head = fh.read(MAGIC_SEARCH_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})", KIND_UNREADABLE) from exc
    if not head:
        raise InputError(path, "empty file (0 bytes)", KIND_EMPTY)
    if PDF_MAGIC not in head and not PDF_SYNTAX_RE.search(head):
        raise InputError(path, "not a PDF (no %PDF- header)", KIND_NOT_PDF)


def ends_with_eof_marker(path: Path) -> bool:
    """False when the file lacks its closing %%EOF: usually a file cut short (copied or downloaded in part)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - EOF_SEARCH_BYTES))
            return EOF_MARKER in fh.read()
    except OSError as exc:
        log.debug("%s: end of file not read: %s", path, exc)
        return True  # nothing to say; reading itself fails elsewhere with its own reason


def _has_header(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return PDF_MAGIC in fh.read(MAGIC_SEARCH_BYTES)
    except OSError as exc:
        log.debug("%s: header not read: %s", path, exc)
        return False


def _reason_from_pdfminer(exc: BaseException) -> tuple[str, str]:
    """Map pdfminer's exception (possibly wrapped in args[0]) to (kind, reason)."""
    inner = exc
    if exc.args and isinstance(exc.args[0], BaseException):
        inner = exc.args[0]
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return KIND_ENCRYPTED, "encrypted: password required"
    if isinstance(inner, OSError):
        return KIND_UNREADABLE, f"cannot read file ({inner.strerror or _detail(inner)})"
    if isinstance(inner, PDFSyntaxError) and "/Root" in str(inner):
        return KIND_DAMAGED, "damaged beyond repair (no document catalog /Root)"
    if isinstance(inner, (PDFSyntaxError, PSException)):
        return KIND_DAMAGED, f"damaged beyond repair ({_detail(inner)})"
    return KIND_DAMAGED, f"cannot parse PDF ({type(inner).__name__}: {_detail(inner)})"


def _valid_box(value) -> bool:
    box = resolve1(value)
    return (
        isinstance(box, (list, tuple))
        and len(box) == 4
        and all(isinstance(resolve1(x), (int, float)) and math.isfinite(resolve1(x)) for x in box)
    )


def _page_tree_has_loop(doc) -> bool:
    """True when a /Pages node is reachable twice (pdfminer then reads each page once, silently)."""
    try:
        root = doc.catalog.get("Pages")
    except Exception as exc:  # a broken catalog is reported by the page listing itself
        log.debug("page tree not inspected: %s", exc)
        return False
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) < PAGE_TREE_MAX_NODES:
        ref = stack.pop()
        objid = getattr(ref, "objid", None)
        if objid is not None:
            if objid in seen:
                return True
            seen.add(objid)
        node = resolve1(ref)
        if isinstance(node, dict):
            kids = resolve1(node.get("Kids"))
            if isinstance(kids, list):
                stack.extend(kids)
    return False


def list_pages(pdf: pdfplumber.PDF, path: Path, limits: OpenLimits, warnings: list[str]) -> list[Page]:
    """pdfplumber's `pdf.pages`, built defensively: limits checked while listing, a missing or broken
    MediaBox read as US Letter (pdfminer's own default) instead of pdfplumber's bare TypeError."""
    pages: list[Page] = []
    doctop = 0.0
    count = 0
    no_mediabox: list[int] = []
    try:
        for page_obj in PDFPage.create_pages(pdf.doc):
            count += 1
            if count > limits.max_pages:
                if count >= PAGE_COUNT_PROBE_FACTOR * limits.max_pages:
                    break
                continue
            if not _valid_box(page_obj.attrs.get("MediaBox")):
                page_obj.attrs["MediaBox"] = list(page_obj.mediabox or US_LETTER)
                if not _valid_box(page_obj.attrs["MediaBox"]):
                    page_obj.attrs["MediaBox"] = list(US_LETTER)
                no_mediabox.append(count)
            for name in ("CropBox", "TrimBox", "BleedBox", "ArtBox"):
                if name in page_obj.attrs and not _valid_box(page_obj.attrs[name]):
                    del page_obj.attrs[name]
            try:
                page = Page(pdf, page_obj, page_number=count, initial_doctop=doctop)
            except Exception as exc:  # pdfplumber raises bare TypeError/ValueError on malformed pages
                raise InputError(
                    path, f"damaged page {count} ({type(exc).__name__}: {_detail(exc)})", KIND_DAMAGED
                ) from exc
            area_sq_in = (float(page.width) / POINTS_PER_INCH) * (float(page.height) / POINTS_PER_INCH)
            if area_sq_in > limits.max_page_area_sq_in:
                raise InputError(
                    path,
                    f"page {count} is too large ({page.width:.0f} x {page.height:.0f} pt; "
                    f"limit {limits.max_page_area_sq_in:g} sq in)",
                    KIND_LIMIT,
                )
            pages.append(page)
            doctop += float(page.height)
    except InputError:
        raise
    except RecursionError as exc:
        raise InputError(path, "damaged page tree (too deeply nested)", KIND_DAMAGED) from exc
    except Exception as exc:  # pdfminer: PSException, KeyError, TypeError ... while walking the tree
        raise InputError(path, f"damaged page tree ({type(exc).__name__}: {_detail(exc)})", KIND_DAMAGED) from exc
    if count > limits.max_pages:
        counted = f"{count}" if count < PAGE_COUNT_PROBE_FACTOR * limits.max_pages else f"at least {count}"
        raise InputError(path, f"too many pages ({counted} > limit {limits.max_pages})", KIND_LIMIT)
    if not pages:
        raise InputError(path, "document has no pages", KIND_NO_PAGES)
    if no_mediabox:
        listed = ", ".join(str(n) for n in no_mediabox[:5]) + (" ..." if len(no_mediabox) > 5 else "")
        warnings.append(f"damaged: page {listed} without a valid MediaBox, read as US Letter")
    return pages


def document_warnings(pdf: pdfplumber.PDF, path: Path | None = None) -> list[str]:
    """What was wrong with a file that opened anyway."""
    found = []
    if path is not None and not ends_with_eof_marker(path):
        found.append("damaged: no %%EOF at the end (truncated?)")
    if any(isinstance(x, PDFXRefFallback) for x in pdf.doc.xrefs):
        found.append("damaged: cross-reference table rebuilt by scanning the file")
    if getattr(pdf.doc, "encryption", None) is not None:
        found.append("encrypted (no user password, opened read-only)")
    if _page_tree_has_loop(pdf.doc):
        found.append("damaged page tree (loop), each reachable page read once")
    return found


def close_pdf(pdf: pdfplumber.PDF) -> None:
    """Release a document without pdfplumber's `close()`, which rebuilds the page list (and can raise)."""
    for page in pdf.__dict__.get("_pages", ()):
        page.close()
    pdf.__dict__.pop("_pages", None)
    if not pdf.stream_is_external:
        pdf.stream.close()


class _WarningCollector(logging.Handler):
    def __init__(self, into: list[str], page: int | None):
        super().__init__(logging.WARNING)
        self.into = into
        self.page = page

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("MediaBox missing"):
            return  # list_pages says it, once per document
        text = recovered_warning(message, self.page)
        if text not in self.into:
            self.into.append(text)


class _ToDebugLog(logging.Handler):
    """pdfminer's own log lines go to our debug log (--verbose), never straight to stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("pdfminer: %s", record.getMessage())


def route_pdfminer_log() -> None:
    """Detach pdfminer's logger from the root (where Python's last-resort handler prints WARNING
    lines to stderr) and send its lines to the debug log; the collectors below still see them."""
    logger = logging.getLogger("pdfminer")
    if not any(isinstance(h, _ToDebugLog) for h in logger.handlers):
        logger.addHandler(_ToDebugLog())
    logger.propagate = False


@contextlib.contextmanager
def pdfminer_warnings(into: list[str], page: int | None = None) -> Iterator[list[str]]:
    """Collect pdfminer's warnings (damage it recovered from, on `page` when given) into `into`."""
    route_pdfminer_log()
    logger = logging.getLogger("pdfminer")
    handler = _WarningCollector(into, page)
    logger.addHandler(handler)
    try:
        yield into
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def open_pdf(
    path: str | os.PathLike, limits: OpenLimits = OpenLimits(), warnings: list[str] | None = None
) -> Iterator[pdfplumber.PDF]:
    """Yield an open pdfplumber document whose pages are listed and within limits, else InputError.

    Repairs and damage found while opening are appended to `warnings` when a list is given.
    """
    path = Path(path)
    warnings = [] if warnings is None else warnings
    route_pdfminer_log()
    sniff(path)
    try:
        with limited(limits.stream_bytes):  # xref and object streams are inflated while opening
            pdf = pdfplumber.open(path)
    except ContentTooLarge as exc:
        raise InputError(path, exc.reason, KIND_LIMIT) from None
    except Exception as exc:  # pdfminer raises many unrelated types; all mean "cannot open"
        kind, reason = _reason_from_pdfminer(exc)
        if kind == KIND_DAMAGED and _has_header(path) and not ends_with_eof_marker(path):
            reason = f"truncated (no %%EOF at the end): {reason}"
        raise InputError(path, reason, kind) from exc
    try:
        try:
            with limited(limits.stream_bytes):
                pdf._pages = list_pages(pdf, path, limits, warnings)
                warnings.extend(w for w in document_warnings(pdf, path) if w not in warnings)
        except ContentTooLarge as exc:
            raise InputError(path, exc.reason, KIND_LIMIT) from None
        yield pdf
    finally:
        close_pdf(pdf)


HASH_CHUNK = 1 << 20


def sha256_of(path: str | os.PathLike) -> str:
    """The file's identity: what the caches, the history and the up-to-date check key on."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
