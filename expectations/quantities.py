"""The printed numbers the rules read, as error localisation sees them: interval, printed precision and
scale, kind, sign, and what it costs to call each one wrong.

    quantities(intervals, cells=..., profile=..., facts=..., previous=..., labels=...) -> {id: Quantity}

A table cell's kind is its column's kind in the publisher profile; a prose number's is the fact's kind
("216.7615 million" keeps its printed scale, so a repair is compared digit by digit with what was
printed). Ids the caller marks as `previous` are numbers of the previous edition. Pure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from expectations.intervals import Interval, column_kinds
from expectations.localise_settings import LocalisationSettings

_FIRST_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Quantity:
    id: str
    interval: Interval
    decimals: int = 0  # decimals as printed
    scale: float = 1.0  # the value is the printed number times this ("216.7615 million" yuan: 1e6)
    kind: str = ""
    previous: bool = False  # a number of the previous edition
    label: str = ""
    raw: str = ""

    @property
    def value(self) -> float:
        return self.interval.mid

    @property
    def rounded(self) -> bool:
        """Printed rounded (a measure, a ratio, a decimal), not an exact count."""
        return self.interval.radius > 0

    def nonnegative(self, settings: LocalisationSettings) -> bool:
        return self.value >= 0 and self.kind not in settings.signed_kinds

    def weight(self, settings: LocalisationSettings) -> float:
        return settings.weight(self.kind, self.previous)

    def printed(self, value: float) -> float:
        """`value` (base units) in the printed scale, at the printed precision."""
        return round(value / self.scale, max(self.decimals, 0))

    def value_of(self, printed: float) -> float:
        return printed * self.scale

    def reprints(self, value: float) -> bool:
        """Does `value` print differently from what was printed (a change a reader could see)?"""
        return self.printed(value) != self.printed(self.value)


def decimals_of_radius(radius: float) -> int:
    """Decimals a rounding radius implies: 0.005 -> 2; an exact count (0) or a rounded integer (0.5) -> 0."""
    return max(0, round(-math.log10(2 * radius))) if radius > 0 else 0


def _scale(raw: str, value: float) -> float:
    """value / the number printed in `raw` (1 when the printed number is the value itself)."""
    match = _FIRST_NUMBER.search(raw or "")
    if not match:
        return 1.0
    printed = float(match.group().replace(",", ""))
    if not printed or not value:
        return 1.0
    ratio = value / printed
    power = round(math.log10(abs(ratio))) if ratio else 0
    return 10.0**power if abs(ratio - 10.0**power) <= 1e-9 * abs(ratio) else 1.0


def _int(value, default: int = 0) -> int:
    return default if value is None or pd.isna(value) else int(value)


def quantities(
    intervals: dict[str, Interval],
    cells: pd.DataFrame | None = None,
    profile=None,
    facts: pd.DataFrame | None = None,
    previous: set[str] = frozenset(),
    labels: dict[str, str] | None = None,
) -> dict[str, Quantity]:
    """Every id with an interval, described from the cells and facts frames where it is one of theirs."""
    labels = labels or {}
    described: dict[str, dict] = {}
    if cells is not None and not cells.empty:
        kinds = column_kinds(cells, profile)
        for row in cells.to_dict("records"):
            described[row["cell_id"]] = {
                "decimals": _int(row.get("decimals")),
                "kind": kinds.get(row.get("column_id"), "") or "",
                "raw": str(row.get("raw", "")),
            }
    if facts is not None and not facts.empty:
        for row in facts.to_dict("records"):
            value = row.get("value")
            described[row["fact_id"]] = {
                "decimals": _int(row.get("decimals")),
                "kind": str(row.get("kind") or ""),
                "raw": str(row.get("raw", "")),
                "scale": 1.0 if value is None or pd.isna(value) else _scale(str(row.get("raw", "")), float(value)),
            }
    found = {}
    for item_id, interval in intervals.items():
        known = described.get(item_id, {})
        found[item_id] = Quantity(
            id=item_id,
            interval=interval,
            decimals=known.get("decimals", decimals_of_radius(interval.radius)),
            scale=known.get("scale", 1.0),
            kind=known.get("kind", ""),
            previous=item_id in previous,
            label=labels.get(item_id, item_id),
            raw=known.get("raw", ""),
        )
    return found
