"""Prefect tasks that connect one document to the history of editions.

previous_edition_task: the editions a document is compared with, from the history database, as frames
                       the cross-edition checks read: the previous edition of its series (the latest
                       earlier one) and the same period a year earlier (publish.history.compared_editions)
history_task:          after publishing, replace the document's rows in the history database
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd
from prefect import task

# edition_rules (the cross-edition equations) pulls in the prose vocabulary and spaCy: imported when the
# equations are first needed (validating), not by a run whose checks are all cached.
from expectations.editions.edition_terms import Edition, load_settings
from normalise.periods import Period
from publish import history
from publish.outputs import record_edition

if TYPE_CHECKING:
    from expectations.editions.edition_rules import EditionEquations


@dataclass
class EditionContext:
    """The previous edition a document is compared with (empty when there is none)."""

    previous_doc_id: str = ""
    previous_sha256: str = ""
    previous_year: int | None = None
    current: Edition | None = None
    previous: Edition | None = None
    profile: object = None
    year_ago: Edition | None = None  # the same period a year earlier (may be `previous` itself)
    year_ago_sha256: str = ""

    @property
    def year_ago_doc_id(self) -> str:
        return self.year_ago.doc_id if self.year_ago is not None else ""

    @cached_property
    def _equations(self) -> EditionEquations:
        from expectations.editions.edition_rules import EditionEquations, edition_equations

        if self.current is None or self.previous is None:
            return EditionEquations([], {}, {})
        return edition_equations(self.current, self.previous, self.profile, year_ago=self.year_ago)

    # The cross-edition rule instances, as expectations.validation builds them from the two editions.
    @property
    def equations(self):
        return self._equations.equations

    @property
    def intervals(self):
        return self._equations.intervals

    @property
    def labels(self):
        return self._equations.labels


def facts_of(normalised) -> pd.DataFrame:
    """The document's prose facts (facts.csv schema), or an empty frame."""
    facts = getattr(normalised, "facts", None)
    return facts if isinstance(facts, pd.DataFrame) else pd.DataFrame()


def _edition(db, row: dict, frames_of: dict) -> Edition:
    doc_id = row["doc_id"]
    if doc_id not in frames_of:
        frames_of[doc_id] = history.load_frames(db, doc_id)
    frames = frames_of[doc_id]
    period = history.edition_period(row)
    return Edition(doc_id, period.year, frames["cells"], frames["facts"], period)


@task(name="previous-edition")
def previous_edition_task(normalised, out_dir: str) -> EditionContext:
    document = normalised.document
    db = history.db_path(out_dir)
    period = normalised.period or (Period(int(document["year"])) if document.get("year") else None)
    previous, year_ago = history.compared_editions(
        db, document.get("publisher", ""), period, document.get("series", ""), load_settings().previous_year_offset
    )
    previous = None if previous is None or previous["doc_id"] == normalised.doc_id else previous
    year_ago = None if year_ago is None or year_ago["doc_id"] == normalised.doc_id else year_ago
    if previous is None:
        return EditionContext()
    frames_of: dict = {}
    return EditionContext(
        previous["doc_id"],
        str(previous["sha256"]),
        int(history.edition_period(previous).year),
        current=Edition(normalised.doc_id, period.year, normalised.cells, facts_of(normalised), period),
        previous=_edition(db, previous, frames_of),
        profile=normalised.profile,
        year_ago=_edition(db, year_ago, frames_of) if year_ago is not None else None,
        year_ago_sha256=str(year_ago["sha256"]) if year_ago is not None else "",
    )


@task(name="history", retries=2, retry_delay_seconds=2)
def history_task(
    normalised, validation, edition: EditionContext, folder: str, out_dir: str, pipeline_hash: str
) -> dict[str, int]:
    """Replace the document's rows in `<out_dir>/whitepaper.duckdb` (one transaction); rows written per table."""
    return record_edition(normalised, validation, folder, out_dir, edition, pipeline_hash)
