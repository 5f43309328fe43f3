"""How a rule instance's expected value is computed from the printed numbers it reads (`Equation.formula`),
so that localisation can ask "would the rules hold if this number read differently?".

A formula names its inputs by id (cell or fact ids) and has one of these shapes:

    {"type": "sum", "total": t, "parts": [p, ...]}                 t = p1 + p2 + ...
    {"type": "ratio", "ratio": r, "num": n, "den": d, "scale": s}  r = n / d * s
    {"type": "le", "small": [a, ...], "large": b}                   a1 + a2 + ... <= b (a part within its whole)
    {"type": "growth", "rate": g, "now": n, "before": b, "scale": s} g = (n / b - 1) * s

`holds` evaluates a formula on rounding intervals with the one pass/fail test (expectations.intervals:
`excess`); `solve` gives the value one input must take for an equality to hold exactly. Every rule
family builds its instances in these shapes; a new shape is added here, for every family at once.
"""

from __future__ import annotations

from expectations.intervals import Interval, interval_sum
from expectations.intervals import holds as intervals_hold

SUM, RATIO, LE, GROWTH = "sum", "ratio", "le", "growth"
EQUALITIES = (SUM, RATIO, GROWTH)


def inputs(formula: dict) -> list[str]:
    """The ids a formula reads, the stated one first."""
    kind = formula.get("type")
    if kind == SUM:
        return [formula["total"], *formula["parts"]]
    if kind == RATIO:
        return [formula["ratio"], formula["num"], formula["den"]]
    if kind == LE:
        return [*formula["small"], formula["large"]]
    if kind == GROWTH:
        return [formula["rate"], formula["now"], formula["before"]]
    return []


def holds(formula: dict, intervals: dict[str, Interval]) -> bool | None:
    """Whether the rule holds with these intervals; None when an input is unknown or it cannot be decided
    (a divisor interval containing zero, an unknown shape)."""
    kind = formula.get("type")
    try:
        if kind == SUM:
            return intervals_hold(intervals[formula["total"]], interval_sum([intervals[p] for p in formula["parts"]]))
        if kind == RATIO:
            quotient = intervals[formula["num"]].divide(intervals[formula["den"]])
            return (
                None
                if quotient is None
                else intervals_hold(intervals[formula["ratio"]], quotient.scale(formula["scale"]))
            )
        if kind == LE:
            small = interval_sum([intervals[a] for a in formula["small"]])
            large = intervals[formula["large"]]
            return intervals_hold(small, Interval(min(0.0, small.lo), large.hi))
        if kind == GROWTH:
            quotient = intervals[formula["now"]].divide(intervals[formula["before"]])
            if quotient is None:
                return None
            scale = formula["scale"]
            return intervals_hold(
                intervals[formula["rate"]], Interval((quotient.lo - 1) * scale, (quotient.hi - 1) * scale)
            )
    except KeyError:
        return None
    return None


def solve(formula: dict, target: str, intervals: dict[str, Interval]) -> float | None:
    """The point value `target` must take for an equality to hold exactly (None for inequalities, for an
    unknown input or when no finite value does)."""
    mids = {k: v.mid for k, v in intervals.items()}
    kind = formula.get("type")
    try:
        if kind == SUM:
            parts_total = sum(mids[p] for p in formula["parts"])
            if target == formula["total"]:
                return parts_total
            return mids[formula["total"]] - (parts_total - mids[target])
        if kind == RATIO:
            ratio, num, den, scale = (
                mids[formula["ratio"]],
                mids[formula["num"]],
                mids[formula["den"]],
                formula["scale"],
            )
            if not den or not ratio:
                return None
            if target == formula["ratio"]:
                return num / den * scale
            if target == formula["num"]:
                return ratio * den / scale
            if target == formula["den"]:
                return num * scale / ratio
        if kind == GROWTH:
            rate, now, before, scale = (
                mids[formula["rate"]],
                mids[formula["now"]],
                mids[formula["before"]],
                formula["scale"],
            )
            if target == formula["rate"]:
                return (now / before - 1) * scale if before else None
            factor = 1 + rate / scale
            if target == formula["now"]:
                return before * factor
            if target == formula["before"]:
                return now / factor if factor else None
    except KeyError:
        return None
    return None
