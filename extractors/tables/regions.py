"""Where the tables are on a page: ruled grids, and runs of text lines that share column gutters.

Ruled regions are rule components with interior verticals. Text regions grow top to bottom from
lines with two or more chunks: a line joins the current region while the region keeps at least one
common gutter and the vertical gap stays small; label-only lines in between are kept; running text,
captions ("Table 3 ..."), unit lines and large gaps end a region. Lines just above a region that are
not running text or captions become its header lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cell_text import is_caption, is_footnote_line, is_note, is_value, text_key, unit_of
from .columns import Interval
from .header import header_line_count
from .rulings import Rule, rules_bbox, rules_to_components
from .settings import TableSettings
from .sidetext import cut_lines, side_text_cut
from .text_lines import Chunk, TextLine

LABEL_ALIGN = 3.0  # a row label starts this close (pt) to the other row labels
TITLE_CENTRE_SHARE = 0.1  # a title is centred on the table within this share of its width
HEADER_GAP_RATIO = 1.5  # a header line above a region sits at most this far (x size) above it
HEADER_OVERHANG = 0.1  # ... and reaches at most this share of the width past its sides
TOP_RULE_SHARE = 0.7  # a rule this wide above the header is the table's top rule
TRAILING_LABEL_SHARE = 0.5  # a label-only line after the last row ends in this share of the width
MAX_PENDING_SINGLES = 3  # this many label-only lines in a row end a text region
MAX_LINES_ABOVE = 6  # at most this many lines above a region are taken as its header
PROSE_ALPHA_SHARE = 0.7  # share of alphabetic words that makes a long chunk read as prose
PROSE_LINE_MIN_WORDS = 6  # running text: at least this many words on the line ...
PROSE_STOPWORD_SHARE = 0.15  # ... this share of them function words ("the", "of", "and")
STOPWORDS = frozenset(
    """the of and to in a an is are was were be been for on by with as at that this
