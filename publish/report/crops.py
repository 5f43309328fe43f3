"""Findings' evidence boxes -> page crops (PNG) beside the report, so a reviewer sees the printed cell.

Planning is pure: each finding's boxes, grouped by page, become one region per page (the evidence
with a margin, across the printed width of the page so the row label is visible; narrower on wide
pages). Regions shared by several findings are rendered once. Only pages with a finding are rendered:
whole and once (pdfplumber's page image) when the page fits in `max_page_pixels` at the default
resolution, else region by region with PDFium, each region bounded the same way, so a huge page never blows memory.

The crops and `crops.csv` (which finding uses which crop, and the PDF box each crop shows) are kept
in the output folder: `whitepaper report DIR` can rebuild the report after the PDF has moved.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

CROPS_DIR = "crops"
CROPS_INDEX = "crops.csv"
CROP_COLUMNS = ["finding_id", "order", "page", "file", "x0", "top", "x1", "bottom", "width_px", "height_px"]
DEFAULT_RESOLUTION = 144.0  # dpi: table digits stay readable at 1x zoom
DEFAULT_MAX_PAGE_PIXELS = 6_000_000  # one render (RGB) stays under ~18 MB; A4 at 144 dpi is 2.4 M
DEFAULT_MARGIN = 16.0  # points around the evidence
DEFAULT_MAX_CROP_WIDTH = 620.0  # points: wider crops would shrink the digits below legibility in the report
DEFAULT_MAX_CROP_HEIGHT = 420.0  # points; taller evidence is cropped around the stated box
INK_THRESHOLD = 16  # grey levels below white that count as printed (ignores paper tint and noise)


@dataclass(frozen=True)
class CropSettings:
    resolution: float = DEFAULT_RESOLUTION
    max_page_pixels: int = DEFAULT_MAX_PAGE_PIXELS
    margin: float = DEFAULT_MARGIN
    max_crop_width: float = DEFAULT_MAX_CROP_WIDTH
    max_crop_height: float = DEFAULT_MAX_CROP_HEIGHT

    def __post_init__(self):
        if self.resolution <= 0 or self.max_page_pixels <= 0:
            raise ValueError("resolution and max_page_pixels must be positive")
        if self.margin < 0 or self.max_crop_height <= 0 or self.max_crop_width <= 0:
            raise ValueError("margin must be >= 0, max_crop_height and max_crop_width > 0")


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points from the page's top-left


@dataclass(frozen=True)
class Region:
    page: int
    box: Box

    @property
    def file(self) -> str:
        x0, top, x1, bottom = (int(math.floor(v)) for v in self.box)
        return f"p{self.page:04d}-{x0}-{top}-{x1}-{bottom}.png"


def evidence_boxes(evidence) -> list[tuple[int, Box]]:
    """A finding's `evidence` (JSON text or list of [page, x0, top, x1, bottom]) -> (page, box) pairs."""
    if evidence is None or (isinstance(evidence, float) and math.isnan(evidence)) or evidence == "":
        return []
    items = json.loads(evidence) if isinstance(evidence, str) else evidence
    boxes = []
    for item in items:
        page, x0, top, x1, bottom = item
        boxes.append((int(page), (float(x0), float(top), float(x1), float(bottom))))
    return boxes


def resolution_for(width: float, height: float, settings: CropSettings) -> float:
    """The render resolution of an area: the default, lowered so it has at most max_page_pixels."""
    pixels = (width * settings.resolution / 72.0) * (height * settings.resolution / 72.0)
    if pixels <= settings.max_page_pixels:
        return settings.resolution
    return 72.0 * math.sqrt(settings.max_page_pixels / (width * height))


def plan_region(
    boxes: list[Box], page_bbox: Box, settings: CropSettings, content_x: tuple[float, float] | None = None
) -> Box:
    """The crop around the boxes on one page (the first box is the stated one), clamped to the page.

    Across the printed width of the page (`content_x`; the page's width when not known) so the row
    label and the neighbouring columns are in view, unless that is wider than `max_crop_width`
    (landscape tables): then a window of that width from the printed left edge when the evidence
    fits in it, else centred on the evidence, so the digits stay legible in the report.
    """
    px0, ptop, px1, pbottom = page_bbox
    top = min(b[1] for b in boxes) - settings.margin
    bottom = max(b[3] for b in boxes) + settings.margin
    if bottom - top > settings.max_crop_height:  # keep the stated box in the middle
        middle = (boxes[0][1] + boxes[0][3]) / 2
        top, bottom = middle - settings.max_crop_height / 2, middle + settings.max_crop_height / 2
    ex0, ex1 = min(b[0] for b in boxes) - settings.margin, max(b[2] for b in boxes) + settings.margin
    cx0, cx1 = content_x or (px0, px1)
    x0, x1 = min(cx0 - settings.margin, ex0), max(cx1 + settings.margin, ex1)
    width = settings.max_crop_width
    if x1 - x0 > width:
        if ex1 - x0 <= width:
            x1 = x0 + width
        elif ex1 - ex0 >= width:
            x0, x1 = ex0, ex1
        else:
            middle = (ex0 + ex1) / 2
            x0, x1 = middle - width / 2, middle + width / 2
    return (round(max(x0, px0), 2), round(max(top, ptop), 2), round(min(x1, px1), 2), round(min(bottom, pbottom), 2))


