"""Header text printed sideways (turned 90 degrees in a narrow header cell) read upright.

The page-level turn (extractors.orientation) handles pages whose text mostly runs sideways; this
reads the few glyphs that still run up or down the page after it: each run of such glyphs in one
vertical band is one line, read in its own direction (up: bottom to top; down: top to bottom), and
becomes one `Word` whose box is the run's box, so a ruled or borderless header cell takes it like any
other word.
"""

from __future__ import annotations

from ..fonts import is_bold_font
from ..orientation import glyph_turn
from .settings import TableSettings
from .text_lines import Word

DOWN, UP = 90, 270  # glyph_turn of a baseline running down / up the page


def _direction(c: dict, turn: int) -> int:
    return (glyph_turn(c["matrix"]) - turn) % 360


def sideways_words(chars: list[dict], turn: int, settings: TableSettings) -> list[Word]:
    glyphs = [c for c in chars if c["text"].strip() and not c.get("upright", True)]
    glyphs = [c for c in glyphs if _direction(c, turn) in (DOWN, UP)]
    words: list[Word] = []
    for way in (DOWN, UP):
        runs: list[list[dict]] = []
        for c in sorted((g for g in glyphs if _direction(g, turn) == way), key=lambda g: (g["x0"], g["top"])):
            # the same line: overlapping band across, and next along the baseline (no big gap)
            for run in runs:
                last = run[-1]
                across = min(c["x1"], last["x1"]) - max(c["x0"], last["x0"]) > 0.5 * (c["x1"] - c["x0"])
                gap = min(abs(c["top"] - last["bottom"]), abs(last["top"] - c["bottom"]))
                if across and gap <= 2 * settings.word_gap_ratio * c["size"] + (c["bottom"] - c["top"]):
                    run.append(c)
                    break
            else:
                runs.append([c])
        for run in runs:
            words.append(_run_to_word(run, way, settings))
    return words


def _run_to_word(run: list[dict], way: int, settings: TableSettings) -> Word:
    ordered = sorted(run, key=lambda g: g["top"], reverse=way == UP)
    text: list[str] = []
    prev = None
    for g in ordered:
        if prev is not None:
            gap = g["top"] - prev["bottom"] if way == DOWN else prev["top"] - g["bottom"]
            if gap > settings.word_gap_ratio * g["size"]:
                text.append(" ")
        text.append(g["text"])
        prev = g
    return Word(
        "".join(text),
        min(g["x0"] for g in run),
        min(g["top"] for g in run),
        max(g["x1"] for g in run),
        max(g["bottom"] for g in run),
        max(g["size"] for g in run),
        is_bold_font(run[0].get("fontname", "")),
    )
