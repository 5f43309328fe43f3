"""The search space of error localisation: the rules of a document, the printed numbers they read, and
trial repairs that say whether changing a given set of numbers can make every rule hold.

    problem = LocalisationProblem(rules, quantities, settings)   # copies merged, groups of related rules
    problem.realise(groups)          -> Explanation | None       # the values that set must take, or None
    exact_explanations(problem, ...) -> [Explanation]            # every set of 1-2 groups that works

A *group* is a printed number together with its verbatim restatements: numbers tied by a passing
one-input equality (the prose restating a table cell) change together and cost once. Every rule is read
through expectations.formulas: `solve` proposes the value an input must take, `holds` (the one
pass/fail test) accepts or rejects the trial; a repair is a value printable at the number's own precision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from expectations.formulas import EQUALITIES, SUM, holds, solve
from expectations.intervals import Interval
from expectations.localise_settings import LocalisationSettings
from expectations.quantities import Quantity
from expectations.repairs import printed_options, repair_kind


@dataclass(frozen=True)
class Rule:
    """A decided rule instance localisation can evaluate: its formula, the ids it reads, GX's verdict."""

    rule_id: str
    formula: dict
    inputs: tuple[str, ...]
    failed: bool

    @property
    def equality(self) -> bool:
        return self.formula.get("type") in EQUALITIES

    @property
    def restates(self) -> bool:
        """A one-input equality: one printed number restating another (prose = table cell)."""
        return self.formula.get("type") == SUM and "total" in self.formula and len(self.formula["parts"]) == 1


@dataclass(frozen=True)
class Change:
    id: str
    value: float  # the suggested value, in base units, printable at the number's precision
    kind: str  # the typo shape (expectations.repairs)
    group: int = 0  # the number and its restatements share a group


@dataclass(frozen=True)
class Explanation:
    """A set of printed numbers and values for them that make every rule hold."""

    groups: frozenset[int]
    changes: tuple[Change, ...]
    weight: float

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.changes)


