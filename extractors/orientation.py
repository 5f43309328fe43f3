"""Pages whose text runs sideways (a landscape table printed on a portrait page, or a page turned
with /Rotate): turn the page model so the text is upright, and turn boxes back for output.

The dominant direction of the glyphs decides, read from each glyph's text matrix: a baseline
running down the page is turned by 90 degrees, one running up by 270, upside-down text by 180.
Pages with upright text (nearly all) are left untouched.
"""

from __future__ import annotations

Box4 = tuple[float, float, float, float]
SIDEWAYS_SHARE = 0.6  # this share of the glyphs running one way turns the page


def glyph_turn(matrix) -> int:
    """Quarter turns (0, 90, 180, 270) that make a glyph with this text matrix upright."""
    a, b = matrix[0], matrix[1]
    if abs(a) >= abs(b):
        return 0 if a >= 0 else 180
    return 90 if b < 0 else 270


def page_turn(chars: list[dict]) -> int:
    counts = {0: 0, 90: 0, 180: 0, 270: 0}
    for c in chars:
        if c["text"].strip():
            counts[0 if c.get("upright", True) else glyph_turn(c["matrix"])] += 1
    total = sum(counts.values())
    turn = max(counts, key=counts.get)
    return turn if total and turn and counts[turn] >= SIDEWAYS_SHARE * total else 0


def turn_box(box: Box4, turn: int, width: float, height: float) -> Box4:
    """A box (x0, top, x1, bottom) on the page → the same box on the turned page."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (top, width - x1, bottom, width - x0)
    if turn == 270:
        return (height - bottom, x0, height - top, x1)
    if turn == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return box


def unturn_box(box: Box4, turn: int, width: float, height: float) -> Box4:
    """A box on the turned page → the same box on the page as stored (for crops and reports)."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (width - bottom, x0, width - top, x1)
    if turn == 270:
        return (top, height - x1, bottom, height - x0)
    if turn == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return box


def glyph_size(char: dict, turned: dict) -> float:
    """Font size of a glyph on the turned page. pdfminer measures a glyph's size as the height of its
    box, which for sideways text is its advance width: a glyph the turn makes upright takes the
    height of its turned box (its size as upright text); any other keeps the size it had."""
    if turned["upright"] and not char.get("upright", True):
        return turned["bottom"] - turned["top"]
    return char.get("size", turned["bottom"] - turned["top"])


def turn_objects(objects: dict[str, list[dict]], turn: int, width: float, height: float) -> dict[str, list[dict]]:
    """New object dicts with turned boxes (and turned curve points); glyphs become upright."""
    out: dict[str, list[dict]] = {}
    for kind, objs in objects.items():
        turned = []
        for o in objs:
            x0, top, x1, bottom = turn_box((o["x0"], o["top"], o["x1"], o["bottom"]), turn, width, height)
            t = dict(o, x0=x0, top=top, x1=x1, bottom=bottom, width=x1 - x0, height=bottom - top)
            if kind == "char":
                t["upright"] = glyph_turn(o["matrix"]) == turn if not o.get("upright", True) else turn == 0
                t["size"] = glyph_size(o, t)
            elif "pts" in o:
                t["pts"] = [turn_box((x, y, x, y), turn, width, height)[:2] for x, y in o["pts"]]
            turned.append(t)
        out[kind] = turned
    return out


def turned_size(turn: int, width: float, height: float) -> tuple[float, float]:
    return (height, width) if turn in (90, 270) else (width, height)


def reading_box(page, turn: int) -> Box4:
    """The page's box (x0, top, x1, bottom) in reading orientation: as pdfplumber gives it, or, on a
    turned page, the turned page's own box from the origin."""
    if turn:
        return (0.0, 0.0, *turned_size(turn, float(page.width), float(page.height)))
    return (float(page.bbox[0]), float(page.bbox[1]), float(page.bbox[2]), float(page.bbox[3]))
