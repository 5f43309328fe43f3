"""Which columns each header text of a borderless table covers.

Header lines are read bottom-up. Every column starts as its own *unit*; a header text covers the
units its letters overlap. A text that crosses a unit boundary is a spanning heading: it reaches
over the neighbouring units nearer to it than to any other text on its line, as far as it stays
centred over them (within `CENTRE_SHARE` of the range width); a text that fits inside one column is
that column's (wrapped) heading. A text that spans several
units makes them one unit for the lines above, so "Women" over "Hispanic | non-Hispanic" (each
over "no. | Rate | (95% CI)") spans all six columns. The row-label column joins a span only when
the text overlaps it. A short rule under a heading (booktabs style) decides its span outright: the
columns under the rule. The rule is right under the text, or lower when the heading's row is
taller than the text (a neighbouring cell wraps over more lines) and no header text lies between
the heading and the rule over the rule's extent.
"""

from __future__ import annotations

from typing import Protocol

CENTRE_SHARE = 0.1  # allowed off-centre distance, as a share of the candidate range's width
CENTRE_SLACK = 2.0  # plus this many points
RULE_UNDER_GAP = 1.5  # a rule at most this far (x size) under a header text belongs to it
SPAN_RULE_MAX_SHARE = 0.9  # ... unless it runs across (nearly) the whole table
LEVEL_GAP_RATIO = 0.6  # header lines this far apart (x size) are two levels, closer ones one cell

Extent = tuple[float, float]


class Piece(Protocol):
    c0: int
    c1: int

    @property
    def top(self) -> float: ...

    @property
    def bottom(self) -> float: ...

    @property
    def size(self) -> float: ...

    @property
    def x0(self) -> float: ...

    @property
    def x1(self) -> float: ...


def _gap(a: Extent, x0: float, x1: float) -> float:
    return max(0.0, max(a[0], x0) - min(a[1], x1))


def _overlaps(a: Extent | None, x0: float, x1: float) -> bool:
    return a is not None and min(a[1], x1) - max(a[0], x0) > 0


def _crosses(g: Piece, a: float, b: float) -> bool:
    return g.x1 > a and g.x0 < b


def _rule_under(f: Piece, hrules: list, width: float, lower: list[Piece]) -> tuple[float, float] | None:
    """A short horizontal rule under a header text and wider than it (a spanner's rule; a rule
    across the whole table separates header from body instead). It is drawn right under the text,
    or further down when the text's header row is taller than the text (a neighbour wraps over more
    lines): then the rule lies between the text and its sub-headings, with no header text of the
    lower lines (`lower`) between the two over the rule's extent and some under the rule."""
    best = None
    for r in hrules:
        below = r.pos - f.bottom
        if r.b - r.a >= SPAN_RULE_MAX_SHARE * width or r.a > f.x0 + 1 or r.b < f.x1 - 1:
            continue
        inside = [g for g in lower if _crosses(g, r.a, r.b)]
        near = -1.0 <= below <= RULE_UNDER_GAP * f.size
        far = below > 0 and not any(g.top < r.pos for g in inside) and bool(inside)
        if (near or far) and (best is None or below < best[0]):
            best = (below, (r.a, r.b))
    return best[1] if best else None


