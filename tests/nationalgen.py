"""National-shape tables of the national office's profile (expectations/publishers/cnipa.yaml), printed one
region per row as the tidy rows of its bulletins: values drawn at random, every derived number computed.

    table = NationalTable.build(rnd, order="total_first", cities=True, optional_regions=True)
    table.planted("Shenzhen", "design", "9,999")   # one printed cell changed
    table.spec(rules="grid")                         # a tests.pdfgen TableSpec (rules="none": borderless)

    editions = monthly_series(rnd, [(2015, 3), (2016, 2), (2016, 3)])   # consistent monthly bulletins
    render_bulletin(path, editions[(2016, 3)])       # title page ("Patent Statistics Monthly", "March 2016")

By-type tables: invention + utility model + design = total in every row; the national total is the sum of
the provinces, Hong Kong, Macao, Taiwan and Others; a sub-provincial city (an "of which" member, printed
right after its province with no label cue) holds part of its province's counts and is in no sum.

Monthly bulletins: monthly total, yearly total (this year's months so far), year-on-year growth rate of the
monthly total against the same month a year earlier (2 decimals), and the total since the start of the
series; the national row is the sum of the provinces in every count column.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from normalise.periods import MONTHS
from normalise.profile import PUBLISHERS_DIR, load_profile
from tests.pdfgen import BOLD, SIZE, TableSpec, _draw_table, _Writer

PROFILE = load_profile(PUBLISHERS_DIR / "cnipa.yaml")
TREE = PROFILE.hierarchy
ROOT = TREE.root.name
PROVINCES = [r.name for r in TREE.at_level("province")]
SPECIAL = [r.name for r in TREE.at_level("region")]  # Hong Kong, Macao, Taiwan: optional
OTHERS = "Others"
CITIES = {p: [c.name for c in TREE.parts_of_which(p)] for p in PROVINCES}
TYPES = ["invention", "utility_model", "design"]
TYPE_HEADERS = {"invention": "Invention", "utility_model": "Utility Model", "design": "Design", "total": "Total"}
BY_TYPE_TITLE = "Table 2 Patent Grants by Region and Type"
MONTHLY_TITLE = "Table 1 Patent Applications by Region"
MONTHLY_HEADERS = ["Region", "Monthly Total", "Yearly Total", "Year-on-year Growth Rate (%)", "Total"]
UNIT = "piece"
GROWTH_PER_YEAR = 0.08


def count(value: int) -> str:
    return f"{value:,}"


# --- by region and type ---------------------------------------------------------------------------------
@dataclass
class NationalTable:
    rows: list[str]  # canonical names in print order
    columns: list[str]  # TYPES + ["total"]
    cells: dict[tuple[str, str], str]
    title: str = BY_TYPE_TITLE

    @classmethod
    def build(
        cls, rnd, order: str = "total_first", cities: bool = True, optional_regions: bool = True, others: bool = True
    ) -> NationalTable:
        """`order`: total_first | total_last; `cities`: each province's "of which" cities right after it;
        `optional_regions`: print Hong Kong, Macao, Taiwan; `others`: print the Others row."""
        values: dict[str, dict[str, int]] = {}
        for province in PROVINCES:
            values[province] = {t: rnd.randint(2_000, 90_000) for t in TYPES}
            for city in CITIES[province]:
                share = rnd.uniform(0.1, 0.45)  # several cities of one province stay below it together
                values[city] = {t: int(values[province][t] * share) for t in TYPES}
        printed_special = SPECIAL if optional_regions else [s for s in SPECIAL if s == "Taiwan"]
        for name in printed_special:
            values[name] = {t: rnd.randint(5, 900) for t in TYPES}
        if others:
            values[OTHERS] = {t: rnd.randint(0, 40) for t in TYPES}
        summed = PROVINCES + printed_special + ([OTHERS] if others else [])
        values[ROOT] = {t: sum(values[n][t] for n in summed) for t in TYPES}
        body = [r for p in PROVINCES for r in ([p] + (CITIES[p] if cities else []))] + printed_special
        body += [OTHERS] if others else []
        rows = [ROOT, *body] if order == "total_first" else [*body, ROOT]
        columns = [*TYPES, "total"]
        cells = {}
        for row in rows:
            for t in TYPES:
                cells[(row, t)] = count(values[row][t])
            cells[(row, "total")] = count(sum(values[row].values()))
        return cls(rows, columns, cells)

    def planted(self, row: str, column: str, raw: str) -> NationalTable:
        other = copy.deepcopy(self)
        other.cells[(row, column)] = raw
        return other

    def value(self, row: str, column: str) -> int:
        return int(self.cells[(row, column)].replace(",", ""))

    def body(self) -> list[list[str]]:
        return [[row] + [self.cells[(row, c)] for c in self.columns] for row in self.rows]

    def spec(self, **kw) -> TableSpec:
        header = [["Region", *(TYPE_HEADERS[c] for c in self.columns)]]
        return TableSpec(header=header, body=self.body(), title=self.title, unit=UNIT, **kw)

    def position(self, row: str, column: str) -> tuple[int, int]:
        """0-based (body row, column) of a cell; column 0 is the region label."""
        return self.rows.index(row), 1 + self.columns.index(column)


# --- monthly bulletins ----------------------------------------------------------------------------------
@dataclass
class Bulletin:
    """One monthly edition: per region (monthly, yearly, growth printed, total since start) as printed."""

    year: int
    month: int
    rows: dict[str, list[str]] = field(default_factory=dict)  # region -> [monthly, yearly, growth, total]

    @property
    def title_lines(self) -> list[str]:
        return ["Patent Statistics Monthly", f"{MONTHS[self.month - 1].capitalize()} {self.year}"]

    def planted(self, region: str, column: int, raw: str) -> Bulletin:
        """A copy with one printed value changed (column 0 monthly, 1 yearly, 2 growth, 3 total)."""
        other = copy.deepcopy(self)
        other.rows[region][column] = raw
        return other

    def spec(self, **kw) -> TableSpec:
        body = [[region, *values] for region, values in self.rows.items()]
        return TableSpec(header=[MONTHLY_HEADERS], body=body, title=MONTHLY_TITLE, unit=UNIT, **kw)


def _growth(now: int, before: int) -> str:
    return f"{(now / before - 1) * 100:.2f}"


def monthly_series(rnd, editions: list[tuple[int, int]], start: tuple[int, int] = (2014, 1)) -> dict:
    """Consistent bulletins for the (year, month) editions asked, from one monthly history per province
    starting at `start` (every month drawn, so yearly totals and running totals agree across editions)."""
    last = max(editions)
    months: list[tuple[int, int]] = []
    year, month = start
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    # Each province files at its own level, growing 8% a year, +-10% from month to month, and had filed
    # 5 to 10 years' worth before the series starts.
    level = {p: rnd.randint(2_000, 30_000) for p in PROVINCES}
    base = {p: level[p] * rnd.randint(60, 120) for p in PROVINCES}
    flows = {
        p: {(y, m): round(level[p] * (1 + GROWTH_PER_YEAR * (y - start[0])) * rnd.uniform(0.9, 1.1)) for y, m in months}
        for p in PROVINCES
    }
    out = {}
    for year, month in editions:
        rows = {}
        for region in [ROOT, *PROVINCES]:
            members = PROVINCES if region == ROOT else [region]
            monthly = sum(flows[p][(year, month)] for p in members)
            yearly = sum(flows[p][(year, m)] for p in members for m in range(1, month + 1))
            total = sum(base[p] + sum(v for ym, v in flows[p].items() if ym <= (year, month)) for p in members)
            before = sum(flows[p].get((year - 1, month), 0) for p in members)
            growth = _growth(monthly, before) if before else "/"
            rows[region] = [count(monthly), count(yearly), growth, count(total)]
        out[(year, month)] = Bulletin(year, month, rows)
    return out


def render_bulletin(path, bulletin: Bulletin, **spec_kw) -> None:
    """A title page (publication name, month and year), then the table on the next page."""
    w = _Writer(str(path), (595.27, 841.89), furniture=False)
    w.y -= 200
    for line in bulletin.title_lines:
        w.text(line, BOLD, 18, "centre")
    w.text("China National Intellectual Property Administration", BOLD, SIZE + 4, "centre")
    w.new_page()
    _draw_table(w, bulletin.spec(**spec_kw), prose=True)
    w.c.save()
