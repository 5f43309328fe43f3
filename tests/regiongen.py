"""Consistent region tables of the Jiangsu profile (values, rows, columns), printed with tests.pdfgen.

    table = RegionTable.build(city_values, rows=[...], columns=[...])   # every derived number computed
    table.plant(row, column, raw)                                       # one printed cell changed
    spec = table.spec(rules="grid")                                     # a pdfgen TableSpec
    table.position(row, column) -> (body row, column), 0-based          # where a cell is printed

Derived numbers are computed from the printed inputs with integer arithmetic, so a clean table is
exactly consistent: a region's count is the sum of its cities', the province's the sum of all cities
plus Others, populations (2 decimals, in ten thousand people) likewise, and patents per 10,000 people
is the printed count over the printed population, rounded half up to 2 decimals.

Also runs the pure pipeline (extract -> tidy -> facts -> validate) the flow runs, without Prefect.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from normalise.profile import PUBLISHERS_DIR, load_profile
from tests.pdfgen import TableSpec

PROFILE = load_profile(PUBLISHERS_DIR / "jiangsu-ipr.yaml")
PROVINCE = PROFILE.root
OTHERS = PROFILE.hierarchy.at_level("others")[0].name
AREAS = {r.name: list(r.children) for r in PROFILE.hierarchy.at_level("region")}
CITIES = [c.name for c in PROFILE.hierarchy.at_level("city")]
TITLE = "Number of Invention Patents per 10,000 People by Region in Jiangsu in 2023"
UNIT = "piece"

OWNERS = ["colleges", "research", "enterprises", "government", "individuals"]
OWNER_HEADERS = {
    "colleges": "Colleges and Universities",
    "research": "Research Institutions",
    "enterprises": "Enterprises",
    "government": "Government Agencies",
    "individuals": "Individuals",
}
OWNER_GROUP = "Valid Invention Patent Quantity"
HEADERS = {
    "population": "Total Population (in ten thousand people)",
    "patents": "Number of Valid Invention Patents",
    "per10k": "Invention Patent Ownership per 10,000 People",
}
# Printed header cells wrap like the real paper's (pdfgen does not wrap by itself).
WRAPPED = {
    "population": "Total Population\n(in ten thousand\npeople)",
    "patents": "Number of Valid\nInvention\nPatents",
    "per10k": "Invention Patent\nOwnership per\n10,000 People",
    "colleges": "Colleges and\nUniversities",
    "research": "Research\nInstitutions",
    "government": "Government\nAgencies",
}
# The profile's column id of each column key.
COLUMN_IDS = {
    "population": "population",
    "patents": "valid_invention_patents",
    "per10k": "invention_patents_per_10k",
    "colleges": "patents_colleges",
    "research": "patents_research",
    "enterprises": "patents_enterprises",
    "government": "patents_government",
    "individuals": "patents_individuals",
}
MISSING = "/"


def count(value: int) -> str:
    return f"{value:,}"


def hundredths(value: int) -> str:
    """An amount in hundredths printed with 2 decimals and thousands separators: 168320 -> "1,683.20"."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100:,}.{value % 100:02d}"


def ratio_hundredths(patents: int, population_hundredths: int) -> int:
    """patents per 10,000 people, in hundredths, rounded half up: patents / (pop / 100) * 100."""
    return (2 * patents * 10_000 + population_hundredths) // (2 * population_hundredths)


@dataclass
class CityValues:
    owners: dict[str, int]  # owner key -> count
    population: int  # hundredths of ten thousand people
    patents: int | None = None  # when owners are not printed, the count itself

    @property
    def total(self) -> int:
        return sum(self.owners.values()) if self.patents is None else self.patents


