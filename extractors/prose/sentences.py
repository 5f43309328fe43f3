"""Prose of a PDF as sentences in reading order, each with its page, section path and boxes.

    lines (extractors.prose.page_lines) -> blocks (paragraphs, captions, notes; headings become the section path)
    -> sentences (spaCy sentencizer over each block, mapped back to line boxes)

Tables are excluded by the boxes the table extractor found (`exclude_boxes`); without them, table
text is still kept out of the prose because it is set smaller than the body text (it becomes
`note` lines). Running headers and page-number footers are dropped generically (extractors.prose.page_lines).

A sentence that runs across a page break is one sentence: `page` is where it starts, `boxes` has
one box per line part it covers, on every page it touches. Captions ("Number of PCT Patent
Applications by Region in Jiangsu in 2023") and notes ("Unit: piece") are returned as sentences of
kind `caption` / `note`, so a caller can show them, but they are not prose: fact extraction reads
`kind == "body"` only.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

from extractors.pdf_open import open_pdf
from extractors.prose.nlp import get_nlp
from extractors.prose.page_lines import (
    BODY,
    CAPTION,
    HEADING,
    NOTE,
    LayoutSettings,
    Line,
    classify_page_lines,
    document_lines,
)
from extractors.records import Box

SECTION_SEPARATOR = " / "
# A heading that starts with an enumerator: "A.", "B.Main", "(III)", "II.", "IV ", "3.", "(2)".
ENUMERATOR_RE = re.compile(r"^\s*(?:\(?[IVXLC]+\)|[IVXLC]+\.|[IVXLC]+\s|\(?[A-Z]\)|[A-Z]\.|\(?\d{1,2}\)|\d{1,2}\.)")
FINAL_PUNCT = (".", "!", "?", ":", ";", '."', ".\u201d", ".)")
DEFAULT_PARAGRAPH_GAP = 1.6  # a vertical gap above this many line pitches ends a paragraph
DEFAULT_INDENT = 0.5  # a first line indented by more than this many font sizes starts a paragraph
DEFAULT_HEADING_GAP = 1.0  # heading lines closer than this many font sizes are one heading


@dataclass(frozen=True)
class TextSettings:
    layout: LayoutSettings = LayoutSettings()
    paragraph_gap: float = DEFAULT_PARAGRAPH_GAP
    indent: float = DEFAULT_INDENT
    heading_gap: float = DEFAULT_HEADING_GAP

    def __post_init__(self) -> None:
        if self.paragraph_gap <= 1 or self.indent <= 0 or self.heading_gap <= 0:
            raise ValueError("paragraph_gap must be > 1; indent and heading_gap must be > 0")


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose (or one caption / note), traceable to the page."""

    sentence_id: str  # "s0001", in document order
    page: int  # page where the sentence starts
    section: str  # heading path, e.g. "C. IPR Protection / (III) Greater Effectiveness of ..."
    text: str
    boxes: tuple[Box, ...]
    kind: str = BODY  # body | caption | note
    paragraph: int = 0  # index of the block in the document

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({b.page for b in self.boxes}))


@dataclass
class Block:
    """Consecutive lines that read as one text: a paragraph, a caption or a note."""

    kind: str
    section: str
    lines: list[Line] = field(default_factory=list)

    def text_and_offsets(self) -> tuple[str, list[int]]:
        """Joined text (hyphenated line ends closed up) and the start offset of each line in it."""
        text, offsets = "", []
        for line in self.lines:
            if text and not (text.endswith("-") and line.text[:1].isalnum()):
                text += " "
            offsets.append(len(text))
            text += line.text
        return text, offsets


# --- section path -------------------------------------------------------------------------------
@dataclass
class _Heading:
    size: float
    enumerated: bool
    text: str


