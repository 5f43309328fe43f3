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
from expectations.formulas import holds, inputs, solve
from expectations.intervals import Interval


@dataclass(frozen=True)
class Suspect:
    cell_id: str
    value: float  # the value that would make the rule hold
    fixes: int
    breaks: int

    @property
    def certain(self) -> bool:
        return self.breaks == 0


def find_suspects(
    equations: list[Equation], failed: set[str], intervals: dict[str, Interval], nonnegative: set[str] = frozenset()
) -> dict[str, Suspect]:
    """rule_id of each failed equation -> its most likely wrong input."""
    by_input: dict[str, list[Equation]] = defaultdict(list)
    for eq in equations:
        for cell in inputs(eq.formula):
            by_input[cell].append(eq)
    suspects: dict[str, Suspect] = {}
    for eq in equations:
        if eq.rule_id not in failed or not eq.formula:
            continue
        best: tuple | None = None
        for position, cell in enumerate(inputs(eq.formula)):
            if cell not in intervals:
                continue
            # Every failed rule reading this cell proposes a value for it; a ratio's proposal is blurred
            # by rounding, a sum's is exact, so all proposals are tried and the best one kept.
            proposals = {solve(other.formula, cell, intervals) for other in by_input[cell] if other.rule_id in failed}
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
        after = holds(other.formula, trial)
        if after is None:
            continue
        before_failed = other.rule_id in failed
        fixes += before_failed and after
        breaks += (not before_failed) and (not after)
    return fixes, breaks
