"""Title, unit line and notes around a table, read from the page lines outside every table.

Above a table, going up: an optional unit line ("Unit: piece", "(in thousands)"), then the title,
the nearest line that is a caption ("Table 3 ...") or is set apart as one (centred on the table or
bold), with the lines of a wrapped title. Below a table, going down: lines that start like notes
("Note", "Source", "1.", "*") and the lines that wrap them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cell_text import is_caption, is_note, is_numbered, unit_of
from .settings import TableSettings
from .text_lines import TextLine

CENTRE_TOLERANCE = 0.08  # a line is centred when its middle is this share of width off-centre
TITLE_WRAP_GAP = 0.8  # lines of one wrapped title are at most this (x size) apart
FULL_LINE_SHARE = 0.9  # a line this wide (share of the text width) belongs to a paragraph
NOTE_WRAP_GAP = 0.6  # a note's wrapped line follows at most this far (x size)


@dataclass
class Captions:
    title: str = ""
    title_box: tuple[float, float, float, float] | None = None
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    notes_bottom: float | None = None


def _overlaps_x(line: TextLine, x0: float, x1: float) -> bool:
    return min(line.x1, x1) - max(line.x0, x0) > 0


def _centred(line: TextLine, x0: float, x1: float, page_x0: float, page_x1: float) -> bool:
    mid = (line.x0 + line.x1) / 2
    return abs(mid - (x0 + x1) / 2) <= CENTRE_TOLERANCE * (x1 - x0) or abs(
        mid - (page_x0 + page_x1) / 2
    ) <= CENTRE_TOLERANCE * (page_x1 - page_x0)


def find_captions(
    box: tuple[float, float, float, float],
    lines: list[TextLine],
    text_box: tuple[float, float, float, float],
    settings: TableSettings,
) -> Captions:
    """`lines`: page lines that belong to no table, sorted top to bottom."""
    x0, top, x1, bottom = box
    cap = Captions()
    # every line above counts, beside the table or not: the nearest one decides
    above = [ln for ln in lines if ln.bottom <= top + 1]
    limit = top
    title_lines: list[TextLine] = []
    full_width = FULL_LINE_SHARE * (text_box[2] - text_box[0])
    for ln in reversed(above):
        if limit - ln.bottom > settings.caption_max_gap_ratio * max(ln.size, 1.0):
            break
        unit = unit_of(ln.text)
        if unit is not None and not cap.unit and not title_lines:
            cap.unit = unit
            limit = ln.top
            continue
        if not title_lines:
            set_apart = ln.bold or (
                _centred(ln, x0, x1, text_box[0], text_box[2]) and ln.x1 - ln.x0 < full_width
            )  # not a line of a paragraph
            if (is_caption(ln.text) or set_apart) and _overlaps_x(ln, x0, x1):
                title_lines.append(ln)
                limit = ln.top
                continue
            break
        if (
            limit - ln.bottom <= TITLE_WRAP_GAP * ln.size
            and not is_caption(title_lines[0].text)
            and (is_caption(ln.text) or ln.bold == title_lines[0].bold)
        ):
            title_lines.insert(0, ln)
            limit = ln.top
            if is_caption(ln.text):
                break
            continue
        break
    if title_lines:
        cap.title = " ".join(ln.text for ln in title_lines)
        cap.title_box = (
            min(ln.x0 for ln in title_lines),
            title_lines[0].top,
            max(ln.x1 for ln in title_lines),
            title_lines[-1].bottom,
        )
    below = [ln for ln in lines if ln.top >= bottom - 1 and _overlaps_x(ln, x0, x1)]
    last = bottom
    for ln in below:
        gap = ln.top - last
        if not cap.notes:
            if gap > settings.note_max_gap_ratio * max(ln.size, 1.0):
                break
            if not (is_note(ln.text) or is_numbered(ln.text)):
                break
        elif not (is_note(ln.text) or is_numbered(ln.text)):
            if gap > NOTE_WRAP_GAP * ln.size or is_caption(ln.text) or unit_of(ln.text) is not None:
                break
        elif gap > settings.note_max_gap_ratio * max(ln.size, 1.0):
            break
        cap.notes.append(ln.text)
        last = ln.bottom
    if cap.notes:
        cap.notes_bottom = last
    return cap
