"""Generate a synthetic edition of the Jiangsu IPR white paper (reportlab): a title page, a page of
prose with year-on-year statements, the per-10,000-people region table and the cumulative IC layout
table, with numbers derived from the 2023 paper so that the two editions can be compared.

    from tests.edition_gen import Edition, render_edition
    edition = Edition(year=2024)             # every count grown by 10%, Suqian's enterprises x2.5
    render_edition("/tmp/jiangsu-ipr-2024.pdf", edition)
    edition.province_total, edition.sentences  # what was printed

The region table is internally consistent (row sums, region sums, ratios) so that every finding on it
comes from the comparison with the previous edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from tests.pdfgen import header_spans
from tests.regions import HEADER as PER10K_HEADER

FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE, LEADING, PAD, MARGIN = 7.0, 8.5, 2.5, 40.0

# The 2023 paper's printed values (city -> population, colleges, research, enterprises, government, individuals).
BASE_YEAR = 2023
BASE_CITIES = {
    "Nanjing": (949.11, 60458, 6418, 68461, 2116, 1878),
    "Wuxi": (749.08, 9131, 1830, 43482, 673, 857),
    "Xuzhou": (901.85, 7275, 68, 22358, 153, 640),
    "Changzhou": (536.62, 6671, 715, 28490, 670, 552),
    "Suzhou": (1291.06, 7011, 3290, 117715, 515, 1368),
    "Nantong": (774.35, 2880, 662, 39579, 966, 1033),
    "Lianyungang": (460.05, 547, 204, 6313, 153, 319),
    "Huai'an": (455.31, 1738, 135, 4423, 430, 181),
    "Yancheng": (668.97, 1791, 150, 15326, 135, 357),
    "Yangzhou": (458.29, 3239, 276, 11938, 95, 326),
    "Zhenjiang": (322.22, 8798, 255, 12916, 204, 304),
    "Taizhou": (450.56, 275, 29, 14993, 140, 817),
    "Suqian": (497.53, 78, 52, 4162, 39, 157),
}
BASE_OTHERS = (2, 1, 72, 0, 3)
BASE_PROVINCE_TOTAL = 529185  # as printed in 2023 (its regions add up to 529,288)
BASE_PROVINCE_PER_10K = 62.15
BASE_IC = {
    "Nanjing": 3689,
    "Wuxi": 3229,
    "Xuzhou": 179,
    "Changzhou": 417,
    "Suzhou": 3151,
    "Nantong": 605,
    "Lianyungang": 190,
    "Huai'an": 61,
    "Yancheng": 107,
    "Yangzhou": 129,
    "Zhenjiang": 59,
    "Taizhou": 32,
    "Suqian": 17,
}
REGIONS = {
    "Southern Jiangsu": ["Nanjing", "Wuxi", "Changzhou", "Suzhou", "Zhenjiang"],
    "Middle Jiangsu": ["Nantong", "Yangzhou", "Taizhou"],
    "Northern Jiangsu": ["Xuzhou", "Lianyungang", "Huai'an", "Yancheng", "Suqian"],
}
CITY_ORDER = [
    "Nanjing",
    "Wuxi",
    "Xuzhou",
    "Changzhou",
    "Suzhou",
    "Nantong",
    "Lianyungang",
    "Huai'an",
    "Yancheng",
    "Yangzhou",
    "Zhenjiang",
    "Taizhou",
    "Suqian",
]
IC_HEADER = [["Prefecture-level City", "Cumulative registrations of layout designs of integrated circuits"]]


def _count(value: int) -> str:
    return f"{value:,}"


@dataclass
class Edition:
    """The numbers of one synthetic edition. `growth` scales every count; `jumps` multiplies one city's
    enterprises column further; `ic_changes` adds to the cumulative IC registrations of a city."""

    year: int = 2024
    growth: float = 1.10
    population_growth: float = 1.005
    jumps: dict[str, float] = field(default_factory=lambda: {"Suqian": 2.5})
    ic_changes: dict[str, int] = field(default_factory=lambda: {"Suqian": -4})
    # The growth rate printed for patents per 10,000 people; None prints the true one.
    per_10k_growth_printed: float | None = 15.0
    marker: str = ""  # printed on the title page: changes the file without changing its numbers

    def __post_init__(self) -> None:
        self.cities: dict[str, tuple[float, list[int]]] = {}
        for city, (pop, *parts) in BASE_CITIES.items():
            grown = [round(p * self.growth) for p in parts]
            grown[2] = round(grown[2] * self.jumps.get(city, 1.0))
            self.cities[city] = (round(pop * self.population_growth, 2), grown)
        self.others = [round(p * self.growth) for p in BASE_OTHERS]
        self.regions = {
            name: (
                round(sum(self.cities[c][0] for c in cities), 2),
                [sum(self.cities[c][1][k] for c in cities) for k in range(5)],
            )
            for name, cities in REGIONS.items()
        }
        pop = round(sum(p for p, _ in self.regions.values()), 2)
        parts = [sum(r[1][k] for r in self.regions.values()) + self.others[k] for k in range(5)]
        self.province = (pop, parts)
        self.ic = {city: round(v * self.growth) + self.ic_changes.get(city, 0) for city, v in BASE_IC.items()}

    @property
    def province_total(self) -> int:
        return sum(self.province[1])

    @property
    def province_per_10k(self) -> float:
        return round(self.province_total / self.province[0], 2)

    @property
    def total_growth(self) -> float:
        """The true growth of valid invention patents against the previous edition's printed total."""
        return round((self.province_total / BASE_PROVINCE_TOTAL - 1) * 100, 2)

    @property
    def per_10k_growth(self) -> float:
        return round((self.province_per_10k / BASE_PROVINCE_PER_10K - 1) * 100, 2)

    @property
    def sentences(self) -> list[str]:
        printed = self.per_10k_growth if self.per_10k_growth_printed is None else self.per_10k_growth_printed
        return [
            (
                f"As of the end of {self.year}, Jiangsu recorded {_count(self.province_total)} "
                "valid invention patents, "
                f"an increase of {_count(self.province_total - BASE_PROVINCE_TOTAL)}, up {self.total_growth:.2f}% "
                f"year on year."
            ),
            (
                f"The number of invention patents per 10,000 people reached {self.province_per_10k:.2f} in Jiangsu, "
                f"up {printed:.2f}% year on year."
            ),
        ]

    def per10k_rows(self) -> list[list[str]]:
        def row(label: str, pop: float | None, parts: list[int]) -> list[str]:
            total = sum(parts)
            pop_text = "/" if pop is None else f"{pop:,.2f}"
            ratio = "/" if pop is None else f"{total / pop:.2f}"
            return [label, pop_text, _count(total), ratio, *(_count(p) for p in parts)]

        rows = [row(c, *self.cities[c]) for c in CITY_ORDER]
        rows.append(row("Others", None, self.others))
        rows += [row(name, *self.regions[name]) for name in REGIONS]
        rows.append(row("Jiangsu", *self.province))
        return rows

    def ic_rows(self) -> list[list[str]]:
        return [[c, _count(self.ic[c])] for c in CITY_ORDER] + [["Entire province", _count(sum(self.ic.values()))]]


