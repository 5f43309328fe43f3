"""Vector marks that belong to charts, not tables: slanted strokes and curved paths.

A table draws horizontal and vertical rules and cell fills; a chart draws data lines, markers, axis
ticks and bars. Text that lines up in columns over a chart (axis labels, legends) is not a table.
"""
from __future__ import annotations

from .settings import TableSettings

STRAIGHT = 1.0            # a stroke thinner than this in one direction is axis-parallel


def chart_marks(objects: dict[str, list[dict]], settings: TableSettings) -> list[tuple]:
    """(x, y, kind, width) of marks that a table would not draw: curved paths and slanted strokes
    (data lines, markers, pie slices). Short axis-parallel strokes and filled boxes are left out:
    many tables draw their rules cell by cell and shade cells, so bars cannot be told apart."""
    marks: list[tuple] = []
    for kind in ("curve", "line"):
        for obj in objects.get(kind, []):
            w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
            if w > STRAIGHT and h > STRAIGHT:
                marks.append(((obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2, kind, w))
    return marks


def count_marks(marks: list[tuple], box: tuple[float, float, float, float]) -> int:
    x0, top, x1, bottom = box
    return sum(1 for x, y, _k, _w in marks if x0 <= x <= x1 and top <= y <= bottom)
