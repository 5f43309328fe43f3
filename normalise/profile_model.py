"""The publisher profile format (format 2) as pydantic models: what a profile file may say.

A profile is checked when it is loaded: an unknown key, a kind that does not exist or an id that names
nothing is one `ConfigError` line naming the file and the key (`tables[0].columns[2].kind: 'cout' is
not a column kind ...`). Every key is documented in docs/profiles.md. The models hold the data as
written; normalise.profile compiles them into the objects the pipeline asks questions.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from extractors.config import ConfigError

FORMAT = 2
# Column kinds. Additive kinds add up across the rows of a hierarchy; rounded kinds are printed rounded
# (an integer printed for them still means +-0.5).
KINDS = ("count", "measure", "ratio", "share", "growth_rate", "cumulative", "label")
ADDITIVE_KINDS = frozenset({"count", "measure", "cumulative"})
ROUNDED_KINDS = frozenset({"measure", "ratio", "share", "growth_rate"})
# What a growth-rate column is measured against: the same period a year earlier, or the edition before.
GROWTH_AGAINST = ("year_ago", "previous")
COMPARE_OPS = ("<=", ">=", "=")
RELATION_TYPES = ("sum", "ratio", "compare")
# The levels of a hierarchy that names none: root, its children, theirs.
DEFAULT_LEVELS = ("province", "region", "city")
# Trailing administrative words a row label may carry beyond the declared name ("Nanjing City").
DEFAULT_STRIP_SUFFIXES = ("city", "municipality", "prefecture", "district")
DEFAULT_MIN_LABELS = 3
DEFAULT_MIN_LABEL_SHARE = 0.5
DEFAULT_MIN_COLUMN_MATCH = 0.6
ID_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a regular expression ({exc})") from None
    return pattern


class Member(_Strict):
    """A member of the region hierarchy; a bare string is a member with that name and nothing else."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    level: str = ""
    optional: bool = False
    blank_adds_nothing: bool = False
    part_of: bool = False
    children: tuple[Member, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, data):
        return {"name": data} if isinstance(data, str) else data


class Hierarchy(_Strict):
    levels: tuple[str, ...] = DEFAULT_LEVELS
    root: Member
    of_which_prefixes: tuple[str, ...] = ()
    strip_suffixes: tuple[str, ...] = DEFAULT_STRIP_SUFFIXES


class Column(_Strict):
    id: str = Field(pattern=ID_RE)
    label: str = ""
    match: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    unit: str = ""
    kind: Literal[KINDS] = "count"  # type: ignore[valid-type]
    of: str = ""
    against: Literal[GROWTH_AGAINST] = "year_ago"  # type: ignore[valid-type]
    scale: float = 100.0

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_compiles(p) for p in patterns)

    @model_validator(mode="after")
    def _growth_keys(self):
        if self.kind != "growth_rate" and (self.of or "against" in self.model_fields_set):
            raise ValueError(f"column {self.id!r}: 'of' and 'against' belong to growth_rate columns")
        return self


