"""The declared settings of error localisation (expectations/localisation.yaml) as a checked object.

Weights are data, not code: what it costs to say a printed number is wrong, by the kind of number, and
how far the search goes. Unknown keys and impossible values are rejected with one line naming the file
and the key (extractors.config.ConfigError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from extractors.config import ConfigError, load_yaml_mapping

SETTINGS_YAML = Path(__file__).with_name("localisation.yaml")
TOP_KEYS = frozenset({"weights", "signed_kinds", "search"})
WEIGHT_KEYS = frozenset({"default", "kinds", "previous_edition"})
SEARCH_KEYS = frozenset(
    {
        "exact_max_size",
        "ilp_max_size",
        "ilp_time_limit",
        "alternative_time_limit",
        "time_budget",
        "max_alternatives",
        "relative_reach",
    }
)
REAL_KEYS = frozenset({"ilp_time_limit", "alternative_time_limit", "time_budget", "relative_reach"})


@dataclass(frozen=True)
class SearchLimits:
    exact_max_size: int = 2
    ilp_max_size: int = 16
    ilp_time_limit: float = 20.0
    alternative_time_limit: float = 3.0
    time_budget: float = 60.0
    max_alternatives: int = 12
    relative_reach: float = 100.0


@dataclass(frozen=True)
class LocalisationSettings:
    default_weight: float = 1.0
    kind_weights: dict[str, float] = field(default_factory=dict)
    previous_edition_weight: float = 2.0
    signed_kinds: frozenset[str] = frozenset()
    search: SearchLimits = SearchLimits()

    def weight(self, kind: str, previous: bool = False) -> float:
        """What it costs to change one printed number of this kind."""
        base = self.kind_weights.get(kind, self.default_weight)
        return max(base, self.previous_edition_weight) if previous else base


def _unknown(keys, allowed: frozenset, where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise ConfigError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _positive(value, where: str, integer: bool = False) -> float:
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok or value <= 0:
        raise ConfigError(f"{where} must be a positive {'integer' if integer else 'number'}, got {value!r}")
    return value


def parse_settings(data: dict, where: str) -> LocalisationSettings:
    _unknown(data, TOP_KEYS, where)
    weights = data.get("weights") or {}
    _unknown(weights, WEIGHT_KEYS, f"{where}: weights")
    kinds = weights.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise ConfigError(f"{where}: weights.kinds must be a mapping of kind -> weight")
    search = data.get("search") or {}
    _unknown(search, SEARCH_KEYS, f"{where}: search")
    limits = SearchLimits(
        **{
            key: _positive(search[key], f"{where}: search.{key}", integer=key not in REAL_KEYS)
            for key in SEARCH_KEYS
            if key in search
        }
    )
    if limits.ilp_max_size < limits.exact_max_size:
        raise ConfigError(f"{where}: search.ilp_max_size must be at least search.exact_max_size")
    signed = data.get("signed_kinds") or []
    if not isinstance(signed, list) or not all(isinstance(k, str) for k in signed):
        raise ConfigError(f"{where}: signed_kinds must be a list of kinds")
    return LocalisationSettings(
        default_weight=_positive(weights.get("default", 1.0), f"{where}: weights.default"),
        kind_weights={str(k): _positive(v, f"{where}: weights.kinds.{k}") for k, v in kinds.items()},
        previous_edition_weight=_positive(weights.get("previous_edition", 2.0), f"{where}: weights.previous_edition"),
        signed_kinds=frozenset(signed),
        search=limits,
    )


@cache
def load_localisation_settings(path: Path = SETTINGS_YAML) -> LocalisationSettings:
    return parse_settings(load_yaml_mapping(path, "localisation settings file"), str(path))
