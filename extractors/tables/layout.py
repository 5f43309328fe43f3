"""Glyphs → words → text lines → chunks: the text layer every later step reads.

A *word* is glyphs without a space between them; a *text line* is words that overlap vertically; a
*chunk* is a run of words in one line separated by ordinary word spaces (a table cell's line, a
caption, a prose line). Column gutters are whitespace wider than a word space, so they only ever
fall between chunks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .settings import TableSettings

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b$|-b$", re.IGNORECASE)
LEADER_CHARS = frozenset(".·…_")


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


def dedupe_chars(chars: list[dict], tolerance: float) -> list[dict]:
    """Drop a glyph drawn again (fake bold, shadow) at nearly the same place with the same text."""
    if tolerance <= 0:
        return list(chars)
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in chars:
        ix, iy = int(c["x0"] // tolerance), int(c["top"] // tolerance)
        text = c["text"]
        if any((text, ix + dx, iy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((text, ix, iy))
        out.append(c)
    return out


def _strip_leaders(row: list[dict], min_dots: int) -> list[dict]:
    """Remove runs of leader dots ("All ages . . . . 123"), keeping dots inside numbers."""
    keep = [True] * len(row)
    i = 0
    while i < len(row):
        if row[i]["text"] in LEADER_CHARS:
            j, dots = i, 0
            while j < len(row) and (row[j]["text"] in LEADER_CHARS or not row[j]["text"].strip()):
                dots += row[j]["text"] in LEADER_CHARS
                j += 1
            if dots >= min_dots:
                for k in range(i, j):
                    keep[k] = False
            i = j
        else:
            i += 1
    return [c for c, k in zip(row, keep) if k]


def _row_to_words(row: list[dict], settings: TableSettings) -> list[Word]:
    words: list[Word] = []
    cur: list[dict] = []

    def flush() -> None:
        if cur:
            size = max(c["size"] for c in cur)
            words.append(Word(
                text="".join(c["text"] for c in cur),
                x0=min(c["x0"] for c in cur), top=min(c["top"] for c in cur),
                x1=max(c["x1"] for c in cur), bottom=max(c["bottom"] for c in cur),
                size=size, bold=bool(BOLD_FONT.search(cur[0]["fontname"])),
            ))
            cur.clear()

    for c in row:
        if not c["text"].strip():
            flush()
            continue
        if cur:
            prev = cur[-1]
            gap = c["x0"] - prev["x1"]
            if gap > settings.word_gap_ratio * max(c["size"], prev["size"]) or c["x0"] < prev["x0"] - 0.5:
                flush()
        cur.append(c)
    flush()
    return words


def chars_to_words(chars: list[dict], settings: TableSettings) -> list[Word]:
    """Upright glyphs → words (leaders dropped). Rotated glyphs are left out of table structure."""
    upright = [c for c in chars if c.get("upright", True) and c["text"]]
    upright = dedupe_chars(upright, settings.dedupe_tolerance)
    upright.sort(key=lambda c: (c["top"], c["x0"]))
    words: list[Word] = []
    row: list[dict] = []
    row_top = None
    for c in upright:
        tol = max(1.0, 0.25 * c["size"])
        if row and abs(c["top"] - row_top) > tol:
            row.sort(key=lambda ch: ch["x0"])
            words.extend(_row_to_words(_strip_leaders(row, settings.leader_min_dots), settings))
            row = []
        if not row:
            row_top = c["top"]
        row.append(c)
    if row:
        row.sort(key=lambda ch: ch["x0"])
        words.extend(_row_to_words(_strip_leaders(row, settings.leader_min_dots), settings))
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
    lines = [_make_line(g, settings) for g in groups]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _make_line(words: list[Word], settings: TableSettings) -> TextLine:
    words = sorted(words, key=lambda w: w.x0)
    sizes = sorted(w.size for w in words)
    line = TextLine(words=words, x0=words[0].x0, x1=max(w.x1 for w in words),
                    top=min(w.top for w in words), bottom=max(w.bottom for w in words),
                    size=sizes[len(sizes) // 2])
    line.chunks = words_to_chunks(words, settings.chunk_gap_ratio)
    return line


def words_to_chunks(words: list[Word], gap_ratio: float) -> list[Chunk]:
    """Split a line's words (sorted by x) where the gap is wider than an ordinary word space."""
    chunks: list[Chunk] = []
    cur = [words[0]]
    for w in words[1:]:
        prev = cur[-1]
        if w.x0 - prev.x1 > gap_ratio * max(w.size, prev.size):
            chunks.append(Chunk(cur))
            cur = [w]
        else:
            cur.append(w)
    chunks.append(Chunk(cur))
    return chunks
