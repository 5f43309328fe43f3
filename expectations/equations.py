"""Reconciliation frames: one row per rule instance (an equation), with rounding intervals.

Every check in the project — table row sums, region hierarchy, ratios, prose-vs-prose and
prose-vs-table — produces rows of this one shape. Great Expectations then validates the frame
(`gap` must be <= 0; `expected` must not be null), and the unexpected rows become findings.

A printed number is an interval: "62.15" is [62.145, 62.155]. A rule passes when the interval of the
stated value and the interval of the value recomputed from its inputs overlap, so rounding never
raises an alarm and a real difference of 1 between exact counts is never hidden.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

# Floating-point slack when comparing interval ends (not a tolerance on the data).
FLOAT_EPS = 1e-9

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
    "passed",  # True / False; None when undecided
    "message",
    "quote",  # the sentence or the table row as printed
    "inputs",  # JSON list of the ids (cell or fact ids) the rule reads, stated value first
    "subject_id",  # id of the cell/fact holding the stated value
    "suspect_id",  # id of the single input most likely wrong (filled by blame)
    "suspect_reason",
    "evidence",  # JSON list of [page, x0, top, x1, bottom] boxes to highlight
]


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] around a printed value."""

    lo: float
    hi: float

    @classmethod
    def around(cls, value: float, half_width: float = 0.0) -> Interval:
        return cls(value - half_width, value + half_width)

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2.0

    @property
    def radius(self) -> float:
        return (self.hi - self.lo) / 2.0

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, factor: float) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def divide(self, other: Interval) -> Interval | None:
        """Quotient interval; None when the divisor interval contains zero (undecidable)."""
        if other.lo <= 0 <= other.hi:
            return None
        ends = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(ends), max(ends))


def interval_sum(intervals: list[Interval]) -> Interval:
    total = Interval(0.0, 0.0)
    for item in intervals:
        total = total + item
    return total


def gap_between(a: Interval, b: Interval) -> float:
    """Distance between two intervals; <= 0 when they overlap."""
    return max(a.lo - b.hi, b.lo - a.hi)


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
    # How the expected value is computed from the inputs, so blame can try corrections:
    # {"type": "sum", "total": id, "parts": [ids]} or {"type": "ratio", "ratio": id, "num": id, "den": id,
    # "scale": s}. Empty when the rule is not one of these shapes.
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
        passed = bool(gap <= FLOAT_EPS * max(1.0, abs(stated_value))) if decided else None
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
            "excess": gap - FLOAT_EPS * max(1.0, abs(stated_value)) if decided else math.nan,
            "passed": passed,
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
