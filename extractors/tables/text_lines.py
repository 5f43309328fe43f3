"""Glyphs → words → text lines → chunks: the text layer every later step reads.

A *word* is glyphs without a space between them; a *text line* is words that overlap vertically; a
*chunk* is a run of words in one line separated by ordinary word spaces (a table cell's line, a
caption, a prose line). Column gutters are whitespace wider than a word space, so they only ever
fall between chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fonts import is_bold_font
from .settings import TableSettings

LEADER_CHARS = frozenset(".·…_")
ROW_TOP_RATIO = 0.25  # glyphs whose tops differ by less than this (x size) are on one row


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Chunk:
    words: list[Word]
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class TextLine:
    words: list[Word]
    chunks: list[Chunk] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


# A glyph is handled as a tuple (top, x0, x1, bottom, size, text, fontname): sorting and scanning
# tuples is several times faster than dicts, and this loop sees every glyph of every page.
TOP, X0, X1, BOTTOM, SIZE, TEXT, FONT = range(7)


def _dedupe_row(row: list[tuple], tol: float) -> list[tuple]:
    """Drop a glyph drawn again (fake bold, shadow) at nearly the same place with the same text.
    `row` is sorted by x0, so a duplicate is among the last kept glyphs."""
    if tol <= 0:
        return row
    out: list[tuple] = []
    for c in row:
        dup = False
        for k in range(len(out) - 1, -1, -1):
            o = out[k]
            if c[X0] - o[X0] > tol:
                break
            if o[TEXT] == c[TEXT] and abs(o[TOP] - c[TOP]) <= tol:
                dup = True
                break
        if not dup:
            out.append(c)
    return out


def _strip_leaders(row: list[tuple], min_dots: int) -> list[tuple]:
    """Remove runs of leader dots ("All ages . . . . 123"), keeping dots inside numbers."""
    if not any(c[TEXT] in LEADER_CHARS for c in row):
        return row
    keep = [True] * len(row)
    i = 0
    while i < len(row):
        if row[i][TEXT] in LEADER_CHARS:
            j, dots = i, 0
            while j < len(row) and (row[j][TEXT] in LEADER_CHARS or not row[j][TEXT].strip()):
                dots += row[j][TEXT] in LEADER_CHARS
                j += 1
            if dots >= min_dots:
                for k in range(i, j):
                    keep[k] = False
            i = j
        else:
            i += 1
    return [c for c, k in zip(row, keep) if k]


def _row_to_words(row: list[tuple], ratio: float) -> list[Word]:
    words: list[Word] = []
    text: list[str] = []
    x0 = x1 = top = bottom = size = 0.0
    font = ""
    prev = None
    for c in row:
        t = c[TEXT]
        if not t.strip():
            prev = None
            if text:
                words.append(Word("".join(text), x0, top, x1, bottom, size, is_bold_font(font)))
                text = []
            continue
        if prev is not None and (c[X0] - prev[X1] > ratio * max(c[SIZE], prev[SIZE]) or c[X0] < prev[X0] - 0.5):
            words.append(Word("".join(text), x0, top, x1, bottom, size, is_bold_font(font)))
            text = []
        if not text:
            x0, x1, top, bottom, size, font = c[X0], c[X1], c[TOP], c[BOTTOM], c[SIZE], c[FONT]
        else:
            x1 = max(x1, c[X1])
            top = min(top, c[TOP])
            bottom = max(bottom, c[BOTTOM])
            size = max(size, c[SIZE])
        text.append(t)
        prev = c
    if text:
        words.append(Word("".join(text), x0, top, x1, bottom, size, is_bold_font(font)))
    return words


def chars_to_words(chars: list[dict], settings: TableSettings) -> list[Word]:
    """Upright glyphs → words (duplicates and leaders dropped). Rotated glyphs are left out."""
    glyphs = sorted(
        (c["top"], c["x0"], c["x1"], c["bottom"], c["size"], c["text"], c["fontname"])
        for c in chars
        if c["text"] and c.get("upright", True)
    )
    words: list[Word] = []
    ratio, tol, dots = settings.word_gap_ratio, settings.dedupe_tolerance, settings.leader_min_dots
    start = 0
    n = len(glyphs)
    while start < n:
        row_top = glyphs[start][TOP]
        end = start + 1
        while end < n and glyphs[end][TOP] - row_top <= max(1.0, ROW_TOP_RATIO * glyphs[end][SIZE]):
            end += 1
        row = sorted(glyphs[start:end], key=lambda g: g[X0])
        words.extend(_row_to_words(_strip_leaders(_dedupe_row(row, tol), dots), ratio))
        start = end
    return words


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return min(a_bottom, b_bottom) - max(a_top, b_top)


def words_to_lines(words: list[Word], settings: TableSettings) -> list[TextLine]:
    """Group words that overlap vertically into text lines, top to bottom; split lines into chunks."""
    groups: list[list[Word]] = []
    bands: list[list[float]] = []  # [top, bottom] of each group
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        h = max(w.height, 0.1)
        placed = False
        for gi in range(len(groups) - 1, max(-1, len(groups) - 4), -1):
            top, bottom = bands[gi]
            if _overlap(w.top, w.bottom, top, bottom) >= settings.line_overlap * min(h, bottom - top):
                groups[gi].append(w)
                bands[gi][0], bands[gi][1] = min(top, w.top), max(bottom, w.bottom)
                placed = True
                break
        if not placed:
            groups.append([w])
            bands.append([w.top, w.bottom])
    lines = [make_line(g, settings) for g in groups]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def make_line(words: list[Word], settings: TableSettings) -> TextLine:
    words = sorted(words, key=lambda w: w.x0)
    sizes = sorted(w.size for w in words)
    line = TextLine(
        words=words,
        x0=words[0].x0,
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        size=sizes[len(sizes) // 2],
    )
    line.chunks = words_to_chunks(words, settings.chunk_gap_ratio)
    return line


NUMBER_WORD = re.compile(r"^[(\[]?[-+\u2212\u2013$\u20ac\u00a3]?\d[\d.,]*%?[)\]]?[*\u2020\u2021]?$")
THOUSANDS_GROUP = re.compile(r"^\d{3}([.,]\d+)?%?[)\]]?$")


SPACE_GROUP_MAX_GAP = 0.5  # a thousands group follows at most this far (x size): "12 345"


def _numbers_apart(prev: Word, w: Word) -> bool:
    """Two numbers side by side are two cells, unless the right one is a thousands group of the
    left one ("12 345", "1 234 567"): three digits, close by, after bare digits."""
    if not (NUMBER_WORD.match(prev.text) and NUMBER_WORD.match(w.text)):
        return False
    grouped = (
        THOUSANDS_GROUP.match(w.text)
        and prev.text.isdigit()
        and len(prev.text) <= 3
        and w.x0 - prev.x1 <= SPACE_GROUP_MAX_GAP * max(prev.size, w.size)
    )
    return not grouped


def words_to_chunks(words: list[Word], gap_ratio: float) -> list[Chunk]:
    """Split a line's words (sorted by x) where the gap is wider than an ordinary word space, or
    between two separate numbers."""
    chunks: list[Chunk] = []
    cur = [words[0]]
    for w in words[1:]:
        prev = cur[-1]
        if w.x0 - prev.x1 > gap_ratio * max(w.size, prev.size) or _numbers_apart(prev, w):
            chunks.append(Chunk(cur))
            cur = [w]
        else:
            cur.append(w)
    chunks.append(Chunk(cur))
    return chunks