which from or it its their has have had not but than these those into such also more""".split()
)
EVEN_GAP_RATIO = 1.6  # word gaps within this factor of the median are even (justified text)
WIDE_LINE_SHARE = 0.6  # a single chunk this wide (share of text width) is a prose line
CAPTION_WRAP_GAP = 0.6  # a single line this close (x size) under a caption continues it
INTERIOR_RULE_SHARE = 0.5  # an interior vertical must run along this share of the grid height


@dataclass
class Region:
    x0: float
    top: float
    x1: float
    bottom: float
    kind: str  # "ruled" or "text"
    lines: list[TextLine] = field(default_factory=list)
    header_hint: int = 0  # text regions: number of leading lines taken from above

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def _alpha_word(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 2 and not any(ch.isdigit() for ch in text)


def is_prose_chunk(chunk: Chunk, settings: TableSettings) -> bool:
    n = len(chunk.words)
    if n >= settings.prose_min_words:
        return True
    return n >= 5 and sum(_alpha_word(w.text) for w in chunk.words) >= PROSE_ALPHA_SHARE * n


def is_prose_line(line: TextLine) -> bool:
    """Running text, however it is spaced: many words, nearly all alphabetic, with function words."""
    words = [w.text for w in line.words]
    if len(words) < PROSE_LINE_MIN_WORDS:
        return False
    alpha = sum(_alpha_word(w) for w in words)
    stop = sum(w.strip(".,;:()\"'").lower() in STOPWORDS for w in words)
    if alpha < PROSE_ALPHA_SHARE * len(words) or stop < PROSE_STOPWORD_SHARE * len(words):
        return False
    if len(line.chunks) == 1:
        return True
    # justified text may space its words widely, but evenly; a table row has one wide gap or more
    gaps = sorted(b.x0 - a.x1 for a, b in zip(line.words, line.words[1:]))
    if gaps[-1] <= EVEN_GAP_RATIO * gaps[len(gaps) // 4] + 1.0:  # widest vs. a narrow one
        return True
    # text set in columns: several chunks of running text side by side, not a figure among them
    texts = [c.text for c in line.chunks]
    return not any(is_value(t) for t in texts) and sum(len(c.words) >= 4 for c in line.chunks) >= 2


def line_kind(line: TextLine, text_width: float, settings: TableSettings) -> str:
    """ "caption", "note", "prose", "multi" (two or more chunks) or "single"."""
    text = line.text
    if is_caption(line.chunks[0].text) or (len(line.chunks) == 1 and unit_of(text) is not None):
        return "caption"
    if is_note(text) or is_footnote_line([c.text for c in line.chunks]):
        return "note"
    if is_prose_line(line):
        return "prose"
    if len(line.chunks) == 1:
        chunk = line.chunks[0]
        if is_prose_chunk(chunk, settings) and chunk.x1 - chunk.x0 >= WIDE_LINE_SHARE * text_width:
            return "prose"
        return "single"
    if all(is_prose_chunk(c, settings) for c in line.chunks):
        return "prose"
    return "multi"


def _title_over(line: TextLine, lines: list[TextLine]) -> bool:
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    centred = abs((line.x0 + line.x1) / 2 - (x0 + x1) / 2) <= TITLE_CENTRE_SHARE * (x1 - x0)
    return centred and abs(line.x0 - x0) > LABEL_ALIGN


def _gaps(line: TextLine) -> list[Interval]:
    cs = line.chunks
    return [(a.x1, b.x0) for a, b in zip(cs, cs[1:])]


def _free(line: TextLine) -> list[Interval]:
    cs = line.chunks
    return [(-1e9, cs[0].x0)] + _gaps(line) + [(cs[-1].x1, 1e9)]


def intersect(gutters: list[Interval], free: list[Interval], min_w: float) -> list[Interval]:
    out = []
    for a, b in gutters:
        for c, d in free:
            lo, hi = max(a, c), min(b, d)
            if hi - lo >= min_w:
                out.append((lo, hi))
    return out


@dataclass
class _Core:
    lines: list[TextLine]
    gutters: list[Interval]
    before: list[TextLine]  # lines just above the first multi line (header candidates)
    pending: list[TextLine] = field(default_factory=list)


def lines_to_text_regions(
    lines: list[TextLine], hrules: list[Rule], text_width: float, settings: TableSettings
) -> list[Region]:
    """Grow text regions over the page's lines (already without ruled-table lines)."""
    cores: list[_Core] = []
    core: _Core | None = None
    recent: list[TextLine] = []  # non-multi lines since the last break (header candidates)
    prev: TextLine | None = None

    def close() -> list[TextLine]:
        """End the current core; give back its lines when it is too small to be a table."""
        nonlocal core
        left: list[TextLine] = []
        if core is not None:
            if sum(len(ln.chunks) >= 2 for ln in core.lines) >= settings.min_rows:
                cores.append(core)
            else:
                left = core.before + core.lines
            left = left + core.pending
        core = None
        return left

    prev_kind = ""
    prose_run = 0
    for line in lines:
        kind = line_kind(line, text_width, settings)
        size = max(line.size, 1.0)
        if (
            prev_kind == "caption"
            and kind == "single"
            and prev is not None
            and line.top - prev.bottom <= CAPTION_WRAP_GAP * size
        ):
            kind = "caption"  # the wrapped second line of a caption
        prev_kind = kind
        if prev is not None and line.top - prev.bottom > settings.max_row_gap_ratio * size:
            close()
            recent = []
        prev = line
        prose_run = prose_run + 1 if kind == "prose" else 0
        # one line of running text may be a long row label (or text beside the table), but a line
        # centred over the table that does not start at its row labels is the next table's title
        titled = kind == "prose" and core is not None and _title_over(line, core.lines)
        if kind in ("caption", "note") or (kind == "prose" and (core is None or titled or prose_run > 1)):
            close()
            recent = []
            continue
        if kind in ("single", "prose"):  # a long row label may read like prose: one line is kept
            if core is not None:
                core.pending.append(line)
                if len(core.pending) > MAX_PENDING_SINGLES:
                    close()
                    recent = []
            else:
                recent.append(line)
            continue
        min_w = settings.min_gutter_ratio * size
        if core is not None:
            g = intersect(core.gutters, _free(line), min_w)
            if g:
                core.lines.extend(core.pending)
                core.pending = []
                core.lines.append(line)
                core.gutters = g
                continue
            recent = close()
        gut = [(a, b) for a, b in _gaps(line) if b - a >= min_w]
        core = _Core([line], gut, before=recent[-MAX_LINES_ABOVE:])
        recent = []
    close()
    regions: list[Region] = []
    for c in cores:
        region = _core_to_region(c, hrules, settings)
        cut = side_text_cut(region.lines)
        if cut is not None:
            region = _region_of(cut_lines(region.lines, cut, settings), region.header_hint)
        regions.extend(split_repeated_header(region))
    return regions


