"""Generate small PDFs with known tables (reportlab), for tests and property tests.

    from tests.pdfgen import TableSpec, render_table_pdf

    spec = TableSpec(header=[["Region", "Patents"]], body=[["Nanjing", "1,234"], ["Wuxi", "567"]],
                     title="Patents by Region in 2023", unit="piece", notes=["Note: invented data."],
                     rules="grid")
    render_table_pdf("/tmp/t.pdf", tables=[spec])

TableSpec fields
- header: header grid rows as printed, in the contract's form: a spanning cell's text in its
  top-left position and "" where it covers. Spans are inferred: a header text spans right over ""
  cells that have sub-headers in the next header row, and down over "" cells below it.
- body: data rows; "\\n" inside a text makes a multi-line cell (the extractor joins lines with " ").
- title, unit ("piece" is printed as "Unit: piece"), notes (lines printed under the table).
- rules: "grid" (every cell border), "horizontal" (top rule, rule under the header, bottom rule),
  "none" (whitespace only).
- split_after: print this many body rows, then continue the table on the next page;
  repeat_header: print the header again on the continuation page.
- valign: "top" or "bottom": where single-line cells sit in a row whose label wraps.
- span_rules: with rules="horizontal", also a short rule under each header text that spans several
  columns (the usual booktabs-style marker of a spanning header).
- missing_align: where a missing-value mark ("/", "—", "-") sits in its cell: "right" (with the
  numbers, the default), "centre" or "left".
- page_break_before: start this table (and the prose before it) on a new page.
- panels: print the table in this many panels side by side (national bulletins' layout): the header
  printed once per panel, the body rows split in reading order (panel 1 takes the first
  ceil(n / panels) rows, then panel 2, ...), so an odd row count leaves the last panel a row short and
  the total row, when last, sits in the last panel; panel_gap: extra space (pt) between panels
  (0 with rules="grid": the panels share a border; more: separate ruled boxes).
- shade: "rows" (every other body row filled, across the table), "cells" (single body cells filled,
  a diagonal pattern), "header" (the header filled), or "" (none); light fills behind text.
- rotated: {column: angle} prints that column's lowest header text turned by 90 (reads bottom to
  top) or 270 degrees (top to bottom); the header row grows to hold it.
- header_valign: "top" (default) or "middle": header texts shorter than their cell centred vertically
  (a one-line heading beside a wrapped neighbour).
- label_outside: with rules="grid" or "horizontal", the row-label column is printed left of the ruled
  box (no rules around it).
- total_rule / bold_last: a rule above the last body row across the table / the last row in bold.
- In header texts "\u00ad" breaks a word across lines without a hyphen ("Univer\u00adsities" prints
  "Univer" over "sities"; the word read back is "Universities"): narrow header cells.
- expected_header() / expected_paths() / expected_body(): the logical table as the extractor must
  give it (line breaks read as spaces, broken words whole, panels stacked in reading order).

render_table_pdf(path, tables, landscape=False, prose=True, furniture=True, captions_without_table=(),
                 bar_charts=(), rotate=0)
- prose: a paragraph of running text before each table (tables must be found among prose);
- furniture: running head and page number on every page (must not become table rows);
- captions_without_table: chart captions (title + unit) printed with an empty chart area and no
  table under them, after the tables;
- rotate: /Rotate every page by 90, 180 or 270 degrees (a page turned in the viewer, so the text
  reads sideways in page space);
- bar_charts: (title, unit, labels, values) bar charts with value labels over the bars and
  category labels under the axis (text that lines up but is not a table), after those.
Returns a list with, per table, {"pages": [first, last], "title": ...}.

For robustness tests, documents without tables:
- render_prose_pdf(path, pages=1, pagesize=A4, user_password=None, owner_password=None): running
  text on every page (no table); with a user password the file cannot be opened without it;
- render_image_only_pdf(path, pages=1): every page is one grey image and nothing else, like a scan
  without a text layer (written by hand, no imaging library needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE, LEADING, PAD = 8.0, 10.0, 3.0
MARGIN = 56.0
MISSING_MARKS = ("/", "—", "–", "-")
PROSE = (
    "The office continued to improve the quality of examination and the protection of rights "
    "across the province during the year under review, and the figures below summarise the "
    "results reported by each region to the provincial authority at the end of the year."
)


@dataclass
class TableSpec:
    header: list[list[str]]
    body: list[list[str]]
    title: str = ""
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    rules: str = "grid"
    split_after: int | None = None
    repeat_header: bool = True
    valign: str = "top"
    missing_align: str = "right"
    span_rules: bool = False
    page_break_before: bool = False
    panels: int = 1
    panel_gap: float = 0.0
    shade: str = ""
    rotated: dict[int, int] = field(default_factory=dict)
    header_valign: str = "top"
    label_outside: bool = False
    total_rule: bool = False
    bold_last: bool = False

    def __post_init__(self) -> None:
        if self.missing_align not in ("right", "centre", "left"):
            raise ValueError(f"missing_align must be right, centre or left, not {self.missing_align!r}")
        if self.rules not in ("grid", "horizontal", "none"):
            raise ValueError(f"rules must be grid, horizontal or none, not {self.rules!r}")
        widths = {len(r) for r in self.header + self.body}
        if len(widths) != 1:
            raise ValueError("every header and body row needs the same number of cells")
        if self.shade not in ("", "rows", "cells", "header"):
            raise ValueError(f"shade must be rows, cells, header or empty, not {self.shade!r}")
        if self.header_valign not in ("top", "middle"):
            raise ValueError(f"header_valign must be top or middle, not {self.header_valign!r}")
        if any(a not in (90, 270) for a in self.rotated.values()):
            raise ValueError("rotated header angles are 90 or 270")
        if self.panels < 1 or (self.panels > 1 and self.split_after is not None):
            raise ValueError("panels must be at least 1, and a paneled table is printed on one page")

    # --- the logical table, as it must be read back ---------------------------------------------
    def expected_header(self) -> list[list[str]]:
        return [[_read(t) for t in row] for row in self.header]

    def expected_paths(self) -> list[str]:
        spans = header_spans(self.header)
        n = len(self.header[0]) if self.header else 0
        return [" / ".join(_read(t) for _r0, _r1, c0, c1, t in spans if c0 <= c <= c1) for c in range(n)]

    def expected_body(self) -> list[list[str]]:
        return [[_read(t) for t in row] for row in self.body]

    # --- as printed ---------------------------------------------------------------------------------
    def rows_per_panel(self) -> int:
        return -(-len(self.body) // self.panels)

    def printed_header(self) -> list[list[str]]:
        return [row * self.panels for row in self.header]

    def printed_body(self) -> list[list[str]]:
        """Printed rows: panel p's i-th row beside the other panels' i-th rows ("" where a panel is short)."""
        k, n = self.rows_per_panel(), len(self.header[0] if self.header else self.body[0])
        out = []
        for i in range(k):
            row: list[str] = []
            for p in range(self.panels):
                j = p * k + i
                row += self.body[j] if j < len(self.body) else [""] * n
            out.append(row)
        return out


def header_spans(header: list[list[str]]) -> list[tuple[int, int, int, int, str]]:
    """(r0, r1, c0, c1, text) for every header text, spans inferred as the docstring says (a text spans
    right over "" cells that have sub-headers below: in the next row, or further down under a
    sub-group that spans them in turn: three-level headers)."""
    n_r, n_c = len(header), len(header[0]) if header else 0
    out = []
    for r in range(n_r):
        for c in range(n_c):
            t = header[r][c]
            if not t:
                continue
            c1 = c
            # right over "" cells that no text above reaches down into and that have text below
            while (
                c1 + 1 < n_c
                and not header[r][c1 + 1]
                and not any(a <= r <= b and c0 <= c1 + 1 <= d for a, b, c0, d, _t in out if a < r)
                and any(header[k][c1 + 1] for k in range(r + 1, n_r))
            ):
                c1 += 1
            r1 = r
            while r1 + 1 < n_r and all(not header[r1 + 1][k] for k in range(c, c1 + 1)):
                r1 += 1
            out.append((r, r1, c, c1, t))
    return out


SOFT_BREAK = "\u00ad"  # in a header text: a line break inside a word, printed without a hyphen
SHADE_RGB = (0.85, 0.89, 0.95)  # light fill behind text


def _read(text: str) -> str:
    """A printed text as the extractor reads it back: lines joined by spaces, broken words whole."""
    return " ".join(text.replace(SOFT_BREAK, "").split("\n")) if text else ""


def _lines(text: str) -> list[str]:
    return text.replace(SOFT_BREAK, "\n").split("\n") if text else [""]


def _rotated_spans(spec: TableSpec) -> dict[tuple[int, int], int]:
    """(r0, c0) of each header text printed turned -> its angle: a column's lowest single-column text."""
    out = {}
    for col, angle in spec.rotated.items():
        own = [(r0, r1) for r0, r1, c0, c1, _t in header_spans(spec.header) if c0 == c1 == col]
        if own:
            out[(max(own)[0], col)] = angle
    return out


