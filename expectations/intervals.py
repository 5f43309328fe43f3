"""Printed numbers as rounding intervals, and the one test of whether a rule holds.

A printed "62.15" means a value in [62.145, 62.155]; an exact count "529,185" means itself. A rule
holds when the interval of the stated value and the interval recomputed from its inputs overlap, so
rounding never raises an alarm and a real difference of 1 between exact counts is never hidden.
`excess` is that test as a number (> 0: the rule fails); Great Expectations validates it on the
reconciliation frames, and localisation applies the same function to trial corrections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from extractors.numbers import parse_number
from normalise.profile_model import ROUNDED_KINDS  # column kinds printed rounded: an integer still means +-0.5

# Floating-point slack when comparing interval ends (relative to the stated value; not a tolerance on the data).
FLOAT_EPS = 1e-9


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


def excess(stated: Interval, expected: Interval) -> float:
    """How far the stated interval lies from the recomputed one, beyond floating-point slack: the rule
    fails when this is > 0. The only formula for pass/fail."""
    return gap_between(stated, expected) - FLOAT_EPS * max(1.0, abs(stated.mid))


def holds(stated: Interval, expected: Interval) -> bool:
    return excess(stated, expected) <= 0


def half_width(decimals: int, kind: str = "") -> float:
    """Rounding radius of a number printed with `decimals` decimals in a column of `kind`."""
    if decimals:
        return 0.5 * 10.0 ** (-decimals)
    return 0.5 if kind in ROUNDED_KINDS else 0.0  # counts are exact


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def cell_interval(cell: dict, kind: str = "") -> Interval | None:
    """The interval a table cell (a cells-frame row) stands for; None when it holds no number."""
    if cell.get("parse_status", "ok") != "ok" or _missing(cell.get("value")):
        return None
    decimals = cell.get("decimals")
    if _missing(decimals):  # a cell built without the tidy columns: its printed form tells
        decimals = parse_number(str(cell.get("raw", ""))).decimals
    return Interval.around(float(cell["value"]), half_width(int(decimals), kind))


def column_kinds(cells: pd.DataFrame, profile) -> dict[str, str]:
    """column_id -> the kind the profile declares ("" for unrecognised columns or without a profile)."""
    kinds = {}
    for column_id in cells["column_id"].dropna().unique() if "column_id" in cells else ():
        kinds[column_id] = profile.column_by_id(column_id).kind if (profile is not None and column_id) else ""
    return kinds


def cell_intervals(cells: pd.DataFrame, profile) -> dict[str, Interval]:
    """cell_id -> rounding interval of every readable cell."""
    kinds = column_kinds(cells, profile)
    intervals = {}
    for row in cells.to_dict("records"):
        interval = cell_interval(row, kinds.get(row["column_id"], ""))
        if interval is not None:
            intervals[row["cell_id"]] = interval
    return intervals


def fact_interval(fact: dict) -> Interval | None:
    """The interval a prose fact (a facts-frame row) stands for: its extracted rounding radius, or, for
    facts built elsewhere without one, the radius its printed form implies; None without a value."""
    if _missing(fact.get("value")):
        return None
    half = fact.get("half_width")
    if _missing(half) or half == "":
        parsed = parse_number(str(fact.get("raw", "")))
        half = parsed.half_unit if parsed.is_number else 0.0
    return Interval.around(float(fact["value"]), float(half))
