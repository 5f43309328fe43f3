"""Error localisation: which printed numbers are wrong, what they probably should read, how sure that is.

    localise(equations, failed, undecided, quantities, settings) -> Localisation

Fellegi-Holt over every decided rule of a document that has a formula (expectations.formulas: sums,
ratios, inequalities, growth rates, in tables, prose and across them): for the failed rules (GX's
verdict), find the cheapest sets of printed numbers whose change makes every rule hold within rounding
(weights are declared data: expectations/localisation.yaml). Sets of 1-2 numbers are enumerated
exactly; larger ones come from an ILP (expectations.localise_ilp), each confirmed by a trial repair.

The cheapest set of a connected group of rules is split into *roots* (causes): numbers belong to one
root when a rule that holds as printed reads both and breaks if only one of them is repaired (a part and
its row total off by the same amount); independent errors in one table are separate roots. A failed rule
reading a root's numbers is its *symptom*. Each root carries its alternatives: the other equally cheap
sets (then it is ambiguous), else the next-cheapest one. Nothing is applied: this only suggests.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from expectations.equations import Equation
from expectations.formulas import inputs
from expectations.localise_ilp import cheapest
from expectations.localise_search import Explanation, LocalisationProblem, Rule, exact_explanations
from expectations.localise_settings import LocalisationSettings, load_localisation_settings
from expectations.quantities import Quantity
from expectations.repairs import is_typo

HIGH, MEDIUM, AMBIGUOUS = "high", "medium", "ambiguous"
WEIGHT_EPS = 1e-9  # weights equal within float noise are a tie


@dataclass
class Root:
    """One cause: the numbers to look at, their suggested values, and how sure that is."""

    explanation: Explanation
    symptoms: list[str]  # rule ids of the failed rules reading its numbers, in rule order
    alternatives: list[Explanation] = field(default_factory=list)  # equally cheap sets, else the next-cheapest
    ties: int = 1  # equally cheap sets, this one included
    confidence: str = MEDIUM

    @property
    def ids(self) -> tuple[str, ...]:
        return self.explanation.ids


@dataclass
class Localisation:
    roots: list[Root] = field(default_factory=list)
    roots_of: dict[str, list[Root]] = field(default_factory=dict)  # failed rule id -> the roots it reads
    unexplained: set[str] = field(default_factory=set)  # failed rules no set within the limits explains

    def root_of(self, rule_id: str) -> Root | None:
        roots = self.roots_of.get(rule_id)
        return roots[0] if roots else None


def _rules(equations, failed: set[str], undecided: set[str], quantities: dict[str, Quantity]) -> list[Rule]:
    rules = []
    for eq in equations:
        if not eq.formula or eq.rule_id in undecided or eq.stated is None or eq.expected is None:
            continue
        ids = tuple(dict.fromkeys(inputs(eq.formula)))
        if ids and all(i in quantities for i in ids):
            rules.append(Rule(eq.rule_id, eq.formula, ids, eq.rule_id in failed))
    return rules


def _order_key(problem: LocalisationProblem, stated: set[str]):
    """Among equally cheap sets: typo-shaped repairs first, then those naming a rule's stated number (a
    total before its parts), then in print order."""

    def key(explanation: Explanation):
        unexplained = sum(not is_typo(c.kind) for c in explanation.changes)
        return (
            round(explanation.weight, 9),
            unexplained,
            not any(i in stated for i in explanation.ids),
            min(explanation.groups),
        )

    return key


def _linked(problem: LocalisationProblem, explanation: Explanation) -> list[frozenset[int]]:
    """The explanation's groups split into causes: two groups are one cause when a rule that holds as
    printed reads both and fails once only one of them is repaired."""
    of_group = defaultdict(dict)
    for c in explanation.changes:
        of_group[problem.group_of[c.id]][c.id] = c.value
    parent = {g: g for g in explanation.groups}

    def find(g):
        while parent[g] != g:
            g = parent[g]
        return g

    for index, rule in enumerate(problem.rules):
        if rule.failed:
            continue
        read = sorted(problem.groups(rule) & explanation.groups)
        if len(read) < 2:
            continue
        for g in read:
            alone = problem.failing([index], of_group[g])
            if alone:  # repairing only g breaks a rule that holds: g needs the others it reads
                for other in read:
                    parent[find(other)] = find(g)
                break
    causes = defaultdict(set)
    for g in explanation.groups:
        causes[find(g)].add(g)
    return [frozenset(c) for c in sorted(causes.values(), key=min)]


def _restrict(explanation: Explanation, groups: frozenset[int], problem: LocalisationProblem) -> Explanation:
    changes = tuple(c for c in explanation.changes if problem.group_of[c.id] in groups)
    return Explanation(groups, changes, sum(problem.weight(g) for g in groups))


def _best(problem: LocalisationProblem, settings: LocalisationSettings, deadline: float) -> Explanation | None:
    """The cheapest set explaining every failed rule of one connected problem."""
    limits = settings.search
    found = exact_explanations(problem, max_size=min(2, limits.exact_max_size))
    lightest = min((problem.weight(g) for g in problem.members), default=1.0)
    best = min(found, key=lambda e: e.weight) if found else None
    if best is None or best.weight > (limits.exact_max_size + 1) * lightest + WEIGHT_EPS:
        larger = cheapest(
            problem, {}, limits, min_size=limits.exact_max_size + 1 if best is None else 1, deadline=deadline
        )
        if larger is not None and (best is None or larger.weight < best.weight - WEIGHT_EPS):
            best = larger
    return best


def _alternatives(
    problem: LocalisationProblem,
    root: Explanation,
    fixed: dict[str, float],
    settings: LocalisationSettings,
    deadline: float,
) -> tuple[list[Explanation], list[Explanation]]:
    """(equally cheap sets, including `root`; the next-cheapest set, if any) for one cause, the numbers of
    the other causes held at their repaired values."""
    limits = settings.search
    found: list[Explanation] = []
    if len(root.groups) <= limits.exact_max_size:
        found = exact_explanations(problem, fixed, max_size=min(2, limits.exact_max_size))
    if not any(e.groups == root.groups for e in found):
        found.append(root)
    ties = [e for e in found if e.weight <= root.weight + WEIGHT_EPS]
    heavier = sorted((e for e in found if e.weight > root.weight + WEIGHT_EPS), key=lambda e: e.weight)
    cuts = [e.groups for e in found]
    small = len(root.groups) <= limits.exact_max_size
    if small and len(ties) == 1 and all(is_typo(c.kind) for c in root.changes):
        # A typo-shaped cause of 1-2 numbers that the exhaustive search found alone: no ILP for larger sets.
        return ties, heavier[:1]
    while len(ties) < limits.max_alternatives + 1:
        more = cheapest(
            problem, fixed, limits, cut_supersets=cuts, time_limit=limits.alternative_time_limit, deadline=deadline
        )
        if more is None:
            break
        cuts.append(more.groups)
        if more.weight <= root.weight + WEIGHT_EPS:
            ties.append(more)
            continue
        if not heavier or more.weight < heavier[0].weight - WEIGHT_EPS:
            heavier = [more]
        break
    return ties, heavier[:1]


def _confidence(ties: list[Explanation], chosen: Explanation) -> str:
    if len(ties) > 1:
        return AMBIGUOUS
    return HIGH if all(is_typo(c.kind) for c in chosen.changes) else MEDIUM


def localise(
    equations: list[Equation],
    failed: set[str],
    undecided: set[str],
    quantities: dict[str, Quantity],
    settings: LocalisationSettings | None = None,
) -> Localisation:
    settings = settings or load_localisation_settings()
    result = Localisation()
    whole = LocalisationProblem(_rules(equations, failed, undecided, quantities), quantities, settings)
    stated = {eq.subject_id for eq in equations if eq.rule_id in failed}
    deadline = time.monotonic() + settings.search.time_budget  # a document's whole localisation
    for component in whole.components():
        problem = whole.part(component)
        best = _best(problem, settings, deadline)
        failed_rules = [r.rule_id for r in problem.rules if r.failed]
        if best is None:
            result.unexplained |= set(failed_rules)
            continue
        key = _order_key(problem, stated)
        for cause in _linked(problem, best):
            chosen = _restrict(best, cause, problem)
            fixed = {c.id: c.value for c in best.changes if problem.group_of[c.id] not in cause}
            ties, heavier = _alternatives(problem, chosen, fixed, settings, deadline)
            ties.sort(key=key)
            chosen = ties[0]
            symptoms = [r.rule_id for r in problem.rules if r.failed and problem.groups(r) & chosen.groups]
            root = Root(
                explanation=chosen,
                symptoms=symptoms,
                alternatives=ties[1:] + heavier,
                ties=len(ties),
                confidence=_confidence(ties, chosen),
            )
            result.roots.append(root)
            for rule_id in symptoms:
                result.roots_of.setdefault(rule_id, []).append(root)
        result.unexplained |= {r for r in failed_rules if r not in result.roots_of}
    return result
