"""How a rule instance's expected value is computed from the printed numbers it reads (`Equation.formula`),
so that localisation can ask "would the rules hold if this number read differently?".

A formula names its inputs by id (cell or fact ids) and has one of these shapes:

    {"type": "sum", "total": t, "parts": [p, ...]}                 t = p1 + p2 + ...
    {"type": "sum", "equals": c, "parts": [p, ...]}                c = p1 + p2 + ... (a constant: shares add to 100)
    {"type": "ratio", "ratio": r, "num": n, "den": d, "scale": s}  r = n / d * s
    {"type": "le", "small": [a, ...], "large": b}                   a1 + a2 + ... <= b (a part within its whole)
    {"type": "growth", "rate": g, "now": n, "before": b, "scale": s} g = (n / b - 1) * s
    {"type": "growth", "rate": g, "now": n, "change": c, "scale": s} g = c / (n - c) * s (the change is stated)

`holds` evaluates a formula on rounding intervals with the one pass/fail test (expectations.intervals:
`excess`); `solve` gives the value one input must take for an equality to hold exactly; `linear_bounds`
is a linear relaxation of the rule for the error-localisation ILP (expectations.localise_ilp). Every
rule family builds its instances in these shapes; a new shape is added here, for every family at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from expectations.intervals import FLOAT_EPS, Interval, interval_sum
from expectations.intervals import holds as intervals_hold

SUM, RATIO, LE, GROWTH = "sum", "ratio", "le", "growth"
EQUALITIES = (SUM, RATIO, GROWTH)


def inputs(formula: dict) -> list[str]:
    """The ids a formula reads, the stated one first."""
    kind = formula.get("type")
    if kind == SUM:
        return [formula["total"], *formula["parts"]] if "total" in formula else list(formula["parts"])
    if kind == RATIO:
        return [formula["ratio"], formula["num"], formula["den"]]
    if kind == LE:
        return [*formula["small"], formula["large"]]
    if kind == GROWTH:
        return [formula["rate"], formula["now"], formula.get("before") or formula["change"]]
    return []


def _total(formula: dict, intervals: dict[str, Interval]) -> Interval:
    """A sum's left-hand side: its total's interval, or the declared constant."""
    if "total" in formula:
        return intervals[formula["total"]]
    return Interval.around(float(formula["equals"]))


def holds(formula: dict, intervals: dict[str, Interval]) -> bool | None:
    """Whether the rule holds with these intervals; None when an input is unknown or it cannot be decided
    (a divisor interval containing zero, an unknown shape)."""
    kind = formula.get("type")
    try:
        if kind == SUM:
            return intervals_hold(_total(formula, intervals), interval_sum([intervals[p] for p in formula["parts"]]))
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
        if kind == GROWTH and "change" in formula:
            change = intervals[formula["change"]]
            quotient = change.divide(intervals[formula["now"]] - change)
            return (
                None
                if quotient is None
                else intervals_hold(intervals[formula["rate"]], quotient.scale(formula["scale"]))
            )
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
            if target == formula.get("total"):
                return parts_total
            total = mids[formula["total"]] if "total" in formula else float(formula["equals"])
            return total - (parts_total - mids[target])
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
        if kind == GROWTH and "change" in formula:
            rate, now, change, scale = (
                mids[formula["rate"]],
                mids[formula["now"]],
                mids[formula["change"]],
                formula["scale"],
            )
            if target == formula["rate"]:
                return change / (now - change) * scale if now != change else None
            if target == formula["now"]:
                return change * (1 + scale / rate) if rate else None
            if target == formula["change"]:
                return rate * now / (scale + rate) if scale + rate else None
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


@dataclass(frozen=True)
class LinearBound:
    """lo <= sum(coeffs[id] * value of id) <= hi over point values, needed for the rule to hold as long as
    none of `unless_changed` is changed: a linear relaxation of the rule, so that an ILP can search for
    the fewest numbers to change (every set of point values making the rule hold satisfies the bound)."""

    coeffs: dict[str, float]
    lo: float
    hi: float
    unless_changed: tuple[str, ...] = ()


def _slack(value: float) -> float:
    """The floating-point slack `excess` allows, as an absolute amount around `value`."""
    return FLOAT_EPS * max(1.0, abs(value))


def linear_bounds(formula: dict, intervals: dict[str, Interval], nonnegative: set[str]) -> list[LinearBound]:
    """Linear bounds the rule implies on its inputs' point values (an unchanged input also stays within its
    own interval; the caller says so). A quotient is linear once its divisor is fixed: r = n / d * s with d
    in [d_lo, d_hi] (d > 0, n >= 0) means d_lo * r <= s * n <= d_hi * r; growth rates likewise. A bound
    that would need a sign not known to hold is left out (a weaker relaxation, never a wrong one)."""
    kind = formula.get("type")
    inf = float("inf")
    try:
        if kind == SUM:
            coeffs = {p: -1.0 for p in formula["parts"]}
            if "total" in formula:
                coeffs[formula["total"]] = coeffs.get(formula["total"], 0.0) + 1.0
                slack = _slack(intervals[formula["total"]].mid)
                return [LinearBound(coeffs, -slack, slack)]
            total = float(formula["equals"])
            return [LinearBound(coeffs, -total - _slack(total), -total + _slack(total))]
        if kind == LE:
            large = formula["large"]
            coeffs = {a: 1.0 for a in formula["small"]}
            coeffs[large] = coeffs.get(large, 0.0) - 1.0
            return [LinearBound(coeffs, -inf, _slack(intervals[large].mid))]
        if kind == RATIO:
            r, n, d, s = formula["ratio"], formula["num"], formula["den"], float(formula["scale"])
            if n not in nonnegative or s <= 0 or len({r, n, d}) < 3:
                return []
            den, ratio, slack = intervals[d], intervals[r], _slack(s * intervals[n].mid)
            bounds = []
            if den.lo > 0:  # the divisor fixed: d_lo * r <= s * n <= d_hi * r
                bounds += [
                    LinearBound({n: s, r: -den.hi}, -inf, slack, (d,)),
                    LinearBound({r: den.lo, n: -s}, -inf, slack, (d,)),
                ]
            if ratio.lo > 0 and d in nonnegative:  # the ratio fixed: r_lo * d <= s * n <= r_hi * d
                bounds += [
                    LinearBound({n: s, d: -ratio.hi}, -inf, slack, (r,)),
                    LinearBound({d: ratio.lo, n: -s}, -inf, slack, (r,)),
                ]
            return bounds
        if kind == GROWTH and "change" in formula:
            g, n, c, s = formula["rate"], formula["now"], formula["change"], float(formula["scale"])
            rate = intervals[g]
            if s <= 0 or len({g, n, c}) < 3 or intervals[n].mid - intervals[c].mid <= 0:
                return []
            lo, hi = rate.lo / s, rate.hi / s
            slack = _slack(intervals[n].mid)
            # lo * (n - c) <= c <= hi * (n - c), for a positive previous level n - c.
            return [
                LinearBound({n: lo, c: -lo - 1.0}, -inf, slack, (g,)),
                LinearBound({c: 1.0 + hi, n: -hi}, -inf, slack, (g,)),
                LinearBound({n: 1.0, c: -1.0}, 0.0, inf, (g,)),
            ]
        if kind == GROWTH:
            g, n, b, s = formula["rate"], formula["now"], formula["before"], float(formula["scale"])
            if n not in nonnegative or s <= 0 or len({g, n, b}) < 3:
                return []
            before, rate, slack = intervals[b], intervals[g], _slack(intervals[n].mid)
            bounds = []
            if before.lo > 0:  # n / b = g / s + 1 with b fixed: b_lo * (g / s + 1) <= n <= b_hi * (g / s + 1)
                bounds += [
                    LinearBound({n: 1.0, g: -before.hi / s}, -inf, before.hi + slack, (b,)),
                    LinearBound({g: before.lo / s, n: -1.0}, -inf, -before.lo + slack, (b,)),
                ]
            # The rate fixed: (1 + g_lo / s) * b <= n <= (1 + g_hi / s) * b.
            if rate.lo / s + 1 > 0 and b in nonnegative:
                bounds += [
                    LinearBound({b: 1 + rate.lo / s, n: -1.0}, -inf, slack, (g,)),
                    LinearBound({n: 1.0, b: -(1 + rate.hi / s)}, -inf, slack, (g,)),
                ]
            return bounds
    except KeyError:
        return []
    return []