def place_header(
    frag_lines: list[list[Piece]],
    extents: list[Extent | None],
    seps: list[float],
    left: float,
    right: float,
    hrules: list | None = None,
) -> None:
    """Set c0/c1 of every header piece (lines top to bottom in `frag_lines`). A rule drawn under a
    header text decides its span outright: the columns whose text lies within the rule."""
    n = len(extents)
    bounds = [left] + list(seps) + [right]
    ext = list(extents)
    units: list[tuple[int, int]] = [(c, c) for c in range(n)]

    def unit_ext(u: tuple[int, int]) -> Extent | None:
        es = [ext[c] for c in range(u[0], u[1] + 1) if ext[c] is not None]
        return (min(e[0] for e in es), max(e[1] for e in es)) if es else None

    below_top: float | None = None  # top of the nearest header line under the current one
    has_below = [False] * n  # columns with header text on a lower line
    lower: list[Piece] = []  # header texts of the lines under the current one
    for frags in reversed(frag_lines):
        if not frags:
            continue
        line_bottom = max(f.bottom for f in frags)
        size = max(f.size for f in frags)
        # a heading that fits over one column still spans its neighbours when the line under it
        # is set apart like the next header level, not tight like its own wrapped second line
        apart = below_top is not None and below_top - line_bottom >= LEVEL_GAP_RATIO * size
        below_top = min(f.top for f in frags)
        uext = [unit_ext(u) for u in units]
        overlapped = [[i for i, e in enumerate(uext) if _overlaps(e, f.x0, f.x1)] for f in frags]
        # the row-label column neither is spanned nor spans from a distance, and neither does a
        # heading that fits inside its own column
        # ... and a spanning heading has sub-headings under it: a heading over columns with no
        # header text below is a column heading set across all header lines, and spans nothing
        subs = [
            all(any(has_below[c] for c in range(units[i][0], units[i][1] + 1)) for i in ov) if ov else False
            for ov in overlapped
        ]
        stay = [
            any(units[i][0] == 0 for i in ov) or (_fits_one(ov, units, bounds, f) and not apart) or not subs[k]
            for k, (ov, f) in enumerate(zip(overlapped, frags))
        ]
        owner: list[int | None] = []
        for i, u in enumerate(units):
            e = uext[i] or (bounds[u[0]], bounds[u[1] + 1])
            under = any(has_below[c] for c in range(u[0], u[1] + 1))
            best, best_d = None, None
            for k, f in enumerate(frags):
                if i not in overlapped[k] and (u[0] == 0 or stay[k] or not under):
                    continue
                d = _gap(e, f.x0, f.x1)
                if best_d is None or d < best_d:
                    best, best_d = k, d
            owner.append(best)
        new_units = list(units)
        for k, f in enumerate(frags):
            mine = [i for i in range(len(units)) if owner[i] == k]
            core = overlapped[k] or _nearest(units, bounds, f)
            lo, hi = _best_range(mine, core, units, bounds, f, apart)
            rule = _rule_under(f, hrules or [], right - left, lower)
            if rule is not None and any(g is not f and _crosses(g, *rule) for g in frags):
                rule = None  # one rule under several headings separates levels, it spans none
            if rule is not None:
                under = [
                    i for i, e in enumerate(uext) if e is not None and rule[0] - 1 <= (e[0] + e[1]) / 2 <= rule[1] + 1
                ]
                if len(under) >= 2 and min(under) <= min(core) and max(under) >= max(core):
                    lo, hi = min(under), max(under)
            f.c0, f.c1 = units[lo][0], units[hi][1]
            if hi > lo:
                for i in range(lo, hi + 1):
                    new_units[i] = (units[lo][0], units[hi][1])
        units = sorted(set(new_units))
        lower.extend(frags)
        for f in frags:
            for c in range(f.c0, f.c1 + 1):
                has_below[c] = True
        for f in frags:  # single-column header text widens its column for the lines above
            if f.c0 == f.c1:
                e = ext[f.c0]
                ext[f.c0] = (f.x0, f.x1) if e is None else (min(e[0], f.x0), max(e[1], f.x1))


def _nearest(units: list[tuple[int, int]], bounds: list[float], f: Piece) -> list[int]:
    mid = (f.x0 + f.x1) / 2
    for i, u in enumerate(units):
        if bounds[u[0]] <= mid <= bounds[u[1] + 1]:
            return [i]
    return [min(range(len(units)), key=lambda i: abs((bounds[units[i][0]] + bounds[units[i][1] + 1]) / 2 - mid))]


def _fits_one(core: list[int], units: list[tuple[int, int]], bounds: list[float], f: Piece) -> bool:
    if len(core) != 1:
        return False
    u = units[core[0]]
    return bounds[u[0]] - 1 <= f.x0 and f.x1 <= bounds[u[1] + 1] + 1


def _best_range(
    mine: list[int], core: list[int], units: list[tuple[int, int]], bounds: list[float], f: Piece, apart: bool = False
) -> tuple[int, int]:
    """Widest contiguous run of units (inside `mine`, holding `core`) that centres the text."""
    lo_core, hi_core = min(core), max(core)
    if _fits_one(core, units, bounds, f) and not apart:
        return lo_core, hi_core  # fits its own column: a (wrapped) column heading, not a spanner
    allowed = set(mine) | set(core)
    lo_min = lo_core
    while lo_min - 1 in allowed:
        lo_min -= 1
    hi_max = hi_core
    while hi_max + 1 in allowed:
        hi_max += 1
    mid = (f.x0 + f.x1) / 2
    best = None
    for lo in range(lo_core, lo_min - 1, -1):
        for hi in range(hi_core, hi_max + 1):
            a, b = bounds[units[lo][0]], bounds[units[hi][1] + 1]
            off = abs((a + b) / 2 - mid)
            if off <= CENTRE_SHARE * (b - a) + CENTRE_SLACK:
                key = (-(units[hi][1] - units[lo][0]), off)
                if best is None or key < best[0]:
                    best = (key, lo, hi)
    if best is None:
        return lo_core, hi_core
    return best[1], best[2]
