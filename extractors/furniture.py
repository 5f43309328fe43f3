"""Page furniture: running heads and feet, and page numbers (folios), told apart from content.

The prose reader drops furniture lines; the table stitcher lets a table run on past them to the next
page and never takes one for a table's title. Both use these definitions:

- the margin band: the top and bottom `MARGIN_BAND` of the page's height. 8 % stays inside a 25 mm
  (A4) or 1 inch (US Letter) page margin, so the first and last body lines of a page are not in it;
- a furniture key: the text lower-cased, spaces collapsed and digit runs blanked, so that
  "White Paper 2023 — 6" and "White Paper 2023 — 7" have one key;
- running keys: keys of margin lines printed on at least `REPEAT_SHARE` of the pages (and on at
  least the caller's minimum number of pages);
- a folio: a line that is only a page number in any decoration ("— 6 —", "Page 6", "6 / 19", "vi").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

MARGIN_BAND = 0.08  # share of the page height, at the top and at the bottom
REPEAT_SHARE = 0.5  # a margin text printed on at least this share of the pages is running
FOLIO_RE = re.compile(r"^[\W_]*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of)\s*\d{1,4})?[\W_]*$", re.IGNORECASE)
DIGITS_RE = re.compile(r"\d+")
SPACES_RE = re.compile(r"\s+")


def in_margin(top: float, bottom: float, page_top: float, page_bottom: float, band: float = MARGIN_BAND) -> bool:
    """Does a line from `top` to `bottom` reach into the page's top or bottom margin band?"""
    reach = band * (page_bottom - page_top)
    return top < page_top + reach or bottom > page_bottom - reach


def furniture_key(text: str) -> str:
    """Running heads repeat with another page number: compare them with digits blanked."""
    return DIGITS_RE.sub("#", SPACES_RE.sub(" ", text.strip().lower()))


def is_folio(text: str) -> bool:
    return bool(FOLIO_RE.match(text.strip()))


def running_keys(keys_by_page: Iterable[Iterable[str]], n_pages: int, min_pages: int) -> set[str]:
    """Keys of margin lines (one iterable per page) printed on most pages: running heads and feet."""
    counts: Counter[str] = Counter()
    for keys in keys_by_page:
        counts.update(set(keys))
    needed = max(min_pages, REPEAT_SHARE * n_pages)
    return {key for key, n in counts.items() if n >= needed}


def is_furniture(text: str, keys: set[str]) -> bool:
    """A margin line that is a folio or one of the running keys."""
    return is_folio(text) or furniture_key(text) in keys
