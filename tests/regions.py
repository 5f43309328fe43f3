"""Consistent region tables for the Jiangsu profile, generated from the declared hierarchy (no values
copied from any report): cities with random counts, regions and the province as exact sums, ratios
recomputed from the printed (rounded) inputs."""

from __future__ import annotations

import random

from normalise.profile import PUBLISHERS_DIR, load_profile

PROFILE = load_profile(PUBLISHERS_DIR / "jiangsu-ipr.yaml")
CITIES = [c.name for c in PROFILE.hierarchy.at_level("city")]
AREAS = {r.name: list(r.children) for r in PROFILE.hierarchy.at_level("region")}
OTHERS = PROFILE.hierarchy.at_level("others")[0].name
PARTS = ["Colleges and\nUniversities", "Research\nInstitutions", "Enterprises", "Government\nAgencies", "Individuals"]
# Header texts wrap inside their cells, as printed reports do ("\n" = a line break in the cell).
HEADER = [
    [
        "Region",
        "Total\nPopulation\n(in ten\nthousand\npeople)",
        "Number of\nValid\nInvention\nPatents",
        "Invention\nPatent\nOwnership\nper 10,000\nPeople",
        "Valid Invention Patent Quantity",
        "",
        "",
        "",
        "",
    ],
    ["", "", "", "", *PARTS],
]


def grouped(n: float, decimals: int = 0) -> str:
    return f"{n:,.{decimals}f}"


def _row(label: str, population_hundredths: int | None, parts: list[int]) -> list[str]:
    total = sum(parts)
    if population_hundredths is None:
        return [label, "/", grouped(total), "/", *[grouped(p) for p in parts]]
    population = population_hundredths / 100
    return [label, grouped(population, 2), grouped(total), grouped(total / population, 2), *[grouped(p) for p in parts]]


def per10k_rows(seed: int, others: bool = True) -> list[list[str]]:
    """Body rows: every city, Others, the regions, the province; all sums exact."""
    rng = random.Random(seed)
    city_pop = {c: rng.randint(20_000, 130_000) for c in CITIES}  # hundredths of 10,000 people
    city_parts = {
        c: [
            rng.randint(50, 60_000),
            rng.randint(10, 7_000),
            rng.randint(1_000, 120_000),
            rng.randint(10, 2_500),
            rng.randint(50, 2_000),
        ]
        for c in CITIES
    }
    rows = [_row(c, city_pop[c], city_parts[c]) for c in CITIES]
    other_parts = [rng.randint(0, 9) for _ in PARTS] if others else [0] * len(PARTS)
    if others:
        rows.append(_row(OTHERS, None, other_parts))
    for area, cities in AREAS.items():
        pop = sum(city_pop[c] for c in cities)
        parts = [sum(city_parts[c][i] for c in cities) for i in range(len(PARTS))]
        rows.append(_row(area, pop, parts))
    pop = sum(city_pop.values())
    parts = [sum(city_parts[c][i] for c in CITIES) + other_parts[i] for i in range(len(PARTS))]
    rows.append(_row(PROFILE.root, pop, parts))
    return rows
