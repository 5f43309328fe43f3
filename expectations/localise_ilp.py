"""Fellegi-Holt error localisation beyond the sets the exact search enumerates: an ILP (scipy.optimize.milp,
HiGHS) proposes the cheapest set of numbers whose change could make every rule hold.

Each printed number may shift by whole units of its last printed digit (an integer) within its own
rounding interval (continuous); each group of a number and its restatements has a binary "changed" without
which it cannot shift. A changed number may move up to `relative_reach` times its size (at most MAX_SHIFT
units), never below zero when it is non-negative. Every rule adds its
linear bounds (expectations.formulas.linear_bounds; a bound that fixes a divisor is lifted while that
divisor is changed), every failing rule needs a changed input, and the objective is the declared weight of
the changed groups. The ILP is a relaxation: each proposal is checked by a trial repair
(LocalisationProblem.realise) and a proposal that does not survive it is cut off and the ILP solved again.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from expectations.formulas import linear_bounds
from expectations.localise_search import Explanation, LocalisationProblem
from expectations.localise_settings import SearchLimits

log = logging.getLogger(__name__)
MAX_PROPOSALS = 40  # ILP proposals tried (each cut off when its trial repair fails) before giving up
MAX_PADDINGS = 3  # refuted proposals whose changed numbers are the same set, padded differently, before giving up
# Largest change of one number, in units of its last printed digit, the ILP considers: below the inverse of
# HiGHS's integrality tolerance (1e-6), so that an "unchanged" binary it leaves at 1e-6 moves nothing.
MAX_SHIFT = 500_000
MIN_SOLVE_SECONDS = 0.05  # below this much time left, no solve is started


# A debugging line HiGHS (as bundled with scipy) prints to the C stdout during some solves.
SOLVER_NOISE = "HighsMipSolverData::"


@contextmanager
def _solver_output_filtered():
    """Keep HiGHS's stray debugging lines off the process's stdout (the CLI's summary lines go there):
    the C-level stdout is captured for the solve and everything else written meanwhile is passed on."""
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            capture.seek(0)
            kept = [line for line in capture.read().splitlines(keepends=True) if SOLVER_NOISE.encode() not in line]
            if kept:
                sys.stdout.buffer.write(b"".join(kept))
                sys.stdout.flush()


class _Rows:
    """Sparse constraint rows lo <= a.x <= hi."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, coeffs: dict[int, float], lo: float, hi: float) -> None:
        coeffs = {k: v for k, v in coeffs.items() if v}
        if not coeffs:
            return
        norm = max(abs(v) for v in coeffs.values())  # rows of one magnitude help the solver's tolerances
        row = len(self.lo)
        for col, value in coeffs.items():
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(value / norm)
        self.lo.append(lo / norm)
        self.hi.append(hi / norm)

    def constraint(self, n: int) -> LinearConstraint:
        matrix = coo_array((self.vals, (self.rows, self.cols)), shape=(len(self.lo), n))
        return LinearConstraint(matrix, np.array(self.lo), np.array(self.hi))


def propose(
    problem: LocalisationProblem,
    fixed: dict[str, float],
    limits: SearchLimits,
    cut_exactly: list[frozenset[int]],
    cut_supersets: list[frozenset[int]],
    min_size: int = 1,
    time_limit: float | None = None,
) -> tuple[frozenset[int], dict[str, float], bool] | None:
    """The cheapest set of groups the relaxation allows (the values it found, and whether the solver proved
    it cheapest or stopped at its time limit), other than the cut sets; None when there is none within the
    limits.

    A number's value is its printed value + unit x shift + rounding, where `unit` is one unit of its last
    printed digit, `shift` an integer (the printed value changes only by whole units) and `rounding` its
    own rounding interval. A shift is non-zero only while the group's binary is 1, and is bounded by
    MAX_SHIFT units: with that bound, a binary the solver leaves at its integrality tolerance cannot move
    a number at all (the shift is an integer below 1)."""
    ids = sorted(problem.group_of)
    groups = sorted(problem.members)
    shift = {i: k for k, i in enumerate(ids)}
    spread = {i: len(ids) + k for k, i in enumerate(ids)}
    zcol = {g: 2 * len(ids) + k for k, g in enumerate(groups)}
    n = 2 * len(ids) + len(groups)
    intervals = problem.intervals(fixed)
    fixed_groups = {problem.group_of[i] for i in fixed if i in problem.group_of}
    nonnegative = {i for i in ids if problem.quantities[i].nonnegative(problem.settings)}
    lower, upper = np.zeros(n), np.zeros(n)
    integrality = np.zeros(n)
    rows = _Rows()
    mid, unit, reach = {}, {}, {}
    for i in ids:
        q = problem.quantities[i]
        mid[i], unit[i] = q.value, q.scale * 10.0 ** (-max(q.decimals, 0))
        radius = q.interval.radius
        lower[spread[i]], upper[spread[i]] = -radius, radius
        integrality[shift[i]] = 1
        if i in fixed:
            lower[shift[i]] = upper[shift[i]] = round((fixed[i] - q.value) / unit[i])
            reach[i] = abs(lower[shift[i]])
            continue
        reach[i] = float(min(MAX_SHIFT, max(1.0, limits.relative_reach * abs(q.value) / unit[i])))
        lower[shift[i]], upper[shift[i]] = -reach[i], reach[i]
        if i in nonnegative:
            lower[shift[i]] = max(lower[shift[i]], -np.floor(q.value / unit[i] + 1e-9))
        z = zcol[problem.group_of[i]]
        rows.add({shift[i]: 1.0, z: -reach[i]}, -np.inf, 0.0)  # unchanged: no shift
        rows.add({shift[i]: 1.0, z: reach[i]}, 0.0, np.inf)
    for g in groups:
        integrality[zcol[g]] = 1
        upper[zcol[g]] = 0.0 if g in fixed_groups else 1.0  # other causes keep their repaired values

    for rule in problem.rules:
        for bound in linear_bounds(rule.formula, intervals, nonnegative):
            coeffs, offset, size = {}, 0.0, 0.0
            for i, c in bound.coeffs.items():
                coeffs[shift[i]] = coeffs.get(shift[i], 0.0) + c * unit[i]
                coeffs[spread[i]] = coeffs.get(spread[i], 0.0) + c
                offset += c * mid[i]
                size += abs(c) * (unit[i] * reach[i] + problem.quantities[i].interval.radius)
            lo, hi = bound.lo - offset, bound.hi - offset
            lifted = {zcol[problem.group_of[i]] for i in bound.unless_changed if i in problem.group_of}
            lifted -= {zcol[g] for g in fixed_groups}
            if not lifted:
                rows.add(coeffs, lo, hi)
                continue
            if np.isfinite(hi):
                rows.add(coeffs | {z: -(size + abs(hi)) for z in lifted}, -np.inf, hi)
            if np.isfinite(lo):
                rows.add(coeffs | {z: size + abs(lo) for z in lifted}, lo, np.inf)

    for index in problem.failing(list(range(len(problem.rules))), fixed):
        hitting = problem.groups(problem.rules[index]) - fixed_groups
        if not hitting:
            return None
        rows.add({zcol[g]: 1.0 for g in hitting}, 1.0, np.inf)
    free = [g for g in groups if g not in fixed_groups]
    rows.add({zcol[g]: 1.0 for g in free}, float(min_size), float(limits.ilp_max_size))
    for cut in cut_exactly:
        rows.add({zcol[g]: (1.0 if g in cut else -1.0) for g in free}, -np.inf, len(cut) - 1.0)
    for cut in cut_supersets:
        rows.add({zcol[g]: 1.0 for g in cut if g in zcol}, -np.inf, len(cut) - 1.0)

    cost = np.zeros(n)
    for g in groups:
        cost[zcol[g]] = problem.weight(g)
    with _solver_output_filtered():
        # With HiGHS's presolve: 5x faster on the 2023 paper's alternatives (2.3 -> 0.45 s), same optimum; it
        # has been seen to propose a set with a needless extra number, which `cheapest` drops (_minimal).
        result = milp(
            cost,
            constraints=[rows.constraint(n)],
            integrality=integrality,
            bounds=Bounds(lower, upper),
            options={
                "time_limit": time_limit or limits.ilp_time_limit,
                "disp": False,
                "mip_rel_gap": 1e-9,
                "presolve": True,
            },
        )
    if result.x is None:
        if result.status != 2:  # 2: infeasible, the expected end of an enumeration
            log.info("localisation ILP stopped without a proposal: %s", result.message)
        return None
    chosen = frozenset(g for g in free if result.x[zcol[g]] > 0.5)
    values = {  # plain floats: numpy scalars would make the interval tests return numpy booleans
        i: float(mid[i] + unit[i] * round(result.x[shift[i]]) + result.x[spread[i]])
        for g in chosen
        for i in problem.members[g]
    }
    return chosen, values, result.status == 0  # 0: proven optimal; 1: the best found within the time limit


def _moved(problem: LocalisationProblem, groups: frozenset[int], values: dict[str, float]) -> frozenset[int]:
    """The groups of a proposal with a number whose proposed value prints differently from what was printed."""
    return frozenset(g for g in groups if any(problem.quantities[i].reprints(values[i]) for i in problem.members[g]))


def _minimal(
    problem: LocalisationProblem,
    explanation: Explanation,
    fixed: dict[str, float],
    hint: dict[str, float],
    cut_supersets: list[frozenset[int]],
) -> Explanation:
    """`explanation` without any group the repair does not need (a smaller set, no heavier, that a trial
    repair confirms and that is not a superset of a cut): the ILP's presolve may leave one in."""
    shrunk = True
    while shrunk and len(explanation.groups) > 1:
        shrunk = False
        for g in sorted(explanation.groups):
            smaller = explanation.groups - {g}
            if any(cut <= smaller for cut in cut_supersets):
                continue
            found = problem.realise(smaller, fixed, hint=hint)
            if found is not None and found.weight <= explanation.weight:
                explanation, shrunk = found, True
                break
    return explanation


def cheapest(
    problem: LocalisationProblem,
    fixed: dict[str, float],
    limits: SearchLimits,
    cut_supersets: list[frozenset[int]] = (),
    min_size: int = 1,
    time_limit: float | None = None,
    deadline: float | None = None,
) -> Explanation | None:
    """The cheapest set the ILP proposes that a trial repair confirms (cutting off the ones it refutes).
    With a `time_limit` (seconds per solve) or a `deadline` (time.monotonic()) the ILP may stop at the best
    set it has found by then, or give none."""
    refuted: list[frozenset[int]] = []
    refuted_cores: Counter[frozenset[int]] = Counter()
    for _ in range(MAX_PROPOSALS):
        limit = time_limit or limits.ilp_time_limit
        if deadline is not None:
            limit = min(limit, deadline - time.monotonic())
            if limit <= MIN_SOLVE_SECONDS:
                log.info("localisation: time budget spent, no further ILP solve")
                return None
        proposal = propose(problem, fixed, limits, refuted, list(cut_supersets), min_size, limit)
        if proposal is None:
            return None
        groups, values, proven = proposal
        explanation = problem.realise(groups, fixed, hint=values)
        if explanation is not None:
            return _minimal(problem, explanation, fixed, values, list(cut_supersets))
        moved = _moved(problem, groups, values)
        refuted_cores[moved] += 1
        if refuted_cores[moved] >= MAX_PADDINGS:
            # The same numbers, each time padded with another one left at its printed value: every
            # padding would be refuted and cut off in turn (40 solves per cause on a generated edition).
            log.info("localisation ILP: the same refuted set proposed %d times, padded; no further solve", MAX_PADDINGS)
            return None
        if not proven:
            # The solver stopped at its time limit and the repair refutes what it had: each further
            # proposal would take the whole limit again (40 proposals = the document's whole time budget,
            # measured on generated editions). Give none rather than spend the budget.
            log.info("localisation ILP: a proposal found at the time limit was refuted; no further solve")
            return None
        refuted.append(groups)
    log.info("localisation ILP: no confirmed set after %d proposals", MAX_PROPOSALS)
    return None
