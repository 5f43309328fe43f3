"""Prefect tasks that connect one document to the history of editions.

previous_edition_task: the previous edition of the same publisher (year - offset) from the history
                       database, as frames the cross-edition checks read
history_task:          after publishing, replace the document's rows in the history database
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from prefect import task

from expectations.editions.edition_rules import Edition, EditionEquations, edition_equations, load_settings
from publish import history
from publish.outputs import record_edition


@dataclass
class EditionContext:
    """The previous edition a document is compared with (empty when there is none)."""

    previous_doc_id: str = ""
    previous_sha256: str = ""
    previous_year: int | None = None
    current: Edition | None = None
    previous: Edition | None = None
    profile: object = None

    @cached_property
    def _equations(self) -> EditionEquations:
        if self.current is None or self.previous is None:
            return EditionEquations([], {}, {})
        return edition_equations(self.current, self.previous, self.profile)

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


@task(name="previous-edition")
def previous_edition_task(normalised, out_dir: str) -> EditionContext:
    document = normalised.document
    db = history.db_path(out_dir)
    previous = history.previous_edition(
        db, document.get("publisher", ""), document.get("year"), load_settings().previous_year_offset
    )
    if previous is None or previous["doc_id"] == normalised.doc_id:
        return EditionContext()
    frames = history.load_frames(db, previous["doc_id"])
    return EditionContext(
        previous["doc_id"],
        str(previous["sha256"]),
        int(previous["year"]),
        current=Edition(normalised.doc_id, int(document["year"]), normalised.cells, facts_of(normalised)),
        previous=Edition(previous["doc_id"], int(previous["year"]), frames["cells"], frames["facts"]),
        profile=normalised.profile,
    )


@task(name="history", retries=2, retry_delay_seconds=2)
def history_task(
    normalised, validation, edition: EditionContext, folder: str, out_dir: str, pipeline_hash: str
) -> dict[str, int]:
    """Replace the document's rows in `<out_dir>/whitepaper.duckdb` (one transaction); rows written per table."""
    return record_edition(normalised, validation, folder, out_dir, edition, pipeline_hash)
