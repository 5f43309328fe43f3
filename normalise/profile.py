"""A publisher profile (YAML, format 2: normalise.profile_model) compiled into the questions code asks it.

    profile = load_profile("expectations/publishers/jiangsu-ipr.yaml")
    profile.match_region("Huaian")                    -> RegionMatch (normalise.hierarchy)
    profile.match_column(header_path, title)          -> (ColumnSpec, score): the table family the title
                                                         belongs to, then the column its header names
    profile.column_by_id("valid_invention_patents")   -> ColumnSpec (kind, unit, ...)
    profile.relations                                 -> every declared relation (sum, ratio, compare)
    profile.read_period(head_text)                    -> (Period, series) | None

The profile is the only place that names regions, columns or metrics. A format-1 file (key `regions:`)
is read through normalise.profile_v1. Where profiles are found and which one a document gets:
normalise.profiles.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from extractors.config import ConfigError, load_yaml_mapping
from normalise import profile_model as pm
from normalise.hierarchy import LEVEL_OF_WHICH, LEVEL_OTHERS, LEVEL_UNKNOWN, RegionMatch, RegionTree
from normalise.labels import normalise_label, slug, words
from normalise.periods import Period, read_period

__all__ = [
    "LEVEL_CITY",
    "LEVEL_OF_WHICH",
    "LEVEL_OTHERS",
    "LEVEL_PROVINCE",
    "LEVEL_REGION",
    "LEVEL_UNKNOWN",
    "PUBLISHERS_DIR",
    "ColumnSpec",
    "Profile",
    "ProfileError",
    "RegionMatch",
    "Relation",
    "TableFamily",
    "load_profile",
    "profile_from_dict",
]

PUBLISHERS_DIR = Path(__file__).resolve().parent.parent / "expectations" / "publishers"
# A header this similar (difflib ratio) to a declared phrase is the same column with a typo or rewording.
FUZZY_MATCH_RATIO = 0.88
# A header matched by one of a column's `patterns` is that column, whatever its phrases score.
PATTERN_SCORE = 1.0
LEVEL_PROVINCE, LEVEL_REGION, LEVEL_CITY = pm.DEFAULT_LEVELS

# A malformed profile is a configuration error like any other (one error type for every YAML file).
ProfileError = ConfigError


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    label: str
    match: tuple[str, ...]
    unit: str = ""
    kind: str = "count"  # profile_model.KINDS
    patterns: tuple[str, ...] = ()
    of: str = ""  # growth_rate: the column whose growth it is
    against: str = "year_ago"  # growth_rate: profile_model.GROWTH_AGAINST
    scale: float = 100.0  # growth_rate: 100 for percent
    family: str = ""

    @property
    def additive(self) -> bool:
        return self.kind in pm.ADDITIVE_KINDS


@dataclass(frozen=True)
class Relation:
    id: str
    type: str  # sum | ratio | compare
    label: str
    total: str = ""
    parts: tuple[str, ...] = ()
    ratio: str = ""
    numerator: str = ""
    denominator: str = ""
    scale: float = 1.0
    left: str = ""
    op: str = ""
    right: str = ""
    when_months: tuple[int, ...] = ()
    when_quarters: tuple[int, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        if self.type == "sum":
            return (self.total, *self.parts)
        if self.type == "ratio":
            return (self.ratio, self.numerator, self.denominator)
        return (self.left, self.right)

    @property
    def conditional(self) -> bool:
        return bool(self.when_months or self.when_quarters)

    def applies(self, period: Period | None) -> bool | None:
        """Whether the relation holds for an edition of this period; None when it depends on a period
        that is not known."""
        if not self.conditional:
            return True
        if period is None:
            return None
        return (period.month in self.when_months) or (period.quarter in self.when_quarters)

    def condition_text(self) -> str:
        months = ", ".join(str(m) for m in self.when_months)
        quarters = ", ".join(str(q) for q in self.when_quarters)
        return " or ".join(
            t for t in (f"month {months}" if months else "", f"quarter {quarters}" if quarters else "") if t
        )


@dataclass(frozen=True)
class TableFamily:
    id: str
    titles: tuple[re.Pattern, ...]
    columns: tuple[ColumnSpec, ...]
    relations: tuple[Relation, ...]

    def matches(self, title: str) -> bool:
        return not self.titles or any(p.search(title or "") for p in self.titles)


@dataclass
class Profile:
    id: str
    name: str
    source: str
    hierarchy: RegionTree
    families: tuple[TableFamily, ...]
    recognise: tuple[str, ...] = ()
    min_labels: int = pm.DEFAULT_MIN_LABELS
    min_label_share: float = pm.DEFAULT_MIN_LABEL_SHARE
    period_patterns: tuple = ()
    min_column_match: float = pm.DEFAULT_MIN_COLUMN_MATCH
    # Prose vocabulary as declared ({"metrics": [...], "rates": [...]}); read by expectations.prose.metrics.
    prose: dict = field(default_factory=dict)
    _by_id: dict[str, ColumnSpec] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for family in self.families:
            for spec in family.columns:
                self._by_id.setdefault(spec.id, spec)

    # --- regions -------------------------------------------------------------------------------
    def match_region(self, label: str) -> RegionMatch:
        """Resolve a row label to a member of the hierarchy, or LEVEL_UNKNOWN / LEVEL_OF_WHICH."""
        return self.hierarchy.match(label)

    @property
    def root(self) -> str:
        """The hierarchy's root (the whole the document is about: "Jiangsu", "China")."""
        return self.hierarchy.root.name

    # --- columns -------------------------------------------------------------------------------
    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        """Every declared column, once per id."""
        return tuple(self._by_id.values())

    @property
    def relations(self) -> tuple[Relation, ...]:
        return tuple(r for family in self.families for r in family.relations)

    def family_for(self, title: str) -> TableFamily | None:
        """The first table family whose title patterns match (a family without patterns matches all)."""
        return next((f for f in self.families if f.matches(title)), None)

    def column_by_id(self, column_id: str) -> ColumnSpec:
        spec = self._by_id.get(column_id)
        if spec is not None:
            return spec
        for base in self._by_id.values():  # a pattern column's id carries its header: "grants_2017"
            if base.patterns and column_id.startswith(base.id + "_"):
                return replace(base, id=column_id)
        raise KeyError(column_id)

    def match_column(self, header_path: str, title: str | None = None) -> tuple[ColumnSpec | None, float]:
        """Best declared column for a header path and the share of the header's words it explains, among
        the columns of the table family `title` belongs to (all families when no title is given).

        The leaf (last " / " segment) is tried first, so "Valid Invention Patent Quantity /
        Enterprises" is "enterprises"; the whole path is the fallback for single-level headers.
        """
        if title is None:
            specs = self.columns
        else:
            family = self.family_for(title)
            specs = family.columns if family is not None else ()
        segments = [s for s in header_path.split(" / ") if s.strip()] or [header_path]
        for spec in specs:
            if any(re.search(p, segments[-1].strip(), flags=re.IGNORECASE) for p in spec.patterns):
                return replace(spec, id=f"{spec.id}_{slug(segments[-1]).replace('-', '_')}"), PATTERN_SCORE
        candidates = [segments[-1]] + ([header_path] if len(segments) > 1 else [])
        # A unit in parentheses ("Total Population (10,000 persons)") is not part of the name.
        candidates += [c2 for c in candidates if (c2 := _without_parentheses(c)) != c and c2]
        best: tuple[ColumnSpec | None, float] = (None, 0.0)
        for text in candidates:
            header_words = words(text)
            if not header_words:
                continue
            for spec in specs:
                for phrase in spec.match:
                    score = _phrase_score(phrase, text, header_words)
                    if score > best[1]:
                        best = (spec, score)
            if best[1] >= self.min_column_match:
                return best
        return best if best[1] >= self.min_column_match else (None, best[1])

    # --- editions ------------------------------------------------------------------------------
    def read_period(self, head_text: str) -> tuple[Period, str] | None:
        return read_period(head_text, self.period_patterns)


