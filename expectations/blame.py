"""Which single printed number most likely explains a failed rule.

For every input of a failed equation, compute the value that would make that equation hold, put it
in place, and re-evaluate every other equation that reads the same number. The best suspect fixes
the most failures and breaks the fewest passing rules (a negative count is never a fix). When no
candidate fixes everything without breaking something, the suspect is reported as uncertain.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from expectations.equations import Equation
from expectations.intervals import FLOAT_EPS, Interval, gap_between, interval_sum


@dataclass(frozen=True)
class Suspect:
    cell_id: str
    value: float  # the value that would make the rule hold
    fixes: int
    breaks: int

    @property
    def certain(self) -> bool:
        return self.breaks == 0


def _evaluate(formula: dict, intervals: dict[str, Interval]) -> bool | None:
    """Pass/fail of a formula with the given intervals; None when an input is unknown."""
    try:
        if formula["type"] == "sum":
            stated = intervals[formula["total"]]
            expected = interval_sum([intervals[p] for p in formula["parts"]])
        elif formula["type"] == "ratio":
            stated = intervals[formula["ratio"]]
            quotient = intervals[formula["num"]].divide(intervals[formula["den"]])
            if quotient is None:
                return None
            expected = quotient.scale(formula["scale"])
        else:
            return None
    except KeyError:
        return None
    return gap_between(stated, expected) <= FLOAT_EPS * max(1.0, abs(stated.mid))


def _correction(formula: dict, target: str, intervals: dict[str, Interval]) -> float | None:
    """The point value `target` must take for the formula to hold exactly."""
    mids = {k: v.mid for k, v in intervals.items()}
    if formula["type"] == "sum":
        parts_total = sum(mids[p] for p in formula["parts"])
        if target == formula["total"]:
            return parts_total
        return mids[formula["total"]] - (parts_total - mids[target])
    if formula["type"] == "ratio":
        ratio, num, den, scale = (
            mids.get(formula["ratio"]),
            mids.get(formula["num"]),
            mids.get(formula["den"]),
            formula["scale"],
        )
        if None in (ratio, num, den) or not den or not ratio:
            return None
        if target == formula["ratio"]:
            return num / den * scale
        if target == formula["num"]:
            return ratio * den / scale
        if target == formula["den"]:
            return num * scale / ratio
    return None


def _inputs(formula: dict) -> list[str]:
    if formula.get("type") == "sum":
        return [formula["total"], *formula["parts"]]
    if formula.get("type") == "ratio":
        return [formula["ratio"], formula["num"], formula["den"]]
    return []


def find_suspects(
    equations: list[Equation], failed: set[str], intervals: dict[str, Interval], nonnegative: set[str] = frozenset()
) -> dict[str, Suspect]:
    """rule_id of each failed equation -> its most likely wrong input."""
    by_input: dict[str, list[Equation]] = defaultdict(list)
    for eq in equations:
        for cell in _inputs(eq.formula):
            by_input[cell].append(eq)
    suspects: dict[str, Suspect] = {}
    for eq in equations:
        if eq.rule_id not in failed or not eq.formula:
            continue
        best: tuple | None = None
        for position, cell in enumerate(_inputs(eq.formula)):
            if cell not in intervals:
                continue
            # Every failed rule reading this cell proposes a value for it; a ratio's proposal is blurred
            # by rounding, a sum's is exact, so all proposals are tried and the best one kept.
            proposals = {
                _correction(other.formula, cell, intervals) for other in by_input[cell] if other.rule_id in failed
            }
            for value in proposals:
                if value is None or (cell in nonnegative and value < 0):
                    continue
                fixes, breaks = _trial(cell, value, by_input[cell], failed, intervals)
                # Rank: most net repairs, then fewest breaks, then the stated value (position 0) first.
                key = (fixes - breaks, -breaks, -position)
                if best is None or key > best[0]:
                    best = (key, Suspect(cell, value, fixes, breaks))
        if best is not None:
            suspects[eq.rule_id] = best[1]
    return suspects


def _trial(
    cell: str, value: float, affected: list[Equation], failed: set[str], intervals: dict[str, Interval]
) -> tuple[int, int]:
    """(failed rules that would hold, passing rules that would fail) with `cell` set to `value`."""
    trial = dict(intervals)
    trial[cell] = Interval.around(value, intervals[cell].radius)
    fixes = breaks = 0
    for other in affected:
        after = _evaluate(other.formula, trial)
        if after is None:
            continue
        before_failed = other.rule_id in failed
        fixes += before_failed and after
        breaks += (not before_failed) and (not after)
    return fixes, breaks
