"""Vector marks that belong to charts, not tables: slanted strokes, curved paths and empty bars.

A table draws horizontal and vertical rules and shades cells that hold text; a chart draws data
lines, markers, pie slices and bars with nothing written inside them. Text that lines up in
columns over a chart (axis labels, values over bars, legends) is not a table.
"""

from __future__ import annotations

from .rulings import _is_white
from .settings import TableSettings
from .text_lines import Word

STRAIGHT = 1.0  # a stroke thinner than this in one direction is axis-parallel
BAR_MAX_PAGE_SHARE = 0.25  # a filled box thicker than a rule may be a bar, unless it covers this
# share of the page (a background)
TEXT_BUCKET = 50.0  # spatial index cell (pt) for "is there text inside this box"
BASE_TOLERANCE = 1.0  # bars standing on one base line agree this closely (pt)
MIN_BARS = 3  # this many bars of at least two lengths make a bar chart


def chart_marks(
    objects: dict[str, list[dict]], words: list[Word], page_area: float, settings: TableSettings
) -> list[tuple[float, float, float, float, str]]:
    """Boxes (x0, top, x1, bottom, kind) of marks a table would not draw. Short axis-parallel strokes are left out (many
    tables draw their rules cell by cell), and so are filled boxes with text inside (shaded cells)."""
    marks: list[tuple[float, float, float, float, str]] = []
    for kind in ("curve", "line"):
        for obj in objects.get(kind, []):
            if obj["x1"] - obj["x0"] > STRAIGHT and obj["bottom"] - obj["top"] > STRAIGHT:
                marks.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"], "stroke"))
    boxes = [
        o
        for o in objects.get("rect", [])
        if o.get("fill")
        and not _is_white(o.get("non_stroking_color"))
        and o["x1"] - o["x0"] > settings.rule_max_thickness
        and o["bottom"] - o["top"] > settings.rule_max_thickness
        and (o["x1"] - o["x0"]) * (o["bottom"] - o["top"]) < BAR_MAX_PAGE_SHARE * page_area
    ]
    if boxes:
        index: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            index.setdefault((int(cx // TEXT_BUCKET), int(cy // TEXT_BUCKET)), []).append((cx, cy))
        empty = [o for o in boxes if not _holds_text(o, index)]
        for o in _bars(empty):
            marks.append((o["x0"], o["top"], o["x1"], o["bottom"], "bar"))
    return marks


def _bars(boxes: list[dict]) -> list[dict]:
    """Empty boxes standing on a common base line with different lengths: the bars of a bar chart
    (vertical bars share their bottom, horizontal ones their left edge). Shaded table cells of one
    row share both top and bottom, and cells of one column both edges, so they are not bars."""
    out: list[dict] = []
    for base, far in (("bottom", "top"), ("x0", "x1")):
        groups: dict[int, list[dict]] = {}
        for o in boxes:
            groups.setdefault(round(o[base] / BASE_TOLERANCE), []).append(o)
        for group in groups.values():
            lengths = {round(o[far] / BASE_TOLERANCE) for o in group}
            if len(group) >= MIN_BARS and len(lengths) >= MIN_BARS - 1:
                out.extend(group)
    return out


def _holds_text(o: dict, index: dict[tuple[int, int], list[tuple[float, float]]]) -> bool:
    for i in range(int(o["x0"] // TEXT_BUCKET), int(o["x1"] // TEXT_BUCKET) + 1):
        for j in range(int(o["top"] // TEXT_BUCKET), int(o["bottom"] // TEXT_BUCKET) + 1):
            for cx, cy in index.get((i, j), ()):
                if o["x0"] <= cx <= o["x1"] and o["top"] <= cy <= o["bottom"]:
                    return True
    return False


def count_marks(
    marks: list[tuple[float, float, float, float, str]],
    box: tuple[float, float, float, float],
    kinds: tuple[str, ...] = ("stroke", "bar"),
) -> int:
    """Marks that reach into `box` (bars under their value labels only touch the labels' rows)."""
    x0, top, x1, bottom = box
    return sum(1 for a, t, b, u, k in marks if k in kinds and a < x1 and b > x0 and t < bottom and u > top)
