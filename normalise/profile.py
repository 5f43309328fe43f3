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

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from extractors.config import ConfigError, load_yaml_mapping
from normalise import profile_model as pm
from normalise.hierarchy import LEVEL_OF_WHICH, LEVEL_OTHERS, LEVEL_UNKNOWN, RegionMatch, RegionTree
from normalise.periods import Period, read_period
from normalise.table_families import ColumnSpec, Relation, TableFamily, best_column, column_spec, relation

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
LEVEL_PROVINCE, LEVEL_REGION, LEVEL_CITY = pm.DEFAULT_LEVELS

# A malformed profile is a configuration error like any other (one error type for every YAML file).
ProfileError = ConfigError


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
        the columns of the table family `title` belongs to (all families when no title is given)."""
        if title is None:
            specs = self.columns
        else:
            family = self.family_for(title)
            specs = family.columns if family is not None else ()
        return best_column(specs, header_path, self.min_column_match)

    # --- editions ------------------------------------------------------------------------------
    def read_period(self, head_text: str) -> tuple[Period, str] | None:
        return read_period(head_text, self.period_patterns)


# --- compiling a checked model ---------------------------------------------------------------------
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
            unknown = [c for c in rel.columns if c not in own]
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
            tuple(column_spec(c, family.id) for c in family.columns),
            tuple(relation(r) for r in family.relations),
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
