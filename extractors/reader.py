"""One PDF -> everything the pipeline reads from it, as plain records (no publisher knowledge).

The only document reader: `whitepaper run` reads everything, `whitepaper tables` (and the ICDAR bench,
and `extractors.tables.extract_tables`) the tables only (`prose=False`: no text lines, no spaCy).

    extract_document(path, limits, settings, prose=True) -> DocumentExtract
      open the file (extractors.pdf_open: an unreadable file is one `InputError` line)
      -> read_pages: every page once, in order, under the time budget (enforced during a page:
         extractors.deadline) and the inflated-bytes limit (extractors.inflate_limit: a page whose
         stream inflates past it is skipped); each page guarded (a page that cannot be read is
         skipped with a warning, the others are kept); its tables and, with
         prose, its text lines kept as plain data and its caches released before the next page, so
         memory stays flat however long the document is; long documents in forked worker processes
         when cores are idle (extractors.page_workers), with the same result
      -> stitch_pages: tables joined across pages (extractors.tables.stitch)
      -> with prose: sentences outside the tables' boxes (extractors.prose.sentences) and their
         facts (extractors.prose.facts)

Rejects, with an `InputError`, what cannot be processed: unreadable files (see pdf_open), documents
without a text layer (scanned pages would need OCR, which this pipeline does not do), documents whose
every page fails and documents over the time budget or whose streams inflate past the limit. What
was repaired or looks wrong (garbled text from fonts without a Unicode map) is a warning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extractors import tables as table_extractor
from extractors.damage import plain_message
from extractors.deadline import OverBudget, deadline
from extractors.inflate_limit import TOO_LARGE, ContentTooLarge, Tally, limited
from extractors.page_workers import Share, WorkerFailed, read_in_workers, shares, worker_count
from extractors.pdf_open import (
    KIND_DAMAGED,
    KIND_LIMIT,
    KIND_NO_TEXT,
    KIND_UNREADABLE,
    InputError,
    OpenLimits,
    open_pdf,
    pdfminer_warnings,
    sha256_of,
)
from extractors.records import NO_TABLES, Table
from extractors.tables.page import PageTable, PageText
from extractors.tables.settings import TableSettings
from extractors.tables.stitch import stitch

if TYPE_CHECKING:  # prose records: spaCy is imported only when prose is read
    from extractors.prose.fact_types import Fact
    from extractors.prose.page_lines import Line
    from extractors.prose.sentences import Sentence

log = logging.getLogger(__name__)

# Text of the first pages kept for recognising the publisher and the edition year.
HEAD_TEXT_PAGES = 2
# A document with fewer text characters than this on all pages has no usable text layer.
MIN_TEXT_CHARS = 1
# Text whose letters are mostly Latin-1 accented/symbol characters (GBK bytes read as Latin-1, a
# font without a Unicode map) or pdfminer's "(cid:N)" placeholders is garbled: warn, do not reject.
GARBLED_SHARE = 0.3
MIN_CHARS_FOR_GARBLED = 50
CID_MARK = "(cid:"
MAX_PAGE_WARNINGS = 3
NO_TEXT_REASON = "no text layer (scanned or image-only pages; OCR is not supported)"


@dataclass
class DocumentExtract:
    """What one PDF gives. `warnings` are all the document's warnings, in the order `run` reports
    them; `damage` are those that say part of the pages was not read as printed (pdfminer's
    recovered damage, skipped pages): what `whitepaper tables` prints."""

    path: str
    sha256: str
    pages: int
    head_text: str
    tables: list[Table] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    damage: list[str] = field(default_factory=list)


@dataclass
class PageRead:
    """What reading one page keeps: plain data only (it may come back from a worker process)."""

    page: int
    tables: list[PageTable] = field(default_factory=list)
    text: PageText | None = None  # None when the page's tables could not be read
    lines: list[Line] = field(default_factory=list)  # with prose only
    chars: int = 0  # glyphs of the page, when it was read
    failure: str = ""  # why the page was not (fully) read
    warnings: list[str] = field(default_factory=list)  # pdfminer's, while this page was read


@dataclass
class ShareRead:
    """The pages one process read; `stopped` is the elapsed time when the time budget stopped it,
    `too_large` the reason when the document's streams inflated past their limit."""

    reads: list[PageRead]
    stopped: float | None = None
    too_large: str = ""


