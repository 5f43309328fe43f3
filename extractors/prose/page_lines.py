"""Page lines with their typography, and the generic rules that tell prose from everything else.

A page is read as text lines (pdfplumber's `extract_text_lines`, top to bottom, over the glyphs the
table extractor has already loaded for the page). Each line keeps its box, font size and share of
bold characters (extractors.fonts). A page whose text runs sideways (a landscape page stored turned,
or a page with /Rotate) is read turned upright, as the table extractor reads it
(extractors.orientation): line boxes are in reading orientation, and `Line.page_box` /
`Line.sub_box` give boxes on the page as stored (for exclusion by table boxes and for crops).

Why pdfplumber's lines and not the table extractor's own glyph -> word -> line builder
(extractors/tables/text_lines.py): on every generated document and the 2023 paper both give the same
lines, but on real-world files they differ (the builder splits a subscript from its word and joins it
to the line, strips leader dots, keeps ligature glyphs, splits "98 452"), which would change the
sentences and facts of published outputs (issue 11 notes). Then, without knowing the publisher:

- lines inside excluded boxes (tables found by the table extractor) are dropped;
- running headers and footers are dropped: a line in the top or bottom margin band of the page whose
  text, with digits blanked, recurs on most pages ("White Paper ... 2023", "— 6 —"), or a margin line
  that is only a page number in any decoration ("— 6 —", "Page 6", "6 / 19") (extractors.furniture);
- the body font size is the size that carries most characters; lines are classified as
  `body` (prose), `heading` (bigger, or bold at body size), `caption` (smaller and bold: chart and
  table titles) or `note` (smaller and regular: "Unit: piece", table notes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pdfplumber.utils import chars_to_textmap

from extractors.fonts import is_bold_font
from extractors.furniture import furniture_key, in_margin, is_furniture, running_keys
from extractors.orientation import page_turn, reading_box, turn_objects, turned_size, unturn_box
from extractors.records import Box

BODY = "body"
HEADING = "heading"
CAPTION = "caption"
NOTE = "note"

# A margin line must recur on at least this many pages to be running: on a one- or two-page document a
# line in the band is kept (a title or a first line of prose more often than a running head).
DEFAULT_MIN_REPEAT_PAGES = 3
DEFAULT_SIZE_TOLERANCE = 0.3  # points: sizes closer than this to the body size are body size
DEFAULT_BOLD_SHARE = 0.6  # a line with at least this share of bold characters is bold
DEFAULT_INSIDE_SHARE = 0.5  # a line with at least this share of its area in an excluded box is dropped


@dataclass(frozen=True)
class LayoutSettings:
    min_repeat_pages: int = DEFAULT_MIN_REPEAT_PAGES
    size_tolerance: float = DEFAULT_SIZE_TOLERANCE
    bold_share: float = DEFAULT_BOLD_SHARE
    inside_share: float = DEFAULT_INSIDE_SHARE

    def __post_init__(self) -> None:
        if self.min_repeat_pages < 1:
            raise ValueError(f"min_repeat_pages must be at least 1, got {self.min_repeat_pages}")
        if not 0 < self.inside_share <= 1:
            raise ValueError(f"inside_share must be in (0, 1], got {self.inside_share}")


@dataclass
class Line:
    """One text line of a page, in reading orientation: `box`, `spans` and `page_extent` (the page's top
    and bottom) are those of the page turned upright by `turn` quarter turns (0 for nearly every page).
    `spans` maps each character of `text` to its x-extent (None for spaces); `page_size` is (width,
    height) of the page as stored."""

    page: int
    text: str
    box: Box
    size: float
    bold: float  # share of bold characters
    page_extent: tuple[float, float]
    spans: list[tuple[float, float] | None] = field(default_factory=list, repr=False)
    kind: str = ""
    turn: int = 0
    page_size: tuple[float, float] = (0.0, 0.0)

    def stored(self, box: Box) -> Box:
        """A box in reading orientation → the same box on the page as stored."""
        if not self.turn:
            return box
        x0, top, x1, bottom = unturn_box((box.x0, box.top, box.x1, box.bottom), self.turn, *self.page_size)
        return Box(box.page, x0, top, x1, bottom)

    @property
    def page_box(self) -> Box:
        """The line's box on the page as stored."""
        return self.stored(self.box)

    def sub_box(self, start: int, end: int) -> Box:
        """The box of characters text[start:end] on the page as stored (the whole line's box when
        none is mapped)."""
        xs = [s for s in self.spans[start:end] if s is not None]
        if not xs:
            return self.page_box
        return self.stored(Box(self.page, min(a for a, _ in xs), self.box.top, max(b for _, b in xs), self.box.bottom))


