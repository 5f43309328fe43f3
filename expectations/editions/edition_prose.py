"""Year-on-year statements in the prose (checks edition_growth, edition_change): a growth rate or a
change stated in this edition (facts schema: `kind`, `role`, `ref`, `group`) against this edition's
level and the previous edition's level of the same metric and region, from its prose, else its table."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from expectations.editions.edition_terms import Edition, EditionSettings, prefixed
from expectations.equations import Equation, Operand, Place, build_equation
from expectations.intervals import Interval, cell_intervals, fact_interval
from expectations.prose.metrics import match_metric, metric_words, prose_vocabulary, sentence_region
from extractors.numbers import format_number
from normalise.labels import words
from normalise.profile import LEVEL_OF_WHICH, LEVEL_UNKNOWN, Profile

YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
GROWTH_SCALE = 100.0  # growth rates are printed in percent


def metric_column(profile: Profile | None, metric: str, max_extra_words: int) -> str | None:
    """The profile column a prose metric names: the column whose label or phrase differs from the
    metric by the fewest words (at most `max_extra_words`); None when none or a tie."""
    if profile is None or not metric:
        return None
    wanted = metric_words(metric)
    scores: dict[str, int] = {}
    for spec in profile.columns:
        if spec.kind == "label":
            continue
        for phrase in (spec.label, *spec.match):
            have = metric_words(phrase)
            if wanted <= have or have <= wanted:
                extra = len(have ^ wanted)
                if extra <= max_extra_words:
                    scores[spec.id] = min(extra, scores.get(spec.id, extra))
    if not scores:
        return None
    best = min(scores.values())
    winners = [c for c, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


def _years(text) -> set[int]:
    return {int(y) for y in YEAR_RE.findall(str(text or ""))}


@dataclass(frozen=True)
class Level:
    """A level of a metric in one edition: where it comes from and its rounding interval."""

    id: str
    value: float
    interval: Interval
    raw: str
    source: str  # "prose" or "table"


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _metric_key(fact: dict, profile: Profile | None) -> tuple[str, str]:
    """What a fact counts: the profile's declared prose metric when one names it ("id", metric id),
    else its metric words ("words", sorted words)."""
    spec = (
        match_metric(
            prose_vocabulary(profile), _text(fact.get("metric")), _text(fact.get("sentence")), _text(fact.get("action"))
        )
        if profile is not None
        else None
    )
    if spec is not None:
        return "id", spec.id
    return "words", " ".join(sorted(metric_words(fact.get("metric"))))


def _region(fact: dict, profile: Profile | None) -> str:
    """The region a fact is about: the one its sentence names, else the province ("" when it names several);
    without a profile, its subject's words."""
    if profile is None:
        return " ".join(words(_text(fact.get("subject"))))
    if _text(fact.get("sentence")):
        return sentence_region(profile, _text(fact["sentence"]))[0]
    match = profile.match_region(_text(fact.get("subject")))
    return match.name if match.level not in (LEVEL_UNKNOWN, LEVEL_OF_WHICH) else profile.root


def _unique_level(candidates: list[Level]) -> Level | None:
    values = {round(c.value, 9) for c in candidates}
    return candidates[0] if len(values) == 1 else None


def _table_column(level: dict, profile: Profile, settings: EditionSettings) -> str | None:
    """The table column a prose metric names: the profile's prose vocabulary, else its column vocabulary."""
    spec = match_metric(
        prose_vocabulary(profile), _text(level.get("metric")), _text(level.get("sentence")), _text(level.get("action"))
    )
    if spec is not None and spec.column_id:
        return spec.column_id
    return metric_column(profile, _text(level.get("metric")), settings.metric_match_max_extra_words)


def previous_level(level: dict, prev: Edition, profile: Profile | None, settings: EditionSettings) -> Level | None:
    """The previous edition's level of the same metric: from its prose (same metric, kind, unit and region,
    stated as a level or total of that year), else from its table (the column the metric names, the row of
    the region the sentence is about, the province by default). None when not found or ambiguous."""
    key, region = _metric_key(level, profile), _region(level, profile)
    if not region or key == ("words", ""):
        return None
    if not prev.facts.empty:
        found = []
        for f in prev.facts.to_dict("records"):
            if (
                f.get("role") in settings.level_roles
                and f.get("kind") == level.get("kind")
                and _text(f.get("unit")) == _text(level.get("unit"))
                and _metric_key(f, profile) == key
                and _region(f, profile) == region
                and (not _years(f.get("period")) or prev.year in _years(f.get("period")))
            ):
                interval = fact_interval(f)
                if interval is not None:
                    found.append(
                        Level(prefixed(prev.doc_id, f["fact_id"]), float(f["value"]), interval, str(f["raw"]), "prose")
                    )
        if found:
            return _unique_level(found)
    if profile is None or prev.cells.empty:
        return None
    column_id = _table_column(level, profile, settings)
    if column_id is None:
        return None
    rows = prev.cells[
        (prev.cells["column_id"] == column_id) & (prev.cells["region"] == region) & (prev.cells["parse_status"] == "ok")
    ]
    intervals = cell_intervals(rows, profile)
    found = [
        Level(prefixed(prev.doc_id, r.cell_id), float(r.value), intervals[r.cell_id], str(r.raw), "table")
        for r in rows.itertuples()
        if r.cell_id in intervals
    ]
    return _unique_level(found) if found else None