def garbled_share(text: str) -> float:
    """Share of the non-space characters that are Latin-1 supplement letters/symbols or (cid:N) marks."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    latin1 = sum(1 for ch in visible if 0x80 <= ord(ch) <= 0xFF)
    cid = text.count(CID_MARK) * len("(cid:0)")
    return min(1.0, (latin1 + cid) / len(visible))


def _why(exc: BaseException) -> str:
    """One short line for a warning: no raw bytes, no separators that the summary line uses."""
    return plain_message(f"{type(exc).__name__}: {exc}")


def read_page(page, settings: TableSettings, prose: bool) -> PageRead:
    """Tables (and, with prose, text lines) of one page; a failure of either is recorded, not raised."""
    read = PageRead(int(page.page_number))
    with pdfminer_warnings(read.warnings, read.page):
        try:
            # looked up at call time (tests replace it to make a page fail)
            read.tables, read.text = table_extractor.page_to_tables(page, settings)
            if not prose:
                read.chars = len(page.chars)
        except ContentTooLarge as exc:
            if exc.scope != "stream":
                raise  # the document's streams together: the document is refused
            read.failure = exc.reason  # this page only: skip it (its text would inflate the stream again)
            return read
        except Exception as exc:  # a page pdfminer cannot interpret, or an extractor bug: keep the rest
            log.debug("page %s: tables not read", read.page, exc_info=True)
            read.failure = _why(exc)
        if prose:
            from extractors.prose.page_lines import page_to_lines

            try:
                read.lines = page_to_lines(page)
                read.chars = len(page.chars)
            except Exception as exc:
                log.debug("page %s: text not read", read.page, exc_info=True)
                read.failure = read.failure or _why(exc)
    return read


def read_share(
    pdf,
    share: Share,
    settings: TableSettings,
    prose: bool,
    started: float,
    limits: OpenLimits,
    tally: Tally,
    on_page=None,
) -> ShareRead:
    """The given 1-based pages of an open document, each page's caches released after it; stops once
    `limits.max_seconds` have passed since `started` (time.monotonic), also in the middle of a page
    (extractors.deadline), or when the streams inflated (added to `tally`) pass the document limit.
    `on_page(done, total)` after each page (a progress display)."""
    reads: list[PageRead] = []
    try:
        with deadline(started + limits.max_seconds), limited(limits.stream_bytes, limits.document_bytes, tally):
            for number in share:
                elapsed = time.monotonic() - started
                if elapsed > limits.max_seconds:  # where the timer cannot be armed (not the main thread)
                    return ShareRead(reads, elapsed)
                page = pdf.pages[number - 1]
                try:
                    reads.append(read_page(page, settings, prose))
                finally:
                    page.close()
                if on_page is not None:
                    on_page(len(reads), len(share))
    except OverBudget:
        return ShareRead(reads, time.monotonic() - started)
    except ContentTooLarge as exc:
        return ShareRead(reads, too_large=exc.reason)
    return ShareRead(reads)


def _read_file_share(
    path: Path, limits: OpenLimits, share: Share, settings: TableSettings, prose: bool, started: float, tally: Tally
):
    """A worker's share: it reopens the file (the parent's open repairs, e.g. pages without a
    MediaBox, again; their warnings are the parent's already)."""
    with pdfminer_warnings([]), open_pdf(path, limits) as pdf:
        return read_share(pdf, share, settings, prose, started, limits, tally)


def read_pages(
    pdf,
    path: str | os.PathLike,
    limits: OpenLimits = OpenLimits(),
    settings: TableSettings | None = None,
    prose: bool = True,
    workers: int = 1,
    on_page=None,
) -> list[PageRead]:
    """Every page of an open document once, in page order, by `workers` processes (the result does
    not depend on how many); `InputError` when the time budget runs out. `on_page(done, total)`: after
    each page in one process; once at the end with workers (their pages are not seen one by one)."""
    path = Path(path)
    settings = settings or TableSettings()
    started = time.monotonic()
    n_pages = len(pdf.pages)
    workers = max(1, min(workers, n_pages))
    if workers == 1:
        done = [read_share(pdf, list(range(1, n_pages + 1)), settings, prose, started, limits, Tally(), on_page)]
    else:
        tally = Tally.shared()  # the workers' streams count towards one document limit
        try:
            done = read_in_workers(
                lambda share: read_share(pdf, share, settings, prose, started, limits, tally),
                lambda share: _read_file_share(path, limits, share, settings, prose, started, tally),
                shares(n_pages, workers),
                str(path),
            )
        except WorkerFailed as exc:  # e.g. killed for memory by the system: this document's one line
            reason = f"cannot read pages (a page worker failed, wait status {exc.status})"
            raise InputError(path, reason, KIND_UNREADABLE) from exc
        if on_page is not None:
            on_page(n_pages, n_pages)
    reads = sorted((r for d in done for r in d.reads), key=lambda r: r.page)
    too_large = [d.too_large for d in done if d.too_large]
    if too_large:
        raise InputError(path, too_large[0], KIND_LIMIT)
    stopped = [d.stopped for d in done if d.stopped is not None]
    if stopped:
        raise InputError(
            path,
            f"time budget exceeded ({max(stopped):.0f} s > limit {limits.max_seconds:g} s "
            f"after {len(reads)} of {n_pages} pages)",
            KIND_LIMIT,
        )
    return reads


