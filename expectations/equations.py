"""Rule instances (equations) and the reconciliation frame they become: one row per instance.

Every check in the project — table row sums, region hierarchy, ratios, prose-vs-prose,
prose-vs-table and edition-vs-edition — builds its instances with `build_equation` and produces rows
of this one shape. Great Expectations then validates the frame (`excess` must be <= 0, see
expectations.intervals; `expected` must not be null), and its verdict is written back into the frame
(`outcome`, `passed`) by expectations.validation: pass/fail is decided there, once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from expectations.intervals import Interval, excess, gap_between

RECON_COLUMNS = [
    "rule_id",  # unique within a document, stable across runs: "<check>:<table_id>:<row>:<column>"
    "check",  # rule family, e.g. "row_sum", "hierarchy", "ratio", "number_format", "fact_share"
    "rule",  # the rule in words: "Valid invention patents = sum of the owner categories"
    "table_id",
    "fact_id",
    "row_label",
    "column",
    "page",
    "stated",
    "stated_lo",
    "stated_hi",
    "expected",
    "expected_lo",
    "expected_hi",
    "difference",  # stated - expected (NaN when undecided)
    "tolerance",  # half-widths of both intervals added
    "gap",  # > 0 means the intervals do not overlap
    "excess",  # gap minus floating-point slack: the rule fails when > 0 (what GX validates)
    "passed",  # True / False, None when undecided: GX's verdict in every published frame
    "message",
    "quote",  # the sentence or the table row as printed
    "inputs",  # JSON list of the ids (cell or fact ids) the rule reads, stated value first
    "subject_id",  # id of the cell/fact holding the stated value
    "suspect_id",  # empty here: the localised suspects are in findings.csv (expectations.localise)
    "suspect_reason",
    "evidence",  # JSON list of [page, x0, top, x1, bottom] boxes to highlight
]


@dataclass
class Equation:
    """One rule instance before it becomes a frame row. `expected` None = undecided."""

    rule_id: str
    check: str
    rule: str
    stated: Interval | None
    expected: Interval | None
    stated_value: float | None = None  # the printed value (midpoint of `stated` unless given)
    expected_value: float | None = None  # the recomputed point value (midpoint unless given)
    table_id: str = ""
    fact_id: str = ""
    row_label: str = ""
    column: str = ""
    page: int | None = None
    message: str = ""
    quote: str = ""
    inputs: list[str] = field(default_factory=list)
    subject_id: str = ""
    evidence: list[list[float]] = field(default_factory=list)
    undecided_reason: str = ""
    # How the expected value is computed from the inputs (expectations.formulas: sum, ratio, le, growth), so
    # localisation can try repairs. Empty when the rule is not one of these shapes.
    formula: dict = field(default_factory=dict)

    def to_row(self) -> dict:
        stated_value = (
            self.stated_value if self.stated_value is not None else (self.stated.mid if self.stated else math.nan)
        )
        decided = self.stated is not None and self.expected is not None
        expected_value = math.nan
        if self.expected is not None:
            expected_value = self.expected_value if self.expected_value is not None else self.expected.mid
        gap = gap_between(self.stated, self.expected) if decided else math.nan
        message = self.message or (self.undecided_reason if not decided else "")
        return {
            "rule_id": self.rule_id,
            "check": self.check,
            "rule": self.rule,
            "table_id": self.table_id,
            "fact_id": self.fact_id,
            "row_label": self.row_label,
            "column": self.column,
            "page": self.page,
            "stated": stated_value,
            "stated_lo": self.stated.lo if self.stated else math.nan,
            "stated_hi": self.stated.hi if self.stated else math.nan,
            "expected": expected_value,
            "expected_lo": self.expected.lo if self.expected else math.nan,
            "expected_hi": self.expected.hi if self.expected else math.nan,
            "difference": stated_value - expected_value if decided else math.nan,
            "tolerance": (self.stated.radius + self.expected.radius) if decided else math.nan,
            "gap": gap,
            "excess": excess(self.stated, self.expected) if decided else math.nan,
            # Provisional (the same `excess` GX validates); validation replaces it with GX's verdict.
            "passed": bool(excess(self.stated, self.expected) <= 0) if decided else None,
            "message": message,
            "quote": self.quote,
            "inputs": json.dumps(self.inputs, ensure_ascii=False),
            "subject_id": self.subject_id,
            "suspect_id": "",
            "suspect_reason": "",
            "evidence": json.dumps(self.evidence),
        }


def equations_to_frame(equations: list[Equation]) -> pd.DataFrame:
    """The reconciliation frame for a list of equations (empty frame with the schema when none)."""
    rows = [e.to_row() for e in equations]
    frame = pd.DataFrame(rows, columns=RECON_COLUMNS)
    frame["gap"] = frame["gap"].astype("float64")
    frame["excess"] = frame["excess"].astype("float64")
    frame["stated"] = frame["stated"].astype("float64")
    frame["expected"] = frame["expected"].astype("float64")
    frame["page"] = frame["page"].astype("Int64")
    return frame


@dataclass(frozen=True)
class Operand:
    """A printed number a rule reads: its id (cell or fact id), value, interval and page boxes."""

    id: str
    value: float | None = None
    interval: Interval | None = None
    boxes: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class Place:
    """Where a rule's stated value is printed, as a reviewer looks for it."""

    table_id: str = ""
    fact_id: str = ""
    row_label: str = ""
    column: str = ""
    page: int | None = None


def _evidence(operands: Sequence[Operand]) -> list[list[float]]:
    boxes, seen = [], set()
    for operand in operands:
        for box in operand.boxes:
            key = tuple(box)
            if key not in seen:
                seen.add(key)
                boxes.append(list(box))
    return boxes


def build_equation(
    check: str,
    key: str,
    rule: str,
    stated: Operand,
    inputs: Sequence[Operand | None],
    expected: Interval | None,
    place: Place,
    *,
    expected_value: float | None = None,
    message: str = "",
    quote: str = "",
    formula: dict | None = None,
    undecided_reason: str = "",
    evidence: list[list[float]] | None = None,
) -> Equation:
    """The one way a rule instance is made: id `<check>:<key>`, the stated operand first among the
    inputs, evidence = the boxes of the stated value then of its inputs (unless given)."""
    present = [stated, *(operand for operand in inputs if operand is not None)]
    return Equation(
        rule_id=f"{check}:{key}",
        check=check,
        rule=rule,
        stated=stated.interval,
        expected=expected,
        stated_value=stated.value,
        expected_value=expected_value,
        table_id=place.table_id,
        fact_id=place.fact_id,
        row_label=place.row_label,
        column=place.column,
        page=place.page,
        message=message,
        quote=quote,
        inputs=[operand.id for operand in present],
        subject_id=stated.id,
        evidence=_evidence(present) if evidence is None else evidence,
        undecided_reason=undecided_reason,
        formula=formula or {},
    )
