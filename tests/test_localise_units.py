"""Error localisation on hand-built rules (no PDF, no GX): typo shapes, the declared settings, and the
cases the issue names: two independent errors in one table, a consistent two-cell error, a wrong divisor,
a single rule with several equally small explanations."""

from __future__ import annotations

import pytest

from expectations.equations import Equation
from expectations.formulas import holds
from expectations.intervals import Interval
from expectations.localise import localise
from expectations.localise_settings import load_localisation_settings, parse_settings
from expectations.quantities import Quantity
from expectations.repairs import repair_kind
from extractors.config import ConfigError


@pytest.mark.parametrize(
    "printed, true, decimals, rounded, kind",
    [
        (49463, 49643, 0, False, "digit swap"),
        (968, 967, 0, False, "one wrong digit"),
        (2044, 204, 0, False, "extra digit"),
        (75, 715, 0, False, "missing digit"),
        (-120, 120, 0, False, "sign"),
        (1291.06, 129.106, 2, True, "separator error"),
        (62.15, 62.16, 2, True, "rounding"),
        (12.00, 8.41, 2, True, "unexplained"),
        (529185, 529288, 0, False, "unexplained"),
    ],
)
def test_repair_kinds(printed, true, decimals, rounded, kind):
    assert repair_kind(printed, true, decimals, rounded) == kind


def test_settings_are_validated_when_loaded():
    settings = load_localisation_settings()
    assert settings.weight("count") == 1.0 and settings.weight("ratio") == 0.5
    assert settings.weight("count", previous=True) == 2.0
    with pytest.raises(ConfigError, match="unknown key 'weigths'"):
        parse_settings({"weigths": {}}, "x.yaml")
    with pytest.raises(ConfigError, match="search.max_alternatives must be a positive integer"):
        parse_settings({"search": {"max_alternatives": 0}}, "x.yaml")


# A table: rows a, b and their total row t; columns x, y and their total column s (x + y = s per row,
# a + b = t per column), and a ratio column r = s / d per row.
VALUES = {"a.x": 120, "a.y": 80, "a.s": 200, "b.x": 310, "b.y": 90, "b.s": 400, "t.x": 430, "t.y": 170, "t.s": 600}
VALUES |= {"a.d": 40, "b.d": 50, "t.d": 90, "a.r": 5.0, "b.r": 8.0, "t.r": 6.67}


def _quantities(printed: dict[str, float]) -> dict[str, Quantity]:
    found = {}
    for key, value in printed.items():
        rounded = key.endswith(".r")
        found[key] = Quantity(
            key,
            Interval.around(value, 0.005 if rounded else 0.0),
            2 if rounded else 0,
            kind="ratio" if rounded else "count",
            label=key,
        )
    return found


def _equations(printed: dict[str, float]) -> list[Equation]:
    formulas = {}
    for row in "abt":
        formulas[f"row:{row}"] = {"type": "sum", "total": f"{row}.s", "parts": [f"{row}.x", f"{row}.y"]}
        formulas[f"ratio:{row}"] = {
            "type": "ratio",
            "ratio": f"{row}.r",
            "num": f"{row}.s",
            "den": f"{row}.d",
            "scale": 1.0,
        }
    for column in "xysd":
        formulas[f"col:{column}"] = {"type": "sum", "total": f"t.{column}", "parts": [f"a.{column}", f"b.{column}"]}
    q = _quantities(printed)
    intervals = {k: v.interval for k, v in q.items()}
    equations = []
    for rule_id, formula in formulas.items():
        subject = formula.get("total") or formula.get("ratio")
        equations.append(
            Equation(
                rule_id,
                rule_id.split(":")[0],
                rule_id,
                intervals[subject],
                intervals[subject],
                subject_id=subject,
                formula=formula,
            )
        )
    return equations


def _localise(changes: dict[str, float]):
    printed = VALUES | changes
    q = _quantities(printed)
    intervals = {k: v.interval for k, v in q.items()}
    equations = _equations(printed)
    failed = {e.rule_id for e in equations if not holds(e.formula, intervals)}
    return failed, localise(equations, failed, set(), q)


def test_the_clean_table_holds():
    failed, result = _localise({})
    assert failed == set() and result.roots == []


def test_two_independent_errors_in_one_table_are_two_roots():
    failed, result = _localise({"a.x": 210, "b.y": 99})  # 120 -> 210 (swap), 90 -> 99 (one digit)
    assert failed == {"row:a", "col:x", "row:b", "col:y"}
    found = {r.ids: [(c.value, c.kind) for c in r.explanation.changes] for r in result.roots}
    assert found == {("a.x",): [(120, "digit swap")], ("b.y",): [(90, "one wrong digit")]}
    assert {r.confidence for r in result.roots} == {"high"}
    assert sorted(result.root_of("col:x").symptoms) == ["col:x", "row:a"]


