"""Printed quantities in a spaCy Doc: find them with the shapes of `patterns/quantities.yaml`, merge
each into one token, and read its value.

After `mark_quantities(doc)`, every quantity is a single token with `token._.qty` (a `Quantity`) and
`token._.qshape` (its shape label: money, percent, points, per_base, year, year_range, date, ordinal,
spelled_ordinal, multiple, cardinal). Digit numbers are read with `extractors.numbers.parse_number`;
spelled numbers with the word values of the pattern file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from extractors.config import ConfigError
from extractors.numbers import parse_number
from extractors.prose.nlp import get_nlp, load_patterns

PATTERN_FILE = "quantities.yaml"

if not Token.has_extension("qty"):
    Token.set_extension("qty", default=None)
if not Token.has_extension("qshape"):
    Token.set_extension("qshape", default="")


@dataclass(frozen=True)
class Quantity:
    """What one printed quantity says, before its sentence is read."""

    shape: str
    raw: str
    value: float | None
    unit: str = ""  # from the shape: percent, percentage point, yuan, year, ... ("" for cardinals)
    half_width: float = 0.0  # rounding radius of the printed value, in the unit of `value`
    decimals: int = 0
    spelled: bool = False


@dataclass(frozen=True)
class Vocabulary:
    number_words: dict[str, float]
    multipliers: frozenset[str]
    ordinal_words: dict[str, int]
    multiple_words: dict[str, float]
    scales: dict[str, float]
    money_scales: dict[str, float]
    currencies: dict[str, str]
    year_re: re.Pattern
    ordinal_re: re.Pattern


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load_patterns(PATTERN_FILE)
    return Vocabulary(
        number_words={k.lower(): float(v) for k, v in data["number_words"].items()},
        multipliers=frozenset(data.get("number_multipliers", [])),
        ordinal_words={k.lower(): int(v) for k, v in data["ordinal_words"].items()},
        multiple_words={k.lower(): float(v) for k, v in data["multiple_words"].items()},
        scales={k.lower(): float(v) for k, v in data["scales"].items()},
        money_scales={str(k): float(v) for k, v in data["money_scales"].items()},
        currencies={k.lower(): str(v) for k, v in data["currencies"].items()},
        year_re=re.compile(data["year_regex"]),
        ordinal_re=re.compile(data["ordinal_regex"]),
    )


def substitute_placeholders(node, placeholders: dict):
    """Replace "$NAME" strings in a Matcher pattern by their lists or regexes."""
    if isinstance(node, dict):
        return {k: substitute_placeholders(v, placeholders) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute_placeholders(v, placeholders) for v in node]
    if isinstance(node, str) and node.startswith("$"):
        if node not in placeholders:
            raise ConfigError(f"{PATTERN_FILE}: unknown placeholder {node}")
        return placeholders[node]
    return node


@lru_cache(maxsize=1)
def _matcher() -> tuple[Matcher, dict[str, int]]:
    data = load_patterns(PATTERN_FILE)
    voc = vocabulary()
    words = sorted(voc.number_words)
    placeholders = {
        "$NUMBER": data["number_regex"],
        "$YEAR": data["year_regex"],
        "$ORDINAL": data["ordinal_regex"],
        "$WORD": words,
        "$WORD_OR_HYPHEN": words + ["-"],
        "$SCALE": sorted(voc.scales),
        "$CURRENCY": sorted(voc.currencies),
        "$MONTH": [m.lower() for m in data["months"]],
        "$ORDINAL_WORD": sorted(voc.ordinal_words),
        "$MULTIPLE_WORD": sorted(voc.multiple_words),
    }
    matcher = Matcher(get_nlp().vocab)
    priorities = {}
    for shape in data["shapes"]:
        label = shape["label"]
        priorities[label] = int(shape.get("priority", 9))
        matcher.add(label, substitute_placeholders(shape["patterns"], placeholders))
    return matcher, priorities


def quantity_spans(doc: Doc) -> list[Span]:
    """Non-overlapping quantity spans: longest first, then the shape's priority, then leftmost."""
    matcher, priorities = _matcher()
    candidates = [Span(doc, start, end, label=match_id) for match_id, start, end in matcher(doc)]
    candidates.sort(key=lambda s: (-(s.end - s.start), priorities.get(s.label_, 9), s.start))
    taken: set[int] = set()
    chosen = []
    for span in candidates:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def spelled_value(words: list[str]) -> float | None:
    """Value of a spelled cardinal: ["one", "hundred", "seventy", "three"] -> 173."""
    voc = vocabulary()
    total, current = 0.0, 0.0
    for word in words:
        if word == "-":
            continue
        value = voc.number_words.get(word.lower())
        if value is None:
            return None
        if word.lower() in voc.multipliers:
            current = max(current, 1.0) * value
            if value >= 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current