class _Page:
    def __init__(self, c: canvas.Canvas, year: int):
        self.c, self.year = c, year
        self.w, self.h = A4
        self.y = self.h - MARGIN

    def running_head(self, number: int) -> None:
        self.c.setFont(FONT, 7)
        self.c.drawCentredString(
            self.w / 2,
            self.h - 24,
            f"White Paper of Development and Protection of Intellectual Property of Jiangsu in {self.year}",
        )
        self.c.drawCentredString(self.w / 2, 20, f"— {number} —")

    def line(self, text: str, font: str = FONT, size: float = 10.0, centre: bool = False) -> None:
        self.c.setFont(font, size)
        if centre:
            self.c.drawCentredString(self.w / 2, self.y - size, text)
        else:
            self.c.drawString(MARGIN, self.y - size, text)
        self.y -= size * 1.5

    def paragraph(self, text: str, size: float = 10.0) -> None:
        line = ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if stringWidth(trial, FONT, size) > self.w - 2 * MARGIN:
                self.line(line, size=size)
                line = word
            else:
                line = trial
        if line:
            self.line(line, size=size)
        self.y -= 4


def _draw_text(c: canvas.Canvas, text: str, x0: float, x1: float, top: float, font: str, align: str) -> None:
    c.setFont(font, SIZE)
    for i, s in enumerate(text.split("\n")):
        base = top - PAD - (i + 1) * LEADING + 2.0
        if align == "right":
            c.drawRightString(x1 - PAD, base, s)
        elif align == "centre":
            c.drawCentredString((x0 + x1) / 2, base, s)
        else:
            c.drawString(x0 + PAD, base, s)