def test_a_consistent_two_cell_error_is_one_root_with_both_cells():
    failed, result = _localise({"a.x": 130, "a.s": 210})  # both 10 too high: the row still adds up
    assert "row:a" not in failed
    assert len(result.roots) == 1
    root = result.roots[0]
    assert sorted(root.ids) == ["a.s", "a.x"] and {c.value for c in root.explanation.changes} == {120, 200}
    assert set(root.symptoms) == failed


def test_a_wrong_divisor_is_found_through_its_ratio_and_its_column():
    failed, result = _localise({"b.d": 58})  # 50 printed 58
    assert failed == {"ratio:b", "col:d"}
    assert [(r.ids, r.explanation.changes[0].value, r.explanation.changes[0].kind) for r in result.roots] == [
        (("b.d",), 50, "one wrong digit")
    ]


def test_a_single_rule_is_ambiguous_and_lists_the_typo_shaped_total_first():
    q = _quantities({"T": 1010, "p": 500, "q": 300, "r": 200})
    intervals = {k: v.interval for k, v in q.items()}
    formula = {"type": "sum", "total": "T", "parts": ["p", "q", "r"]}
    equations = [
        Equation("sum:T", "sum", "T = p + q + r", intervals["T"], intervals["T"], subject_id="T", formula=formula)
    ]
    result = localise(equations, {"sum:T"}, set(), q)
    (root,) = result.roots
    assert root.confidence == "ambiguous" and root.ties == 4
    assert root.ids == ("T",) and root.explanation.changes[0].kind == "one wrong digit"
    assert sorted(a.ids[0] for a in root.alternatives) == ["p", "q", "r"]


def _sum_and_room_problem():
    """T = p + q fails (1010 printed, 1000 true); p <= W holds with room to spare, so W may change
    without breaking anything: the shape in which a proposed set can carry a needless number."""
    from expectations.localise_search import LocalisationProblem, Rule

    q = _quantities({"T": 1010, "p": 500, "q": 500, "W": 900})
    rules = [
        Rule("sum:T", {"type": "sum", "total": "T", "parts": ["p", "q"]}, ("T", "p", "q"), True),
        Rule("le:p", {"type": "le", "small": ["p"], "large": "W"}, ("p", "W"), False),
    ]
    return LocalisationProblem(rules, q, load_localisation_settings())


def test_a_proposed_set_with_a_needless_number_is_cut_to_the_numbers_the_repair_needs():
    """The ILP's presolve has proposed sets with an extra number whose change breaks nothing (W below:
    inside a part-of-whole rule with room to spare); `_minimal` drops it, and keeps a cut's superset out."""
    from expectations.localise_ilp import _minimal

    problem = _sum_and_room_problem()
    t, w = problem.group_of["T"], problem.group_of["W"]
    padded = problem.realise(frozenset({t, w}), hint={"T": 1000.0, "W": 901.0, "p": 500.0, "q": 500.0})
    assert padded is not None and sorted(padded.ids) == ["T", "W"]  # a confirmed repair, W needlessly in it
    kept = _minimal(problem, padded, {}, {"T": 1000.0, "W": 901.0}, [])
    assert kept.ids == ("T",) and kept.changes[0].value == 1000
    assert _minimal(problem, padded, {}, {"T": 1000.0, "W": 901.0}, [frozenset({t})]) == padded


def test_the_same_refuted_numbers_proposed_again_with_other_padding_end_the_search(monkeypatch):
    """A proposal the trial repair refutes, whose only changed number is W (it cannot explain T = p + q),
    comes back padded each time with another number left at its printed value: after MAX_PADDINGS of
    those the search gives up instead of solving up to MAX_PROPOSALS times."""
    import expectations.localise_ilp as ilp

    problem = _sum_and_room_problem()
    g = problem.group_of
    paddings = iter(["p", "q", "p", "q", "p"])
    calls = []

    def padded(*args, **kwargs):
        extra = next(paddings)
        calls.append(extra)
        return frozenset({g["W"], g[extra]}), {"W": 950.0, "p": 500.0, "q": 500.0}, True

    monkeypatch.setattr(ilp, "propose", padded)
    assert ilp.cheapest(problem, {}, problem.settings.search) is None
    assert len(calls) == ilp.MAX_PADDINGS < ilp.MAX_PROPOSALS