class SectionPath:
    """Heading stack: bigger size is higher; an unnumbered heading nests under a numbered one of its size.

    Headings bigger than every numbered heading are document titles: they reset the path and are
    not part of it.
    """

    def __init__(self, headings: list[tuple[float, str]]):
        enumerated_sizes = [s for s, t in headings if ENUMERATOR_RE.match(t)]
        self.title_above = max(enumerated_sizes) if enumerated_sizes else float("inf")
        self.stack: list[_Heading] = []

    def push(self, size: float, text: str) -> None:
        if size > self.title_above:
            self.stack = []
            return
        enumerated = bool(ENUMERATOR_RE.match(text))
        while self.stack and (
            self.stack[-1].size < size
            or (self.stack[-1].size == size and (enumerated or not self.stack[-1].enumerated))
        ):
            self.stack.pop()
        self.stack.append(_Heading(size, enumerated, text))

    @property
    def path(self) -> str:
        return SECTION_SEPARATOR.join(h.text for h in self.stack)


# --- blocks ---------------------------------------------------------------------------------------
def _merge_headings(lines: list[Line], settings: TextSettings) -> list[tuple[Line, str]]:
    """Lines with multi-line headings joined: (first line, full heading text or '' for non-headings)."""
    merged: list[tuple[Line, str]] = []
    for line in lines:
        if line.kind == HEADING and merged and merged[-1][1]:
            prev, text = merged[-1]
            gap = line.box.top - prev.box.bottom
            same = prev.page == line.page and abs(prev.size - line.size) < 0.05
            if same and gap < settings.heading_gap * line.size and not ENUMERATOR_RE.match(line.text):
                merged[-1] = (prev, f"{text} {line.text}")
                continue
        merged.append((line, line.text if line.kind == HEADING else ""))
    return merged


def _left_margin(lines: list[Line]) -> float:
    counts = Counter(round(ln.box.x0) for ln in lines if ln.kind == BODY)
    return float(counts.most_common(1)[0][0]) if counts else 0.0


def _starts_paragraph(prev: Line, line: Line, text_so_far: str, margin: float, settings: TextSettings) -> bool:
    indented = line.box.x0 > margin + settings.indent * line.size
    if indented:
        return True
    if prev.page != line.page:
        return False
    pitch = line.size * 1.5
    ended = text_so_far.rstrip().endswith(FINAL_PUNCT)
    return ended and (line.box.top - prev.box.bottom) > settings.paragraph_gap * pitch


def lines_to_blocks(lines: list[Line], settings: TextSettings = TextSettings()) -> list[Block]:
    """Group classified lines into paragraphs, captions and notes, each tagged with its section path."""
    merged = _merge_headings(lines, settings)
    path = SectionPath([(ln.size, t) for ln, t in merged if t])
    margin = _left_margin(lines)
    blocks: list[Block] = []
    paragraph: Block | None = None
    for line, heading in merged:
        if heading:
            path.push(line.size, heading)
            paragraph = None
            continue
        if line.kind == BODY:
            if paragraph is not None:
                text, _ = paragraph.text_and_offsets()
                if not _starts_paragraph(paragraph.lines[-1], line, text, margin, settings):
                    paragraph.lines.append(line)
                    continue
            paragraph = Block(BODY, path.path, [line])
            blocks.append(paragraph)
            continue
        # Captions and notes: consecutive lines of one kind are one block; they do not end a paragraph.
        last = blocks[-1] if blocks else None
        if (
            last is not None
            and last.kind == line.kind
            and last.lines[-1].page == line.page
            and (line.box.top - last.lines[-1].box.bottom < settings.heading_gap * line.size)
        ):
            last.lines.append(line)
        else:
            blocks.append(Block(line.kind, path.path, [line]))
    return blocks


# --- sentences ------------------------------------------------------------------------------------
def _span_boxes(block: Block, offsets: list[int], start: int, end: int) -> tuple[Box, ...]:
    boxes = []
    for line, line_start in zip(block.lines, offsets):
        line_end = line_start + len(line.text)
        if line_end <= start or line_start >= end:
            continue
        boxes.append(line.sub_box(max(start, line_start) - line_start, min(end, line_end) - line_start))
    return tuple(boxes)