@dataclass
class RegionTable:
    """The printed table: `rows` are canonical region names in print order, `columns` column keys."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], str]  # (row, column) -> raw text as printed
    labels: dict[str, str] = field(default_factory=dict)  # row -> printed label (an alias)
    extra: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # unknown columns: header, row -> raw
    title: str = TITLE

    @classmethod
    def build(
        cls,
        values: dict[str, CityValues],
        rows: list[str],
        columns: list[str],
        others: dict[str, int] | None = None,
        labels: dict[str, str] | None = None,
    ) -> RegionTable:
        """Compute every printed cell. `values` has every city a printed parent needs; `others` are the
        owner counts of the Others row (its population and ratio are printed "/")."""
        owners_printed = all(o in columns for o in OWNERS)

        def totals(names: list[str]) -> tuple[dict[str, int], int, int]:
            own = {o: sum(values[n].owners.get(o, 0) for n in names) for o in OWNERS}
            return own, sum(values[n].total for n in names), sum(values[n].population for n in names)

        cells: dict[tuple[str, str], str] = {}
        for row in rows:
            if row == OTHERS:
                own = dict(others or {})
                total, population = sum(own.values()), None
            elif row == PROVINCE:
                own, total, population = totals(CITIES)
                for o, v in (others or {}).items():
                    own[o] += v
                total += sum((others or {}).values())
            elif row in AREAS:
                own, total, population = totals(AREAS[row])
            else:
                own, total, population = totals([row])
            for col in columns:
                if col in OWNERS:
                    raw = count(own.get(col, 0))
                elif col == "patents":
                    raw = count(total)
                elif col == "population":
                    raw = MISSING if population is None else hundredths(population)
                elif col == "per10k":
                    raw = MISSING if population is None else hundredths(ratio_hundredths(total, population))
                else:
                    raise ValueError(f"unknown column key {col!r}")
                cells[(row, col)] = raw
        if not owners_printed and any(o in columns for o in OWNERS):
            raise ValueError("owner columns are printed all together or not at all")
        return cls(list(rows), list(columns), cells, dict(labels or {}))

    # --- printed form -----------------------------------------------------------------------------
    def label(self, row: str) -> str:
        return self.labels.get(row, row)

    def header(self, wrap: bool = True) -> list[list[str]]:
        names = WRAPPED if wrap else {}
        first_owner = next((c for c in self.columns if c in OWNERS), None)
        top = ["Region"]
        bottom = [""]
        for col in self.columns:
            if col in OWNERS:
                top.append(OWNER_GROUP if col == first_owner else "")
                bottom.append(names.get(col, OWNER_HEADERS[col]))
            else:
                top.append(names.get(col, HEADERS[col]))
                bottom.append("")
        for name, _ in self.extra:
            top.append(name)
            bottom.append("")
        return [top, bottom] if any(bottom) else [top]

    def header_paths(self) -> list[str]:
        paths = ["Region"]
        for col in self.columns:
            paths.append(f"{OWNER_GROUP} / {OWNER_HEADERS[col]}" if col in OWNERS else HEADERS[col])
        return paths + [name for name, _ in self.extra]

    def body(self) -> list[list[str]]:
        return [
            [self.label(r)] + [self.cells[(r, c)] for c in self.columns] + [e.get(r, "") for _, e in self.extra]
            for r in self.rows
        ]

    def spec(self, wrap: bool = True, **kw) -> TableSpec:
        """The pdfgen spec; `wrap` prints long header texts over several lines, as the paper does."""
        return TableSpec(header=self.header(wrap), body=self.body(), title=self.title, unit=UNIT, **kw)

    # --- positions and changes --------------------------------------------------------------------
    def position(self, row: str, column: str) -> tuple[int, int]:
        """0-based (body row, column) of a cell; column 0 is the region label."""
        return self.rows.index(row), 1 + self.columns.index(column)

    def with_extra_column(self, name: str, city_values: dict[str, int], others: int = 0) -> RegionTable:
        """A copy with one more column (a count the profile does not declare), consistent like the rest."""
        other = copy.deepcopy(self)
        printed: dict[str, str] = {}
        for row in self.rows:
            if row == OTHERS:
                value = others
            elif row == PROVINCE:
                value = sum(city_values[c] for c in CITIES) + others
            elif row in AREAS:
                value = sum(city_values[c] for c in AREAS[row])
            else:
                value = city_values[row]
            printed[row] = count(value)
        other.extra.append((name, printed))
        return other

    def planted(self, row: str, column: str, raw: str) -> RegionTable:
        """A copy with one printed cell replaced."""
        other = copy.deepcopy(self)
        other.cells[(row, column)] = raw
        return other


def random_values(rnd, cities=CITIES, owners: bool = True) -> dict[str, CityValues]:
    """Plausible city values from a `random.Random`: owner counts (or one count), population in hundredths."""
    values = {}
    for city in cities:
        population = rnd.randint(30_000, 150_000)
        if owners:
            own = {o: rnd.randint(0, 90_000) if o == "enterprises" else rnd.randint(0, 9_000) for o in OWNERS}
            values[city] = CityValues(own, population)
        else:
            values[city] = CityValues({}, population, patents=rnd.randint(1_000, 150_000))
    return values


def random_others(rnd) -> dict[str, int]:
    return {o: rnd.randint(0, 60) for o in OWNERS}


def ordered_rows(order: str, rnd=None, regions: bool = True, others: bool = True) -> list[str]:
    """Every row of a full region table in one of the orders real editions use:
    `cities_first` (cities, Others, regions, province: the 2023 paper), `regions_first` (province,
    regions, then cities, Others), `grouped` (province, then each region followed by its cities),
    `shuffled` (any order, from `rnd`)."""
    areas = list(AREAS) if regions else []
    tail = [OTHERS] if others else []
    if order == "cities_first":
        rows = CITIES + tail + areas + [PROVINCE]
    elif order == "regions_first":
        rows = [PROVINCE] + areas + CITIES + tail
    elif order == "grouped":
        rows = [PROVINCE] + [r for a in AREAS for r in ([a] if regions else []) + AREAS[a]] + tail
    elif order == "shuffled":
        rows = CITIES + tail + areas + [PROVINCE]
        rnd.shuffle(rows)
    else:
        raise ValueError(f"unknown row order {order!r}")
    return rows


def cell_id(table_id: str, position: tuple[int, int]) -> str:
    """The tidy cell id (normalise.tidy) of a 0-based (body row, column) position."""
    return f"{table_id}:r{position[0] + 1}:c{position[1] + 1}"


# --- the pure pipeline ----------------------------------------------------------------------------
@dataclass
class PipelineResult:
    tables: list
    table_ids: list[str]
    cells: object
    findings: object
    summary: object
    warnings: list[str]


@dataclass
class Extracted:
    """One document up to validation: tables, their ids, tidy cells and prose facts."""

    tables: list
    table_ids: list[str]
    cells: object
    facts: object
    warnings: list[str]


def extract_cells(pdf_path, profile=PROFILE, doc_id: str = "doc", id_prefix: str = "") -> Extracted:
    """What the flow's extract and normalise tasks do. `id_prefix` keeps table (and so cell) ids apart
    when several documents are validated together."""
    from extractors.reader import extract_document
    from normalise.tidy import cells_frame, facts_frame, table_ids

    extract = extract_document(pdf_path)
    ids = [id_prefix + i for i in table_ids(extract.tables)]
    cells = cells_frame(doc_id, extract.tables, ids, profile)
    facts = facts_frame(doc_id, extract.facts)
    return Extracted(extract.tables, ids, cells, facts, extract.warnings)


def validate_extracted(documents: list[Extracted], profile=PROFILE, context=None):
    """What the flow's validate task does, for one or more documents at once (every rule is local to a
    table or a paragraph, so documents with distinct ids do not interact)."""
    import pandas as pd

    from expectations.prose.prose_rules import fact_equations
    from expectations.prose.prose_terms import fact_intervals, fact_labels
    from expectations.validation import validate_document

    if len(documents) > 1 and any(len(d.facts) for d in documents):
        raise ValueError("fact ids are per document: validate documents with prose facts one at a time")
    cells = pd.concat([d.cells for d in documents], ignore_index=True)
    prose, intervals, labels = [], {}, {}
    for d in documents:
        if len(d.facts):
            prose += fact_equations(d.facts, d.cells, profile)
            intervals.update(fact_intervals(d.facts))
            labels.update(fact_labels(d.facts))
    return validate_document(
        cells,
        profile,
        extra_equations=prose,
        extra_intervals=intervals,
        extra_labels=labels,
        context=context,
        run_name="doc",
    )


def run_pipeline(pdf_path, profile=PROFILE, context=None) -> PipelineResult:
    """What the flow's extract, normalise and validate tasks do, as plain function calls."""
    extracted = extract_cells(pdf_path, profile)
    validation = validate_extracted([extracted], profile, context)
    return PipelineResult(
        extracted.tables,
        extracted.table_ids,
        extracted.cells,
        validation.findings,
        validation.summary,
        extracted.warnings,
    )
