"""Words broken across lines in narrow header cells without a hyphen ("Univer" over "sities") re-joined.

A header cell's line ends with a fragment and the next line starts with a lowercase one; they are one
word when the joined form is a word the same document prints elsewhere (its vocabulary: every word of
every page outside table headers, whose own fragments prove nothing). Body cells are never touched:
a value's text stays as printed.
"""

from __future__ import annotations

import re

from .grid import Grid, cell_lines
from .text_lines import Word

WORD_RE = re.compile(r"[^\W\d_]{2,}")  # letters only: the vocabulary's words


def vocabulary(words: list[Word]) -> set[str]:
    """Lowercase letter-only words printed on a page."""
    return {m.group(0).lower() for w in words for m in WORD_RE.finditer(w.text)}


TAIL_RE = re.compile(r"[^\W\d_]+$")  # a fragment's letters at the end of a line ("(Univer" -> "Univer")
HEAD_RE = re.compile(r"^[^\W\d_]+")  # ... and at the start of the next ("sities)" -> "sities")


def _broken(a: str, b: str, vocab: set[str]) -> bool:
    """Is `a` (a line's last word) + `b` (the next line's first) one word broken without a hyphen? The
    joined form must be in the vocabulary, and not both halves too ("with" "in"): then it stays."""
    tail, head = TAIL_RE.search(a), HEAD_RE.match(b)
    if not tail or not head or not head.group(0)[0].islower():
        return False
    left, right = tail.group(0).lower(), head.group(0).lower()
    return (left + right) in vocab and not (left in vocab and right in vocab)


def rejoin_header_words(grid: Grid, vocab: set[str]) -> None:
    """Join, in place, a header cell's line-final fragment with the next line's first when the joined
    word is in `vocab` (the words printed outside table headers): the fragment keeps its box and takes
    the joined text, the second is dropped."""
    for cell in grid.cells:
        if cell.r0 >= grid.header_rows or len(cell.words) < 2:
            continue
        lines = cell_lines(cell.words)
        drop: set[int] = set()
        for upper, lower in zip(lines, lines[1:]):
            a, b = upper[-1], lower[0]
            if id(a) not in drop and _broken(a.text, b.text, vocab):
                upper[-1] = Word(a.text + b.text, a.x0, a.top, a.x1, a.bottom, a.size, a.bold)
                cell.words[cell.words.index(a)] = upper[-1]
                drop.add(id(b))
        if drop:
            cell.words = [w for w in cell.words if id(w) not in drop]
