"""Columns of a borderless table: whitespace gutters that run through its rows.

A gutter is an x-interval that (almost) no chunk of a multi-chunk line covers, that is wider than
`min_gutter_ratio` x font size and that has text on both sides. A few chunks may cross a gutter (a
long row label running into the next column, a spanning header): they are tolerated when they are
a small share of the lines, and they become spanning cells later. A chunk that sits wholly inside
a would-be gutter is a sparse column, not a crossing, and splits the gutter.
"""

from __future__ import annotations

from .text_lines import Chunk, TextLine

Interval = tuple[float, float]


def chunks_to_gutters(chunks: list[Chunk], n_lines: int, min_width: float, cross_share: float) -> list[Interval]:
    """Gutters between the given chunks (all from multi-chunk lines of one table)."""
    if not chunks:
        return []
    tol = int(cross_share * n_lines)
    lo = min(c.x0 for c in chunks)
    hi = max(c.x1 for c in chunks)
    events: dict[float, int] = {}
    for c in chunks:
        events[c.x0] = events.get(c.x0, 0) + 1
        events[c.x1] = events.get(c.x1, 0) - 1
    xs = sorted(events)
    profile: list[tuple[float, float, int]] = []  # elementary intervals and their cover
    cover = 0
    for x, nxt in zip(xs, xs[1:]):
        cover += events[x]
        profile.append((x, nxt, cover))
    gutters: list[Interval] = []
    for a, b in _runs(profile, tol):
        for piece in _split_at_inner(a, b, chunks):
            if piece[1] - piece[0] >= min_width and piece[0] > lo and piece[1] < hi:
                gutters.append(_clear_part(piece, profile))
    return gutters


def _runs(profile: list[tuple[float, float, int]], tol: int) -> list[Interval]:
    runs: list[Interval] = []
    start = end = None
    for a, b, cover in profile:
        if cover <= tol:
            start = a if start is None else start
            end = b
        elif start is not None:
            runs.append((start, end))
            start = None
    if start is not None:
        runs.append((start, end))
    return runs


def _clear_part(gutter: Interval, profile: list[tuple[float, float, int]]) -> Interval:
    """The widest stretch of a tolerant gutter that no chunk crosses at all, if there is one: a
    wide number in one row must not put the separator inside it."""
    a, b = gutter
    clear = [(max(x0, a), min(x1, b)) for x0, x1, c in _merge_zero(profile) if min(x1, b) - max(x0, a) > 0.5]
    return max(clear, key=lambda iv: iv[1] - iv[0]) if clear else gutter


def _merge_zero(profile: list[tuple[float, float, int]]) -> list[tuple[float, float, int]]:
    return [(a, b, 0) for a, b in _runs(profile, 0)]


def _split_at_inner(a: float, b: float, chunks: list[Chunk]) -> list[Interval]:
    """Remove chunks that lie inside a..b (sparse columns) from the interval."""
    inner = sorted((c.x0, c.x1) for c in chunks if c.x0 >= a - 0.01 and c.x1 <= b + 0.01 and (c.x1 - c.x0) < (b - a))
    pieces: list[Interval] = []
    cur = a
    for x0, x1 in inner:
        if x0 > cur:
            pieces.append((cur, x0))
        cur = max(cur, x1)
    if cur < b:
        pieces.append((cur, b))
    return pieces


def lines_to_gutters(lines: list[TextLine], min_gutter_ratio: float, cross_share: float = 0.1) -> list[Interval]:
    """Gutters of a table from its lines; only lines with two or more chunks have a say."""
    multi = [ln for ln in lines if len(ln.chunks) >= 2]
    if not multi:
        return []
    sizes = sorted(ln.size for ln in multi)
    min_width = min_gutter_ratio * sizes[len(sizes) // 2]
    chunks = [c for ln in multi for c in ln.chunks]
    return bridged(chunks_to_gutters(chunks, len(multi), min_width, cross_share), multi)


def bridged(gutters: list[Interval], lines: list[TextLine]) -> list[Interval]:
    """Keep the gutters that some line has text on both sides of, next to it. Left-aligned marks
    ("/", "-") over right-aligned numbers leave a river inside one column that no line crosses
    from one side to the other."""
    gutters = sorted(gutters)
    changed = True
    while changed and gutters:
        changed = False
        seps = gutters_to_separators(gutters)
        for i in range(len(gutters)):
            if not any(_both_sides(ln, seps, i) for ln in lines):
                del gutters[i]
                changed = True
                break
    return gutters


def _both_sides(line: TextLine, seps: list[float], i: int) -> bool:
    cols = {column_of(c.x0, c.x1, seps) for c in line.chunks}
    return i in cols and i + 1 in cols


def gutters_to_separators(gutters: list[Interval]) -> list[float]:
    """One separator x per gutter: the middle of the whitespace."""
    return [(a + b) / 2 for a, b in gutters]


def span_of(x0: float, x1: float, seps: list[float]) -> tuple[int, int]:
    """Columns (first, last) an x-extent overlaps, given sorted column separators."""
    c0 = sum(1 for s in seps if s <= x0)
    c1 = sum(1 for s in seps if s < x1)
    return c0, max(c0, c1)


def column_of(x0: float, x1: float, seps: list[float]) -> int:
    mid = (x0 + x1) / 2
    return sum(1 for s in seps if s <= mid)
