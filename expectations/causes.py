"""A localised cause in words and as data: what the findings (and the report) say about a root.

    headline(changes)    "Wuxi / Number of Valid Invention Patents: printed 49,463, probably 49,643
                          (two digits swapped)"
    root_reason(root)    the headline, how many failed rules it explains, how sure, the alternatives
    alternatives_json    the other sets as JSON: ids, suggested values, repair kinds, weight, equally small

Values are written at the printed precision of each number (and in its printed scale for prose numbers
such as "216.7615 million"). Pure.
"""

from __future__ import annotations

import json
import math

from expectations.localise import AMBIGUOUS, HIGH, Root
from expectations.localise_search import Change, Explanation
from expectations.quantities import Quantity
from expectations.repairs import DESCRIPTIONS
from extractors.numbers import format_number

MAX_LISTED = 5  # sets named in a sentence; the rest are counted (all are in `alternatives`)
VALUE_SEPARATOR = ";"  # between the ids, values and kinds of one set in findings.csv


def shown(quantity: Quantity, value: float) -> str:
    """A value as a reader compares it with the print: at the printed precision, in the printed scale."""
    text = format_number(quantity.printed(value), decimals=quantity.decimals)
    return text if quantity.scale == 1 else f"{text} (x{format_number(quantity.scale)})"


def plain(quantity: Quantity, value: float) -> str:
    """A value for findings.csv: base units, the printed precision, no separators."""
    decimals = max(0, quantity.decimals - round(math.log10(quantity.scale)))
    return f"{round(value, decimals):.{decimals}f}"


def _printed(quantity: Quantity) -> str:
    return quantity.raw.strip() or shown(quantity, quantity.value)


def headline(changes: tuple[Change, ...], quantities: dict[str, Quantity]) -> str:
    """Each changed number with what was printed and what it probably should read; a number's
    restatements (the prose repeating a table cell) are named with it, not repeated."""
    parts, seen = [], set()
    for change in changes:
        if change.group in seen:
            continue
        seen.add(change.group)
        q = quantities[change.id]
        copies = [quantities[c.id].label for c in changes if c.group == change.group and c.id != change.id]
        also = f" (and as restated: {'; '.join(copies)})" if copies else ""
        parts.append(
            f"{q.label}{also}: printed {_printed(q)}, probably {shown(q, change.value)} ({DESCRIPTIONS[change.kind]})"
        )
    return "; ".join(parts)


def _names(explanation: Explanation, quantities: dict[str, Quantity]) -> str:
    seen, names = set(), []
    for change in explanation.changes:
        if change.group not in seen:
            seen.add(change.group)
            names.append(quantities[change.id].label)
    return ", ".join(names)


def _numbers(explanation: Explanation) -> int:
    return len({c.group for c in explanation.changes})


def root_reason(root: Root, quantities: dict[str, Quantity]) -> str:
    """Why these numbers: the repair, what it explains, how sure, and the other candidates."""
    explains = f"explains {len(root.symptoms)} failed rule{'s' if len(root.symptoms) != 1 else ''}"
    if root.confidence == AMBIGUOUS:
        listed = [root.explanation] + [a for a in root.alternatives if a.weight <= root.explanation.weight + 1e-9]
        named = "; or ".join(headline(e.changes, quantities) for e in listed[:MAX_LISTED])
        more = f"; and {len(listed) - MAX_LISTED} more" if len(listed) > MAX_LISTED else ""
        return (
            f"ambiguous: {root.ties} equally small explanations ({explains}): {named}{more}. Evidence that would "
            f"decide: another printed source of these numbers (the same figure elsewhere in the paper, or the "
            f"previous edition)"
        )
    sure = "typo-shaped, no other set as small" if root.confidence == HIGH else "no other set as small, but not a typo"
    text = f"{headline(root.explanation.changes, quantities)} — {explains} ({sure})"
    if root.alternatives:
        nxt = root.alternatives[0]
        count = _numbers(nxt)
        text += f"; next-smallest alternative: {_names(nxt, quantities)} ({count} number{'s' if count != 1 else ''})"
    return text


def alternatives_json(root: Root, quantities: dict[str, Quantity]) -> str:
    """The other sets of a root, cheapest first: each with its ids, values (at printed precision), kinds,
    weight and whether it is as small as the chosen one."""
    return json.dumps(
        [
            {
                "suspect_ids": [c.id for c in alt.changes],
                "suggested_values": [float(plain(quantities[c.id], c.value)) for c in alt.changes],
                "repair_kinds": [c.kind for c in alt.changes],
                "weight": round(alt.weight, 6),
                "equally_small": alt.weight <= root.explanation.weight + 1e-9,
            }
            for alt in root.alternatives
        ],
        ensure_ascii=False,
    )
