"""Parse numbers as printed in statistical reports, keeping what was printed and what was wrong with it.

A printed number is also a rounding interval: "62.15" means a value in [62.145, 62.155). The
`half_unit` of a parsed number is that half-width; integers are exact counts unless the caller says
the column is rounded.

Examples: "529,185" -> 529185; "12.00%" -> 12.0 (percent); "−3.5" and "(3.5)" -> -3.5;
"/" or "—" -> missing (not zero); "4,5120" -> 45120 with a format problem; "1,683.2" -> 1683.2.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Text that stands for "no value" in a table cell. Missing is not zero.
MISSING_MARKS = frozenset({"/", "—", "–", "-", "−", "——", "…", "...", "n/a", "na", "n.a.", "x", "*", ""})
MINUS_SIGNS = "-−–‒﹣－"  # hyphen, minus, en dash, figure dash, small/full-width hyphen-minus
THOUSANDS_SEPARATORS = ",，"
FOOTNOTE_MARKS = "*†‡"

# Sign, digits possibly with separators, optional decimals, optional percent.
_NUMBER_RE = re.compile(
    r"^(?P<sign>[" + re.escape(MINUS_SIGNS) + r"+])?"
    r"(?P<int>\d[\d" + THOUSANDS_SEPARATORS + r"]*)?"
    r"(?P<frac>\.\d+)?"
    r"(?P<pct>\s?%)?$"
)
_WELL_GROUPED_RE = re.compile(r"^\d{1,3}(,\d{3})+$")


@dataclass(frozen=True)
class ParsedNumber:
    """What a printed number means. `value` is None when missing or not a number."""

    raw: str
    value: float | None
    status: str  # "ok" | "missing" | "text" (not a number)
    decimals: int = 0
    percent: bool = False
    grouped: bool = False  # printed with thousands separators
    format_issue: str = ""  # non-empty when the printed form is malformed but still readable

    @property
    def half_unit(self) -> float:
        """Half of the last printed digit's unit: the rounding radius of a printed decimal."""
        return 0.5 * 10.0 ** (-self.decimals) if self.decimals else 0.0

    @property
    def is_number(self) -> bool:
        return self.value is not None


def _clean(raw: str) -> str:
    text = raw.replace("\u00a0", " ").replace("\u2009", " ").strip()
    text = text.rstrip(FOOTNOTE_MARKS).strip()
    # Spaces inside a number come from in-cell line breaks or justified spacing ("1, 234").
    return re.sub(r"(?<=[\d,.])\s+(?=[\d,.])", "", text)


def parse_number(raw: str | None) -> ParsedNumber:
    """Parse one printed number. Never raises; malformed-but-readable input is flagged, not lost."""
    original = "" if raw is None else str(raw)
    text = _clean(original)
    if text.lower() in MISSING_MARKS:
        return ParsedNumber(raw=original, value=None, status="missing")

    negative = False
    if text.startswith("(") and text.endswith(")"):
        # Accounting notation: (3.5) is -3.5.
        negative, text = True, text[1:-1].strip()
    match = _NUMBER_RE.match(text)
    if not match or not (match.group("int") or match.group("frac")):
        return ParsedNumber(raw=original, value=None, status="text")

    sign = match.group("sign") or ""
    if sign and sign != "+":
        negative = not negative
    int_part = match.group("int") or "0"
    frac = match.group("frac") or ""
    percent = bool(match.group("pct"))

    int_part = int_part.replace("，", ",")
    grouped = "," in int_part
    issue = ""
    if grouped and not _WELL_GROUPED_RE.match(int_part):
        issue = f"malformed thousands separator in {original.strip()!r}"
    digits = int_part.replace(",", "")
    value = float(digits + frac) if frac else float(int(digits))
    if negative:
        value = -value
    return ParsedNumber(
        raw=original,
        value=value,
        status="ok",
        decimals=len(frac) - 1 if frac else 0,
        percent=percent,
        grouped=grouped,
        format_issue=issue,
    )


def needs_grouping(number: ParsedNumber) -> bool:
    """True when a number is large enough that a separator-using column would print one."""
    return number.is_number and abs(number.value) >= 1000 and not number.grouped


# Integers below this print in full with separators; larger ones would be noise digits of a float.
MAX_FULL_INTEGER = 1e15
DEFAULT_DISPLAY_DECIMALS = 4


def format_number(
    value: float | None,
    decimals: int | None = None,
    significant: int | None = None,
    percent: bool = False,
    missing: str = "?",
) -> str:
    """A number for people to read (messages, the report): the one display formatter.

    `decimals` prints that many decimals (a printed number's own precision: 8.41, not 8.405296745);
    `significant` rounds to that many significant digits (a recomputed value with no printed
    precision); neither: integers in full with separators, other values with up to four decimals.
    Thousands separators always; `missing` for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    value = float(value)
    sign = "%" if percent else ""
    if decimals is not None:
        return f"{value:,.{max(decimals, 0)}f}{sign}"
    if value.is_integer() and abs(value) < MAX_FULL_INTEGER:
        return f"{int(value):,}{sign}"
    if significant is not None:
        return f"{value:,.{significant}g}{sign}"
    return f"{value:,.{DEFAULT_DISPLAY_DECIMALS}f}".rstrip("0").rstrip(".") + sign