def _col_widths(spec: TableSpec) -> list[float]:
    n = len(spec.body[0] if spec.body else spec.header[0])
    widths = [24.0] * n
    for row in spec.body:
        for c, t in enumerate(row):
            w = max(stringWidth(x, FONT, SIZE) for x in _lines(t))
            widths[c] = max(widths[c], w + 4 * PAD)
    turned = _rotated_spans(spec)
    for r0, _r1, c0, c1, t in header_spans(spec.header):
        if c0 == c1:
            if (r0, c0) in turned:
                w = len(_lines(t)) * LEADING
            else:
                w = max(stringWidth(x, BOLD, SIZE) for x in _lines(t))
            widths[c0] = max(widths[c0], w + 4 * PAD)
    for _r0, _r1, c0, c1, t in header_spans(spec.header):
        if c1 > c0:  # a spanner wider than its columns widens them evenly
            need = max(stringWidth(x, BOLD, SIZE) for x in _lines(t)) + 4 * PAD - sum(widths[c0 : c1 + 1])
            for c in range(c0, c1 + 1):
                widths[c] += max(need, 0.0) / (c1 - c0 + 1)
    return widths


class _Writer:
    def __init__(self, path: str, size: tuple[float, float], furniture: bool, rotate: int = 0):
        self.c = canvas.Canvas(path, pagesize=size)
        self.w, self.h = size
        self.furniture = furniture
        self.rotate = rotate
        self.page = 1
        self.y = 0.0
        self._start_page()

    def _start_page(self) -> None:
        if self.rotate:
            self.c.setPageRotation(self.rotate)
        self.y = self.h - MARGIN
        if self.furniture:
            self.c.setFont(FONT, 7)
            self.c.drawCentredString(self.w / 2, self.h - 30, "Statistical White Paper of the Province")
            self.c.drawCentredString(self.w / 2, 24, f"- {self.page} -")

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self._start_page()

    def room(self, height: float) -> bool:
        return self.y - height >= MARGIN

    def text(
        self,
        s: str,
        font: str = FONT,
        size: float = SIZE,
        align: str = "left",
        x0: float | None = None,
        x1: float | None = None,
    ) -> None:
        x0 = MARGIN if x0 is None else x0
        x1 = self.w - MARGIN if x1 is None else x1
        self.c.setFont(font, size)
        base = self.y - size
        if align == "centre":
            self.c.drawCentredString((x0 + x1) / 2, base, s)
        elif align == "right":
            self.c.drawRightString(x1, base, s)
        else:
            self.c.drawString(x0, base, s)
        self.y -= size * 1.4

    def paragraph(self, s: str) -> None:
        words, line = s.split(), ""
        limit = self.w - 2 * MARGIN
        for word in words:
            trial = (line + " " + word).strip()
            if stringWidth(trial, FONT, 10) > limit:
                self.text(line, size=10)
                line = word
            else:
                line = trial
        if line:
            self.text(line, size=10)
        self.y -= 6


