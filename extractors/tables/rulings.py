"""Drawn lines → merged horizontal and vertical rules, and the ruled grids they form.

Rules come from stroked lines, thin rectangles, axis-parallel curve segments and the edges of
visible (non-white) filled or stroked rectangles (many publishers draw a table as one filled
rectangle per cell). Collinear pieces are snapped and joined; rules that cross belong to one
connected component, and a component with interior verticals is a ruled grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from .disjoint_sets import DisjointSets
from .settings import TableSettings

WHITE_LEVEL = 0.97  # colour components at or above this are white paper, not ink
PAGE_BOX_SHARE = 0.8  # a box over this share of the page is a page frame or background, not cells


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal ("h": pos is y, a..b is x) or vertical ("v": pos is x, a..b is y) rule."""

    orient: str
    pos: float
    a: float
    b: float

    @property
    def length(self) -> float:
        return self.b - self.a


def _is_white(colour) -> bool:
    if colour is None:
        return False
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if not isinstance(colour, (tuple, list)) or not colour:
        return False
    if not all(isinstance(c, (int, float)) for c in colour):
        return False
    if len(colour) == 4:  # CMYK: white is no ink at all
        return all(c <= 1 - WHITE_LEVEL for c in colour)
    return all(c >= WHITE_LEVEL for c in colour)


def _visible(obj: dict) -> bool:
    stroked = obj.get("stroke") and not _is_white(obj.get("stroking_color"))
    filled = obj.get("fill") and not _is_white(obj.get("non_stroking_color"))
    return bool(stroked or filled)


RECT_BUCKET = 64.0  # spatial index cell (pt) for the containment test


def _colour_key(colour) -> tuple:
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if isinstance(colour, (tuple, list)):
        return tuple(round(c, 2) if isinstance(c, (int, float)) else c for c in colour)
    return (str(colour),)


