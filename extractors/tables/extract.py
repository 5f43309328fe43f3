"""A whole document → its tables: every page, then stitching across pages.

Long documents are read by several processes when the machine has idle cores: the parent forks
`workers - 1` children after it has opened and checked the file; each child reopens the file (a
shared file offset cannot be shared), reads every n-th page and sends its page tables back through
a pipe; the parent reads its own share meanwhile. Page tables are plain data, so they travel back
cheaply. Without `fork`, with one worker, for short documents or when every core is already busy
(1-minute load average), pages are read in-process: forking then only adds work.
"""

from __future__ import annotations

import os
import pickle
import traceback
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


def worker_count(n_pages: int, settings: TableSettings) -> int:
    """Processes worth using for a document of `n_pages` pages right now."""
    if n_pages < settings.parallel_min_pages or not hasattr(os, "fork"):
        return 1
    cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:  # no load average on this platform: assume the cores are ours
        idle = cores
    return max(1, min(settings.workers, n_pages, cores, int(idle + 0.5) + 1))


def _child(path: str, numbers: list[int], settings: TableSettings, fd: int) -> None:
    """Runs in a forked child: read pages, write the pickled result, exit without cleanup."""
    status = 1
    try:
        with open_pdf(path) as pdf:  # the parent's defensive page list (e.g. pages without a MediaBox)
            result = pages_to_page_tables(pdf, numbers, settings)
        with os.fdopen(fd, "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # report here: the parent only sees the exit status
        traceback.print_exc()
    finally:
        os._exit(status)


def pages_in_workers(pdf: Any, path: str, n_pages: int, workers: int, settings: TableSettings) -> PageResult:
    numbers = list(range(1, n_pages + 1))
    shares = [numbers[i::workers] for i in range(workers)]
    children = []
    for share in shares[1:]:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _child(path, share, settings, w)
        os.close(w)
        children.append((pid, r))
    tables, texts = pages_to_page_tables(pdf, shares[0], settings)
    for pid, r in children:
        with os.fdopen(r, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            raise RuntimeError(f"page worker {pid} failed (status {status}) reading {path}")
        child_tables, child_texts = pickle.loads(data)
        tables += child_tables
        texts += child_texts
    tables.sort(key=lambda t: (t.page, t.box[1], t.box[0]))
    texts.sort(key=lambda x: x.page)
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
        workers = worker_count(n_pages, settings)
        if workers > 1:
            result = pages_in_workers(pdf, str(path), n_pages, workers, settings)
        else:
            result = pages_to_page_tables(pdf, list(range(1, n_pages + 1)), settings)
    return stitch(*result)
