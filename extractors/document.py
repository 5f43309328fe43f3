"""One PDF -> everything the pipeline reads from it, as plain records (no publisher knowledge).

Rejects, with an `InputError`, what cannot be processed: unreadable files (see pdf_open) and
documents without a text layer (scanned pages would need OCR, which this pipeline does not do).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from extractors.pdf_open import InputError, OpenLimits, open_pdf
from extractors.records import Table
from extractors.text import Sentence

# Characters of text from the first pages kept for recognising the publisher and the edition year.
HEAD_TEXT_PAGES = 2
# A document with fewer text characters than this on all pages has no usable text layer.
MIN_TEXT_CHARS = 1
HASH_CHUNK = 1 << 20


@dataclass
class DocumentExtract:
    path: str
    sha256: str
    pages: int
    head_text: str
    tables: list[Table] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _text_summary(pdf) -> tuple[str, int]:
    """(text of the first pages, text characters on all pages)."""
    chars = 0
    head: list[str] = []
    for index, page in enumerate(pdf.pages):
        page_chars = len(page.chars)
        chars += page_chars
        if index < HEAD_TEXT_PAGES and page_chars:
            head.append(page.extract_text() or "")
    return "\n".join(head), chars


def extract_document(path: str | os.PathLike, limits: OpenLimits = OpenLimits()) -> DocumentExtract:
    """Open the PDF once and read its tables and its prose sentences (outside the tables)."""
    from extractors.tables import pdf_to_tables
    from extractors.text import extract_sentences, table_boxes

    path = Path(path)
    digest = sha256_of(path)
    with open_pdf(path, limits) as pdf:
        head_text, chars = _text_summary(pdf)
        if chars < MIN_TEXT_CHARS:
            raise InputError(path, "no text layer (scanned or image-only pages; OCR is not supported)", "no_text")
        tables = pdf_to_tables(pdf)
        sentences = extract_sentences(pdf, exclude_boxes=table_boxes(tables))
        pages = len(pdf.pages)
    warnings = [] if tables else ["no tables found"]
    return DocumentExtract(str(path), digest, pages, head_text, tables, sentences, warnings)
