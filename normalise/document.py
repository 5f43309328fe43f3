"""One document's extraction + its publisher profile -> the tidy frames every later stage reads.

    normalise_document(extract, pdf_path, profile_path, profile_dirs) -> Normalised
        profile: the one given (`--profile`), else the one the document is recognised as (normalise.profiles),
                 with the evidence for the choice (document["profile"])
        document: doc_id (the PDF's stem), path, sha256, publisher, edition period (year, month or quarter)
                  and series, counts, warnings
        tables, cells, facts: normalise.tidy

Pure apart from reading the profile YAML: no output is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from extractors.records import DOUBTFUL, NO_TABLES
from normalise import profiles
from normalise.periods import Period, most_common_year
from normalise.profile import Profile
from normalise.tidy import cells_frame, facts_frame, table_ids, tables_frame


@dataclass
class Normalised:
    doc_id: str
    document: dict
    tables: pd.DataFrame
    cells: pd.DataFrame
    facts: pd.DataFrame
    profile: Profile | None = None

    @property
    def period(self) -> Period | None:
        return Period.from_key(self.document.get("period") or "")

    @property
    def notes(self) -> list[str]:
        """What the summary line says beside the warnings (no profile matched)."""
        note = (self.document.get("profile") or {}).get("note", "")
        return [note] if note else []


def document_id(path: str | Path) -> str:
    """A document is named by its file's stem: `raw/<stem>.pdf` -> `output/<stem>/`."""
    return Path(path).stem


def edition_period(head_text: str, profile: Profile | None) -> tuple[Period | None, str]:
    """(period, series) read from the document's first pages, not from the file name: the profile's period
    patterns, else the year printed most often there (a yearly series)."""
    if profile is not None:
        found = profile.read_period(head_text)
        if found is not None:
            return found
    period = most_common_year(head_text)
    return period, period.kind if period else ""


def structure_warnings(warnings: list[str], tables: list) -> list[str]:
    """The reader's warnings plus one per table whose structure is doubtful (extractors.tables.self_check):
    its cells are published with status `doubtful`, never ok. A table's reasons are joined with " | "
    ("; " separates warnings in the summary line)."""
    doubtful = [
        f"table on page {t.page_first} ({t.title or 'untitled'}): {DOUBTFUL}: " + " | ".join(t.doubts)
        for t in tables
        if t.doubts
    ]
    tail = [w for w in warnings if w == NO_TABLES]
    return [w for w in warnings if w != NO_TABLES] + doubtful + tail


def table_row_labels(extract) -> list[list[str]]:
    """Each table's first-column texts: what content recognition compares with the hierarchies."""
    return [[row[0] for row in table.body if row] for table in extract.tables]


def profile_choice(extract, profile_path: str | None = None, dirs: Sequence[str | Path] = ()) -> profiles.ProfileChoice:
    """The profile forced by `--profile`, else the one the document is recognised as."""
    if profile_path:
        return profiles.forced(profile_path)
    return profiles.choose(extract.head_text, table_row_labels(extract), profiles.profile_dirs(dirs))


def normalise_document(
    extract, pdf_path: str, profile_path: str | None = None, profile_dirs: Sequence[str | Path] = ()
) -> Normalised:
    """Tidy frames for one document (`extract`: extractors.reader.DocumentExtract). `pdf_path` is this run's
    path: a cached extraction (keyed on the file's hash) may carry the path of an earlier run of the same
    bytes under another name. `profile_dirs`: user folders of profiles, searched before the package's."""
    choice = profile_choice(extract, profile_path, profile_dirs)
    profile = choice.profile
    doc_id = document_id(pdf_path)
    ids = table_ids(extract.tables)
    facts = facts_frame(doc_id, extract.facts)
    period, series = edition_period(extract.head_text, profile)
    document = {
        "doc_id": doc_id,
        "path": str(pdf_path),
        "sha256": extract.sha256,
        "publisher": profile.id if profile else "",
        "year": period.year if period else None,
        "period": period.key if period else "",
        "series": series,
        "pages": extract.pages,
        "tables": len(extract.tables),
        "sentences": len(extract.sentences),
        "warnings": structure_warnings(list(extract.warnings), extract.tables),
        "facts": len(facts),
        "profile": choice.to_json(),
    }
    return Normalised(
        doc_id=doc_id,
        document=document,
        tables=tables_frame(doc_id, extract.tables, ids),
        cells=cells_frame(doc_id, extract.tables, ids, profile),
        facts=facts,
        profile=profile,
    )