def _char_spans(text: str, chars: list[dict]) -> list[tuple[float, float] | None]:
    """Align the line's text with its glyphs: pdfplumber inserts spaces that have no glyph."""
    spans: list[tuple[float, float] | None] = []
    i = 0
    for ch in text:
        if i < len(chars) and chars[i]["text"] == ch:
            spans.append((float(chars[i]["x0"]), float(chars[i]["x1"])))
            i += 1
        elif ch.isspace():
            spans.append(None)
        else:  # ligatures or multi-character glyphs: skip to the next glyph that matches
            while i < len(chars) and chars[i]["text"] != ch:
                i += 1
            spans.append((float(chars[i]["x0"]), float(chars[i]["x1"])) if i < len(chars) else None)
            i += 1 if i < len(chars) else 0
    return spans


def upright_text_lines(page, turn: int) -> list[dict]:
    """pdfplumber's text lines of the page turned by `turn` quarter turns (as it is for 0)."""
    if not turn:
        return page.extract_text_lines(return_chars=True, strip=True)
    width, height = turned_size(turn, float(page.width), float(page.height))
    chars = turn_objects({"char": page.chars}, turn, float(page.width), float(page.height))["char"]
    textmap = chars_to_textmap(chars, layout_bbox=(0.0, 0.0, width, height), layout_width=width, layout_height=height)
    return textmap.extract_text_lines(strip=True, return_chars=True)


def page_to_lines(page) -> list[Line]:
    """The text lines of a pdfplumber page, top to bottom in reading orientation, with size and
    boldness."""
    size = (float(page.width), float(page.height))
    turn = page_turn(page.chars)
    box = reading_box(page, turn)
    extent = (box[1], box[3])
    lines = []
    for raw in upright_text_lines(page, turn):
        chars = [c for c in raw["chars"] if c["text"].strip()]
        if not chars:
            continue
        sizes = Counter(round(float(c["size"]), 1) for c in chars)
        bold = sum(1 for c in chars if is_bold_font(c.get("fontname", ""))) / len(chars)
        box = Box(page.page_number, float(raw["x0"]), float(raw["top"]), float(raw["x1"]), float(raw["bottom"]))
        lines.append(
            Line(
                page=page.page_number,
                text=raw["text"],
                box=box,
                size=sizes.most_common(1)[0][0],
                bold=bold,
                page_extent=extent,
                spans=_char_spans(raw["text"], raw["chars"]),
                turn=turn,
                page_size=size,
            )
        )
    return lines


def _overlap_area(a: Box, b: Box) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    return max(w, 0.0) * max(h, 0.0)


def drop_excluded(lines: list[Line], boxes, settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """Lines not (mostly) inside any of the boxes on their page."""
    by_page: dict[int, list[Box]] = {}
    for box in boxes or ():
        by_page.setdefault(box.page, []).append(box)
    kept = []
    for line in lines:
        box = line.page_box  # excluded boxes are on the page as stored
        area = max((box.x1 - box.x0) * (box.bottom - box.top), 1e-6)
        inside = sum(_overlap_area(box, b) for b in by_page.get(line.page, ()))
        if inside / area < settings.inside_share:
            kept.append(line)
    return kept


def _in_margin(line: Line) -> bool:
    return in_margin(line.box.top, line.box.bottom, *line.page_extent)


def running_line_keys(pages: list[list[Line]], settings: LayoutSettings = LayoutSettings()) -> set[str]:
    """Furniture keys of margin lines that recur on most pages: running headers and footers."""
    keys_by_page = ([furniture_key(ln.text) for ln in lines if _in_margin(ln)] for lines in pages)
    return running_keys(keys_by_page, len(pages), settings.min_repeat_pages)


def is_running(line: Line, keys: set[str]) -> bool:
    return _in_margin(line) and is_furniture(line.text, keys)


def body_size(lines: list[Line]) -> float:
    """The font size that carries most characters of the document."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def classify(line: Line, size: float, settings: LayoutSettings = LayoutSettings()) -> str:
    bold = line.bold >= settings.bold_share
    if line.size > size + settings.size_tolerance or (bold and line.size >= size - settings.size_tolerance):
        return HEADING
    if line.size < size - settings.size_tolerance:
        return CAPTION if bold else NOTE
    return BODY


def document_lines(pdf, exclude_boxes=(), settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """All classified lines of a document in reading order, without running lines and excluded boxes."""
    return classify_page_lines([page_to_lines(page) for page in pdf.pages], exclude_boxes, settings)


def classify_page_lines(
    page_lines: list[list[Line]], exclude_boxes=(), settings: LayoutSettings = LayoutSettings()
) -> list[Line]:
    """`document_lines` from lines already read page by page (`page_to_lines`, one list per page)."""
    pages = [drop_excluded(lines, exclude_boxes, settings) for lines in page_lines]
    keys = running_line_keys(pages, settings)
    lines = [ln for page_lines in pages for ln in page_lines if not is_running(ln, keys)]
    size = body_size(lines)
    for line in lines:
        line.kind = classify(line, size, settings)
    return lines
