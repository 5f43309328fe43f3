"""Format-1 profiles (key `regions:` with province, areas and cities) read as format 2.

Format 1 knew one shape: a province, its regions ("areas") and their cities, one "Others" row, one
list of columns for every table. `v1_to_v2` writes the same content in format 2, so an old profile
keeps working and behaves as before; docs/profiles.md ("From format 1") shows the mapping key by key.
"""

from __future__ import annotations

import re

from extractors.config import ConfigError
from normalise.hierarchy import LEVEL_OTHERS

V1_KEYS = frozenset(
    {"id", "name", "recognise", "year_pattern", "regions", "columns", "relations", "min_column_match"}
    | {"metrics", "rates"}
)
V1_REGION_KEYS = frozenset({"province", "others", "areas", "city_aliases", "of_which_prefixes"})
V1_NAMED_KEYS = frozenset({"name", "aliases"})
# Format 1 read the edition year as group 1 of this pattern, first match in the title pages.
V1_DEFAULT_YEAR_PATTERN = r"\b((?:19|20)\d\d)\b"
V1_FAMILY = "tables"


def _unknown(data: dict, allowed: frozenset, where: str, source: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise ConfigError(f"{source}: {where}{extra[0]}: unknown key in a format-1 profile")


def _named_year(pattern: str) -> str:
    """Group 1 of a format-1 year pattern becomes the named group `year`."""
    match = re.search(r"(?<!\\)\((?!\?)", pattern)
    if match is None:
        return f"(?P<year>{pattern})"
    return pattern[: match.start()] + "(?P<year>" + pattern[match.end() :]


def v1_to_v2(data: dict, source: str = "<dict>") -> dict:
    _unknown(data, V1_KEYS, "", source)
    regions = data.get("regions") or {}
    _unknown(regions, V1_REGION_KEYS, "regions.", source)
    if "province" not in regions:
        raise ConfigError(f"{source}: regions.province: missing (required)")
    province = regions["province"] or {}
    _unknown(province, V1_NAMED_KEYS, "regions.province.", source)
    city_aliases = regions.get("city_aliases") or {}
    others = regions.get("others") or {"name": "Others"}
    _unknown(others, V1_NAMED_KEYS | {"optional"}, "regions.others.", source)
    for i, area in enumerate(regions.get("areas") or []):
        _unknown(area, V1_NAMED_KEYS | {"cities"}, f"regions.areas[{i}].", source)
    children = [
        {
            "name": area["name"],
            "aliases": list(area.get("aliases") or []),
            "children": [{"name": c, "aliases": list(city_aliases.get(c) or [])} for c in area.get("cities") or []],
        }
        for area in regions.get("areas") or []
    ]
    # Format 1: an absent Others row added nothing; a blank one added nothing when `optional` (the default).
    children.append(
        {
            "name": others.get("name", "Others"),
            "aliases": list(others.get("aliases") or []),
            "level": LEVEL_OTHERS,
            "optional": True,
            "blank_adds_nothing": bool(others.get("optional", True)),
        }
    )
    out = {
        "format": 2,
        "id": data.get("id"),
        "name": data.get("name", data.get("id")),
        "recognise": {"phrases": list((data.get("recognise") or {}).get("any_of") or [])},
        "period": {"patterns": [_named_year(str(data.get("year_pattern", V1_DEFAULT_YEAR_PATTERN)))]},
        "hierarchy": {
            "root": {
                "name": province.get("name"),
                "aliases": list(province.get("aliases") or []),
                "children": children,
            },
            "of_which_prefixes": list(regions.get("of_which_prefixes") or []),
        },
        "tables": [
            {
                "id": V1_FAMILY,
                "columns": list(data.get("columns") or []),
                "relations": list(data.get("relations") or []),
            }
        ],
        "prose": {"metrics": list(data.get("metrics") or []), "rates": list(data.get("rates") or [])},
    }
    if "min_column_match" in data:
        out["min_column_match"] = data["min_column_match"]
    return out