class When(_Strict):
    """A condition on the edition's period: the relation is checked only in these months / quarters."""

    month: tuple[int, ...] = ()
    quarter: tuple[int, ...] = ()

    @field_validator("month", "quarter", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return (value,) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _ranges(self):
        if not self.month and not self.quarter:
            raise ValueError("'when' needs month or quarter")
        if any(not 1 <= m <= 12 for m in self.month) or any(not 1 <= q <= 4 for q in self.quarter):
            raise ValueError("'when': months are 1-12, quarters 1-4")
        return self


# The keys each relation type takes (besides id, type, label, when).
RELATION_KEYS = {
    "sum": ("total", "parts"),
    "ratio": ("ratio", "numerator", "denominator"),
    "compare": ("left", "op", "right"),
}
RELATION_OPTIONAL_KEYS = {"ratio": ("scale",)}


class Relation(_Strict):
    id: str = Field(pattern=ID_RE)
    type: Literal[RELATION_TYPES]  # type: ignore[valid-type]
    label: str = ""
    total: str = ""
    parts: tuple[str, ...] = ()
    ratio: str = ""
    numerator: str = ""
    denominator: str = ""
    scale: float = 1.0
    left: str = ""
    op: Literal[COMPARE_OPS] | None = None  # type: ignore[valid-type]
    right: str = ""
    when: When | None = None

    @model_validator(mode="after")
    def _keys_of_its_type(self):
        mine = set(RELATION_KEYS[self.type]) | set(RELATION_OPTIONAL_KEYS.get(self.type, ()))
        others = {k for keys in RELATION_KEYS.values() for k in keys} | {"scale"}
        foreign = sorted((self.model_fields_set & others) - mine)
        if foreign:
            raise ValueError(f"relation {self.id!r} of type {self.type} takes no {foreign[0]!r}")
        missing = [k for k in RELATION_KEYS[self.type] if not getattr(self, k)]
        if missing:
            raise ValueError(f"relation {self.id!r} of type {self.type} needs {missing[0]!r}")
        return self

    @property
    def columns(self) -> tuple[str, ...]:
        if self.type == "sum":
            return (self.total, *self.parts)
        if self.type == "ratio":
            return (self.ratio, self.numerator, self.denominator)
        return (self.left, self.right)


class TableFamily(_Strict):
    id: str = Field(pattern=ID_RE)
    title: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    relations: tuple[Relation, ...] = ()

    @field_validator("title", mode="before")
    @classmethod
    def _title_compiles(cls, title):
        patterns = (title,) if isinstance(title, str) else title
        return tuple(_compiles(p) for p in patterns) if isinstance(patterns, (list, tuple)) else title


class Recognise(_Strict):
    phrases: tuple[str, ...] = ()
    min_labels: int = Field(DEFAULT_MIN_LABELS, ge=1)
    min_label_share: float = Field(DEFAULT_MIN_LABEL_SHARE, ge=0, le=1)


class PeriodPattern(_Strict):
    pattern: str
    series: str = ""

    @model_validator(mode="before")
    @classmethod
    def _bare_pattern(cls, data):
        return {"pattern": data} if isinstance(data, str) else data

    @field_validator("pattern")
    @classmethod
    def _has_year(cls, pattern: str) -> str:
        if "year" not in re.compile(_compiles(pattern)).groupindex:
            raise ValueError(f"{pattern!r} has no (?P<year>...) group")
        return pattern


class Period(_Strict):
    patterns: tuple[PeriodPattern, ...] = Field(min_length=1)


class MetricPart(_Strict):
    phrases: tuple[str, ...] = Field(min_length=1)
    column_id: str


class Metric(_Strict):
    id: str = Field(pattern=ID_RE)
    label: str = ""
    phrases: tuple[str, ...] = Field(min_length=1)
    exclude: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    column_id: str = ""
    parts: tuple[MetricPart, ...] = ()


class Rate(_Strict):
    id: str = Field(pattern=ID_RE)
    label: str = ""
    phrases: tuple[str, ...] = Field(min_length=1)
    numerator: str
    denominator: str
    scale: float = 100.0


class Prose(_Strict):
    metrics: tuple[Metric, ...] = ()
    rates: tuple[Rate, ...] = ()


class ProfileModel(_Strict):
    format: Literal[2]
    id: str = Field(pattern=ID_RE)
    name: str = ""
    recognise: Recognise = Recognise()
    period: Period | None = None
    hierarchy: Hierarchy
    tables: tuple[TableFamily, ...] = ()
    min_column_match: float = Field(DEFAULT_MIN_COLUMN_MATCH, gt=0, le=1)
    prose: Prose = Prose()


_MODELS = (ProfileModel, Recognise, Period, PeriodPattern, Hierarchy, Member, TableFamily, Column, Relation, When)
_MODELS += (Prose, Metric, MetricPart, Rate)
KNOWN_KEYS = sorted({name for model in _MODELS for name in model.model_fields})


def location(loc) -> str:
    """('tables', 0, 'columns', 2, 'kind') -> 'tables[0].columns[2].kind'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: dict) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        near = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
        return "unknown key" + (f" (did you mean {near[0]!r}?)" if near else "")
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed here (expected {allowed})"
    if kind == "missing":
        return "missing (required)"
    return " ".join(str(error["msg"]).removeprefix("Value error, ").split())


def format_errors(source: str, exc: ValidationError) -> str:
    """One line for the first problem (and how many more there are)."""
    errors = exc.errors()
    first = errors[0]
    loc = location(first["loc"])
    if first["type"] == "extra_forbidden":
        loc, key = location(first["loc"][:-1]), first["loc"][-1]
        where = f"{loc}.{key}" if loc else str(key)
        line = f"{source}: {where}: {_message(first)}"
    else:
        line = f"{source}: {loc or 'profile'}: {_message(first)}"
    if len(errors) > 1:
        line += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return line


def parse_profile(data: dict, source: str) -> ProfileModel:
    """The validated model of a format-2 profile, or ConfigError with one line."""
    try:
        return ProfileModel.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_errors(source, exc)) from None
