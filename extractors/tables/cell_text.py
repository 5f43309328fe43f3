"""Small text predicates shared by the table steps (numbers, years, captions, notes, units)."""

from __future__ import annotations

import re
import unicodedata


def text_key(text: str) -> str:
    """A text compared as a header or heading is: spacing collapsed, lower case."""
    return " ".join(text.split()).lower()


NUMERIC_EXTRA = set(".,%()+-\u2212\u2013\u2014$\u20ac\u00a3\u00a5*'\u2019/:")
YEAR = re.compile(r"^(FY ?)?(1[89]|20)\d\d([-\u2013\u2014/](\d\d|(1[89]|20)\d\d))?[a-z*]?$")
CAPTION_RE = re.compile(
    r"^\s*(table|tab\.|exhibit|figure|fig\.|chart|graph|schedule|annex\s+table)\s*"
    r"([A-Z]{1,2}[-.\u2013]?\s?)?[\dIVXLivxl]+([.\-][\d]+)*[A-Za-z]?([.:\-\u2013\u2014]|\s|$)",
    re.IGNORECASE,
)
UNIT = re.compile(
    r"^\s*[\(\[]?\s*(unit|units|in|currency|measure)\s*[:：]\s*(?P<unit>.+?)\s*[\)\]]?\s*$", re.IGNORECASE
)
UNIT_PAREN = re.compile(
    r"^\s*[\(\[]\s*(?P<unit>(in|numbers in|amounts in|values in|percent|per cent|%)"
    r"[^\)\]]*)[\)\]]\s*$",
    re.IGNORECASE,
)
NOTE_RE = re.compile(r"^\s*(notes?|sources?|remarks?|abbreviations?|footnotes?|n\.b\.|nb)\b\s*[:.\-]?", re.IGNORECASE)
NUMBERED = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[a-z][.)]|[*\u2020\u2021\u00a7#])\s*\S")
FOOTNOTE = re.compile(
    r"^\s*([*\u2020\u2021\u00a7\u00b6#]{1,3}\s*|([a-z]|\d{1,2}|\(\d{1,2}\)|\([a-z]\)|\d{1,2}[.)]|[a-z][.)])\s)"
    r"\s*[A-Za-z(]"
)
CONNECTORS = frozenset("and or of the in for to with by from on at as a an & - , / ( per than".split())
CONTINUED = re.compile(r"\b(continued|cont'd|cont\.|concluded)\b", re.IGNORECASE)


def is_numeric(text: str) -> bool:
    """A number: digits plus only separators, sign, currency, percent or brackets."""
    t = "".join(unicodedata.normalize("NFKC", text).split())
    if not any(ch.isdigit() for ch in t):
        return False
    return all(ch.isdigit() or ch in NUMERIC_EXTRA for ch in t)


def is_placeholder(text: str) -> bool:
    """Typical empty-value marks in statistical tables."""
    t = text.strip()
    return t in {
        "-",
        "\u2013",
        "\u2014",
        "/",
        "..",
        "...",
        "\u2026",
        "x",
        "n/a",
        "na",
        "(X)",
        "(NA)",
        "(D)",
        "(S)",
        "(Z)",
        "*",
        "\u2020",
        "(B)",
        "NA",
        "N/A",
        ":",
        "(*)",
        "\u2012",
        "nil",
    }


def is_value(text: str) -> bool:
    return is_numeric(text) or is_placeholder(text)


def is_year(text: str) -> bool:
    return bool(YEAR.match(text.strip()))


FIGURE = re.compile(
    r"^\s*(figure|fig\.|chart|graph|map|diagram)\s*([A-Z]{1,2}[-.\u2013]?\s?)?[\dIVXivx]+"
    r"([.\-][\d]+)*[A-Za-z]?([.:\-\u2013\u2014]|\s|$)",
    re.IGNORECASE,
)


def is_figure_caption(text: str) -> bool:
    return bool(FIGURE.match(text))


def is_caption(text: str) -> bool:
    return bool(CAPTION_RE.match(text))


def unit_of(text: str) -> str | None:
    """ "Unit: piece" → "piece"; "(in thousands)" → "in thousands"; otherwise None."""
    m = UNIT.match(text)
    if m and len(text) < 80:
        return m.group("unit").strip()
    m = UNIT_PAREN.match(text)
    if m:
        return m.group("unit").strip()
    return None


def is_note(text: str) -> bool:
    return bool(NOTE_RE.match(text))


def is_footnote_line(chunk_texts: list[str]) -> bool:
    """A footnote under a table: a marker ("*", "a", "1", "(2)") and then words, and no figures."""
    text = " ".join(chunk_texts)
    if not FOOTNOTE.match(text) or len(text.split()) < 4:
        return False
    return not any(is_value(t) for t in chunk_texts[1:])


def is_numbered(text: str) -> bool:
    return bool(NUMBERED.match(text))


def ends_open(text: str) -> bool:
    """Text that visibly continues on the next line (hyphen, comma, open bracket, connector)."""
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in "-,/(&\u2013":
        return True
    if t.count("(") > t.count(")"):
        return True
    return t.split()[-1].lower() in CONNECTORS


def starts_lower(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and t[0].islower()
