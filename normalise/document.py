"""One document's extraction + its publisher profile -> the tidy frames every later stage reads.

    normalise_document(extract, pdf_path, profile_path) -> Normalised
        profile: the one given (`--profile`), else the one the document is recognised as (normalise.profile)
        document: doc_id (the PDF's stem), path, sha256, publisher, edition year, counts, warnings
        tables, cells, facts: normalise.tidy

Pure apart from reading the profile YAML: no output is written here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from normalise.profile import Profile, choose_profile, load_profile
from normalise.tidy import cells_frame, facts_frame, table_ids, tables_frame

YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass
class Normalised:
    doc_id: str
    document: dict
    tables: pd.DataFrame
    cells: pd.DataFrame
    facts: pd.DataFrame
    profile: Profile | None = None


def document_id(path: str | Path) -> str:
    """A document is named by its file's stem: `raw/<stem>.pdf` -> `output/<stem>/`."""
    return Path(path).stem


def edition_year(head_text: str, profile: Profile | None) -> int | None:
    """The edition year read from the document's first pages, not from the file name."""
    if profile is not None:
        match = re.search(profile.year_pattern, head_text, flags=re.IGNORECASE)
        if match:
            return int(match.group(1))
    years = Counter(YEAR_RE.findall(head_text))
    return int(years.most_common(1)[0][0]) if years else None


NO_TABLES = "no tables found"  # the reader's warning, always last


def structure_warnings(warnings: list[str], tables: list) -> list[str]:
    """The reader's warnings plus one per table whose structure is doubtful (extractors.tables.self_check):
    its cells are published with status `doubtful`, never ok."""
    doubtful = [
        f"table on page {t.page_first} ({t.title or 'untitled'}): structure doubtful, cells flagged: "
        + "; ".join(t.doubts)
        for t in tables
        if t.doubts
    ]
    tail = [w for w in warnings if w == NO_TABLES]
    return [w for w in warnings if w != NO_TABLES] + doubtful + tail


def normalise_document(extract, pdf_path: str, profile_path: str | None = None) -> Normalised:
    """Tidy frames for one document (`extract`: extractors.reader.DocumentExtract). `pdf_path` is this run's
    path: a cached extraction (keyed on the file's hash) may carry the path of an earlier run of the same
    bytes under another name."""
    row_labels = [row[0] for table in extract.tables for row in table.body if row]
    profile = load_profile(profile_path) if profile_path else choose_profile(extract.head_text, row_labels)
    doc_id = document_id(pdf_path)
    ids = table_ids(extract.tables)
    facts = facts_frame(doc_id, extract.facts)
    document = {
        "doc_id": doc_id,
        "path": str(pdf_path),
        "sha256": extract.sha256,
        "publisher": profile.id if profile else "",
        "year": edition_year(extract.head_text, profile),
        "pages": extract.pages,
        "tables": len(extract.tables),
        "sentences": len(extract.sentences),
        "warnings": structure_warnings(list(extract.warnings), extract.tables),
        "facts": len(facts),
    }
    return Normalised(
        doc_id=doc_id,
        document=document,
        tables=tables_frame(doc_id, extract.tables, ids),
        cells=cells_frame(doc_id, extract.tables, ids, profile),
        facts=facts,
        profile=profile,
    )