def _row_height(row: list[str]) -> float:
    return max(len(_lines(t)) for t in row) * LEADING + 2 * PAD


def _draw_cell(
    w: _Writer, text: str, x0: float, x1: float, top: float, n_lines: int, font: str, align: str, valign: str
) -> None:
    lines = _lines(text)
    offset = {"bottom": (n_lines - len(lines)) * LEADING, "middle": (n_lines - len(lines)) * LEADING / 2}.get(
        valign, 0.0
    )
    w.c.setFont(font, SIZE)
    for i, s in enumerate(lines):
        base = top - PAD - offset - (i + 1) * LEADING + 2.0
        if align == "right":
            w.c.drawRightString(x1 - 2 * PAD, base, s)
        elif align == "centre":
            w.c.drawCentredString((x0 + x1) / 2, base, s)
        else:
            w.c.drawString(x0 + 2 * PAD, base, s)


def _draw_turned(w: _Writer, text: str, x0: float, x1: float, top: float, bottom: float, angle: int) -> None:
    """Header text turned by `angle` (90: reads bottom to top; 270: top to bottom), centred in its cell."""
    lines = _lines(text)
    c = w.c
    c.saveState()
    c.translate((x0 + x1) / 2, (top + bottom) / 2)
    c.rotate(angle)
    c.setFont(BOLD, SIZE)
    for i, s in enumerate(lines):
        # lines stack downwards in the turned frame: rightwards on the page at 90, leftwards at 270
        c.drawCentredString(0, (len(lines) / 2 - i - 1) * LEADING + 2.5, s)
    c.restoreState()