def _without_parentheses(text: str) -> str:
    return re.sub(r"\s*[(（][^)）]*[)）]", " ", text).strip()


def _phrase_score(phrase: str, header: str, header_words: list[str]) -> float:
    """Share of the header's words covered by the phrase when all phrase words occur in the header."""
    phrase_words = words(phrase)
    if phrase_words and all(w in header_words for w in phrase_words):
        return len(set(phrase_words)) / len(set(header_words))
    ratio = difflib.SequenceMatcher(None, normalise_label(phrase), normalise_label(header)).ratio()
    return ratio if ratio >= FUZZY_MATCH_RATIO else 0.0


# --- compiling a checked model ---------------------------------------------------------------------
def _column(spec: pm.Column, family: str) -> ColumnSpec:
    label = spec.label or spec.id
    match = spec.match or (() if spec.patterns else (label,))
    return ColumnSpec(
        spec.id, label, match, spec.unit, spec.kind, spec.patterns, spec.of, spec.against, spec.scale, family
    )


def _relation(rel: pm.Relation) -> Relation:
    return Relation(
        id=rel.id,
        type=rel.type,
        label=rel.label or rel.id,
        total=rel.total,
        parts=rel.parts,
        ratio=rel.ratio,
        numerator=rel.numerator,
        denominator=rel.denominator,
        scale=rel.scale,
        left=rel.left,
        op=rel.op or "",
        right=rel.right,
        when_months=rel.when.month if rel.when else (),
        when_quarters=rel.when.quarter if rel.when else (),
    )


