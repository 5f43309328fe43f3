"""A table set beside running text: cut the text column away before reading the table.

Text lines run across the whole page, so a table in one column of a two-column page comes with the
neighbouring column's prose on the same lines. When most of a region's lines end with a chunk of
running text (several words, nearly all alphabetic) that starts right of everything else the
region holds, the region stops before it.
"""

from __future__ import annotations

from .settings import TableSettings
from .text_lines import TextLine, make_line

SIDE_MIN_WORDS = 4  # a chunk of running text has at least this many words ...
SIDE_ALPHA_SHARE = 0.7  # ... and this share of them alphabetic
SIDE_LINE_SHARE = 0.5  # this share of the multi-chunk lines ends in such a chunk


def _texty(chunk) -> bool:
    words = chunk.words
    if len(words) < SIDE_MIN_WORDS:
        return False
    alpha = sum(1 for w in words if sum(ch.isalpha() for ch in w.text) >= 2 and not any(ch.isdigit() for ch in w.text))
    return alpha >= SIDE_ALPHA_SHARE * len(words)


def side_text_cut(lines: list[TextLine]) -> float | None:
    """x where running text beside the table begins, or None."""
    multi = [ln for ln in lines if len(ln.chunks) >= 2]
    if len(multi) < 3:
        return None
    starts = sorted(ln.chunks[-1].x0 for ln in multi if _texty(ln.chunks[-1]))
    if len(starts) < SIDE_LINE_SHARE * len(multi):
        return None
    cut = starts[0]
    # everything else the region holds must end left of the cut
    table_right = max((c.x1 for ln in lines for c in ln.chunks if c.x0 < cut - 1), default=cut)
    return cut if table_right < cut else None


def cut_lines(lines: list[TextLine], cut: float, settings: TableSettings) -> list[TextLine]:
    out = []
    for ln in lines:
        words = [w for w in ln.words if w.x0 < cut - 1]
        if words:
            out.append(make_line(words, settings) if len(words) < len(ln.words) else ln)
    return out