def _level_of(statement: dict, facts: pd.DataFrame, settings: EditionSettings) -> dict | None:
    """The level a growth or change fact is about: its `ref`, else the one level of its group."""
    ref = statement.get("ref") if "ref" in facts.columns else None
    if ref and not pd.isna(ref):
        rows = facts[facts["fact_id"] == ref]
        return rows.iloc[0].to_dict() if len(rows) else None
    group = statement.get("group")
    if not group or pd.isna(group):
        return None
    levels = facts[(facts["group"] == group) & facts["role"].isin(settings.level_roles)]
    return levels.iloc[0].to_dict() if len(levels) == 1 else None


def edition_growth_equations(
    cur: Edition, prev: Edition, profile: Profile | None, settings: EditionSettings
) -> tuple[list[Equation], dict[str, Interval], dict[str, str]]:
    """edition_growth and edition_change equations for the year-on-year statements of this edition."""
    if cur.facts.empty:
        return [], {}, {}
    kinds = set(settings.growth_kinds) | set(settings.change_kinds)
    equations, intervals, labels = [], {}, {}
    for _, row in cur.facts[cur.facts["kind"].isin(kinds)].iterrows():
        statement = row.to_dict()
        level = _level_of(statement, cur.facts, settings)
        if level is None or (_years(level.get("period")) and cur.year not in _years(level.get("period"))):
            continue
        stated, now = fact_interval(statement), fact_interval(level)
        before = previous_level(level, prev, profile, settings)
        if stated is None or now is None or before is None:
            continue
        growth = statement["kind"] in settings.growth_kinds
        if growth:
            quotient = now.divide(before.interval)
            if quotient is None:
                continue
            expected = Interval((quotient.lo - 1) * GROWTH_SCALE, (quotient.hi - 1) * GROWTH_SCALE)
            expected_value = (float(level["value"]) / before.value - 1) * GROWTH_SCALE
            shown = f"{expected_value:.2f}%"
        else:
            expected = now - before.interval
            expected_value = float(level["value"]) - before.value
            shown = format_number(expected_value)
        check = "edition_growth" if growth else "edition_change"
        what = "growth rate" if growth else "change"
        message = (
            f"{level.get('metric')}: printed {what} {statement['raw']}, but {level['raw']} in {cur.label} "
            f"against {before.raw} in {prev.label} ({before.source} of {prev.doc_id}) gives {shown}"
        )
        fact_id = str(statement["fact_id"])
        page = int(statement["page"]) if not pd.isna(statement.get("page")) else None
        equations.append(
            build_equation(
                check,
                fact_id,
                (
                    f"{what} = ({cur.label} level / {prev.label} level - 1) x 100"
                    if growth
                    else f"{what} = {cur.label} level - {prev.label} level"
                ),
                Operand(fact_id, float(statement["value"]), stated),
                [
                    Operand(str(level["fact_id"]), float(level["value"]), now),
                    Operand(before.id, before.value, before.interval),
                ],
                expected,
                Place(
                    fact_id=fact_id,
                    row_label=_region(level, profile) or _text(level.get("subject")),
                    column=str(level.get("metric") or ""),
                    page=page,
                ),
                expected_value=expected_value,
                message=message,
                quote=str(statement.get("sentence") or ""),
                evidence=[],
                formula=(
                    {"type": "growth", "rate": fact_id, "now": str(level["fact_id"]), "before": before.id}
                    | {"scale": GROWTH_SCALE}
                    if growth
                    else {"type": "sum", "total": str(level["fact_id"]), "parts": [before.id, fact_id]}
                ),
            )
        )
        intervals[before.id] = before.interval
        labels[before.id] = f"{prev.label}: {level.get('metric')} ({before.raw})"
    return equations, intervals, labels
