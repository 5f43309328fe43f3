"""pdfplumber page objects, loaded lean.

pdfplumber's `Page.process_object` resolves and copies every attribute of every pdfminer object
(colour spaces, marked-content ids, paths); on the ICDAR 2013 set that is half of all page time. The
table extractor reads only geometry, text, font and fill, so `load_lean_objects` builds those keys,
with pdfplumber's own formulas for `top`/`bottom`/`doctop`, and stores them as the page's object
cache (`page._objects`). Everything else in pdfplumber that reads `page.chars`, `page.lines` or
`page.rects` (cropping, word extraction) keeps working on the lean dicts.
"""
from __future__ import annotations

from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect

CHAR_KEYS = ("text", "fontname", "size", "upright", "x0", "x1", "top", "bottom", "doctop",
             "width", "height", "matrix", "non_stroking_color")
SHAPE_KEYS = ("x0", "x1", "top", "bottom", "doctop", "width", "height", "linewidth", "stroke",
              "fill", "non_stroking_color", "stroking_color", "pts")


def _colour(value: Any) -> tuple:
    if isinstance(value, tuple):
        return value
    if isinstance(value, list):
        return tuple(value)
    return (value,)


def _fontname(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    return str(value)


def layout_to_objects(layout: Any, page_number: int, height: float, mediabox: tuple,
                      initial_doctop: float) -> dict[str, list[dict]]:
    """pdfminer LTPage → {"char": [...], "line": [...], "rect": [...], "curve": [...]}."""
    mb_x0, mb_top = mediabox[0], mediabox[1]
    out: dict[str, list[dict]] = {"char": [], "line": [], "rect": [], "curve": []}
    stack = [iter(layout._objs)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTContainer):
                stack.append(iter(obj._objs))
                break
            top = height - obj.y1 + mb_top
            bottom = height - obj.y0 + mb_top
            x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
            if isinstance(obj, LTChar):
                gs = obj.graphicstate
                out["char"].append({
                    "object_type": "char", "page_number": page_number,
                    "text": obj._text, "fontname": _fontname(obj.fontname), "size": obj.size,
                    "upright": obj.upright, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                    "doctop": initial_doctop + top, "width": obj.width, "height": obj.height,
                    "matrix": obj.matrix, "non_stroking_color": _colour(gs.ncolor),
                })
            elif isinstance(obj, LTCurve):
                kind = "line" if isinstance(obj, LTLine) else "rect" if isinstance(obj, LTRect) else "curve"
                out[kind].append({
                    "object_type": kind, "page_number": page_number,
                    "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                    "doctop": initial_doctop + top, "width": obj.width, "height": obj.height,
                    "linewidth": obj.linewidth, "stroke": obj.stroke, "fill": obj.fill,
                    "non_stroking_color": obj.non_stroking_color,
                    "stroking_color": obj.stroking_color,
                    "pts": [(x + mb_x0, height - y + mb_top) for x, y in obj.pts],
                })
        else:
            stack.pop()
    return out


def load_lean_objects(page: Any) -> dict[str, list[dict]]:
    """Parse `page` (a pdfplumber Page) once, keeping only the keys table extraction reads."""
    cached = getattr(page, "_objects", None)
    if cached is not None:
        return cached
    objects = layout_to_objects(page.layout, page.page_number, float(page.height),
                                page.mediabox, float(page.initial_doctop))
    page._objects = objects
    # the pdfminer layout tree is not needed any more; drop it to keep memory flat
    if hasattr(page, "_layout"):
        del page._layout
    return objects