def _digit_half_width(parsed, scale: float, rounded: bool) -> float:
    """Rounding radius: half the last printed digit, times the scale; exact for unscaled integers."""
    if parsed.decimals:
        return parsed.half_unit * scale
    return 0.5 * scale if (rounded or scale > 1) else 0.0


def read_quantity(span: Span) -> Quantity:
    """The value and unit a quantity span states."""
    voc = vocabulary()
    shape = span.label_
    texts = [t.text for t in span]
    lowers = [t.lower_ for t in span]
    raw = span.text
    if shape in ("year", "year_range", "date"):
        years = [int(t) for t in texts if voc.year_re.match(t)]
        value = float(years[0]) if years else float(next(int(t) for t in texts if t.isdigit()))
        return Quantity(shape, raw, value, "year" if shape != "date" else "day")
    if shape == "ordinal":
        return Quantity(shape, raw, float(re.match(r"\d+", texts[0]).group()), "")
    if shape == "spelled_ordinal":
        return Quantity(shape, raw, float(voc.ordinal_words[lowers[0]]), "", spelled=True)
    if shape == "multiple" and lowers[0] in voc.multiple_words:
        return Quantity(shape, raw, voc.multiple_words[lowers[0]], "times", spelled=True)

    number_tokens = [t for t in span if parse_number(t.text).is_number]
    if shape == "money" and len(number_tokens) == 2:  # "1,200 10,000 yuan": number then a money scale
        number_tokens = number_tokens[:1]
    if number_tokens:
        parsed = parse_number(number_tokens[0].text)
        spelled = False
    else:
        words = [w for w in lowers if w in voc.number_words or w == "-"]
        value = spelled_value(words)
        parsed, spelled = None, True
        if value is None:
            return Quantity(shape, raw, None)
    scale = 1.0
    after = span[number_tokens[0].i - span.start + 1 :] if number_tokens else span[len(span) :]
    for token in after:
        scale *= voc.scales.get(token.lower_, 1.0)
        if shape == "money" and token.text in voc.money_scales:
            scale *= voc.money_scales[token.text]
    unit = ""
    if shape == "money":
        unit = next((voc.currencies[w] for w in lowers if w in voc.currencies), "")
    elif shape == "percent":
        unit = "percent"
    elif shape == "points":
        unit = "percentage point"
    elif shape == "multiple":
        unit = "times"
    elif shape == "per_base":
        unit = span[-1].lower_
    if spelled:
        return Quantity(shape, raw, value * scale, unit, 0.0, 0, spelled=True)
    rounded = shape in ("percent", "points", "multiple")
    value = parsed.value * scale
    half = _digit_half_width(parsed, scale, rounded)
    if math.isnan(value):
        return Quantity(shape, raw, None)
    return Quantity(shape, raw, value, unit, half, parsed.decimals)


def mark_quantities(doc: Doc) -> Doc:
    """Merge every quantity into one token and attach its `Quantity` (in place; returns the doc)."""
    spans = quantity_spans(doc)
    # Token indices shift when spans merge: remember each quantity by its character offset.
    by_char = {span.start_char: (span.label_, read_quantity(span)) for span in spans}
    with doc.retokenize() as retokenizer:
        for span in spans:
            if len(span) > 1:
                retokenizer.merge(span)
    for token in doc:
        if token.idx in by_char:
            token._.qshape, token._.qty = by_char[token.idx]
    return doc
