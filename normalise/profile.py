"""Load a publisher profile (YAML) into checked objects: region hierarchy, column vocabulary, relations.

The profile is the only place that names regions, columns or metrics. Code asks it questions:
"which region is this row label?", "which column is this header path?".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from extractors.config import ConfigError, load_yaml_mapping
from normalise.labels import normalise_label, words

PUBLISHERS_DIR = Path(__file__).resolve().parent.parent / "expectations" / "publishers"
# A header this similar (difflib ratio) to a declared phrase is the same column with a typo or rewording.
FUZZY_MATCH_RATIO = 0.88

LEVEL_PROVINCE = "province"
LEVEL_REGION = "region"
LEVEL_CITY = "city"
LEVEL_OTHERS = "others"
LEVEL_OF_WHICH = "of_which"
LEVEL_UNKNOWN = "unknown"


# A malformed profile is a configuration error like any other (one error type for every YAML file).
ProfileError = ConfigError


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    label: str
    match: tuple[str, ...]
    unit: str = ""
    kind: str = "count"  # count | measure | ratio | label


@dataclass(frozen=True)
class Relation:
    id: str
    type: str  # sum | ratio
    label: str
    total: str = ""
    parts: tuple[str, ...] = ()
    ratio: str = ""
    numerator: str = ""
    denominator: str = ""
    scale: float = 1.0

    @property
    def columns(self) -> tuple[str, ...]:
        if self.type == "sum":
            return (self.total, *self.parts)
        return (self.ratio, self.numerator, self.denominator)


@dataclass(frozen=True)
class Area:
    name: str
    aliases: tuple[str, ...]
    cities: tuple[str, ...]


@dataclass(frozen=True)
class RegionMatch:
    name: str  # canonical name
    level: str
    parent: str = ""  # canonical name of the region a city belongs to


@dataclass
class Profile:
    id: str
    name: str
    recognise: tuple[str, ...]
    year_pattern: str
    province: str
    province_aliases: tuple[str, ...]
    others: str
    others_aliases: tuple[str, ...]
    others_optional: bool
    areas: tuple[Area, ...]
    city_aliases: dict[str, tuple[str, ...]]
    of_which_prefixes: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    relations: tuple[Relation, ...]
    min_column_match: float = 0.6
    source: str = ""
    # Prose vocabulary as declared ({"metrics": [...], "rates": [...]}); read by expectations.prose.metrics.
    prose: dict = field(default_factory=dict)
    _labels: dict[str, RegionMatch] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._labels = self._build_label_index()
        ids = [c.id for c in self.columns]
        if len(ids) != len(set(ids)):
            raise ProfileError(f"{self.source}: duplicate column ids")
        for rel in self.relations:
            unknown = [c for c in rel.columns if c not in ids]
            if unknown:
                raise ProfileError(f"{self.source}: relation {rel.id} names unknown columns {unknown}")
            if rel.type not in ("sum", "ratio"):
                raise ProfileError(f"{self.source}: relation {rel.id} has unknown type {rel.type!r}")

    # --- regions -------------------------------------------------------------------------------
    def _build_label_index(self) -> dict[str, RegionMatch]:
        index: dict[str, RegionMatch] = {}

        def add(label: str, match: RegionMatch) -> None:
            for variant in {normalise_label(label), normalise_label(label).replace("'", "")}:
                index[variant] = match

        add(self.province, RegionMatch(self.province, LEVEL_PROVINCE))
        for alias in self.province_aliases:
            add(alias, RegionMatch(self.province, LEVEL_PROVINCE))
        add(self.others, RegionMatch(self.others, LEVEL_OTHERS))
        for alias in self.others_aliases:
            add(alias, RegionMatch(self.others, LEVEL_OTHERS))
        for area in self.areas:
            for label in (area.name, *area.aliases):
                add(label, RegionMatch(area.name, LEVEL_REGION, self.province))
            for city in area.cities:
                for label in (city, *self.city_aliases.get(city, ())):
                    add(label, RegionMatch(city, LEVEL_CITY, area.name))
        return index

    def match_region(self, label: str) -> RegionMatch:
        """Resolve a row label to a region of the hierarchy, or LEVEL_UNKNOWN / LEVEL_OF_WHICH."""
        key = normalise_label(label)
        if any(key.startswith(p) for p in self.of_which_prefixes):
            return RegionMatch(label.strip(), LEVEL_OF_WHICH)
        for variant in (key, key.replace("'", ""), re.sub(r"\s*\(.*?\)\s*", "", key)):
            if variant in self._labels:
                return self._labels[variant]
        # "Nanjing City", "Suzhou Municipality": strip a trailing administrative word.
        stripped = re.sub(r"\s+(city|municipality|prefecture|district)$", "", key)
        if stripped in self._labels:
            return self._labels[stripped]
        return RegionMatch(label.strip(), LEVEL_UNKNOWN)

    @property
    def cities(self) -> tuple[str, ...]:
        return tuple(c for a in self.areas for c in a.cities)

    def area(self, name: str) -> Area:
        return next(a for a in self.areas if a.name == name)

    # --- columns -------------------------------------------------------------------------------
    def column_by_id(self, column_id: str) -> ColumnSpec:
        return next(c for c in self.columns if c.id == column_id)

    def match_column(self, header_path: str) -> tuple[ColumnSpec | None, float]:
        """Best declared column for a header path and the share of the header's words it explains.

        The leaf (last " / " segment) is tried first, so "Valid Invention Patent Quantity /
        Enterprises" is "enterprises"; the whole path is the fallback for single-level headers.
        """
        segments = [s for s in header_path.split(" / ") if s.strip()] or [header_path]
        candidates = [segments[-1]] + ([header_path] if len(segments) > 1 else [])
        # A unit in parentheses ("Total Population (10,000 persons)") is not part of the name.
        candidates += [c2 for c in candidates if (c2 := _without_parentheses(c)) != c and c2]
        best: tuple[ColumnSpec | None, float] = (None, 0.0)
        for text in candidates:
            header_words = words(text)
            if not header_words:
                continue
            for spec in self.columns:
                for phrase in spec.match:
                    score = _phrase_score(phrase, text, header_words)
                    if score > best[1]:
                        best = (spec, score)
            if best[1] >= self.min_column_match:
                return best
        return best if best[1] >= self.min_column_match else (None, best[1])


def _without_parentheses(text: str) -> str:
    return re.sub(r"\s*[(（][^)）]*[)）]", " ", text).strip()


def _phrase_score(phrase: str, header: str, header_words: list[str]) -> float:
    """Share of the header's words covered by the phrase when all phrase words occur in the header."""
    phrase_words = words(phrase)
    if phrase_words and all(w in header_words for w in phrase_words):
        return len(set(phrase_words)) / len(set(header_words))
    ratio = difflib.SequenceMatcher(None, normalise_label(phrase), normalise_label(header)).ratio()
    return ratio if ratio >= FUZZY_MATCH_RATIO else 0.0