def _shade(w: _Writer, x0: float, top: float, x1: float, bottom: float) -> None:
    w.c.setFillColorRGB(*SHADE_RGB)
    w.c.rect(x0, bottom, x1 - x0, top - bottom, stroke=0, fill=1)
    w.c.setFillColorRGB(0, 0, 0)


def _header_heights(spec: TableSpec) -> list[float]:
    heights = [_row_height(list(r)) for r in spec.header]
    for (r0, c0), _angle in _rotated_spans(spec).items():
        r1 = next(b for a, b, c, _d, _t in header_spans(spec.header) if (a, c) == (r0, c0))
        text = spec.header[r0][c0]
        need = max(stringWidth(x, BOLD, SIZE) for x in _lines(text)) + 4 * PAD
        have = sum(heights[r0 : r1 + 1])
        if need > have:
            heights[r1] += need - have
    return heights


class _Columns:
    """Left and right edge of every printed column (panels side by side, `panel_gap` between them)."""

    def __init__(self, w: _Writer, spec: TableSpec):
        widths = _col_widths(spec)
        self.n = len(widths)
        self.panels = spec.panels
        total = sum(widths) * spec.panels + spec.panel_gap * (spec.panels - 1)
        x = max(MARGIN, (w.w - total) / 2)
        self.lefts: list[float] = []
        self.rights: list[float] = []
        for k in range(self.n * spec.panels):
            if k and k % self.n == 0:
                x += spec.panel_gap
            self.lefts.append(x)
            x += widths[k % self.n]
            self.rights.append(x)

    @property
    def x0(self) -> float:
        return self.lefts[0]

    @property
    def x1(self) -> float:
        return self.rights[-1]

    def panel(self, p: int, label_outside: bool = False) -> tuple[float, float]:
        """x-extent of panel p's rules."""
        first = p * self.n + (1 if label_outside else 0)
        return self.lefts[first], self.rights[(p + 1) * self.n - 1]


def _hline(w: _Writer, spec: TableSpec, cols: _Columns, y: float, panels: range | None = None) -> None:
    for p in panels if panels is not None else range(spec.panels):
        a, b = cols.panel(p, spec.label_outside)
        w.c.line(a, y, b, y)


