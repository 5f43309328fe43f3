"""Breakdowns: a total and its listed parts and shares (checks fact_parts_sum, fact_parts_within_total,
fact_part_le_whole, fact_share, fact_shares_sum).

A parts-sum equality is asserted only when the breakdown is evidently complete: every listed part
carries a share and the shares add to 100 within `exhaustive_share_slack` percentage points, or one
part is a remainder ("other ...", "the rest"). Otherwise a breakdown only promises that no part
exceeds the whole, and that the parts together do not exceed it when the parts are evidently
disjoint (each part's counted noun is the total's noun, or the parts carry shares); when they may
overlap ("272 demonstration enterprises: 100 little giants, 71 champions, 115 listed companies")
an excess is undecided, not an error.
"""

from __future__ import annotations

from expectations.equations import Equation
from expectations.intervals import Interval, fact_interval, interval_sum
from expectations.prose.prose_terms import (
    CHECK_PART_LE_WHOLE,
    CHECK_PARTS_SUM,
    CHECK_PARTS_WITHIN,
    CHECK_SHARE,
    CHECK_SHARES_SUM,
    FactRuleSettings,
    Facts,
    exact,
    fmt,
    le_formula,
    make_equation,
    not_above,
    ratio_formula,
    sum_formula,
)
from extractors.prose.phrases import head_noun


def _is_remainder(category: str, settings: FactRuleSettings) -> bool:
    """ "the rest", "other types of works", "others": a part that completes the breakdown."""
    words = [w for w in category.lower().split() if w not in ("the", "and", "all")]
    return bool(words) and words[0] in settings.remainder_words


# --- breakdowns: totals, parts, shares ------------------------------------------------------------------
def _breakdown(facts: Facts, total: dict, settings: FactRuleSettings) -> list[Equation]:
    parts = [
        p for p in facts.referring(total["fact_id"], "part") if p["kind"] == total["kind"] or p["unit"] == total["unit"]
    ]
    share_only = [s for s in facts.referring(total["fact_id"], "share")]
    shares = {p["fact_id"]: (facts.referring(p["fact_id"], "share") or [None])[0] for p in parts}
    eqs: list[Equation] = []
    if not parts and not share_only:
        return eqs
    all_shares = [s for s in shares.values() if s is not None] + share_only
    categories = [(p["category"] or p["metric"] or "") for p in parts] + [s["category"] or "" for s in share_only]
    remainder = any(_is_remainder(c, settings) for c in categories)
    shares_complete = bool(all_shares) and all(shares[p["fact_id"]] is not None for p in parts)
    share_total = interval_sum([fact_interval(s) for s in all_shares]) if all_shares else None
    near_100 = share_total is not None and abs(share_total.mid - 100.0) <= settings.exhaustive_share_slack
    exhaustive = (shares_complete and near_100) or remainder

    # Shares of an exhaustive breakdown add to 100.
    if all_shares and exhaustive:
        eqs.append(
            make_equation(
                CHECK_SHARES_SUM,
                total,
                all_shares,
                "The shares of a complete breakdown add to 100%",
                share_total,
                Interval(100.0, 100.0),
                f"shares {' + '.join(fmt(s['value'], 'percent') for s in all_shares)} = "
                f"{share_total.mid:.2f}% (must be 100%)",
                stated_value=share_total.mid,
                expected_value=100.0,
                suffix=":shares",
                formula={"type": "sum", "equals": 100.0, "parts": [s["fact_id"] for s in all_shares]},
            )
        )
    usable = [p for p in parts if exact(p)]
    # Each stated share = part / total.
    for part in parts:
        share = shares.get(part["fact_id"])
        if share is None:
            continue
        if not (exact(part) and exact(total)):
            eqs.append(
                make_equation(
                    CHECK_SHARE,
                    share,
                    [part, total],
                    "Share = part / total",
                    fact_interval(share),
                    None,
                    "",
                    undecided="part or total is approximate",
                )
            )
            continue
        expected = fact_interval(part).divide(fact_interval(total))
        expected = expected.scale(100.0) if expected else None
        eqs.append(
            make_equation(
                CHECK_SHARE,
                share,
                [part, total],
                f"Share = part / total x 100 ({share['metric'] or total['metric']})",
                fact_interval(share),
                expected,
                f"stated {fmt(share['value'], 'percent')} but {fmt(part['value'])} / {fmt(total['value'])} = "
                f"{expected.mid:.2f}%"
                if expected
                else "",
                undecided="" if expected else "total is zero",
                formula=ratio_formula(share, part, total, 100.0),
            )
        )
    if not parts:
        return eqs
    if not exact(total) or len(usable) != len(parts):
        return eqs
    parts_sum = interval_sum([fact_interval(p) for p in parts])
    summed = " + ".join(fmt(p["value"]) for p in parts)
    if exhaustive and len(parts) > 1:
        eqs.append(
            make_equation(
                CHECK_PARTS_SUM,
                total,
                parts,
                f"Total = sum of its parts ({total['metric']})",
                fact_interval(total),
                parts_sum,
                f"stated total {fmt(total['value'])} but {summed} = {fmt(parts_sum.mid)}",
                formula=sum_formula(total, parts),
            )
        )
        return eqs
    for part in parts:
        eqs.append(
            make_equation(
                CHECK_PART_LE_WHOLE,
                part,
                [total],
                f"A part does not exceed its whole ({total['metric']})",
                fact_interval(part),
                not_above(fact_interval(part), fact_interval(total)),
                f"part {fmt(part['value'])} must not exceed its whole {fmt(total['value'])}",
                expected_value=float(total["value"]),
                formula=le_formula([part], total),
            )
        )
    if len(parts) > 1:
        disjoint = bool(all_shares) or all(
            (head_noun(p["metric"]) == head_noun(total["metric"])) or p["metric"] == total["metric"] for p in parts
        )
        rule = f"Listed parts together do not exceed the total ({total['metric']})"
        within = parts_sum.lo <= fact_interval(total).hi
        if within or disjoint:
            eqs.append(
                make_equation(
                    CHECK_PARTS_WITHIN,
                    total,
                    parts,
                    rule,
                    parts_sum,
                    not_above(parts_sum, fact_interval(total)),
                    f"listed parts {summed} = {fmt(parts_sum.mid)} must not exceed the total {fmt(total['value'])}",
                    stated_value=parts_sum.mid,
                    expected_value=float(total["value"]),
                    suffix=":within",
                    formula=le_formula(parts, total),
                )
            )
        else:
            eqs.append(
                make_equation(
                    CHECK_PARTS_WITHIN,
                    total,
                    parts,
                    rule,
                    parts_sum,
                    None,
                    "",
                    stated_value=parts_sum.mid,
                    suffix=":within",
                    undecided=f"listed parts {summed} = {fmt(parts_sum.mid)} exceed the total {fmt(total['value'])}, "
                    "but the categories may overlap",
                )
            )
    return eqs


def breakdown_equations(facts: Facts, settings: FactRuleSettings = FactRuleSettings()) -> list[Equation]:
    eqs = []
    for fact in facts.all():
        if fact["role"] == "total":
            eqs.extend(_breakdown(facts, fact, settings))
    return eqs
