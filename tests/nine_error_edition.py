"""A synthetic edition with nine planted misprints of known kinds, for the error localisation.

    edition = NineErrorEdition()        # tests.edition_gen's 2024 edition, then nine numbers misprinted
    render_edition(path, edition)       # (tests.edition_gen) title page, prose page, the two tables
    edition.planted                     # what was changed: name, row label, column, printed, true, kind

The edition is consistent before planting (tests.edition_gen), and each misprint breaks rules of its own:

 1 Wuxi, Number of Valid Invention Patents: two adjacent digits swapped              digit swap
 2 Middle Jiangsu, Research Institutions (a region subtotal): one digit wrong         one wrong digit
 3 Yancheng, patents per 10,000 people (a ratio): one digit wrong                     one wrong digit
 4 Lianyungang, Research Institutions: a digit too many                               extra digit
 5 Northern Jiangsu, Enterprises and its row total both off by the same amount        one cause, two cells
 6 Changzhou, Colleges and Universities: a digit dropped                              missing digit
 7 the IC table's Entire province (the table's only rule): one digit wrong            ambiguous, total first
 8 prose: the growth rate of valid invention patents, one digit wrong                 one wrong digit
 9 prose: the share of enterprises, two adjacent digits swapped                       digit swap
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.edition_gen import Edition, _count

# Columns of the per-10,000 table as Edition.per10k_rows prints them.
POP, TOTAL, RATIO, COLLEGES, RESEARCH, ENTERPRISES = 1, 2, 3, 4, 5, 6
COLUMN_IDS = {
    POP: "population",
    TOTAL: "valid_invention_patents",
    RATIO: "invention_patents_per_10k",
    COLLEGES: "patents_colleges",
    RESEARCH: "patents_research",
    ENTERPRISES: "patents_enterprises",
}
IC_COLUMN = "ic_layout_registrations"


@dataclass(frozen=True)
class Planted:
    name: str
    row: str  # the row label as printed ("" for prose)
    column: str  # the profile's column id, or the prose number's role
    printed: str
    true: str
    kind: str  # the repair kind the localisation should name


def _digits(text: str) -> str:
    return text.replace(",", "").replace(".", "")


def _like(template: str, digits: str) -> str:
    """`digits` printed the way `template` is (separators, decimals)."""
    if "." in template:
        decimals = len(template.rpartition(".")[2])
        return f"{int(digits) / 10**decimals:,.{decimals}f}"
    return _count(int(digits))


def swap_digits(text: str) -> str:
    """Two adjacent distinct digits exchanged, as far right as possible but not the last one."""
    d = _digits(text)
    for i in range(len(d) - 3, -1, -1):
        if d[i] != d[i + 1] and not (i == 0 and d[1] == "0"):
            return _like(text, d[:i] + d[i + 1] + d[i] + d[i + 2 :])
    raise ValueError(f"no two distinct adjacent digits in {text!r}")


def wrong_digit(text: str, position: int = -2) -> str:
    """One digit changed (the tens digit by default) without a carry."""
    d = list(_digits(text))
    d[position] = str(int(d[position]) + 1) if d[position] != "9" else "8"
    return _like(text, "".join(d))


def extra_digit(text: str) -> str:
    d = _digits(text)
    return _like(text, d + d[-1])


def missing_digit(text: str) -> str:
    d = _digits(text)
    return _like(text, d[:1] + d[2:])


@dataclass
class NineErrorEdition(Edition):
    consistent_offset: int = 10  # the two-cell error: a part and its total off by this much
    planted: list[Planted] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._rows = super().per10k_rows()
        self._ic = super().ic_rows()
        self._sentences = self._true_sentences()
        self._plant_tables()
        self._plant_prose()

    # --- printed forms ----------------------------------------------------------------------------
    def per10k_rows(self) -> list[list[str]]:
        return [list(r) for r in self._rows]

    def ic_rows(self) -> list[list[str]]:
        return [list(r) for r in self._ic]

    @property
    def sentences(self) -> list[str]:
        return list(self._sentences)

    def _true_sentences(self) -> list[str]:
        pop, parts = self.province
        total = sum(parts)
        shares = [f"{p / total * 100:.2f}%" for p in parts]
        breakdown = (
            f"As of the end of {self.year}, Jiangsu recorded {_count(total)} valid invention patents, including "
            f"{_count(parts[0])} ({shares[0]}) owned by colleges and universities, {_count(parts[1])} ({shares[1]}) "
            f"by research institutions, {_count(parts[2])} ({shares[2]}) by enterprises, {_count(parts[3])} "
            f"({shares[3]}) by government agencies and organizations, and {_count(parts[4])} ({shares[4]}) by "
            f"individuals."
        )
        growth = (
            f"Jiangsu recorded {_count(total)} valid invention patents at the end of {self.year}, an increase of "
            f"{_count(total - 529185)}, up {(total - 529185) / 529185 * 100:.2f}% year on year."
        )
        return [growth, breakdown]

    # --- planting ---------------------------------------------------------------------------------
    def _row(self, label: str) -> list[str]:
        return next(r for r in self._rows if r[0] == label)

    def _plant(self, name: str, row: list[str], column: int, printed: str, kind: str) -> None:
        self.planted.append(Planted(name, row[0], COLUMN_IDS[column], printed, row[column], kind))
        row[column] = printed

    def _plant_tables(self) -> None:
        wuxi = self._row("Wuxi")
        self._plant("wuxi_total_swap", wuxi, TOTAL, swap_digits(wuxi[TOTAL]), "digit swap")
        middle = self._row("Middle Jiangsu")
        self._plant("middle_research", middle, RESEARCH, wrong_digit(middle[RESEARCH], -1), "one wrong digit")
        yancheng = self._row("Yancheng")
        self._plant("yancheng_ratio", yancheng, RATIO, wrong_digit(yancheng[RATIO], -2), "one wrong digit")
        lianyungang = self._row("Lianyungang")
        self._plant("lianyungang_research", lianyungang, RESEARCH, extra_digit(lianyungang[RESEARCH]), "extra digit")
        changzhou = self._row("Changzhou")
        self._plant("changzhou_colleges", changzhou, COLLEGES, missing_digit(changzhou[COLLEGES]), "missing digit")
        northern = self._row("Northern Jiangsu")
        offset = self._offset_keeping_ratio(northern)
        for column in (ENTERPRISES, TOTAL):
            value = int(northern[column].replace(",", "")) + offset
            self._plant("northern_pair", northern, column, _count(value), "one wrong digit")
        province = self._ic[-1]
        printed = wrong_digit(province[1], -2)
        self.planted.append(Planted("ic_province", province[0], IC_COLUMN, printed, province[1], "one wrong digit"))
        province[1] = printed

    def _offset_keeping_ratio(self, row: list[str]) -> int:
        """The two-cell error moves the row total by an amount its printed ratio still rounds to."""
        total, pop = int(row[TOTAL].replace(",", "")), float(row[POP].replace(",", ""))
        for offset in (self.consistent_offset, -self.consistent_offset, 2 * self.consistent_offset):
            if f"{(total + offset) / pop:.2f}" == row[RATIO]:
                return offset
        raise ValueError("no offset keeps the row's ratio; choose another consistent_offset")

    def _plant_prose(self) -> None:
        growth, breakdown = self._sentences
        rate = growth.rpartition("up ")[2].split("%")[0]
        wrong = wrong_digit(rate, -3)  # the units digit: 11.32 -> 12.32
        self.planted.append(Planted("growth_rate", "", "growth", wrong, rate, "one wrong digit"))
        growth = growth.replace(f"up {rate}%", f"up {wrong}%")
        share = breakdown.split(" by enterprises")[0].rpartition("(")[2].rstrip(")%")
        swapped = swap_digits(share)
        self.planted.append(Planted("enterprise_share", "", "share", swapped, share, "digit swap"))
        breakdown = breakdown.replace(f"({share}%) by enterprises", f"({swapped}%) by enterprises")
        self._sentences = [growth, breakdown]
