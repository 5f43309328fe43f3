"""A whole document → its tables: every page (in worker processes for long documents), then stitching.

Workers are forked after the parent has opened and checked the file, each reopens it and reads its
own share of pages; a page table is plain data, so it travels back cheaply. On platforms without
`fork` (or with one worker) pages are read in-process.
"""
from __future__ import annotations

import os
from typing import Any

from ..pdf_open import open_pdf
from ..records import Table
from .page import PageTable, PageText, page_to_tables
from .settings import TableSettings
from .stitch import stitch


PageResult = tuple[list[PageTable], list[PageText]]


def pages_to_page_tables(pdf: Any, page_numbers: list[int], settings: TableSettings) -> PageResult:
    """Read the given 1-based pages of an open pdfplumber document."""
    tables: list[PageTable] = []
    texts: list[PageText] = []
    for n in page_numbers:
        page = pdf.pages[n - 1]
        found, text = page_to_tables(page, settings)
        tables.extend(found)
        texts.append(text)
        page.close()
    return tables, texts


def _worker(args: tuple[str, list[int], TableSettings]) -> PageResult:
    path, numbers, settings = args
    import pdfplumber  # already imported in the parent; forked workers share it

    with pdfplumber.open(path) as pdf:
        return pages_to_page_tables(pdf, numbers, settings)


def _parallel(path: str, n_pages: int, settings: TableSettings) -> PageResult | None:
    workers = min(settings.workers, n_pages, os.cpu_count() or 1)
    if workers < 2 or n_pages < settings.parallel_min_pages:
        return None
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    numbers = list(range(1, n_pages + 1))
    shares = [numbers[i::workers] for i in range(workers)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        results = pool.map(_worker, [(path, s, settings) for s in shares])
    tables = sorted((t for r in results for t in r[0]), key=lambda t: (t.page, t.box[1], t.box[0]))
    texts = sorted((x for r in results for x in r[1]), key=lambda x: x.page)
    return tables, texts


def pdf_to_tables(pdf: Any, settings: TableSettings | None = None) -> list[Table]:
    """Tables of an already open pdfplumber document (sequential)."""
    settings = settings or TableSettings()
    return stitch(*pages_to_page_tables(pdf, list(range(1, len(pdf.pages) + 1)), settings))


def extract_tables(path: str | os.PathLike, settings: TableSettings | None = None) -> list[Table]:
    """Every data table in the PDF at `path`; raises `InputError` for unreadable files."""
    settings = settings or TableSettings()
    with open_pdf(path) as pdf:
        n_pages = len(pdf.pages)
        result = _parallel(str(path), n_pages, settings)
        if result is None:
            result = pages_to_page_tables(pdf, list(range(1, n_pages + 1)), settings)
    return stitch(*result)