def stitch_pages(reads: list[PageRead]) -> list[Table]:
    """The pages' tables, joined across pages."""
    return stitch([t for r in reads for t in r.tables], [r.text for r in reads if r.text is not None])


def _page_warnings(failed: list[tuple[int, str]]) -> list[str]:
    if not failed:
        return []
    shown = ", ".join(f"page {n}: {why}" for n, why in failed[:MAX_PAGE_WARNINGS])
    more = f", and {len(failed) - MAX_PAGE_WARNINGS} more" if len(failed) > MAX_PAGE_WARNINGS else ""
    return [f"damaged: {len(failed)} page(s) not fully read ({shown}{more})"]


def _add_new(into: list[str], found: list[str]) -> None:
    into.extend(w for w in dict.fromkeys(found) if w not in into)


def extract_document(
    path: str | os.PathLike,
    limits: OpenLimits = OpenLimits(),
    settings: TableSettings | None = None,
    prose: bool = True,
    on_page=None,
) -> DocumentExtract:
    """Open the PDF once and read its tables and, with `prose`, its sentences (outside the tables) and
    their facts. `on_page(done, total)`: see read_pages."""
    path = Path(path)
    settings = settings or TableSettings()
    try:
        digest = sha256_of(path)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})", KIND_UNREADABLE) from exc
    warnings: list[str] = []
    recovered: list[str] = []  # pdfminer's own messages (damage it recovered from), among the warnings
    with contextlib.ExitStack() as stack:
        with pdfminer_warnings(warnings), pdfminer_warnings(recovered):
            pdf = stack.enter_context(open_pdf(path, limits, warnings))
        n_pages = len(pdf.pages)
        reads = read_pages(pdf, path, limits, settings, prose, worker_count(n_pages, settings), on_page)
    failed = [(r.page, r.failure) for r in reads if r.failure]
    if len(failed) == n_pages:
        if all(why.startswith(TOO_LARGE) for _, why in failed):  # a limit, not damage: say which
            raise InputError(path, f"{failed[0][1]} on every page", KIND_LIMIT)
        raise InputError(path, f"damaged: no page could be read ({failed[0][1]})", KIND_DAMAGED)
    if sum(r.chars for r in reads) < MIN_TEXT_CHARS:
        raise InputError(path, NO_TEXT_REASON, KIND_NO_TEXT)
    for read in reads:  # in page order, as one process reading every page would have met them
        _add_new(warnings, read.warnings)
        _add_new(recovered, read.warnings)
    tables = stitch_pages(reads)
    skipped = _page_warnings(failed)
    warnings += skipped
    extract = DocumentExtract(str(path), digest, n_pages, "", tables, warnings=warnings, damage=recovered + skipped)
    if prose:
        _read_prose(extract, [r.lines for r in reads])
    if not tables:
        warnings.append(NO_TABLES)
    return extract


def _read_prose(extract: DocumentExtract, page_lines: list[list[Line]]) -> None:
    """Sentences outside the tables, their facts, the head text and the garbled-text warning."""
    from extractors.prose.facts import extract_facts
    from extractors.prose.sentences import page_lines_to_sentences, table_boxes

    head = ["\n".join(line.text for line in lines) for lines in page_lines if lines][:HEAD_TEXT_PAGES]
    extract.head_text = "\n".join(head)
    extract.sentences = page_lines_to_sentences(page_lines, exclude_boxes=table_boxes(extract.tables))
    extract.facts = extract_facts(extract.sentences)
    text = "\n".join(line.text for lines in page_lines for line in lines)
    if len(text) >= MIN_CHARS_FOR_GARBLED and garbled_share(text) >= GARBLED_SHARE:
        extract.warnings.append("text looks garbled (fonts without a Unicode map), prose numbers may be missed")
