"""This edition against the previous one -> equations for the cross-edition checks.

    cells (and facts) of this edition + cells (and facts) of the previous edition + profile
    -> edition_jump / edition_cumulative: same table, region and column in both editions
    -> edition_growth / edition_change: year-on-year statements in the prose (facts schema) against
       the two editions' levels of the same metric

Pure: frames in, `Equation`s out; the checks and thresholds are declared in rules/editions.yaml.
Previous-edition ids are prefixed with the previous document's id, since cell ids repeat across
editions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from expectations.fact_metrics import match_metric, prose_vocabulary, sentence_region
from expectations.profile import LEVEL_OF_WHICH, LEVEL_UNKNOWN, Profile, words
from expectations.reconcile import Equation, Interval
from expectations.suites import RULES_DIR
from expectations.table_rules import cell_intervals

EDITIONS_YAML = RULES_DIR / "editions.yaml"
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
GROWTH_SCALE = 100.0  # growth rates are printed in percent


@dataclass(frozen=True)
class EditionSettings:
    previous_year_offset: int = 1
    max_ratio: float = 1.5
    min_count: float = 100.0
    cumulative_words: tuple[str, ...] = ("cumulative",)
    level_roles: tuple[str, ...] = ("level", "total")
    growth_kinds: tuple[str, ...] = ("growth_rate",)
    change_kinds: tuple[str, ...] = ("change", "point_change")
    metric_match_max_extra_words: int = 1

    def __post_init__(self) -> None:
        if self.max_ratio <= 1:
            raise ValueError(f"{EDITIONS_YAML}: jump.max_ratio must be > 1, not {self.max_ratio}")
        if self.previous_year_offset < 1:
            raise ValueError(f"{EDITIONS_YAML}: previous_year_offset must be >= 1")


def load_settings(path: Path = EDITIONS_YAML) -> EditionSettings:
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("settings") or {}
    jump, cumulative, growth = data.get("jump") or {}, data.get("cumulative") or {}, data.get("growth") or {}
    defaults = EditionSettings()
    return EditionSettings(
        previous_year_offset=int(data.get("previous_year_offset", defaults.previous_year_offset)),
        max_ratio=float(jump.get("max_ratio", defaults.max_ratio)),
        min_count=float(jump.get("min_count", defaults.min_count)),
        cumulative_words=tuple(str(w).lower() for w in cumulative.get("header_words", defaults.cumulative_words)),
        level_roles=tuple(growth.get("level_roles", defaults.level_roles)),
        growth_kinds=tuple(growth.get("growth_kinds", defaults.growth_kinds)),
        change_kinds=tuple(growth.get("change_kinds", defaults.change_kinds)),
        metric_match_max_extra_words=int(growth.get("metric_match_max_extra_words",
                                                    defaults.metric_match_max_extra_words)),
    )


@dataclass
class Edition:
    """One edition as the checks need it: its id, year, cells and (possibly empty) facts."""

    doc_id: str
    year: int
    cells: pd.DataFrame
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class EditionEquations:
    equations: list[Equation]
    intervals: dict[str, Interval]  # previous-edition ids -> intervals (for blame)
    labels: dict[str, str]  # previous-edition and fact ids -> readable labels (for findings)


def prefixed(doc_id: str, item_id: str) -> str:
    return f"{doc_id}/{item_id}"


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


# --- tables -------------------------------------------------------------------------------------

def _keyed(cells: pd.DataFrame) -> pd.DataFrame:
    """Readable numeric cells keyed by (table_id, region, column key); keys printed twice are dropped."""
    usable = cells[(cells["parse_status"] == "ok") & ~cells["region_level"].isin([LEVEL_OF_WHICH])].copy()
    usable["column_key"] = usable["column_id"].where(usable["column_id"].fillna("") != "", usable["column"])
    return usable.drop_duplicates(["table_id", "region", "column_key"], keep=False)


def matched_cells(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Pairs of cells with the same table id, region and column in both editions (suffixes _cur, _prev)."""
    keys = ["table_id", "region", "column_key"]
    return _keyed(current).merge(_keyed(previous), on=keys, suffixes=("_cur", "_prev"))


def _edition_equation(check: str, rule: str, pair, cur: Edition, prev: Edition, stated: Interval,
                      expected: Interval, message: str) -> Equation:
    prev_id = prefixed(prev.doc_id, pair.cell_id_prev)
    box = [] if pd.isna(pair.x0_cur) else [[int(pair.page_cur), pair.x0_cur, pair.top_cur, pair.x1_cur,
                                            pair.bottom_cur]]
    return Equation(
        rule_id=f"{check}:{pair.table_id}:{pair.region}:{pair.column_key}",
        check=check,
        rule=rule,
        stated=stated,
        expected=expected,
        stated_value=float(pair.value_cur),
        expected_value=float(pair.value_prev),
        table_id=pair.table_id,
        row_label=pair.row_label_cur,
        column=pair.column_cur,
        page=int(pair.page_cur),
        message=message,
        quote=f"{cur.year}: {pair.raw_cur.strip()} | {prev.year}: {pair.raw_prev.strip()} ({prev.doc_id})",
        inputs=[pair.cell_id_cur, prev_id],
        subject_id=pair.cell_id_cur,
        evidence=box,
    )


