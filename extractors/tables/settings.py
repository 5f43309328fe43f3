"""Table extraction settings: one checked object with named defaults, the same for every file.

Distances are in PDF points unless the name ends in `_RATIO`, in which case they are multiples of
the local font size (so one setting serves 6 pt footnote tables and 12 pt slides alike).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# --- words and text lines ---------------------------------------------------------------------
DEFAULT_DEDUPE_TOLERANCE = 1.0  # same glyph drawn twice within this distance = one glyph
DEFAULT_WORD_GAP_RATIO = 0.15  # a wider gap between glyphs starts a new word
DEFAULT_CHUNK_GAP_RATIO = 0.75  # a wider gap between words starts a new text chunk
DEFAULT_LINE_OVERLAP = 0.5  # words share a line when they overlap this much vertically
DEFAULT_LEADER_MIN_DOTS = 3  # ". . . ." runs this long are leaders, not text
# --- ruling lines -------------------------------------------------------------------------------
DEFAULT_RULE_MAX_THICKNESS = 3.0  # a rect thinner than this is a line
DEFAULT_RULE_MIN_LENGTH = 4.0  # shorter strokes are decoration, not rules
DEFAULT_SNAP_TOLERANCE = 2.5  # rules this close are one rule
DEFAULT_JOIN_TOLERANCE = 3.0  # collinear rules with gaps this small are joined
DEFAULT_INTERSECTION_TOLERANCE = 3.0  # a rule ending this close to another one touches it
# --- table regions ------------------------------------------------------------------------------
DEFAULT_MIN_ROWS = 2  # fewer body rows than this is not a table
DEFAULT_MIN_COLS = 2  # fewer columns than this is not a table
DEFAULT_MIN_GUTTER_RATIO = 0.3  # narrowest whitespace that separates two columns
DEFAULT_MAX_ROW_GAP_RATIO = 2.6  # a vertical gap wider than this (x line height) ends a table
DEFAULT_PROSE_MIN_WORDS = 7  # a chunk with this many words reads as running text
DEFAULT_MIN_FILLED_ROWS = 2  # rows (header included) with two or more filled cells
DEFAULT_CHART_MIN_MARKS = 4  # this many chart marks (slanted strokes, curves, bars) = a chart
# --- captions, units and notes -----------------------------------------------------------------
DEFAULT_CAPTION_MAX_GAP_RATIO = 4.0  # how far (x line height) above a table its title may sit
DEFAULT_NOTE_MAX_GAP_RATIO = 2.0  # how far below a table its first note may start
# --- pages --------------------------------------------------------------------------------------
DEFAULT_PARALLEL_MIN_PAGES = 4  # documents with at least this many pages may use worker processes
DEFAULT_WORKERS = 2


@dataclass(frozen=True)
class TableSettings:
    dedupe_tolerance: float = DEFAULT_DEDUPE_TOLERANCE
    word_gap_ratio: float = DEFAULT_WORD_GAP_RATIO
    chunk_gap_ratio: float = DEFAULT_CHUNK_GAP_RATIO
    line_overlap: float = DEFAULT_LINE_OVERLAP
    leader_min_dots: int = DEFAULT_LEADER_MIN_DOTS
    rule_max_thickness: float = DEFAULT_RULE_MAX_THICKNESS
    rule_min_length: float = DEFAULT_RULE_MIN_LENGTH
    snap_tolerance: float = DEFAULT_SNAP_TOLERANCE
    join_tolerance: float = DEFAULT_JOIN_TOLERANCE
    intersection_tolerance: float = DEFAULT_INTERSECTION_TOLERANCE
    min_rows: int = DEFAULT_MIN_ROWS
    min_cols: int = DEFAULT_MIN_COLS
    min_gutter_ratio: float = DEFAULT_MIN_GUTTER_RATIO
    max_row_gap_ratio: float = DEFAULT_MAX_ROW_GAP_RATIO
    prose_min_words: int = DEFAULT_PROSE_MIN_WORDS
    min_filled_rows: int = DEFAULT_MIN_FILLED_ROWS
    chart_min_marks: int = DEFAULT_CHART_MIN_MARKS
    caption_max_gap_ratio: float = DEFAULT_CAPTION_MAX_GAP_RATIO
    note_max_gap_ratio: float = DEFAULT_NOTE_MAX_GAP_RATIO
    parallel_min_pages: int = DEFAULT_PARALLEL_MIN_PAGES
    workers: int = DEFAULT_WORKERS

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"TableSettings.{f.name} must be a number, got {value!r}")
            if value < 0:
                raise ValueError(f"TableSettings.{f.name} must be >= 0, got {value}")
        if self.line_overlap > 1:
            raise ValueError("TableSettings.line_overlap is a share and must be <= 1")
        if self.min_rows < 1 or self.min_cols < 1:
            raise ValueError("TableSettings.min_rows and min_cols must be at least 1")
        if self.word_gap_ratio >= self.chunk_gap_ratio:
            raise ValueError("TableSettings.word_gap_ratio must be below chunk_gap_ratio")
        if self.workers < 1:
            raise ValueError("TableSettings.workers must be at least 1")
