"""Shared terms of the prose checks: check names, settings, fact records, intervals and the one way
an equation is built from facts (quote = the sentences read, page = the stated fact's page,
inputs = the fact ids read, evidence = their sentence boxes)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from expectations.equations import Equation, Operand, Place, build_equation
from expectations.intervals import Interval, fact_interval
from extractors.numbers import format_number

CHECK_PARTS_SUM = "fact_parts_sum"
CHECK_PARTS_WITHIN = "fact_parts_within_total"
CHECK_PART_LE_WHOLE = "fact_part_le_whole"
CHECK_SHARE = "fact_share"
CHECK_SHARES_SUM = "fact_shares_sum"
CHECK_GROWTH = "fact_growth"
CHECK_RATE = "fact_rate"
CHECK_TABLE = "fact_table"
FACT_CHECKS = (
    CHECK_PARTS_SUM,
    CHECK_PARTS_WITHIN,
    CHECK_PART_LE_WHOLE,
    CHECK_SHARE,
    CHECK_SHARES_SUM,
    CHECK_GROWTH,
    CHECK_RATE,
    CHECK_TABLE,
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

    TEXT_COLUMNS = ("role", "ref", "group", "qualifier", "category", "metric", "action", "unit", "kind", "evidence")

    def __init__(self, frame: pd.DataFrame):
        frame = frame.copy()
        for column in self.TEXT_COLUMNS:  # a frame read back from facts.csv has NaN for empty text
            if column in frame:
                frame[column] = frame[column].fillna("").astype(str)
        frame["half_width"] = frame["half_width"].fillna(0.0)
        self.rows = {r["fact_id"]: r for r in frame.to_dict("records")}
        self.order = list(frame["fact_id"])

    def get(self, fact_id: str) -> dict | None:
        return self.rows.get(fact_id) if fact_id else None

    def referring(self, fact_id: str, role: str | None = None) -> list[dict]:
        return [
            self.rows[i]
            for i in self.order
            if self.rows[i]["ref"] == fact_id and (role is None or self.rows[i]["role"] == role)
        ]

    def all(self) -> list[dict]:
        return [self.rows[i] for i in self.order]


# --- helpers ---------------------------------------------------------------------------------------
def exact(fact: dict | None) -> bool:
    """Usable as an exact input: a value without "over", "about", "average"."""
    return fact is not None and not pd.isna(fact["value"]) and not fact["qualifier"]


def fmt(value: float, unit: str = "") -> str:
    """A prose number in a message: percentages at two decimals, large values whole, others to 4 digits."""
    if unit == "percent":
        return format_number(value, decimals=2, percent=True)
    if abs(value) >= 1000 or float(value).is_integer():
        return format_number(value, decimals=0)
    return format_number(value, significant=4)


def evidence(facts: list[dict]) -> list[list[float]]:
    boxes, seen = [], set()
    for fact in facts:
        for box in json.loads(fact["evidence"] or "[]"):
            key = tuple(box)
            if key not in seen:
                seen.add(key)
                boxes.append(box)
    return boxes


def quote(facts: list[dict]) -> str:
    sentences = []
    for fact in sorted(facts, key=lambda f: f["sentence_id"]):
        if fact["sentence"] not in sentences:
            sentences.append(fact["sentence"])
    return " ".join(sentences)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def fact_operand(fact: dict) -> Operand:
    """A fact as a rule input: its id, value, rounding interval and sentence boxes."""
    boxes = tuple(tuple(box) for box in json.loads(fact.get("evidence") or "[]"))
    value = None if pd.isna(fact["value"]) else float(fact["value"])
    return Operand(fact["fact_id"], value, fact_interval(fact), boxes)


def fact_place(fact: dict, **override) -> Place:
    """For a reviewer, a prose number is located by its page and section and named by what it counts."""
    fields = {
        "fact_id": fact["fact_id"],
        "row_label": _text(fact.get("section")).rpartition(" / ")[2],
        "column": _text(fact.get("metric")) or _text(fact.get("kind")),
        "page": int(fact["page"]),
    }
    return Place(**(fields | override))


def make_equation(
    check: str,
    stated_fact: dict,
    inputs: list[dict],
    rule: str,
    stated: Interval | None,
    expected: Interval | None,
    message: str,
    stated_value=None,
    expected_value=None,
    undecided: str = "",
    suffix: str = "",
    formula: dict | None = None,
    extra_inputs: tuple[Operand, ...] = (),
    place: Place | None = None,
) -> Equation:
    """One rule instance about `stated_fact`; `formula` (expectations.formulas) lets localisation try repairs.
    `extra_inputs` are table cells the rule also reads (their boxes are not part of the prose evidence)."""
    involved = [stated_fact] + [f for f in inputs if f is not None]
    subject = fact_operand(stated_fact)
    subject = Operand(
        subject.id,
        stated_value if stated_value is not None else (stated.mid if stated else None),
        stated,
        subject.boxes,
    )
    return build_equation(
        check,
        f"{stated_fact['fact_id']}{suffix}",
        rule,
        subject,
        [fact_operand(f) for f in involved[1:]] + list(extra_inputs),
        expected,
        place or fact_place(stated_fact),
        expected_value=expected_value,
        message=message,
        quote=quote(involved),
        formula=formula,
        undecided_reason=undecided,
        evidence=evidence(involved),
    )


def sum_formula(total: dict, parts: list[dict]) -> dict:
    return {"type": "sum", "total": total["fact_id"], "parts": [p["fact_id"] for p in parts]}


def ratio_formula(ratio: dict, numerator: dict, denominator: dict, scale: float) -> dict:
    return {
        "type": "ratio",
        "ratio": ratio["fact_id"],
        "num": numerator["fact_id"],
        "den": denominator["fact_id"],
        "scale": scale,
    }


def le_formula(small: list[dict], large: dict) -> dict:
    return {"type": "le", "small": [f["fact_id"] for f in small], "large": large["fact_id"]}


def growth_formula(rate: dict, now: dict, scale: float, before: dict | None = None, change: dict | None = None) -> dict:
    """g = (now / before - 1) x scale, or g = change / (now - change) x scale when the change is stated."""
    formula = {"type": "growth", "rate": rate["fact_id"], "now": now["fact_id"], "scale": scale}
    if change is not None:
        return formula | {"change": change["fact_id"]}
    return formula | {"before": before["fact_id"]}


def fact_intervals(facts: pd.DataFrame) -> dict[str, Interval]:
    """fact_id -> printed interval, for localisation (exact facts only)."""
    rows = Facts(facts).all()
    return {r["fact_id"]: fact_interval(r) for r in rows if exact(r)}


def fact_labels(facts: pd.DataFrame) -> dict[str, str]:
    """fact_id -> a short label for findings: the printed number and what it counts."""
    return {r.fact_id: f"{r.raw} ({r.metric or r.kind}, p{r.page})" for r in facts.itertuples()}


def not_above(part: Interval, whole: Interval) -> Interval:
    """Expected interval of "part <= whole": anything from 0 (or the part's low end) up to the whole."""
    return Interval(min(0.0, part.lo), whole.hi)
