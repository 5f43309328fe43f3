"""What a font's name says about its weight: the one bold test for table words and prose lines."""

from __future__ import annotations

import re
from functools import cache

# Most fonts spell the weight out ("Arial,Bold", "Helvetica-Bold", "SourceHanSans-Heavy"); some
# producers abbreviate the style suffix to ",B" or "-B".
BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi|,b$|-b$", re.IGNORECASE)


@cache
def is_bold_font(fontname: str) -> bool:
    """True for a bold (or heavier) font; cached, since every glyph of a page asks."""
    return bool(BOLD_FONT_RE.search(fontname))