def _draw_header(w: _Writer, spec: TableSpec, cols: _Columns) -> float:
    """Draw the header (once per panel) at w.y; return the y of its bottom edge."""
    heights = _header_heights(spec)
    ys = [w.y]
    for h in heights:
        ys.append(ys[-1] - h)
    turned = _rotated_spans(spec)
    if spec.shade == "header":
        _shade(w, cols.x0, ys[0], cols.x1, ys[-1])
    for p in range(spec.panels):
        k = p * cols.n
        for r0, r1, c0, c1, t in header_spans(spec.header):
            a, b = cols.lefts[k + c0], cols.rights[k + c1]
            if (r0, c0) in turned:
                _draw_turned(w, t, a, b, ys[r0], ys[r1 + 1], turned[(r0, c0)])
            else:
                n_lines = int(round((ys[r0] - ys[r1 + 1] - 2 * PAD) / LEADING))
                _draw_cell(w, t, a, b, ys[r0], n_lines, BOLD, "centre", spec.header_valign)
            if spec.rules == "grid" and not (spec.label_outside and c0 == 0):
                w.c.rect(a, ys[r1 + 1], b - a, ys[r0] - ys[r1 + 1])
            elif spec.rules == "horizontal" and spec.span_rules and c1 > c0:
                w.c.line(a + PAD, ys[r1 + 1], b - PAD, ys[r1 + 1])
    if spec.rules == "horizontal":
        _hline(w, spec, cols, ys[0])
        _hline(w, spec, cols, ys[-1])
    w.y = ys[-1]
    return ys[-1]