def _draw_table(
    page: _Page, title: str, header: list[list[str]], body: list[list[str]], widths: list[float], notes: list[str]
) -> None:
    c = page.c
    xs = [(page.w - sum(widths)) / 2]
    for width in widths:
        xs.append(xs[-1] + width)
    page.line(title, BOLD, 9, centre=True)
    c.setFont(FONT, SIZE)
    c.drawRightString(xs[-1], page.y - SIZE, "Unit: piece")
    page.y -= SIZE * 1.6
    heights = [max(len(t.split("\n")) for t in row) * LEADING + 2 * PAD for row in header]
    ys = [page.y]
    for h in heights:
        ys.append(ys[-1] - h)
    for r0, r1, c0, c1, text in header_spans(header):
        c.rect(xs[c0], ys[r1 + 1], xs[c1 + 1] - xs[c0], ys[r0] - ys[r1 + 1])
        _draw_text(c, text, xs[c0], xs[c1 + 1], ys[r0], BOLD, "centre")
    y = ys[-1]
    row_h = LEADING + 2 * PAD
    for row in body:
        for k, text in enumerate(row):
            c.rect(xs[k], y - row_h, xs[k + 1] - xs[k], row_h)
            _draw_text(c, text, xs[k], xs[k + 1], y, FONT, "left" if k == 0 else "right")
        y -= row_h
    page.y = y - 6
    for note in notes:
        page.line(note, size=7)
    page.y -= 12


def render_edition(path, edition: Edition) -> None:
    """Write the edition as a 3-page PDF: title page, prose page, table page."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    page = _Page(c, edition.year)
    page.y = page.h / 2 + 60
    page.line("White Paper of Development and Protection", BOLD, 18, centre=True)
    page.line(f"of Intellectual Property of Jiangsu in {edition.year}", BOLD, 18, centre=True)
    page.line("Intellectual Property Office of Jiangsu Province", FONT, 12, centre=True)
    if edition.marker:
        page.line(edition.marker, FONT, 8, centre=True)
    c.showPage()

    page = _Page(c, edition.year)
    page.running_head(2)
    page.y -= 20
    page.line("(I) Invention Patents", BOLD, 11)
    page.paragraph(
        f"In {edition.year}, the province continued to improve the quality of patent examination and "
        f"the protection of rights, and the figures below summarise the results reported by each "
        f"region at the end of the year."
    )
    page.paragraph(" ".join(edition.sentences))
    c.showPage()

    page = _Page(c, edition.year)
    page.running_head(3)
    page.y -= 20
    _draw_table(
        page,
        f"Number of Invention Patents per 10,000 People by Region in Jiangsu in {edition.year}",
        PER10K_HEADER,
        edition.per10k_rows(),
        [72, 48, 50, 52, 58, 54, 54, 56, 52],
        [f"Note: 1. Source of total population: Jiangsu Statistical Yearbook {edition.year}"],
    )
    _draw_table(
        page,
        f"Cumulative Number of Registrations of Layout Designs of Integrated Circuits in Jiangsu in {edition.year}",
        IC_HEADER,
        edition.ic_rows(),
        [120, 280],
        [],
    )
    c.showPage()
    c.save()