def _check_references(model: pm.ProfileModel, source: str) -> None:
    """Ids that must name something declared: one line naming the key of the first that does not."""

    def fail(where: str, message: str) -> None:
        raise ConfigError(f"{source}: {where}: {message}")

    seen_columns: dict[str, tuple[str, pm.Column]] = {}
    family_ids, relation_ids = set(), set()
    for f, family in enumerate(model.tables):
        where = f"tables[{f}]"
        if family.id in family_ids:
            fail(f"{where}.id", f"table family {family.id!r} is declared twice")
        family_ids.add(family.id)
        if not family.title and f != len(model.tables) - 1:
            fail(f"{where}.title", f"family {family.id!r} matches every table, so the families after it never apply")
        own = {}
        for c, column in enumerate(family.columns):
            if column.id in own:
                fail(f"{where}.columns[{c}].id", f"column {column.id!r} is declared twice in family {family.id!r}")
            own[column.id] = column
            other = seen_columns.get(column.id)
            if other is not None and (other[1].kind, other[1].unit) != (column.kind, column.unit):
                fail(
                    f"{where}.columns[{c}].id",
                    f"column {column.id!r} is also declared in family {other[0]!r} with another kind or unit "
                    "(a column id names one quantity in the whole profile)",
                )
            seen_columns.setdefault(column.id, (family.id, column))
        for c, column in enumerate(family.columns):
            if column.of and column.of not in own:
                fail(f"{where}.columns[{c}].of", f"names unknown column {column.of!r} (family {family.id!r})")
        for r, rel in enumerate(family.relations):
            if rel.id in relation_ids:
                fail(f"{where}.relations[{r}].id", f"relation {rel.id!r} is declared twice")
            relation_ids.add(rel.id)
            unknown = [c for c in _relation(rel).columns if c not in own]
            if unknown:
                fail(f"{where}.relations[{r}]", f"relation {rel.id} names unknown columns {unknown}")
    metric_ids = set()
    for m, metric in enumerate(model.prose.metrics):
        if metric.id in metric_ids:
            fail(f"prose.metrics[{m}].id", f"metric {metric.id!r} is declared twice")
        metric_ids.add(metric.id)
        if metric.column_id and metric.column_id not in seen_columns:
            fail(f"prose.metrics[{m}].column_id", f"names unknown column {metric.column_id!r}")
        for p, part in enumerate(metric.parts):
            if part.column_id not in seen_columns:
                fail(f"prose.metrics[{m}].parts[{p}].column_id", f"names unknown column {part.column_id!r}")
    for r, rate in enumerate(model.prose.rates):
        for key in ("numerator", "denominator"):
            if getattr(rate, key) not in metric_ids:
                fail(f"prose.rates[{r}].{key}", f"rate {rate.id} names undeclared metric {getattr(rate, key)!r}")


def _prose_dict(prose: pm.Prose) -> dict:
    """The prose vocabulary in the plain shape expectations.prose.metrics reads."""
    dumped = prose.model_dump(exclude_defaults=True)
    return {"metrics": dumped.get("metrics", []), "rates": dumped.get("rates", [])}


def profile_from_model(model: pm.ProfileModel, source: str) -> Profile:
    _check_references(model, source)
    families = tuple(
        TableFamily(
            family.id,
            tuple(re.compile(p, re.IGNORECASE) for p in family.title),
            tuple(_column(c, family.id) for c in family.columns),
            tuple(_relation(r) for r in family.relations),
        )
        for family in model.tables
    )
    return Profile(
        id=model.id,
        name=model.name or model.id,
        source=source,
        hierarchy=RegionTree.from_model(model.hierarchy, source),
        families=families,
        recognise=model.recognise.phrases,
        min_labels=model.recognise.min_labels,
        min_label_share=model.recognise.min_label_share,
        period_patterns=model.period.patterns if model.period else (),
        min_column_match=model.min_column_match,
        prose=_prose_dict(model.prose),
    )


def profile_from_dict(data: dict, source: str = "<dict>") -> Profile:
    """A profile from its YAML mapping: format 2, or format 1 (key `regions:`) translated first."""
    if "format" not in data and "regions" in data:
        from normalise.profile_v1 import v1_to_v2

        data = v1_to_v2(data, source)
    return profile_from_model(pm.parse_profile(data, source), source)


@cache
def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    return profile_from_dict(load_yaml_mapping(path, "profile"), str(path))