def jump_equations(pairs: pd.DataFrame, cur: Edition, prev: Edition, intervals: dict[str, Interval],
                   settings: EditionSettings) -> list[Equation]:
    equations = []
    r = settings.max_ratio
    for pair in pairs.itertuples():
        stated, before = intervals.get(pair.cell_id_cur), intervals.get(prefixed(prev.doc_id, pair.cell_id_prev))
        if stated is None or before is None or before.lo <= 0 or pair.value_cur < 0:
            continue
        integers = pair.decimals_cur == 0 and pair.decimals_prev == 0
        if integers and max(pair.value_cur, pair.value_prev) < settings.min_count:
            continue
        ratio = pair.value_cur / pair.value_prev
        message = (f"{pair.row_label_cur} / {pair.column_cur}: {pair.raw_cur.strip()} in {cur.year} against "
                   f"{pair.raw_prev.strip()} in {prev.year} (x{ratio:.2f}), outside the declared band "
                   f"x1/{r:g}..x{r:g}: a mistyped number, a changed definition or a real break")
        equations.append(_edition_equation(
            "edition_jump", f"{cur.year} value within x1/{r:g}..x{r:g} of the {prev.year} value", pair, cur, prev,
            stated, Interval(before.lo / r, before.hi * r), message))
    return equations


def cumulative_equations(pairs: pd.DataFrame, cur: Edition, prev: Edition, intervals: dict[str, Interval],
                         settings: EditionSettings) -> list[Equation]:
    equations = []
    for pair in pairs.itertuples():
        if not set(words(pair.column_cur)) & set(settings.cumulative_words):
            continue
        stated, before = intervals.get(pair.cell_id_cur), intervals.get(prefixed(prev.doc_id, pair.cell_id_prev))
        if stated is None or before is None:
            continue
        message = (f"{pair.row_label_cur} / {pair.column_cur}: cumulative count {pair.raw_cur.strip()} in {cur.year} "
                   f"is below {pair.raw_prev.strip()} in {prev.year}")
        equations.append(_edition_equation(
            "edition_cumulative", f"cumulative count in {cur.year} >= its value in {prev.year}", pair, cur, prev,
            stated, Interval(before.lo, max(before.hi, stated.hi)), message))  # "at least", kept finite
    return equations


# --- prose --------------------------------------------------------------------------------------

def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def word_set(text: str) -> frozenset[str]:
    return frozenset(_singular(w) for w in words(str(text or "")))


