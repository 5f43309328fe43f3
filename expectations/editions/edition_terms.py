"""What the cross-edition checks share: their settings (rules/editions.yaml), an edition as frames,
and how previous-edition ids are written (prefixed with the previous document's id, since cell and
fact ids repeat across editions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from expectations.registry import RULES_DIR
from extractors.config import ConfigError, load_yaml_mapping
from normalise.periods import Period

EDITIONS_YAML = RULES_DIR / "editions.yaml"


@dataclass(frozen=True)
class EditionSettings:
    previous_year_offset: int = 1  # year on year: the same period this many years earlier
    max_ratio: float = 1.5
    min_count: float = 100.0
    cumulative_words: tuple[str, ...] = ("cumulative",)
    level_roles: tuple[str, ...] = ("level", "total")
    growth_kinds: tuple[str, ...] = ("growth_rate",)
    change_kinds: tuple[str, ...] = ("change", "point_change")
    metric_match_max_extra_words: int = 1

    def __post_init__(self) -> None:
        if self.max_ratio <= 1:
            raise ConfigError(f"{EDITIONS_YAML}: jump.max_ratio must be > 1, not {self.max_ratio}")
        if self.previous_year_offset < 1:
            raise ConfigError(f"{EDITIONS_YAML}: previous_year_offset must be >= 1")


def load_settings(path: Path = EDITIONS_YAML) -> EditionSettings:
    data = load_yaml_mapping(path, "rules file").get("settings") or {}
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
        metric_match_max_extra_words=int(
            growth.get("metric_match_max_extra_words", defaults.metric_match_max_extra_words)
        ),
    )


@dataclass
class Edition:
    """One edition as the checks need it: its id, year, cells and (possibly empty) facts, and its period
    (the year itself unless given: a month or a quarter of that year)."""

    doc_id: str
    year: int
    cells: pd.DataFrame
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)
    period: Period | None = None

    def __post_init__(self) -> None:
        if self.period is None:
            self.period = Period(int(self.year))

    @property
    def label(self) -> str:
        """How messages name the edition: "2024", "2016-03", "2012-Q1"."""
        return self.period.key


def prefixed(doc_id: str, item_id: str) -> str:
    return f"{doc_id}/{item_id}"