def blocks_to_sentences(blocks: list[Block]) -> list[Sentence]:
    """Split body blocks into sentences with the shared sentencizer; captions and notes stay whole."""
    nlp = get_nlp()
    sentences: list[Sentence] = []
    for index, block in enumerate(blocks):
        text, offsets = block.text_and_offsets()
        spans = [(s.start_char, s.end_char) for s in nlp(text).sents] if block.kind == BODY else [(0, len(text))]
        for start, end in spans:
            chunk = text[start:end].strip()
            if not chunk:
                continue
            boxes = _span_boxes(block, offsets, start, end)
            sentences.append(
                Sentence(
                    sentence_id=f"s{len(sentences) + 1:04d}",
                    page=boxes[0].page,
                    section=block.section,
                    text=chunk,
                    boxes=boxes,
                    kind=block.kind,
                    paragraph=index,
                )
            )
    return sentences


def table_boxes(tables) -> list[Box]:
    """Boxes to exclude for extracted tables (`extractors.records.Table`): each table's box on its first
    page, and on every continuation page the box of its body cells there, raised by the height of the
    header rows (a continued table repeats its header)."""
    boxes: list[Box] = []
    for table in tables:
        boxes.append(table.bbox)
        cells = [b for row in table.body_boxes for b in row if b is not None]
        first = [b.top for b in cells if b.page == table.page_first]
        header_height = (min(first) - table.bbox.top) if first else 0.0
        for page in range(table.page_first + 1, table.page_last + 1):
            on_page = [b for b in cells if b.page == page]
            if on_page:
                boxes.append(
                    Box(
                        page,
                        min(table.bbox.x0, min(b.x0 for b in on_page)),
                        max(0.0, min(b.top for b in on_page) - header_height),
                        max(table.bbox.x1, max(b.x1 for b in on_page)),
                        max(b.bottom for b in on_page),
                    )
                )
    return boxes


def extract_sentences(pdf_or_path, exclude_boxes=(), settings: TextSettings = TextSettings()) -> list[Sentence]:
    """Sentences of a document (an open pdfplumber PDF or a path), excluding the given table boxes."""
    if isinstance(pdf_or_path, (str, os.PathLike)):
        with open_pdf(pdf_or_path) as pdf:
            return extract_sentences(pdf, exclude_boxes, settings)
    lines = document_lines(pdf_or_path, exclude_boxes, settings.layout)
    return blocks_to_sentences(lines_to_blocks(lines, settings))


def page_lines_to_sentences(
    page_lines: list[list[Line]], exclude_boxes=(), settings: TextSettings = TextSettings()
) -> list[Sentence]:
    """`extract_sentences` from lines already read page by page (`extractors.prose.page_lines.page_to_lines`), so a
    caller can read each page once, release it, and find the table boxes before excluding them."""
    lines = classify_page_lines(page_lines, exclude_boxes, settings.layout)
    return blocks_to_sentences(lines_to_blocks(lines, settings))


def text_to_sentences(paragraphs: list[str], section: str = "", page: int = 1) -> list[Sentence]:
    """Sentences of plain-text paragraphs (no PDF): for tests, and for text that did not come from a page."""
    nlp = get_nlp()
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(paragraphs):
        for sent in nlp(paragraph).sents:
            text = sent.text.strip()
            if text:
                sentences.append(Sentence(f"s{len(sentences) + 1:04d}", page, section, text, (), BODY, index))
    return sentences


__all__ = [
    "Sentence",
    "TextSettings",
    "extract_sentences",
    "page_lines_to_sentences",
    "table_boxes",
    "text_to_sentences",
    "BODY",
    "CAPTION",
    "NOTE",
]
