"""pdfplumber page objects, loaded lean.

pdfplumber builds a page in two passes: pdfminer's aggregator turns every glyph into an `LTChar`
object, then `Page.process_object` resolves and copies every attribute of every object into a dict
(colour spaces, marked-content ids, paths). On the ICDAR 2013 set those two passes cost more than
interpreting the content streams. The table extractor reads only geometry, text, font and colour,
so `load_lean_objects` runs pdfminer's interpreter over the page that pdfplumber opened, with a
device that records each glyph as a tuple (computing its box exactly as `LTChar` does), and builds
the dicts pdfplumber would build, with pdfplumber's formulas for `top`/`bottom`/`doctop`, for the
keys it keeps. Lines, rects and curves still come from pdfminer's own path handling. The result is
stored as the page's object cache (`page._objects`), so pdfplumber functions that read `page.chars`
or `page.rects` (cropping, word extraction) work on it; `tests/test_tables_fixture.py` checks that
every kept value equals pdfplumber's.
"""

from __future__ import annotations

from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_rect
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.utils.exceptions import PdfminerException

CHAR_KEYS = (
    "text",
    "fontname",
    "size",
    "upright",
    "x0",
    "x1",
    "top",
    "bottom",
    "doctop",
    "width",
    "height",
    "matrix",
    "non_stroking_color",
)
SHAPE_KEYS = (
    "x0",
    "x1",
    "top",
    "bottom",
    "doctop",
    "width",
    "height",
    "linewidth",
    "stroke",
    "fill",
    "non_stroking_color",
    "stroking_color",
    "pts",
)


class GlyphRecorder(PDFPageAggregator):
    """pdfminer device: glyphs as tuples (x0, y0, x1, y1, text, font, size, upright, matrix, colour)
    in PDF space; paths go to the layout tree as usual."""

    def __init__(self, rsrcmgr: Any, pageno: int):
        super().__init__(rsrcmgr, pageno=pageno, laparams=None)
        self.glyphs: list[tuple] = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        if font.is_vertical():  # the same box as pdfminer.layout.LTChar
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        a, b, c, d, _e, _f = matrix
        x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        size = (x1 - x0) if font.is_vertical() else (y1 - y0)
        ncolor = graphicstate.ncolor
        self.glyphs.append(
            (x0, y0, x1, y1, text, font.fontname, size, a * d * scaling > 0 and b * c <= 0, matrix, ncolor)
        )
        return adv


def _colour(value: Any) -> tuple:
    if isinstance(value, tuple):
        return value
    if isinstance(value, list):
        return tuple(value)
    return (value,)


def _fontname(value: Any) -> str:
    return fix_fontname_bytes(value) if isinstance(value, bytes) else value


def glyphs_to_chars(
    glyphs: list[tuple], page_number: int, height: float, mediabox: tuple, initial_doctop: float
) -> list[dict]:
    mb_x0, mb_top = mediabox[0], mediabox[1]
    out = []
    for x0, y0, x1, y1, text, font, size, upright, matrix, ncolor in glyphs:
        top = height - y1 + mb_top
        out.append(
            {
                "object_type": "char",
                "page_number": page_number,
                "text": text,
                "fontname": _fontname(font),
                "size": size,
                "upright": upright,
                "x0": x0 + mb_x0,
                "x1": x1 + mb_x0,
                "top": top,
                "bottom": height - y0 + mb_top,
                "doctop": initial_doctop + top,
                "width": x1 - x0,
                "height": y1 - y0,
                "matrix": matrix,
                "non_stroking_color": _colour(ncolor),
            }
        )
    return out


def layout_to_shapes(
    layout: Any, page_number: int, height: float, mediabox: tuple, initial_doctop: float
) -> dict[str, list[dict]]:
    """pdfminer LTPage (no glyphs in it) → {"line": [...], "rect": [...], "curve": [...]}."""
    mb_x0, mb_top = mediabox[0], mediabox[1]
    out: dict[str, list[dict]] = {"line": [], "rect": [], "curve": []}
    stack = [iter(layout._objs)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTContainer):
                stack.append(iter(obj._objs))
                break
            if not isinstance(obj, LTCurve):
                continue
            kind = "line" if isinstance(obj, LTLine) else "rect" if isinstance(obj, LTRect) else "curve"
            top = height - obj.y1 + mb_top
            out[kind].append(
                {
                    "object_type": kind,
                    "page_number": page_number,
                    "x0": obj.x0 + mb_x0,
                    "x1": obj.x1 + mb_x0,
                    "top": top,
                    "bottom": height - obj.y0 + mb_top,
                    "doctop": initial_doctop + top,
                    "width": obj.width,
                    "height": obj.height,
                    "linewidth": obj.linewidth,
                    "stroke": obj.stroke,
                    "fill": obj.fill,
                    "non_stroking_color": obj.non_stroking_color,
                    "stroking_color": obj.stroking_color,
                    "pts": [(x + mb_x0, height - y + mb_top) for x, y in obj.pts],
                }
            )
        else:
            stack.pop()
    return out


def load_lean_objects(page: Any) -> dict[str, list[dict]]:
    """Parse `page` (a pdfplumber Page) once, keeping only the keys table extraction reads."""
    cached = getattr(page, "_objects", None)
    if cached is not None:
        return cached
    device = GlyphRecorder(page.pdf.rsrcmgr, page.page_number)
    try:
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:  # pdfplumber wraps every interpreter failure the same way
        raise PdfminerException(exc) from exc
    height, mediabox, doctop = float(page.height), page.mediabox, float(page.initial_doctop)
    objects = layout_to_shapes(device.get_result(), page.page_number, height, mediabox, doctop)
    objects["char"] = glyphs_to_chars(device.glyphs, page.page_number, height, mediabox, doctop)
    page._objects = objects
    return objects
