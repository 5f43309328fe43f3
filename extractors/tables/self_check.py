"""Is a table's structure doubtful? Checks run on every extracted table, after panels are joined.

A doubt is a short sentence; a table with doubts is published with a document warning and its cells
flagged (normalise, expectations.findings), never as ok. The signs looked for are those of two rows
read as one or a header lost:
- a second row-label column: a column other than the first holding mostly texts, with value columns to
  its right (two regions printed side by side that were not recognised as panels);
- values under no header: numbers in a column whose header path is empty while others have one;
- the same header path over two value columns (sub-headers repeated under spanners that were not read,
  or panels without a label column): which is which is not known;
- panels that do not line up: a panel whose label column holds numbers.
"""

from __future__ import annotations

from .cell_text import is_numeric, is_value, text_key

TEXT_COLUMN_SHARE = 0.5  # a column is a label column when more than this share of its printed cells is text
VALUE_COLUMN_SHARE = 0.5  # ... and a value column when more than this share is numbers or missing marks


def _is_text(t: str) -> bool:
    return bool(t.strip()) and any(ch.isalpha() for ch in t) and not is_value(t)


def _share(cells: list[str], test) -> float:
    printed = [t for t in cells if t.strip()]
    return sum(1 for t in printed if test(t)) / len(printed) if printed else 0.0


def _columns(body: list[list[str]]) -> list[list[str]]:
    n = max((len(r) for r in body), default=0)
    return [[r[c] if c < len(r) else "" for r in body] for c in range(n)]


def second_label_columns(body: list[list[str]]) -> list[int]:
    """0-based columns after the first that look like row labels followed by value columns."""
    cols = _columns(body)
    if len(cols) < 3 or _share(cols[0], _is_text) <= TEXT_COLUMN_SHARE:
        return []
    values = [_share(c, is_value) > VALUE_COLUMN_SHARE for c in cols]
    if not any(values[1:]):
        return []
    return [
        c
        for c in range(1, len(cols) - 1)
        if _share(cols[c], _is_text) > TEXT_COLUMN_SHARE and any(values[1:c]) and any(values[c + 1 :])
    ]


def unheaded_value_columns(header_paths: list[str], body: list[list[str]], has_header: bool) -> list[int]:
    """0-based value columns (not the first) with numbers printed but no header text over them."""
    if not has_header or not any(p.strip() for p in header_paths):
        return []
    cols = _columns(body)
    return [
        c
        for c in range(1, len(cols))
        if c < len(header_paths) and not header_paths[c].strip() and any(is_numeric(t) for t in cols[c])
    ]


def structure_doubts(header: list[list[str]], header_paths: list[str], body: list[list[str]]) -> list[str]:
    doubts = []
    second = second_label_columns(body)
    if second:
        cols = ", ".join(f"c{c + 1}" for c in second)
        doubts.append(f"a second row-label column ({cols}): rows printed side by side not recognised as panels?")
    unheaded = unheaded_value_columns(header_paths, body, bool(header))
    if unheaded:
        cols = ", ".join(f"c{c + 1}" for c in unheaded)
        doubts.append(f"values under no header ({cols}): a header cell not read?")
    repeated = repeated_paths(header_paths)
    if repeated:
        doubts.append(f"the same header over several columns ({repeated}): which is which is not known")
    return doubts


def repeated_paths(header_paths: list[str]) -> str:
    """'c2 = c4, ...' for value columns (not the first) whose non-empty header paths are equal."""
    seen: dict[str, int] = {}
    pairs = []
    for c, p in enumerate(header_paths[1:], start=1):
        key = text_key(p)
        if not key:
            continue
        if key in seen:
            pairs.append(f"c{seen[key] + 1} = c{c + 1}")
        else:
            seen[key] = c
    return ", ".join(pairs)


def panel_doubts(panel_labels: list[list[str]]) -> list[str]:
    """`panel_labels`: each panel's label-column texts. When panel 1's labels are texts, a panel whose
    labels are mostly numbers does not start where the repeated header says (year-labelled panels,
    numbers in every panel, are consistent and pass)."""
    if not panel_labels or _share(panel_labels[0], _is_text) <= TEXT_COLUMN_SHARE:
        return []
    bad = [p + 1 for p, labels in enumerate(panel_labels) if _share(labels, is_numeric) > TEXT_COLUMN_SHARE]
    if not bad:
        return []
    return [f"panel boundaries do not line up (panel {', '.join(map(str, bad))}: numbers in the label column)"]