def metric_column(profile: Profile | None, metric: str, max_extra_words: int) -> str | None:
    """The profile column a prose metric names: the column whose label or phrase differs from the
    metric by the fewest words (at most `max_extra_words`); None when none or a tie."""
    if profile is None or not metric:
        return None
    wanted = word_set(metric)
    scores: dict[str, int] = {}
    for spec in profile.columns:
        if spec.kind == "label":
            continue
        for phrase in (spec.label, *spec.match):
            have = word_set(phrase)
            if wanted <= have or have <= wanted:
                extra = len(have ^ wanted)
                if extra <= max_extra_words:
                    scores[spec.id] = min(extra, scores.get(spec.id, extra))
    if not scores:
        return None
    best = min(scores.values())
    winners = [c for c, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


def _fact_interval(row) -> Interval | None:
    value = row.get("value")
    if value is None or pd.isna(value):
        return None
    half = row.get("half_width")
    if half is None or pd.isna(half):
        from extractors.numbers import parse_number

        parsed = parse_number(str(row.get("raw", "")))
        half = parsed.half_unit if parsed.is_number else 0.0
    return Interval.around(float(value), float(half))


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
    spec = match_metric(prose_vocabulary(profile), _text(fact.get("metric")), _text(fact.get("sentence")),
                        _text(fact.get("action"))) if profile is not None else None
    if spec is not None:
        return "id", spec.id
    return "words", " ".join(sorted(word_set(fact.get("metric"))))


def _region(fact: dict, profile: Profile | None) -> str:
    """The region a fact is about: the one its sentence names, else the province ("" when it names several);
    without a profile, its subject's words."""
    if profile is None:
        return " ".join(words(_text(fact.get("subject"))))
    if _text(fact.get("sentence")):
        return sentence_region(profile, _text(fact["sentence"]))[0]
    match = profile.match_region(_text(fact.get("subject")))
    return match.name if match.level not in (LEVEL_UNKNOWN, LEVEL_OF_WHICH) else profile.province


def _unique_level(candidates: list[Level]) -> Level | None:
    values = {round(c.value, 9) for c in candidates}
    return candidates[0] if len(values) == 1 else None


def _table_column(level: dict, profile: Profile, settings: EditionSettings) -> str | None:
    """The table column a prose metric names: the profile's prose vocabulary, else its column vocabulary."""
    spec = match_metric(prose_vocabulary(profile), _text(level.get("metric")), _text(level.get("sentence")),
                        _text(level.get("action")))
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
            if (f.get("role") in settings.level_roles and f.get("kind") == level.get("kind")
                    and _text(f.get("unit")) == _text(level.get("unit")) and _metric_key(f, profile) == key
                    and _region(f, profile) == region
                    and (not _years(f.get("period")) or prev.year in _years(f.get("period")))):
                interval = _fact_interval(f)
                if interval is not None:
                    found.append(Level(prefixed(prev.doc_id, f["fact_id"]), float(f["value"]), interval, str(f["raw"]),
                                       "prose"))
        if found:
            return _unique_level(found)
    if profile is None or prev.cells.empty:
        return None
    column_id = _table_column(level, profile, settings)
    if column_id is None:
        return None
    rows = prev.cells[(prev.cells["column_id"] == column_id) & (prev.cells["region"] == region)
                      & (prev.cells["parse_status"] == "ok")]
    intervals = cell_intervals(rows, profile)
    found = [Level(prefixed(prev.doc_id, r.cell_id), float(r.value), intervals[r.cell_id], str(r.raw), "table")
             for r in rows.itertuples() if r.cell_id in intervals]
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


def growth_equations(cur: Edition, prev: Edition, profile: Profile | None,
                     settings: EditionSettings) -> tuple[list[Equation], dict[str, Interval], dict[str, str]]:
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
        stated, now = _fact_interval(statement), _fact_interval(level)
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
            shown = _fmt(expected_value)
        check = "edition_growth" if growth else "edition_change"
        what = "growth rate" if growth else "change"
        message = (f"{level.get('metric')}: printed {what} {statement['raw']}, but {level['raw']} in {cur.year} "
                   f"against {before.raw} in {prev.year} ({before.source} of {prev.doc_id}) gives {shown}")
        equations.append(Equation(
            rule_id=f"{check}:{statement['fact_id']}",
            check=check,
            rule=(f"{what} = ({cur.year} level / {prev.year} level - 1) x 100" if growth
                  else f"{what} = {cur.year} level - {prev.year} level"),
            stated=stated,
            expected=expected,
            stated_value=float(statement["value"]),
            expected_value=expected_value,
            fact_id=str(statement["fact_id"]),
            row_label=_region(level, profile) or _text(level.get("subject")),
            column=str(level.get("metric") or ""),
            page=int(statement["page"]) if not pd.isna(statement.get("page")) else None,
            message=message,
            quote=str(statement.get("sentence") or ""),
            inputs=[str(statement["fact_id"]), str(level["fact_id"]), before.id],
            subject_id=str(statement["fact_id"]),
        ))
        intervals[before.id] = before.interval
        labels[before.id] = f"{prev.year}: {level.get('metric')} ({before.raw})"
    return equations, intervals, labels


def edition_equations(cur: Edition, prev: Edition, profile: Profile | None,
                      settings: EditionSettings | None = None) -> EditionEquations:
    """Every cross-edition equation of `cur` against `prev`."""
    settings = settings or load_settings()
    intervals: dict[str, Interval] = {}
    if not cur.cells.empty and not prev.cells.empty:
        intervals.update(cell_intervals(cur.cells, profile))
        intervals.update({prefixed(prev.doc_id, k): v for k, v in cell_intervals(prev.cells, profile).items()})
        pairs = matched_cells(cur.cells, prev.cells)
        equations = jump_equations(pairs, cur, prev, intervals, settings)
        equations += cumulative_equations(pairs, cur, prev, intervals, settings)
    else:
        pairs, equations = pd.DataFrame(), []
    prose, prose_intervals, labels = growth_equations(cur, prev, profile, settings)
    prev_intervals = {k: v for k, v in intervals.items() if k.startswith(prev.doc_id + "/")}
    prev_intervals.update(prose_intervals)
    for pair in pairs.itertuples() if len(pairs) else ():
        labels[prefixed(prev.doc_id, pair.cell_id_prev)] = f"{prev.year}: {pair.row_label_prev} / {pair.column_prev}"
    return EditionEquations(equations + prose, prev_intervals, labels)