def _tuple(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _require(data: dict, key: str, source: str):
    if key not in data:
        raise ProfileError(f"{source}: missing key {key!r}")
    return data[key]


def profile_from_dict(data: dict, source: str = "<dict>") -> Profile:
    regions = _require(data, "regions", source)
    province = _require(regions, "province", source)
    others = regions.get("others") or {"name": "Others"}
    areas = tuple(
        Area(str(a["name"]), _tuple(a.get("aliases")), _tuple(a.get("cities"))) for a in regions.get("areas", [])
    )
    columns = tuple(
        ColumnSpec(
            id=str(c["id"]),
            label=str(c.get("label", c["id"])),
            match=_tuple(c.get("match")) or (str(c.get("label", c["id"])),),
            unit=str(c.get("unit", "")),
            kind=str(c.get("kind", "count")),
        )
        for c in data.get("columns", [])
    )
    relations = tuple(
        Relation(
            id=str(r["id"]),
            type=str(r["type"]),
            label=str(r.get("label", r["id"])),
            total=str(r.get("total", "")),
            parts=_tuple(r.get("parts")),
            ratio=str(r.get("ratio", "")),
            numerator=str(r.get("numerator", "")),
            denominator=str(r.get("denominator", "")),
            scale=float(r.get("scale", 1)),
        )
        for r in data.get("relations", [])
    )
    return Profile(
        id=str(_require(data, "id", source)),
        name=str(data.get("name", data["id"])),
        recognise=_tuple((data.get("recognise") or {}).get("any_of")),
        year_pattern=str(data.get("year_pattern", r"\b((?:19|20)\d\d)\b")),
        province=str(_require(province, "name", source)),
        province_aliases=_tuple(province.get("aliases")),
        others=str(others.get("name", "Others")),
        others_aliases=_tuple(others.get("aliases")),
        others_optional=bool(others.get("optional", True)),
        areas=areas,
        city_aliases={str(k): _tuple(v) for k, v in (regions.get("city_aliases") or {}).items()},
        of_which_prefixes=tuple(normalise_label(p) for p in _tuple(regions.get("of_which_prefixes"))),
        columns=columns,
        relations=relations,
        min_column_match=float(data.get("min_column_match", 0.6)),
        source=source,
        prose={"metrics": list(data.get("metrics") or []), "rates": list(data.get("rates") or [])},
    )


@cache
def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    return profile_from_dict(load_yaml_mapping(path, "profile"), str(path))


def available_profiles(directory: Path = PUBLISHERS_DIR) -> list[Profile]:
    return [load_profile(p) for p in sorted(directory.glob("*.yaml"))]


# A document whose tables name at least this many of a profile's regions belongs to that profile,
# even when its first pages do not carry the publisher's recognition phrases.
MIN_REGION_LABELS_TO_RECOGNISE = 3


def choose_profile(
    first_pages_text: str, row_labels: list[str] = (), directory: Path = PUBLISHERS_DIR
) -> Profile | None:
    """The profile whose recognition phrases appear in the document's first pages; failing that, the
    profile whose region hierarchy names the most distinct table row labels (at least a few)."""
    text = normalise_label(first_pages_text)
    profiles = available_profiles(directory)
    for profile in profiles:
        if any(normalise_label(p) in text for p in profile.recognise):
            return profile
    best, best_count = None, 0
    for profile in profiles:
        names = {
            m.name for m in map(profile.match_region, row_labels) if m.level not in (LEVEL_UNKNOWN, LEVEL_OF_WHICH)
        }
        if len(names) > best_count:
            best, best_count = profile, len(names)
    return best if best_count >= MIN_REGION_LABELS_TO_RECOGNISE else None
