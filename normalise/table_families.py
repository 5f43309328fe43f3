"""Table families of a profile: which columns a table of a given title has, how a header is matched to a
column, and the relations between the columns of a row.

    family.matches(title)                           the family's title patterns (none: every table)
    best_column(specs, header_path, min_match)      -> (ColumnSpec, score) | (None, score)

A header matched by one of a column's `patterns` is that column (its id then carries the header:
"year_2021"); else the column whose phrase covers most of the header's words, the leaf of a header path
first ("Valid Invention Patent Quantity / Enterprises" is "enterprises"), the whole path as a fallback,
with a near-identical spelling (difflib) also accepted.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from normalise import profile_model as pm
from normalise.labels import normalise_label, slug, words
from normalise.periods import Period

# A header this similar (difflib ratio) to a declared phrase is the same column with a typo or rewording.
FUZZY_MATCH_RATIO = 0.88
# A header matched by one of a column's `patterns` is that column, whatever its phrases score.
PATTERN_SCORE = 1.0


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    label: str
    match: tuple[str, ...]
    unit: str = ""
    kind: str = "count"  # profile_model.KINDS
    patterns: tuple[str, ...] = ()
    of: str = ""  # growth_rate: the column whose growth it is
    against: str = "year_ago"  # growth_rate: profile_model.GROWTH_AGAINST
    scale: float = 100.0  # growth_rate: 100 for percent
    family: str = ""

    @property
    def additive(self) -> bool:
        return self.kind in pm.ADDITIVE_KINDS


@dataclass(frozen=True)
class Relation:
    id: str
    type: str  # sum | ratio | compare
    label: str
    total: str = ""
    parts: tuple[str, ...] = ()
    ratio: str = ""
    numerator: str = ""
    denominator: str = ""
    scale: float = 1.0
    left: str = ""
    op: str = ""
    right: str = ""
    when_months: tuple[int, ...] = ()
    when_quarters: tuple[int, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        if self.type == "sum":
            return (self.total, *self.parts)
        if self.type == "ratio":
            return (self.ratio, self.numerator, self.denominator)
        return (self.left, self.right)

    @property
    def conditional(self) -> bool:
        return bool(self.when_months or self.when_quarters)

    def applies(self, period: Period | None) -> bool | None:
        """Whether the relation holds for an edition of this period; None when it depends on a period
        that is not known."""
        if not self.conditional:
            return True
        if period is None:
            return None
        return (period.month in self.when_months) or (period.quarter in self.when_quarters)

    def condition_text(self) -> str:
        months = ", ".join(str(m) for m in self.when_months)
        quarters = ", ".join(str(q) for q in self.when_quarters)
        return " or ".join(
            t for t in (f"month {months}" if months else "", f"quarter {quarters}" if quarters else "") if t
        )


@dataclass(frozen=True)
class TableFamily:
    id: str
    titles: tuple[re.Pattern, ...]
    columns: tuple[ColumnSpec, ...]
    relations: tuple[Relation, ...]

    def matches(self, title: str) -> bool:
        return not self.titles or any(p.search(title or "") for p in self.titles)


def best_column(specs, header_path: str, min_match: float) -> tuple[ColumnSpec | None, float]:
    segments = [s for s in header_path.split(" / ") if s.strip()] or [header_path]
    for spec in specs:
        if any(re.search(p, segments[-1].strip(), flags=re.IGNORECASE) for p in spec.patterns):
            return replace(spec, id=f"{spec.id}_{slug(segments[-1]).replace('-', '_')}"), PATTERN_SCORE
    candidates = [segments[-1]] + ([header_path] if len(segments) > 1 else [])
    # A unit in parentheses ("Total Population (10,000 persons)") is not part of the name.
    candidates += [c2 for c in candidates if (c2 := _without_parentheses(c)) != c and c2]
    best: tuple[ColumnSpec | None, float] = (None, 0.0)
    for text in candidates:
        header_words = words(text)
        if not header_words:
            continue
        for spec in specs:
            for phrase in spec.match:
                score = _phrase_score(phrase, text, header_words)
                if score > best[1]:
                    best = (spec, score)
        if best[1] >= min_match:
            return best
    return best if best[1] >= min_match else (None, best[1])


def _without_parentheses(text: str) -> str:
    return re.sub(r"\s*[(（][^)）]*[)）]", " ", text).strip()


def _phrase_score(phrase: str, header: str, header_words: list[str]) -> float:
    """Share of the header's words covered by the phrase when all phrase words occur in the header."""
    phrase_words = words(phrase)
    if phrase_words and all(w in header_words for w in phrase_words):
        return len(set(phrase_words)) / len(set(header_words))
    ratio = difflib.SequenceMatcher(None, normalise_label(phrase), normalise_label(header)).ratio()
    return ratio if ratio >= FUZZY_MATCH_RATIO else 0.0


def column_spec(spec: pm.Column, family: str) -> ColumnSpec:
    label = spec.label or spec.id
    match = spec.match or (() if spec.patterns else (label,))
    return ColumnSpec(
        spec.id, label, match, spec.unit, spec.kind, spec.patterns, spec.of, spec.against, spec.scale, family
    )


def relation(rel: pm.Relation) -> Relation:
    return Relation(
        id=rel.id,
        type=rel.type,
        label=rel.label or rel.id,
        total=rel.total,
        parts=rel.parts,
        ratio=rel.ratio,
        numerator=rel.numerator,
        denominator=rel.denominator,
        scale=rel.scale,
        left=rel.left,
        op=rel.op or "",
        right=rel.right,
        when_months=rel.when.month if rel.when else (),
        when_quarters=rel.when.quarter if rel.when else (),
    )