@dataclass
class LocalisationProblem:
    rules: list[Rule]
    quantities: dict[str, Quantity]
    settings: LocalisationSettings
    group_of: dict[str, int] = field(init=False)
    members: dict[int, tuple[str, ...]] = field(init=False)
    rules_of: dict[int, list[int]] = field(init=False)  # group -> indexes of the rules reading it
    failed_indexes: list[int] = field(init=False)

    def __post_init__(self) -> None:
        ids = sorted({i for rule in self.rules for i in rule.inputs}, key=self._order)
        parent = {i: i for i in ids}

        def find(i: str) -> str:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for rule in self.rules:
            if rule.restates and not rule.failed:
                a, b = find(rule.inputs[0]), find(rule.inputs[1])
                if a != b:
                    parent[max(a, b, key=self._order)] = min(a, b, key=self._order)
        roots = {find(i) for i in ids}
        number = {root: n for n, root in enumerate(sorted(roots, key=self._order))}
        self.group_of = {i: number[find(i)] for i in ids}
        grouped: dict[int, list[str]] = defaultdict(list)
        for i in ids:
            grouped[self.group_of[i]].append(i)
        self.members = {g: tuple(m) for g, m in grouped.items()}
        self.rules_of = defaultdict(list)
        for index, rule in enumerate(self.rules):
            for g in {self.group_of[i] for i in rule.inputs}:
                self.rules_of[g].append(index)
        self.failed_indexes = [index for index, rule in enumerate(self.rules) if rule.failed]

    def part(self, rule_indexes: list[int]) -> LocalisationProblem:
        """The problem restricted to some of its rules (a connected component)."""
        return LocalisationProblem([self.rules[i] for i in rule_indexes], self.quantities, self.settings)

    def _order(self, item_id: str) -> tuple[int, str]:
        """Stable order of ids: table cells and prose before numbers of another edition."""
        return (int(self.quantities[item_id].previous), item_id)

    # --- the pieces of the problem --------------------------------------------------------------------
    def groups(self, rule: Rule) -> set[int]:
        return {self.group_of[i] for i in rule.inputs}

    def weight(self, group: int) -> float:
        return max(self.quantities[i].weight(self.settings) for i in self.members[group])

    def label(self, group: int) -> str:
        return self.quantities[self.members[group][0]].label

    def components(self) -> list[list[int]]:
        """Indexes of rules connected through the numbers they share, for each group holding a failed rule."""
        seen: set[int] = set()
        found = []
        for start, rule in enumerate(self.rules):
            if start in seen or not rule.failed:
                continue
            todo, component = [start], []
            seen.add(start)
            while todo:
                index = todo.pop()
                component.append(index)
                for g in self.groups(self.rules[index]):
                    for other in self.rules_of[g]:
                        if other not in seen:
                            seen.add(other)
                            todo.append(other)
            found.append(sorted(component))
        return found

    def intervals(self, fixed: dict[str, float] | None = None) -> dict[str, Interval]:
        base = {i: q.interval for i, q in self.quantities.items()}
        for i, value in (fixed or {}).items():
            base[i] = Interval.around(value, self.quantities[i].interval.radius)
        return base

    def failing(self, rule_indexes: list[int], fixed: dict[str, float] | None = None) -> list[int]:
        """The rules (of these) that fail with the `fixed` values in place: GX's verdict for the printed
        values, the one pass/fail test for trial values."""
        if not fixed:
            return [i for i in rule_indexes if self.rules[i].failed]
        trial = self.intervals(fixed)
        return [i for i in rule_indexes if not self._holds(self.rules[i], trial, fixed)]

    def _holds(self, rule: Rule, trial: dict[str, Interval], changed) -> bool:
        if not any(i in changed for i in rule.inputs):
            return not rule.failed
        return holds(rule.formula, trial) is True

    # --- trial repairs ------------------------------------------------------------------------------------
    def realise(
        self, groups: frozenset[int], fixed: dict[str, float] | None = None, hint: dict[str, float] | None = None
    ) -> Explanation | None:
        """Values for every number of `groups` (the `fixed` ones staying as given) that make every rule
        hold, each printable at its own precision and different from what was printed; None when there are
        none this search finds. `hint` (an ILP's values) is tried first, printed at each number's precision;
        else each unknown is solved from a rule in which it is the only unknown (sums first: they give the
        exact value; then a ratio or rate for its stated value; a divisor last, being the loosest)."""
        fixed = dict(fixed or {})
        members = set(chain.from_iterable(self.members[g] for g in groups))
        if members & set(fixed):
            return None
        if hint is not None and members <= set(hint):
            values = {}
            for i in members:
                q = self.quantities[i]
                values[i] = q.value_of(q.printed(float(hint[i])))
            found = self._confirm(groups, values, fixed)
            if found is not None:
                return found
        values = self._propagate(groups, members, fixed)
        return None if values is None else self._confirm(groups, values, fixed)

    def _confirm(self, groups: frozenset[int], values: dict[str, float], fixed: dict[str, float]):
        if not all(self.quantities[i].reprints(v) for i, v in values.items()):
            return None  # a number of the set keeps its printed value: the set is not the one changed
        trial = self.intervals(fixed)
        for i, value in values.items():
            trial[i] = Interval.around(value, self.quantities[i].interval.radius)
        changed = set(values) | set(fixed)
        if not self._all_hold(changed, trial, values):
            return None
        return self._explanation(groups, self._typo_shaped(groups, values, changed, trial))

    def _propagate(self, groups: frozenset[int], members: set[str], fixed: dict[str, float]) -> dict[str, float] | None:
        unknown = set(members)
        values: dict[str, float] = {}
        trial = self.intervals(fixed)

        def priority(index: int) -> tuple:
            rule = self.rules[index]
            return (rule.formula.get("type") != SUM, rule.inputs[0] not in unknown, index)

        touched = {r for g in groups for r in self.rules_of[g]}
        while unknown:
            ready = [
                r for r in touched if self.rules[r].equality and sum(i in unknown for i in self.rules[r].inputs) == 1
            ]
            if not ready:
                return None
            index = min(ready, key=priority)
            rule = self.rules[index]
            target = next(i for i in rule.inputs if i in unknown)
            proposal = solve(rule.formula, target, trial)
            value = None if proposal is None else self._printable(target, proposal, rule, trial)
            if value is None:
                return None
            values[target] = value
            trial[target] = Interval.around(value, self.quantities[target].interval.radius)
            unknown.discard(target)
        return values

    def _printable(self, target: str, proposal: float, rule: Rule, trial: dict[str, Interval]) -> float | None:
        """The value printable at the target's precision nearest to `proposal` that makes `rule` hold."""
        q = self.quantities[target]
        for option in printed_options(proposal / q.scale, q.decimals):
            value = q.value_of(option)
            if option == q.printed(q.value):
                continue  # unchanged: not a repair
            if q.nonnegative(self.settings) and value < 0:
                continue
            attempt = dict(trial)
            attempt[target] = Interval.around(value, q.interval.radius)
            if holds(rule.formula, attempt) is True:
                return value
        return None

    def _all_hold(self, changed: set[str], trial: dict[str, Interval], values: dict[str, float]) -> bool:
        """Every failed rule reads a changed number, and every rule reading one holds with the trial values."""
        for i, value in values.items():
            q = self.quantities[i]
            if q.nonnegative(self.settings) and value < 0:
                return False
        if any(not any(i in changed for i in self.rules[f].inputs) for f in self.failed_indexes):
            return False
        groups = {self.group_of[i] for i in changed if i in self.group_of}
        touched = {r for g in groups for r in self.rules_of[g]}
        return all(holds(self.rules[r].formula, trial) is True for r in touched)

    def _typo_shaped(
        self, groups: frozenset[int], values: dict[str, float], changed: set[str], trial: dict[str, Interval]
    ) -> dict[str, float]:
        """Where a rounded number's repair could also be printed as a typo of what was printed (26.55 for
        26.95 rather than 26.54) without breaking a rule, prefer that reading."""
        values = dict(values)
        for group in sorted(groups):
            members = self.members[group]
            if len(members) != 1:
                continue
            q = self.quantities[members[0]]
            if not q.rounded or self._kind(members[0], values[members[0]]) != "unexplained":
                continue
            for option in printed_options(values[members[0]] / q.scale, q.decimals):
                if option == q.printed(q.value):
                    continue
                kind = repair_kind(q.printed(q.value), option, q.decimals, q.rounded)
                if kind == "unexplained":
                    continue
                attempt = dict(trial)
                attempt[members[0]] = Interval.around(q.value_of(option), q.interval.radius)
                if self._all_hold(changed, attempt, values | {members[0]: q.value_of(option)}):
                    values[members[0]] = q.value_of(option)
                    trial[members[0]] = attempt[members[0]]
                    break
        return values

    def _kind(self, item_id: str, value: float) -> str:
        q = self.quantities[item_id]
        return repair_kind(q.printed(q.value), q.printed(value), q.decimals, q.rounded)

    def _explanation(self, groups: frozenset[int], values: dict[str, float]) -> Explanation:
        ordered = sorted(values, key=lambda i: (self.group_of[i], self._order(i)))
        changes = tuple(Change(i, values[i], self._kind(i, values[i]), self.group_of[i]) for i in ordered)
        return Explanation(groups, changes, sum(self.weight(g) for g in groups))