def group_evidence(findings: list[dict], pages: set[int]) -> list[tuple[str, int, int, list[Box]]]:
    """(finding_id, order, page, boxes) for every page a finding's evidence is on, the stated page first."""
    groups = []
    for finding in findings:
        by_page: dict[int, list[Box]] = {}
        for page, box in evidence_boxes(finding.get("evidence")):
            if page in pages:
                by_page.setdefault(page, []).append(box)
            else:
                log.warning("%s: evidence on page %s, which the PDF does not have", finding["finding_id"], page)
        groups += [(finding["finding_id"], order, page, boxes) for order, (page, boxes) in enumerate(by_page.items())]
    return groups


def content_span(image, page_image, page_bbox: Box) -> tuple[float, float] | None:
    """Horizontal extent of everything printed on the rendered page, in PDF points (None: blank page)."""
    from PIL import ImageOps

    ink = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > INK_THRESHOLD else 0).getbbox()
    if ink is None:
        return None
    left, _, right, _ = ink
    return (page_image.bbox[0] + left / page_image.scale, page_image.bbox[0] + right / page_image.scale)


def _pixel_box(page_image, box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """PDF box -> pixel box of the page image (pdfplumber's projection), clamped to the image."""
    ox, oy, scale = page_image.bbox[0], page_image.bbox[1], page_image.scale
    x0, top, x1, bottom = box
    left, upper = max(0, math.floor((x0 - ox) * scale)), max(0, math.floor((top - oy) * scale))
    right, lower = min(size[0], math.ceil((x1 - ox) * scale)), min(size[1], math.ceil((bottom - oy) * scale))
    return left, upper, max(right, left + 1), max(lower, upper + 1)


def _whole_page(page, settings: CropSettings):
    """pdfplumber's image of the whole page, and what is needed to cut regions from it."""
    page_image = page.to_image(resolution=settings.resolution, antialias=True)
    image = page_image.original
    return image, page_image, content_span(image, page_image, tuple(float(v) for v in page.bbox))


def _region_image(pdfium_page, cropbox: Box, box: Box, settings: CropSettings):
    """Only the region, rendered by PDFium (pdfplumber's renderer) at the default resolution or lower:
    for pages too large to render whole. Crop amounts are from the cropbox's edges, in points."""
    x0, top, x1, bottom = box
    scale = resolution_for(x1 - x0, bottom - top, settings) / 72.0
    crop = (x0 - cropbox[0], cropbox[3] - bottom, cropbox[2] - x1, top - cropbox[1])
    return pdfium_page.render(scale=scale, crop=tuple(max(0.0, c) for c in crop)).to_pil().convert("RGB")


def render_crops(
    pdf_path: str | Path,
    findings: list[dict],
    out_dir: Path,
    settings: CropSettings = CropSettings(),
    crops_dir: Path | None = None,
) -> pd.DataFrame:
    """Write `out_dir/crops/*.png` and `crops/crops.csv` for the findings; returns the index frame.

    A page that fits in max_page_pixels at the default resolution is rendered whole, once (pdfplumber's
    page image); on a larger page only the regions are rendered, so memory stays bounded either way.
    """
    import pypdfium2

    from extractors.pdf_open import open_pdf

    crops_dir = crops_dir or out_dir / CROPS_DIR
    crops_dir.mkdir(exist_ok=True)
    rows = []
    with open_pdf(pdf_path) as pdf:
        groups = group_evidence(findings, {page.page_number for page in pdf.pages})
        pdfium_doc = None
        for page_number in sorted({g[2] for g in groups}):
            page = pdf.pages[page_number - 1]
            page_bbox = tuple(float(v) for v in page.bbox)
            whole = resolution_for(float(page.width), float(page.height), settings) == settings.resolution
            if whole:
                image, page_image, content_x = _whole_page(page, settings)
            else:
                pdfium_doc = pdfium_doc or pypdfium2.PdfDocument(str(pdf_path))
                pdfium_page, content_x = pdfium_doc[page_number - 1], None
            written: dict[Region, tuple[int, int]] = {}
            for finding_id, order, _, boxes in (g for g in groups if g[2] == page_number):
                region = Region(page_number, plan_region(boxes, page_bbox, settings, content_x))
                if region not in written:
                    if whole:
                        crop = image.crop(_pixel_box(page_image, region.box, image.size))
                    else:
                        crop = _region_image(pdfium_page, tuple(float(v) for v in page.cropbox), region.box, settings)
                    crop.save(crops_dir / region.file, format="PNG", optimize=True)
                    written[region] = crop.size
                width, height = written[region]
                rows.append(
                    {
                        "finding_id": finding_id,
                        "order": order,
                        "page": page_number,
                        "file": region.file,
                        "x0": region.box[0],
                        "top": region.box[1],
                        "x1": region.box[2],
                        "bottom": region.box[3],
                        "width_px": width,
                        "height_px": height,
                    }
                )
            page.close()
        if pdfium_doc is not None:
            pdfium_doc.close()
    index = pd.DataFrame(rows, columns=CROP_COLUMNS).sort_values(["finding_id", "order"], kind="stable")
    index.to_csv(crops_dir / CROPS_INDEX, index=False, lineterminator="\n")
    return index