def _draw_body_row(w: _Writer, spec: TableSpec, row: list[str], cols: _Columns, index: int = 0) -> None:
    """One printed row (every panel's `index`-th row)."""
    h = _row_height(row)
    n_lines = max(len(_lines(t)) for t in row)
    k = spec.rows_per_panel()
    last_panel = (len(spec.body) - 1) // k if spec.body else -1
    is_last = [p * k + index == len(spec.body) - 1 for p in range(spec.panels)]
    if spec.shade == "rows" and index % 2 == 1:
        _shade(w, cols.x0, w.y, cols.x1, w.y - h)
    if spec.total_rule and any(is_last):
        _hline(w, spec, cols, w.y, range(last_panel, last_panel + 1))
    for c, t in enumerate(row):
        x0, x1 = cols.lefts[c], cols.rights[c]
        if spec.shade == "cells" and (index + c) % 3 == 0 and c % cols.n:
            _shade(w, x0, w.y, x1, w.y - h)
        numeric = any(ch.isdigit() for ch in t) and not any(ch.isalpha() for ch in t)
        align = "right" if numeric else spec.missing_align if t.strip() in MISSING_MARKS else "left"
        font = BOLD if spec.bold_last and is_last[c // cols.n] else FONT
        valign = spec.valign if len(_lines(t)) < n_lines else "top"
        _draw_cell(w, t, x0, x1, w.y, n_lines, font, align, valign)
        if spec.rules == "grid" and not (spec.label_outside and c % cols.n == 0):
            w.c.rect(x0, w.y - h, x1 - x0, h)
    w.y -= h


def _draw_table(w: _Writer, spec: TableSpec, prose: bool) -> dict:
    cols = _Columns(w, spec)
    body = spec.printed_body()
    need = 4 * LEADING + sum(_header_heights(spec)) + _row_height(body[0])
    if spec.page_break_before:
        w.new_page()
    if prose:
        w.paragraph(PROSE)
    if not w.room(need):
        w.new_page()
    first = w.page
    if spec.title:
        w.text(spec.title, BOLD, 9, "centre", cols.x0, cols.x1)
    if spec.unit:
        w.text(f"Unit: {spec.unit}", FONT, SIZE, "right", cols.x0, cols.x1)
    w.y -= 2
    _draw_header(w, spec, cols)
    for i, row in enumerate(body):
        split_here = spec.split_after is not None and i == spec.split_after
        if split_here or not w.room(_row_height(row)):
            if spec.rules == "horizontal":
                _hline(w, spec, cols, w.y)
            w.new_page()
            if spec.repeat_header:
                _draw_header(w, spec, cols)
            elif spec.rules == "horizontal":
                _hline(w, spec, cols, w.y)
        _draw_body_row(w, spec, row, cols, i)
    if spec.rules == "horizontal":
        _hline(w, spec, cols, w.y)
    w.y -= 4
    for note in spec.notes:
        w.text(note, FONT, 7, "left", cols.x0, cols.x1)
    w.y -= 14
    return {"pages": [first, w.page], "title": spec.title}


def _draw_bar_chart(w: _Writer, labels: list[str], values: list[float]) -> None:
    """Bars with their value printed above them and the labels under the axis."""
    height, top = 110.0, w.y
    base = top - height
    step = (w.w - 2 * MARGIN) / max(len(labels), 1)
    vmax = max(values) or 1.0
    w.c.setFont(FONT, 7)
    w.c.line(MARGIN, base, w.w - MARGIN, base)
    for i, (lab, v) in enumerate(zip(labels, values)):
        x = MARGIN + i * step + step * 0.25
        h = (height - 20) * v / vmax
        w.c.setFillColorRGB(0.3, 0.45, 0.7)
        w.c.rect(x, base, step * 0.5, h, stroke=0, fill=1)
        w.c.setFillColorRGB(0, 0, 0)
        w.c.drawCentredString(x + step * 0.25, base + h + 3, f"{v:,.0f}")
        w.c.drawCentredString(x + step * 0.25, base - 10, lab)
    w.y = base - 24


def render_table_pdf(
    path: str,
    tables: list[TableSpec],
    landscape: bool = False,
    prose: bool = True,
    furniture: bool = True,
    captions_without_table: tuple | list = (),
    bar_charts: tuple | list = (),
    rotate: int = 0,
) -> list[dict]:
    size = to_landscape(A4) if landscape else A4
    w = _Writer(str(path), size, furniture, rotate)
    out = [_draw_table(w, spec, prose) for spec in tables]
    for title, unit in captions_without_table:
        if not w.room(120):
            w.new_page()
        w.text(title, BOLD, 9, "centre")
        if unit:
            w.text(f"Unit: {unit}", FONT, SIZE, "right")
        w.y -= 90  # where the chart was
        if prose:
            w.paragraph(PROSE)
    for title, unit, labels, values in bar_charts:
        if not w.room(180):
            w.new_page()
        w.text(title, BOLD, 9, "centre")
        if unit:
            w.text(f"Unit: {unit}", FONT, SIZE, "right")
        _draw_bar_chart(w, labels, values)
        if prose:
            w.paragraph(PROSE)
    w.c.save()
    return out


def render_prose_pdf(
    path: str,
    pages: int = 1,
    pagesize: tuple[float, float] = A4,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> None:
    """Running text on every page, no table; encrypted (RC4/AES by reportlab) when a password is given."""
    encrypt = None
    if user_password is not None or owner_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(user_password or "", ownerPassword=owner_password or user_password or "")
    c = canvas.Canvas(str(path), pagesize=pagesize, encrypt=encrypt)
    width, height = pagesize
    for number in range(1, pages + 1):
        c.setFont(FONT, 10)
        y = height - MARGIN
        words, line = f"Page {number}. {PROSE}".split(), ""
        for word in words:
            trial = (line + " " + word).strip()
            if stringWidth(trial, FONT, 10) > width - 2 * MARGIN:
                c.drawString(MARGIN, y, line)
                y -= 14
                line = word
            else:
                line = trial
        c.drawString(MARGIN, y, line)
        c.showPage()
    c.save()


def render_image_only_pdf(path: str, pages: int = 1, size: tuple[float, float] = A4) -> None:
    """Pages that hold one 16 x 16 grey image each and no text operator at all (a scan without OCR)."""
    side = 16
    pixels = bytes((x * 16 + y) % 256 for y in range(side) for x in range(side))
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i in range(pages):
        _page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        width, height = size[0] - 2 * MARGIN, size[1] - 2 * MARGIN
        draw = f"q {width:.0f} 0 0 {height:.0f} {MARGIN:.0f} {MARGIN:.0f} cm /Im0 Do Q".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]:.0f} {size[1]:.0f}] "
            f"/Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(pixels)) + pixels + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as fh:
        fh.write(bytes(out))
