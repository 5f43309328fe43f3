"""Prose checks as equations: `fact_equations(facts, cells, profile) -> list[Equation]`.

The facts frame (extractors.facts) already ties the numbers of one statement together (`role`,
`ref`, `group`). Each check below turns those ties into rule instances of the reconciliation
contract (expectations.reconcile): the stated value as printed (an interval from its precision)
against the value recomputed from the other numbers. Check names and meanings are declared in
`expectations/rules/facts.yaml`.

When a statement is exhaustive: a parts-sum equality is asserted only when the breakdown is
evidently complete: every listed part carries a share and the shares add to 100 within
`exhaustive_share_slack` percentage points, or one part is a remainder ("other ...", "the rest").
Otherwise a listed breakdown only promises that no part exceeds the whole, and that the parts
together do not exceed it when the parts are evidently disjoint (each part's counted noun is the
total's noun, or the parts carry shares); when they may overlap ("272 demonstration enterprises:
100 "little giants", 71 champions, 115 listed companies") an excess is undecided, not an error.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from expectations.fact_metrics import (
    ProseVocabulary,
    match_metric,
    match_part,
    match_rate,
    prose_vocabulary,
    sentence_region,
)
from expectations.profile import Profile
from expectations.reconcile import Equation, Interval, interval_sum
from extractors.numbers import parse_number
from extractors.phrases import head_noun

CHECK_PARTS_SUM = "fact_parts_sum"
CHECK_PARTS_WITHIN = "fact_parts_within_total"
CHECK_PART_LE_WHOLE = "fact_part_le_whole"
CHECK_SHARE = "fact_share"
CHECK_SHARES_SUM = "fact_shares_sum"
CHECK_GROWTH = "fact_growth"
CHECK_RATE = "fact_rate"
CHECK_TABLE = "fact_table"
FACT_CHECKS = (
    CHECK_PARTS_SUM, CHECK_PARTS_WITHIN, CHECK_PART_LE_WHOLE, CHECK_SHARE, CHECK_SHARES_SUM,
    CHECK_GROWTH, CHECK_RATE, CHECK_TABLE,
)
DEFAULT_EXHAUSTIVE_SHARE_SLACK = 1.0  # percentage points around 100 within which shares mean "complete"
DEFAULT_REMAINDER_WORDS = ("other", "others", "rest", "remaining", "remainder")
WHOLE_KINDS = ("count", "amount", "ratio", "change")


@dataclass(frozen=True)
class FactRuleSettings:
    exhaustive_share_slack: float = DEFAULT_EXHAUSTIVE_SHARE_SLACK
    remainder_words: tuple[str, ...] = DEFAULT_REMAINDER_WORDS

    def __post_init__(self) -> None:
        if not 0 <= self.exhaustive_share_slack < 50:
            raise ValueError(f"exhaustive_share_slack must be in [0, 50), got {self.exhaustive_share_slack}")


class Facts:
    """The facts frame as records with lookups by id and relation."""

    def __init__(self, frame: pd.DataFrame):
        self.rows = {r["fact_id"]: r for r in frame.to_dict("records")}
        self.order = list(frame["fact_id"])

    def get(self, fact_id: str) -> dict | None:
        return self.rows.get(fact_id) if fact_id else None

    def referring(self, fact_id: str, role: str | None = None) -> list[dict]:
        return [self.rows[i] for i in self.order if self.rows[i]["ref"] == fact_id
                and (role is None or self.rows[i]["role"] == role)]

    def all(self) -> list[dict]:
        return [self.rows[i] for i in self.order]


# --- helpers ---------------------------------------------------------------------------------------
def interval(fact: dict) -> Interval:
    return Interval.around(float(fact["value"]), float(fact["half_width"] or 0.0))


def exact(fact: dict | None) -> bool:
    """Usable as an exact input: a value without "over", "about", "average"."""
    return fact is not None and not pd.isna(fact["value"]) and not fact["qualifier"]


def _fmt(value: float, unit: str = "") -> str:
    if unit == "percent":
        return f"{value:.2f}%"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def _evidence(facts: list[dict]) -> list[list[float]]:
    boxes, seen = [], set()
    for fact in facts:
        for box in json.loads(fact["evidence"] or "[]"):
            key = tuple(box)
            if key not in seen:
                seen.add(key)
                boxes.append(box)
    return boxes


def _quote(facts: list[dict]) -> str:
    sentences = []
    for fact in sorted(facts, key=lambda f: f["sentence_id"]):
        if fact["sentence"] not in sentences:
            sentences.append(fact["sentence"])
    return " ".join(sentences)


def _equation(check: str, stated_fact: dict, inputs: list[dict], rule: str, stated: Interval | None,
              expected: Interval | None, message: str, stated_value=None, expected_value=None,
              undecided: str = "", suffix: str = "") -> Equation:
    involved = [stated_fact] + [f for f in inputs if f is not None]
    return Equation(
        rule_id=f"{check}:{stated_fact['fact_id']}{suffix}",
        check=check,
        rule=rule,
        stated=stated,
        expected=expected,
        stated_value=stated_value,
        expected_value=expected_value,
        fact_id=stated_fact["fact_id"],
        page=int(stated_fact["page"]),
        message=message,
        quote=_quote(involved),
        inputs=[f["fact_id"] for f in involved],
        subject_id=stated_fact["fact_id"],
        evidence=_evidence(involved),
        undecided_reason=undecided,
    )


def _is_remainder(category: str, settings: FactRuleSettings) -> bool:
    """"the rest", "other types of works", "others": a part that completes the breakdown."""
    words = [w for w in category.lower().split() if w not in ("the", "and", "all")]
    return bool(words) and words[0] in settings.remainder_words


def _not_above(part: Interval, whole: Interval) -> Interval:
    """Expected interval of "part <= whole": anything from 0 (or the part's low end) up to the whole."""
    return Interval(min(0.0, part.lo), whole.hi)


# --- breakdowns: totals, parts, shares ------------------------------------------------------------------
def _breakdown(facts: Facts, total: dict, settings: FactRuleSettings) -> list[Equation]:
    parts = [p for p in facts.referring(total["fact_id"], "part") if p["kind"] == total["kind"] or p["unit"] == total["unit"]]
    share_only = [s for s in facts.referring(total["fact_id"], "share")]
    shares = {p["fact_id"]: (facts.referring(p["fact_id"], "share") or [None])[0] for p in parts}
    eqs: list[Equation] = []
    if not parts and not share_only:
        return eqs
    all_shares = [s for s in shares.values() if s is not None] + share_only
    categories = [(p["category"] or p["metric"] or "") for p in parts] + [s["category"] or "" for s in share_only]
    remainder = any(_is_remainder(c, settings) for c in categories)
    shares_complete = bool(all_shares) and all(shares[p["fact_id"]] is not None for p in parts)
    share_total = interval_sum([interval(s) for s in all_shares]) if all_shares else None
    near_100 = share_total is not None and abs(share_total.mid - 100.0) <= settings.exhaustive_share_slack
    exhaustive = (shares_complete and near_100) or remainder

    # Shares of an exhaustive breakdown add to 100.
    if all_shares and exhaustive:
        eqs.append(_equation(
            CHECK_SHARES_SUM, total, all_shares, "The shares of a complete breakdown add to 100%",
            share_total, Interval(100.0, 100.0),
            f"shares {' + '.join(_fmt(s['value'], 'percent') for s in all_shares)} = {share_total.mid:.2f}%, not 100%",
            stated_value=share_total.mid, expected_value=100.0, suffix=":shares",
        ))
    usable = [p for p in parts if exact(p)]
    # Each stated share = part / total.
    for part in parts:
        share = shares.get(part["fact_id"])
        if share is None:
            continue
        if not (exact(part) and exact(total)):
            eqs.append(_equation(CHECK_SHARE, share, [part, total], "Share = part / total", interval(share), None,
                                 "", undecided="part or total is approximate"))
            continue
        expected = interval(part).divide(interval(total))
        expected = expected.scale(100.0) if expected else None
        eqs.append(_equation(
            CHECK_SHARE, share, [part, total], f"Share = part / total x 100 ({share['metric'] or total['metric']})",
            interval(share), expected,
            f"stated {_fmt(share['value'], 'percent')} but {_fmt(part['value'])} / {_fmt(total['value'])} = "
            f"{expected.mid:.2f}%" if expected else "",
            undecided="" if expected else "total is zero",
        ))
    if not parts:
        return eqs
    if not exact(total) or len(usable) != len(parts):
        return eqs
    parts_sum = interval_sum([interval(p) for p in parts])
    summed = " + ".join(_fmt(p["value"]) for p in parts)
    if exhaustive and len(parts) > 1:
        eqs.append(_equation(
            CHECK_PARTS_SUM, total, parts, f"Total = sum of its parts ({total['metric']})",
            interval(total), parts_sum,
            f"stated total {_fmt(total['value'])} but {summed} = {_fmt(parts_sum.mid)}",
        ))
        return eqs
    for part in parts:
        eqs.append(_equation(
            CHECK_PART_LE_WHOLE, part, [total], f"A part does not exceed its whole ({total['metric']})",
            interval(part), _not_above(interval(part), interval(total)),
            f"part {_fmt(part['value'])} exceeds its whole {_fmt(total['value'])}",
            expected_value=float(total["value"]),
        ))
    if len(parts) > 1:
        disjoint = bool(all_shares) or all(
            (head_noun(p["metric"]) == head_noun(total["metric"])) or p["metric"] == total["metric"] for p in parts
        )
        rule = f"Listed parts together do not exceed the total ({total['metric']})"
        within = parts_sum.lo <= interval(total).hi
        if within or disjoint:
            eqs.append(_equation(
                CHECK_PARTS_WITHIN, total, parts, rule, parts_sum, _not_above(parts_sum, interval(total)),
                f"listed parts {summed} = {_fmt(parts_sum.mid)} exceed the total {_fmt(total['value'])}",
                stated_value=parts_sum.mid, expected_value=float(total["value"]), suffix=":within",
            ))
        else:
            eqs.append(_equation(
                CHECK_PARTS_WITHIN, total, parts, rule, parts_sum, None, "",
                stated_value=parts_sum.mid, suffix=":within",
                undecided=f"listed parts {summed} = {_fmt(parts_sum.mid)} exceed the total {_fmt(total['value'])}, "
                          "but the categories may overlap",
            ))
    return eqs


def breakdown_equations(facts: Facts, settings: FactRuleSettings = FactRuleSettings()) -> list[Equation]:
    eqs = []
    for fact in facts.all():
        if fact["role"] == "total":
            eqs.extend(_breakdown(facts, fact, settings))
    return eqs


# --- changes: new items within the stock, growth rates -------------------------------------------------
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
        eqs.append(_equation(
            CHECK_PART_LE_WHOLE, change, [level], f"New items do not exceed the stock they bring it to ({level['metric']})",
            interval(change), _not_above(interval(change), interval(level)),
            f"{_fmt(change['value'])} new exceed the total of {_fmt(level['value'])}",
            expected_value=float(level["value"]),
        ))
    return eqs


def growth_equations(facts: Facts) -> list[Equation]:
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
            eqs.append(_equation(CHECK_GROWTH, growth, inputs, "Growth rate = change / previous level",
                                 interval(growth), None, "", undecided="an input is approximate"))
            continue
        if changes:
            change = interval(changes[0])
            base = interval(level) - change
            how = f"{_fmt(changes[0]['value'])} / ({_fmt(level['value'])} - {_fmt(changes[0]['value'])})"
        else:
            base = interval(previous[0])
            change = interval(level) - base
            how = f"({_fmt(level['value'])} - {_fmt(previous[0]['value'])}) / {_fmt(previous[0]['value'])}"
        ratio = change.divide(base)
        expected = ratio.scale(100.0) if ratio else None
        eqs.append(_equation(
            CHECK_GROWTH, growth, inputs, f"Growth rate = change / previous level ({level['metric']})",
            interval(growth), expected,
            f"stated {_fmt(growth['value'], 'percent')} but {how} = {expected.mid:.2f}%" if expected else "",
            undecided="" if expected else "previous level is zero",
        ))
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
                    eqs.append(_equation(CHECK_RATE, rate, [], f"{rate['metric']} = numerator / denominator",
                                         interval(rate), None, "",
                                         undecided=f"{spec.label}: numerator or denominator not stated nearby"))
                    continue
            else:
                same_sentence = [f for f in facts.all() if f["sentence_id"] == rate["sentence_id"]
                                 and f["kind"] == "count" and f["start"] < rate["start"]]
                if rate["kind"] == "rate" and len(same_sentence) >= 2:
                    eqs.append(_equation(CHECK_RATE, rate, same_sentence, f"{rate['metric']} = numerator / denominator",
                                         interval(rate), None, "",
                                         undecided="the sentence does not say which counts the rate divides"))
                continue
        if not (exact(numerator) and exact(denominator)):
            continue
        ratio = interval(numerator).divide(interval(denominator))
        expected = ratio.scale(scale) if ratio else None
        unit = "percent" if scale == 100 else ""
        eqs.append(_equation(
            CHECK_RATE, rate, [numerator, denominator], f"{rate['metric']} = numerator / denominator ({how})",
            interval(rate), expected,
            f"stated {_fmt(rate['value'], unit)} but {_fmt(numerator['value'])} / {_fmt(denominator['value'])} = "
            + (f"{expected.mid:.2f}%" if unit else f"{expected.mid:.4g}") if expected else "",
            undecided="" if expected else "denominator is zero",
        ))
        if rate["role"] == "rate" and numerator["role"] == "numerator":
            eqs.append(_equation(
                CHECK_PART_LE_WHOLE, numerator, [denominator], "The numerator of a rate does not exceed its denominator",
                interval(numerator), _not_above(interval(numerator), interval(denominator)),
                f"{_fmt(numerator['value'])} exceeds {_fmt(denominator['value'])}",
                expected_value=float(denominator["value"]),
            ))
    return eqs


# --- prose vs table ------------------------------------------------------------------------------------
def _cell_interval(cell: dict) -> Interval:
    parsed = parse_number(str(cell.get("raw", "")))
    half = parsed.half_unit if parsed.is_number else 0.0
    return Interval.around(float(cell["value"]), half)


def table_equations(facts: Facts, cells: pd.DataFrame | None, profile: Profile, vocabulary: ProseVocabulary) -> list[Equation]:
    if cells is None or cells.empty or not vocabulary.metrics:
        return []
    eqs = []
    columns = set(cells["column_id"].dropna())
    for fact in facts.all():
        if fact["kind"] not in ("count", "ratio", "amount") or not exact(fact) or fact["role"] in ("change",):
            continue
        column_id = ""
        metric = fact["metric"]
        if fact["role"] == "part":
            total = facts.get(fact["ref"])
            spec = match_metric(vocabulary, total["metric"], total["sentence"], total["action"]) if total else None
            column_id = match_part(spec, fact["category"]) if spec else ""
        else:
            spec = match_metric(vocabulary, metric, fact["sentence"], fact["action"])
            column_id = spec.column_id if spec else ""
        if not column_id or column_id not in columns:
            continue
        region, level = sentence_region(profile, fact["sentence"])
        rule = f"Prose equals the table: {column_id} of {region or 'the region named'}"
        if not region:
            eqs.append(_equation(CHECK_TABLE, fact, [], rule, interval(fact), None, "",
                                 undecided="the sentence names several regions", suffix=f":{column_id}"))
            continue
        matching = cells[(cells["column_id"] == column_id) & (cells["region"] == region)]
        if matching.empty:
            eqs.append(_equation(CHECK_TABLE, fact, [], rule, interval(fact), None, "",
                                 undecided=f"no {column_id} cell for {region} in the tables", suffix=f":{column_id}"))
            continue
        for cell in matching.to_dict("records"):
            value = cell.get("value")
            if value is None or pd.isna(value):
                eqs.append(_equation(CHECK_TABLE, fact, [], rule, interval(fact), None, "",
                                     undecided=f"table cell {cell['cell_id']} is empty", suffix=f":{cell['cell_id']}"))
                continue
            eq = _equation(
                CHECK_TABLE, fact, [], rule, interval(fact), _cell_interval(cell),
                f"prose says {fact['raw']} but table {cell['table_id']} ({cell['row_label']}, {cell['column']}) "
                f"says {cell['raw']}",
                suffix=f":{cell['cell_id']}",
            )
            eq.inputs.append(str(cell["cell_id"]))
            eq.table_id, eq.row_label, eq.column = str(cell["table_id"]), str(cell["row_label"]), str(cell["column"])
            eqs.append(eq)
    return eqs


def fact_equations(facts_df: pd.DataFrame, cells_df: pd.DataFrame | None, profile: Profile,
                   settings: FactRuleSettings = FactRuleSettings()) -> list[Equation]:
    """Every prose-prose and prose-table rule instance for one document's facts."""
    if facts_df is None or facts_df.empty:
        return []
    facts = Facts(facts_df)
    vocabulary = prose_vocabulary(profile)
    return (
        breakdown_equations(facts, settings)
        + change_equations(facts)
        + growth_equations(facts)
        + rate_equations(facts, vocabulary)
        + table_equations(facts, cells_df, profile, vocabulary)
    )


__all__ = ["FACT_CHECKS", "FactRuleSettings", "fact_equations"] + [c for c in dir() if c.startswith("CHECK_")]