def _visible_rects(rects: list[dict], thick: float) -> list[dict]:
    """Visible rects, without filled ones that sit inside a filled rect of the same colour (their
    edges are not drawn: a text background inside its cell's background)."""
    vis = [r for r in rects if _visible(r)]
    big = [
        r
        for r in vis
        if r.get("fill") and not r.get("stroke") and r["x1"] - r["x0"] > thick and r["bottom"] - r["top"] > thick
    ]
    index: dict[tuple[int, int], list[dict]] = {}
    for r in big:
        for i in range(int(r["x0"] // RECT_BUCKET), int(r["x1"] // RECT_BUCKET) + 1):
            for j in range(int(r["top"] // RECT_BUCKET), int(r["bottom"] // RECT_BUCKET) + 1):
                index.setdefault((i, j), []).append(r)
    hidden = set()
    for r in big:
        key = _colour_key(r.get("non_stroking_color"))
        cell = (int((r["x0"] + r["x1"]) / 2 // RECT_BUCKET), int((r["top"] + r["bottom"]) / 2 // RECT_BUCKET))
        for o in index.get(cell, ()):
            if o is r or id(o) in hidden:
                continue
            if (
                o["x0"] - 0.5 <= r["x0"]
                and r["x1"] <= o["x1"] + 0.5
                and o["top"] - 0.5 <= r["top"]
                and r["bottom"] <= o["bottom"] + 0.5
                and _colour_key(o.get("non_stroking_color")) == key
                and (o["x1"] - o["x0"]) * (o["bottom"] - o["top"]) > (r["x1"] - r["x0"]) * (r["bottom"] - r["top"])
            ):
                hidden.add(id(r))
                break
    return [r for r in vis if id(r) not in hidden]


FILL_COVER_SHARE = 0.6  # touching fills covering less of their joint box than this are shading, not cells


def _fill_only(r: dict, thick: float) -> bool:
    return bool(r.get("fill")) and not r.get("stroke") and r["x1"] - r["x0"] > thick and r["bottom"] - r["top"] > thick


def sparse_fills(rects: list[dict], thick: float, tol: float) -> list[dict]:
    """Filled (unstroked) boxes that touch each other only here and there: single cells shaded in a
    diagonal or scattered pattern. Their edges are no rules (a table drawn as one filled box per cell
    tiles its box; these leave most of it empty), so they cannot cut the table around them apart."""
    fills = [r for r in rects if _fill_only(r, thick)]
    if len(fills) < 2:
        return []
    index: dict[tuple[int, int], list[int]] = {}
    for i, r in enumerate(fills):
        for a in range(int((r["x0"] - tol) // RECT_BUCKET), int((r["x1"] + tol) // RECT_BUCKET) + 1):
            for b in range(int((r["top"] - tol) // RECT_BUCKET), int((r["bottom"] + tol) // RECT_BUCKET) + 1):
                index.setdefault((a, b), []).append(i)
    sets = DisjointSets(len(fills))
    for members in index.values():
        for x, i in enumerate(members):
            ri = fills[i]
            for j in members[x + 1 :]:
                rj = fills[j]
                if (
                    ri["x0"] - tol <= rj["x1"]
                    and rj["x0"] - tol <= ri["x1"]
                    and ri["top"] - tol <= rj["bottom"]
                    and rj["top"] - tol <= ri["bottom"]
                ):
                    sets.union(i, j)
    out: list[dict] = []
    for group in sets.groups().values():
        if len(group) < 2:
            continue
        boxes = [fills[i] for i in group]
        x0, top = min(r["x0"] for r in boxes), min(r["top"] for r in boxes)
        x1, bottom = max(r["x1"] for r in boxes), max(r["bottom"] for r in boxes)
        area = sum((r["x1"] - r["x0"]) * (r["bottom"] - r["top"]) for r in boxes)
        if area < FILL_COVER_SHARE * (x1 - x0) * (bottom - top):
            out.extend(boxes)
    return out


def objects_to_rules(
    objects: dict[str, list[dict]], page_box: tuple[float, float, float, float], settings: TableSettings
) -> list[Rule]:
    """Lines, rects and curves of one page → raw rules (before snapping)."""
    thick, min_len = settings.rule_max_thickness, settings.rule_min_length
    px0, ptop, px1, pbottom = page_box
    page_area = (px1 - px0) * (pbottom - ptop)
    rules: list[Rule] = []

    def add_box(x0: float, top: float, x1: float, bottom: float, edges: bool) -> None:
        w, h = x1 - x0, bottom - top
        if h <= thick and w >= min_len:
            rules.append(Rule("h", (top + bottom) / 2, x0, x1))
        elif w <= thick and h >= min_len:
            rules.append(Rule("v", (x0 + x1) / 2, top, bottom))
        elif edges and w >= min_len and h >= min_len and w * h < PAGE_BOX_SHARE * page_area:
            rules.extend(
                (
                    Rule("h", top, x0, x1),
                    Rule("h", bottom, x0, x1),
                    Rule("v", x0, top, bottom),
                    Rule("v", x1, top, bottom),
                )
            )

    for obj in objects.get("line", []):
        if obj.get("stroke", True) and not _is_white(obj.get("stroking_color")):
            add_box(obj["x0"], obj["top"], obj["x1"], obj["bottom"], edges=False)
    visible = _visible_rects(objects.get("rect", []), thick)
    shading = {id(o) for o in sparse_fills(visible, thick, settings.snap_tolerance)}
    for obj in visible:
        if id(obj) in shading:
            continue
        add_box(obj["x0"], obj["top"], obj["x1"], obj["bottom"], edges=True)
    for obj in objects.get("curve", []):
        if not _visible(obj):
            continue
        pts = obj.get("pts") or []
        for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
            add_box(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), edges=False)
    return rules


def merge_rules(rules: list[Rule], settings: TableSettings) -> list[Rule]:
    """Snap rules at nearly the same position and join collinear pieces that touch."""
    out: list[Rule] = []
    for orient in ("h", "v"):
        group = sorted((r for r in rules if r.orient == orient), key=lambda r: r.pos)
        clusters: list[list[Rule]] = []
        for r in group:
            if clusters and r.pos - clusters[-1][-1].pos <= settings.snap_tolerance:
                clusters[-1].append(r)
            else:
                clusters.append([r])
        for cl in clusters:
            cl.sort(key=lambda r: r.a)
            cur = [cl[0]]
            for r in cl[1:]:
                if r.a <= max(c.b for c in cur) + settings.join_tolerance:
                    cur.append(r)
                else:
                    out.append(_joined(orient, cur))
                    cur = [r]
            out.append(_joined(orient, cur))
    return out


def _joined(orient: str, parts: list[Rule]) -> Rule:
    total = sum(max(p.length, 0.1) for p in parts)
    pos = sum(p.pos * max(p.length, 0.1) for p in parts) / total
    return Rule(orient, pos, min(p.a for p in parts), max(p.b for p in parts))


def crosses(h: Rule, v: Rule, tol: float) -> bool:
    return h.a - tol <= v.pos <= h.b + tol and v.a - tol <= h.pos <= v.b + tol


def rules_to_components(rules: list[Rule], settings: TableSettings) -> list[list[Rule]]:
    """Group rules that touch each other (directly or through others) into components."""
    hs = [r for r in rules if r.orient == "h"]
    vs = [r for r in rules if r.orient == "v"]
    sets = DisjointSets(len(hs) + len(vs))
    tol = settings.intersection_tolerance
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if crosses(h, v, tol):
                sets.union(i, len(hs) + j)
    ordered = hs + vs
    return [[ordered[i] for i in members] for members in sets.groups().values()]


def rules_bbox(rules: list[Rule]) -> tuple[float, float, float, float]:
    xs = [r.a for r in rules if r.orient == "h"] + [r.pos for r in rules if r.orient == "v"]
    xe = [r.b for r in rules if r.orient == "h"] + [r.pos for r in rules if r.orient == "v"]
    ys = [r.pos for r in rules if r.orient == "h"] + [r.a for r in rules if r.orient == "v"]
    ye = [r.pos for r in rules if r.orient == "h"] + [r.b for r in rules if r.orient == "v"]
    return min(xs), min(ys), max(xe), max(ye)


def covered(rules: list[Rule], orient: str, pos: float, a: float, b: float, tol: float, share: float = 0.6) -> bool:
    """Is the stretch a..b at `pos` drawn (at least `share` of it) by rules of `orient`?"""
    need = max(b - a, 0.0) * share
    got = 0.0
    for r in rules:
        if r.orient == orient and abs(r.pos - pos) <= tol:
            got += max(0.0, min(r.b, b) - max(r.a, a))
    return got >= need - 1e-6 and (b - a > 0 or got > 0)
