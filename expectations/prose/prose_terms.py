"""Shared terms of the prose checks: check names, settings, fact records, intervals and the one way
an equation is built from facts (quote = the sentences read, page = the stated fact's page,
inputs = the fact ids read, evidence = their sentence boxes)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from expectations.equations import Equation, Interval

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
def interval(fact: dict) -> Interval:
    return Interval.around(float(fact["value"]), float(fact["half_width"] or 0.0))


def exact(fact: dict | None) -> bool:
    """Usable as an exact input: a value without "over", "about", "average"."""
    return fact is not None and not pd.isna(fact["value"]) and not fact["qualifier"]


def fmt(value: float, unit: str = "") -> str:
    if unit == "percent":
        return f"{value:.2f}%"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"


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
) -> Equation:
    """One rule instance about `stated_fact`; `formula` (sum / ratio shapes) lets blame try corrections."""
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
        # For a reviewer, a prose number is located by its section and named by what it counts.
        row_label=_text(stated_fact.get("section")).rpartition(" / ")[2],
        column=_text(stated_fact.get("metric")) or _text(stated_fact.get("kind")),
        page=int(stated_fact["page"]),
        message=message,
        quote=quote(involved),
        inputs=[f["fact_id"] for f in involved],
        subject_id=stated_fact["fact_id"],
        evidence=evidence(involved),
        undecided_reason=undecided,
        formula=formula or {},
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


def fact_intervals(facts: pd.DataFrame) -> dict[str, Interval]:
    """fact_id -> printed interval, for blame (exact facts only)."""
    rows = Facts(facts).all()
    return {r["fact_id"]: interval(r) for r in rows if exact(r)}


def fact_labels(facts: pd.DataFrame) -> dict[str, str]:
    """fact_id -> a short label for findings: the printed number and what it counts."""
    return {r.fact_id: f"{r.raw} ({r.metric or r.kind}, p{r.page})" for r in facts.itertuples()}


def not_above(part: Interval, whole: Interval) -> Interval:
    """Expected interval of "part <= whole": anything from 0 (or the part's low end) up to the whole."""
    return Interval(min(0.0, part.lo), whole.hi)