def exact_explanations(
    problem: LocalisationProblem,
    fixed: dict[str, float] | None = None,
    max_size: int = 2,
    excluded: frozenset[int] = frozenset(),
) -> list[Explanation]:
    """Every set of up to `max_size` (1 or 2) groups whose change makes all rules hold, given the `fixed`
    values: the sets of one, then the pairs that contain none of them. A set must touch every failing
    rule; a pair is the union of a group on the first failing rule and one on every failing rule it
    misses, or a neighbour repairing a rule the first one breaks."""
    failing = problem.failing(list(range(len(problem.rules))), fixed)
    if not failing:
        return []
    blocked = {problem.group_of[i] for i in (fixed or {}) if i in problem.group_of} | set(excluded)
    hitting = [problem.groups(problem.rules[i]) - blocked for i in failing]
    found: list[Explanation] = []
    singles = set.intersection(*hitting)
    for group in sorted(singles):
        explanation = problem.realise(frozenset({group}), fixed)
        if explanation is not None:
            found.append(explanation)
    if max_size < 2:
        return found
    feasible_singles = {next(iter(e.groups)) for e in found}
    tried: set[frozenset[int]] = set()
    for first in sorted(hitting[0]):
        if first in feasible_singles:
            continue
        missed = [h for h in hitting if first not in h]
        if missed:
            seconds = set.intersection(*missed)
        else:
            seconds = {g for r in problem.rules_of[first] for g in problem.groups(problem.rules[r])}
        for second in sorted(seconds - blocked - {first} - feasible_singles):
            pair = frozenset({first, second})
            if pair in tried:
                continue
            tried.add(pair)
            explanation = problem.realise(pair, fixed)
            if explanation is not None:
                found.append(explanation)
    return found
