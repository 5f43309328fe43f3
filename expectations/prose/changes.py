"""Changes and rates: new items within their stock, growth rates against their change or previous
level, and rates against their numerator and denominator (checks fact_part_le_whole, fact_growth,
fact_rate)."""

from __future__ import annotations

from expectations.equations import Equation
from expectations.intervals import fact_interval
from expectations.prose.metrics import ProseVocabulary, match_metric, match_rate
from expectations.prose.prose_terms import (
    CHECK_GROWTH,
    CHECK_PART_LE_WHOLE,
    CHECK_RATE,
    WHOLE_KINDS,
    Facts,
    exact,
    fmt,
    growth_formula,
    le_formula,
    make_equation,
    not_above,
    ratio_formula,
)


def change_equations(facts: Facts) -> list[Equation]:
    eqs = []
    for change in facts.all():
        if change["role"] != "change" or change["kind"] not in ("count", "change", "amount"):
            continue
        level = facts.get(change["ref"])
        if level is None or level["kind"] not in WHOLE_KINDS or not (exact(change) and exact(level)):
            continue
        if change["value"] < 0 or change["kind"] == "change":
            continue  # an absolute change is checked through the growth rate; a decrease is not a part
        eqs.append(
            make_equation(
                CHECK_PART_LE_WHOLE,
                change,
                [level],
                f"New items do not exceed the stock they bring it to ({level['metric']})",
                fact_interval(change),
                not_above(fact_interval(change), fact_interval(level)),
                f"{fmt(change['value'])} new must not exceed the total of {fmt(level['value'])}",
                expected_value=float(level["value"]),
                formula=le_formula([change], level),
            )
        )
    return eqs


def prose_growth_equations(facts: Facts) -> list[Equation]:
    """A growth rate stated with its level and its absolute change (or the previous level)."""
    eqs = []
    for growth in facts.all():
        if growth["kind"] != "growth_rate" or growth["role"] != "growth":
            continue
        level = facts.get(growth["ref"])
        if level is None:
            continue
        changes = [c for c in facts.referring(level["fact_id"], "change") if c["kind"] == "change"]
        previous = facts.referring(level["fact_id"], "previous")
        if not changes and not previous:
            continue
        inputs = [level] + (changes[:1] or previous[:1])
        if not all(exact(f) for f in inputs):
            eqs.append(
                make_equation(
                    CHECK_GROWTH,
                    growth,
                    inputs,
                    "Growth rate = change / previous level",
                    fact_interval(growth),
                    None,
                    "",
                    undecided="an input is approximate",
                )
            )
            continue
        if changes:
            change = fact_interval(changes[0])
            base = fact_interval(level) - change
            how = f"{fmt(changes[0]['value'])} / ({fmt(level['value'])} - {fmt(changes[0]['value'])})"
            formula = growth_formula(growth, level, 100.0, change=changes[0])
        else:
            base = fact_interval(previous[0])
            change = fact_interval(level) - base
            how = f"({fmt(level['value'])} - {fmt(previous[0]['value'])}) / {fmt(previous[0]['value'])}"
            formula = growth_formula(growth, level, 100.0, before=previous[0])
        ratio = change.divide(base)
        expected = ratio.scale(100.0) if ratio else None
        eqs.append(
            make_equation(
                CHECK_GROWTH,
                growth,
                inputs,
                f"Growth rate = change / previous level ({level['metric']})",
                fact_interval(growth),
                expected,
                f"stated {fmt(growth['value'], 'percent')} but {how} = {expected.mid:.2f}%" if expected else "",
                undecided="" if expected else "previous level is zero",
                formula=formula,
            )
        )
    return eqs


# --- rates: K of M -------------------------------------------------------------------------------------
def _latest(facts: Facts, rate: dict, metric_id: str, vocabulary: ProseVocabulary) -> dict | None:
    """The last fact of the rate's paragraph, up to the rate, whose metric is `metric_id`."""
    candidates = []
    for fact in facts.all():
        if fact["paragraph"] != rate["paragraph"] or fact["fact_id"] == rate["fact_id"]:
            continue
        if (fact["sentence_id"], fact["start"]) > (rate["sentence_id"], rate["start"]):
            continue
        if fact["kind"] not in ("count", "amount"):
            continue
        spec = match_metric(vocabulary, fact["metric"], fact["sentence"], fact["action"])
        if spec is not None and spec.id == metric_id:
            candidates.append(fact)
    return candidates[-1] if candidates else None


def rate_equations(facts: Facts, vocabulary: ProseVocabulary) -> list[Equation]:
    eqs = []
    for rate in facts.all():
        if rate["kind"] not in ("rate", "ratio") or rate["role"] in ("part", "total"):
            continue
        scale = 100.0 if rate["unit"] == "percent" else 1.0
        numerator = facts.get(rate["ref"]) if rate["role"] == "rate" else None
        denominator = facts.get(numerator["ref"]) if numerator is not None else None
        how = "stated in the sentence"
        if numerator is None:
            spec = match_rate(vocabulary, rate["metric"])
            if spec is not None:
                numerator = _latest(facts, rate, spec.numerator, vocabulary)
                denominator = _latest(facts, rate, spec.denominator, vocabulary)
                scale, how = spec.scale, f"declared: {spec.label}"
                if numerator is None or denominator is None:
                    eqs.append(
                        make_equation(
                            CHECK_RATE,
                            rate,
                            [],
                            f"{rate['metric']} = numerator / denominator",
                            fact_interval(rate),
                            None,
                            "",
                            undecided=f"{spec.label}: numerator or denominator not stated nearby",
                        )
                    )
                    continue
            else:
                same_sentence = [
                    f
                    for f in facts.all()
                    if f["sentence_id"] == rate["sentence_id"] and f["kind"] == "count" and f["start"] < rate["start"]
                ]
                if rate["kind"] == "rate" and len(same_sentence) >= 2:
                    eqs.append(
                        make_equation(
                            CHECK_RATE,
                            rate,
                            same_sentence,
                            f"{rate['metric']} = numerator / denominator",
                            fact_interval(rate),
                            None,
                            "",
                            undecided="the sentence does not say which counts the rate divides",
                        )
                    )
                continue
        if not (exact(numerator) and exact(denominator)):
            continue
        ratio = fact_interval(numerator).divide(fact_interval(denominator))
        expected = ratio.scale(scale) if ratio else None
        unit = "percent" if scale == 100 else ""
        eqs.append(
            make_equation(
                CHECK_RATE,
                rate,
                [numerator, denominator],
                f"{rate['metric']} = numerator / denominator ({how})",
                fact_interval(rate),
                expected,
                f"stated {fmt(rate['value'], unit)} but {fmt(numerator['value'])} / {fmt(denominator['value'])} = "
                + (f"{expected.mid:.2f}%" if unit else f"{expected.mid:.4g}")
                if expected
                else "",
                undecided="" if expected else "denominator is zero",
                formula=ratio_formula(rate, numerator, denominator, scale),
            )
        )
        if rate["role"] == "rate" and numerator["role"] == "numerator":
            eqs.append(
                make_equation(
                    CHECK_PART_LE_WHOLE,
                    numerator,
                    [denominator],
                    "The numerator of a rate does not exceed its denominator",
                    fact_interval(numerator),
                    not_above(fact_interval(numerator), fact_interval(denominator)),
                    f"numerator {fmt(numerator['value'])} must not exceed the denominator {fmt(denominator['value'])}",
                    expected_value=float(denominator["value"]),
                    formula=le_formula([numerator], denominator),
                )
            )
    return eqs
