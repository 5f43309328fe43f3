"""One PDF -> everything the pipeline reads from it, as plain records (no publisher knowledge).

The document is read in one pass, page by page: each page is parsed once (the table extractor's lean
objects serve the text lines too), its tables and text lines are kept as plain data, and the page's
caches are released before the next page, so memory stays flat however long the document is. Tables
are then stitched across pages and the prose is read outside their boxes.

Rejects, with an `InputError`, what cannot be processed: unreadable files (see pdf_open), documents
without a text layer (scanned pages would need OCR, which this pipeline does not do) and documents
over the time budget. A page that cannot be read is skipped with a warning; what was repaired or
looks wrong (garbled text from fonts without a Unicode map) is a warning too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from extractors.pdf_open import (
    KIND_DAMAGED,
    KIND_LIMIT,
    KIND_NO_TEXT,
    KIND_UNREADABLE,
    InputError,
    OpenLimits,
    open_pdf,
    pdfminer_warnings,
)
from extractors.prose.sentences import Sentence
from extractors.records import Table

log = logging.getLogger(__name__)

# Text of the first pages kept for recognising the publisher and the edition year.
HEAD_TEXT_PAGES = 2
# A document with fewer text characters than this on all pages has no usable text layer.
MIN_TEXT_CHARS = 1
HASH_CHUNK = 1 << 20
# Text whose letters are mostly Latin-1 accented/symbol characters (GBK bytes read as Latin-1, a
# font without a Unicode map) or pdfminer's "(cid:N)" placeholders is garbled: warn, do not reject.
GARBLED_SHARE = 0.3
MIN_CHARS_FOR_GARBLED = 50
CID_MARK = "(cid:"
MAX_PAGE_WARNINGS = 3
MAX_WHY_CHARS = 80
NO_TEXT_REASON = "no text layer (scanned or image-only pages; OCR is not supported)"


@dataclass
class DocumentExtract:
    path: str
    sha256: str
    pages: int
    head_text: str
    tables: list[Table] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Pages:
    """What the page-by-page pass keeps: plain data only, no pdfplumber objects."""

    page_tables: list = field(default_factory=list)
    page_texts: list = field(default_factory=list)
    lines: list[list] = field(default_factory=list)
    chars: int = 0
    head: list[str] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def garbled_share(text: str) -> float:
    """Share of the non-space characters that are Latin-1 supplement letters/symbols or (cid:N) marks."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    latin1 = sum(1 for ch in visible if 0x80 <= ord(ch) <= 0xFF)
    cid = text.count(CID_MARK) * len("(cid:0)")
    return min(1.0, (latin1 + cid) / len(visible))


def _why(exc: BaseException) -> str:
    """One short line for a warning: no separators that the summary line uses between warnings."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split()).replace(";", ",")
    return text[:MAX_WHY_CHARS]


def _read_page(page, settings, into: _Pages) -> None:
    """Tables and text lines of one page, appended to `into`; a failure of either is recorded."""
    from extractors.prose.page_lines import page_to_lines
    from extractors.tables import page_to_tables

    number = int(page.page_number)
    try:
        found, text = page_to_tables(page, settings)
        into.page_tables.extend(found)
        into.page_texts.append(text)
    except Exception as exc:  # a page pdfminer cannot interpret, or an extractor bug: keep the rest
        log.debug("page %s: tables not read", number, exc_info=True)
        into.failed.append((number, _why(exc)))
    try:
        lines = page_to_lines(page)
        into.chars += len(page.chars)
    except Exception as exc:
        log.debug("page %s: text not read", number, exc_info=True)
        if not any(n == number for n, _ in into.failed):
            into.failed.append((number, _why(exc)))
        lines = []
    into.lines.append(lines)
    if len(into.head) < HEAD_TEXT_PAGES and lines:
        into.head.append("\n".join(line.text for line in lines))


def read_pages(pdf, path: Path, limits: OpenLimits, settings=None, on_page=None) -> _Pages:
    """Every page once, in order, releasing each page's caches (and the document's parsed objects)
    before the next: peak memory is one page, not the document. `on_page(done, total)` after each page
    (a progress display)."""
    from extractors.tables import TableSettings

    settings = settings or TableSettings()
    started = time.monotonic()
    out = _Pages()
    total = len(pdf.pages)
    for index, page in enumerate(pdf.pages):
        elapsed = time.monotonic() - started
        if elapsed > limits.max_seconds:
            raise InputError(
                path,
                f"time budget exceeded ({elapsed:.0f} s > limit {limits.max_seconds:g} s "
                f"after {index} of {total} pages)",
                KIND_LIMIT,
            )
        try:
            _read_page(page, settings, out)
        finally:
            page.close()
        if on_page is not None:
            on_page(index + 1, total)
    return out


def _page_warnings(failed: list[tuple[int, str]]) -> list[str]:
    if not failed:
        return []
    shown = ", ".join(f"page {n}: {why}" for n, why in failed[:MAX_PAGE_WARNINGS])
    more = f", and {len(failed) - MAX_PAGE_WARNINGS} more" if len(failed) > MAX_PAGE_WARNINGS else ""
    return [f"damaged: {len(failed)} page(s) not fully read ({shown}{more})"]


def extract_document(
    path: str | os.PathLike, limits: OpenLimits = OpenLimits(), settings=None, on_page=None
) -> DocumentExtract:
    """Open the PDF once and read its tables and its prose sentences (outside the tables); `on_page`:
    see read_pages."""
    from extractors.prose.sentences import page_lines_to_sentences, table_boxes
    from extractors.tables.stitch import stitch

    path = Path(path)
    try:
        digest = sha256_of(path)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})", KIND_UNREADABLE) from exc
    warnings: list[str] = []
    with pdfminer_warnings(warnings), open_pdf(path, limits, warnings) as pdf:
        pages = read_pages(pdf, path, limits, settings, on_page)
        n_pages = len(pdf.pages)
    if len(pages.failed) == n_pages:
        raise InputError(path, f"damaged: no page could be read ({pages.failed[0][1]})", KIND_DAMAGED)
    if pages.chars < MIN_TEXT_CHARS:
        raise InputError(path, NO_TEXT_REASON, KIND_NO_TEXT)
    tables = stitch(pages.page_tables, pages.page_texts)
    sentences = page_lines_to_sentences(pages.lines, exclude_boxes=table_boxes(tables))
    warnings += _page_warnings(pages.failed)
    text = "\n".join(line.text for lines in pages.lines for line in lines)
    if len(text) >= MIN_CHARS_FOR_GARBLED and garbled_share(text) >= GARBLED_SHARE:
        warnings.append("text looks garbled (fonts without a Unicode map), prose numbers may be missed")
    if not tables:
        warnings.append("no tables found")
    return DocumentExtract(str(path), digest, n_pages, "\n".join(pages.head), tables, sentences, warnings)
