"""Tables printed in panels side by side (national bulletins: two regions on every printed row, the
header printed once per panel) read as one logical table: panel 1's rows, then panel 2's, ...

A grid is paneled when its header, cut into k equal groups of columns, gives k identical groups (k > 1,
at least two columns per group). Each body row is cut the same way; a panel's row with nothing printed
(the last panel of an odd row count is a row short) is dropped. Every cell keeps its own page box.
"""

from __future__ import annotations

from typing import TypeVar

MIN_PANEL_COLS = 2  # a panel is a label column and at least one value column

T = TypeVar("T")


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def panel_count(header: list[list[str]]) -> int:
    """How many identical groups of columns the header rows repeat side by side (1: not paneled)."""
    if not header or not header[0]:
        return 1
    n = len(header[0])
    for k in range(n // MIN_PANEL_COLS, 1, -1):  # the most panels first: A B A B is 2 panels, not 1
        if n % k:
            continue
        w = n // k
        groups = [[tuple(_norm(t) for t in row[p * w : (p + 1) * w]) for row in header] for p in range(k)]
        if any(t for row in groups[0] for t in row) and all(g == groups[0] for g in groups[1:]):
            return k
    return 1


def split_rows(rows: list[list[T]], texts: list[list[str]], k: int) -> list[list[T]]:
    """Rows (texts or boxes) of a k-panel grid in reading order: panel 1's rows, then panel 2's, ...;
    a panel's row is dropped when nothing is printed in it (`texts` says what is printed)."""
    if k == 1:
        return [list(r) for r in rows]
    w = len(texts[0]) // k if texts else 0
    out: list[list[T]] = []
    for p in range(k):
        for row, text in zip(rows, texts):
            if any(t.strip() for t in text[p * w : (p + 1) * w]):
                out.append(list(row[p * w : (p + 1) * w]))
    return out


def first_panel(row: list[T], k: int) -> list[T]:
    return list(row[: len(row) // k]) if k > 1 else list(row)