def split_repeated_header(region: Region) -> list[Region]:
    """Two tables stacked without a caption: the header lines come again further down."""
    lines = region.lines
    n_head = header_line_count(lines, region.header_hint)
    heads = {text_key(ln.text): k for k, ln in enumerate(lines[:n_head]) if any(ch.isalpha() for ch in ln.text)}
    for i in range(n_head + 1, len(lines)):
        k = heads.get(text_key(lines[i].text))
        if k is not None and i - k > n_head:
            cut = i - k
            first = _region_of(lines[:cut], region.header_hint)
            return [first] + split_repeated_header(_region_of(lines[cut:], 0))
    return [region]


def _region_of(lines: list[TextLine], hint: int) -> Region:
    return Region(
        min(ln.x0 for ln in lines), lines[0].top, max(ln.x1 for ln in lines), lines[-1].bottom, "text", lines, hint
    )


def _core_to_region(core: _Core, hrules: list[Rule], settings: TableSettings) -> Region:
    lines = list(core.lines)
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    header = _header_lines_above(core.before, lines[0], x0, x1, hrules)
    for ln in core.pending:  # trailing label-only lines that sit in the first column
        if is_note(ln.text) or ln.x1 > x0 + TRAILING_LABEL_SHARE * (x1 - x0):
            break
        lines.append(ln)
    lines = header + lines
    return Region(
        min(x0, min(ln.x0 for ln in lines)),
        lines[0].top,
        max(x1, max(ln.x1 for ln in lines)),
        lines[-1].bottom,
        "text",
        lines,
        len(header),
    )


def _header_lines_above(
    before: list[TextLine], first: TextLine, x0: float, x1: float, hrules: list[Rule]
) -> list[TextLine]:
    """Lines right above a region that read as its header (inside its width, close, no top rule)."""
    taken: list[TextLine] = []
    below = first
    width = x1 - x0
    for ln in reversed(before):
        gap = below.top - ln.bottom
        if gap > HEADER_GAP_RATIO * max(ln.size, below.size):
            break
        if ln.x0 < x0 - HEADER_OVERHANG * width or ln.x1 > x1 + HEADER_OVERHANG * width:
            break
        if (
            any(ln.bottom - 1 <= r.pos <= below.top + 1 and r.length >= TOP_RULE_SHARE * width for r in hrules)
            and taken
        ):
            break
        taken.insert(0, ln)
        below = ln
    return taken


def rules_to_ruled_regions(rules: list[Rule], settings: TableSettings) -> list[tuple[Region, list[Rule]]]:
    """Rule components that form a grid: two or more horizontals and an interior vertical."""
    out = []
    for comp in rules_to_components(rules, settings):
        hs = [r for r in comp if r.orient == "h"]
        vs = [r for r in comp if r.orient == "v"]
        if len(hs) < 2 or len(vs) < 2:
            continue
        x0, top, x1, bottom = rules_bbox(comp)
        height = bottom - top
        tol = settings.intersection_tolerance
        interior = [v for v in vs if x0 + tol < v.pos < x1 - tol and v.length >= INTERIOR_RULE_SHARE * height]
        if not interior or height < 2 * settings.rule_min_length:
            continue
        out.append((Region(x0, top, x1, bottom, "ruled"), comp))
    return out
