"""Editions as periods: a year, a quarter or a month, read from the title pages with the profile's patterns.

    read_period(head_text, patterns) -> (Period, series) | None   the first pattern that matches
    Period(2015, month=3).key == "2015-03"; Period(2023).key == "2023"; Period(2012, quarter=1).key == "2012-Q1"
    period.years_earlier(1)         the same period a year earlier (year on year)
    without_period_words(title)     "Patent Grants by Region, January 2015" -> "Patent Grants by Region, "

A series is what editions of one publisher are compared within: the pattern's declared `series`, else
the period's kind (monthly bulletins and yearly papers of one publisher are two series).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_NUMBERS = (
    {name: i for i, name in enumerate(MONTHS, start=1)}
    | {name[:3]: i for i, name in enumerate(MONTHS, start=1)}
    | {"sept": 9}
)
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
KIND_YEAR, KIND_QUARTER, KIND_MONTH = "year", "quarter", "month"
YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")
KEY_RE = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d\d))?$")
# Words that name a period in a title: years, month names (abbreviations only before a dot or a year),
# quarters, and the dashes of ranges between them ("January-March 2015").
_MONTH_ALT = "|".join(MONTHS)
_ABBR_ALT = "|".join(sorted({m[:3] for m in MONTHS} | {"sept"}, key=len, reverse=True))
PERIOD_WORDS_RE = re.compile(
    rf"\b(?:(?:{_MONTH_ALT})\b|(?:{_ABBR_ALT})(?:\.|\b(?=\s*(?:19|20)\d\d))|"
    r"q[1-4]\b|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b|(?:19|20)\d\d\b)"
    r"(?:\s*[-–—~]\s*(?=\w))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.month is not None and self.quarter is not None:
            raise ValueError("a period is a month or a quarter, not both")

    @property
    def kind(self) -> str:
        return KIND_MONTH if self.month else KIND_QUARTER if self.quarter else KIND_YEAR

    @property
    def key(self) -> str:
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.key

    @property
    def ordinal(self) -> int:
        """Orders periods of one kind: consecutive periods differ by 1."""
        if self.month:
            return self.year * 12 + self.month - 1
        if self.quarter:
            return self.year * 4 + self.quarter - 1
        return self.year

    def years_earlier(self, years: int = 1) -> Period:
        return Period(self.year - years, self.month, self.quarter)

    def is_before(self, other: Period) -> bool:
        return self.kind == other.kind and self.ordinal < other.ordinal

    @classmethod
    def from_key(cls, key: str) -> Period | None:
        match = KEY_RE.match(str(key or "").strip())
        if not match:
            return None
        year, quarter, month = match.groups()
        return cls(int(year), int(month) if month else None, int(quarter) if quarter else None)


def _month(text: str) -> int | None:
    text = text.strip().lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return MONTH_NUMBERS.get(text) or MONTH_NUMBERS.get(text[:3])


def _quarter(text: str) -> int | None:
    text = text.strip().lower().removeprefix("q")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 4 else None
    return QUARTER_WORDS.get(text) or ROMAN.get(text)


def period_from_match(match: re.Match) -> Period | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month = _month(groups["month"]) if groups.get("month") else None
    quarter = _quarter(groups["quarter"]) if groups.get("quarter") else None
    if (groups.get("month") and month is None) or (groups.get("quarter") and quarter is None):
        return None
    return Period(year, month, None if month else quarter)


def read_period(text: str, patterns) -> tuple[Period, str] | None:
    """(period, series) from the first pattern (profile_model.PeriodPattern) that matches `text`."""
    for spec in patterns:
        for match in re.finditer(spec.pattern, text, flags=re.IGNORECASE):
            period = period_from_match(match)
            if period is not None:
                return period, spec.series or period.kind
    return None


def most_common_year(text: str) -> Period | None:
    """The fallback edition: the year printed most often in the first pages."""
    years = Counter(YEAR_RE.findall(text))
    return Period(int(years.most_common(1)[0][0])) if years else None


def without_period_words(title: str) -> str:
    """The title with the words that name its period blanked, so that a table keeps its identity across
    editions ("... by Region, January 2015" and "... by Region, March 2016" are one table)."""
    return PERIOD_WORDS_RE.sub(" ", title)
