"""Cue words around quantities ("up", "accounting for", "bringing the total to", "including"), found
with the Matcher patterns of `patterns/statements.yaml`.

`find_cues(doc)` runs on a doc whose quantities are already single tokens (extractors.prose.quantities)
and returns what each quantity token is said to be, plus the positions of markers (list openers,
"respectively", "the rest").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc

from extractors.config import ConfigError
from extractors.prose.nlp import get_nlp, load_patterns
from extractors.prose.quantities import substitute_placeholders

PATTERN_FILE = "statements.yaml"
QUANTITY_PLACEHOLDERS = {
    "$Q": {"_": {"qshape": {"IN": ["cardinal", "money", "percent", "points", "multiple"]}}},
    "$COUNT": {"_": {"qshape": "cardinal"}},
    "$PCT": {"_": {"qshape": "percent"}},
    "$AMOUNT": {"_": {"qshape": {"IN": ["cardinal", "money"]}}},
    "$POINTS": {"_": {"qshape": "points"}},
    "$ORD": {"_": {"qshape": {"IN": ["ordinal", "spelled_ordinal"]}}},
    "$WORDS": {"_": {"qshape": ""}, "TEXT": {"NOT_IN": [",", ".", ";", ":"]}, "OP": "*"},
}


@dataclass(frozen=True)
class Cue:
    label: str
    order: int  # position of the cue in the pattern file: smaller wins
    kind: str = ""
    sign: int = 0
    qualifier: str = ""
    role: str = ""
    target: str = "first"
    marker: bool = False


@dataclass
class CueMatch:
    cue: Cue
    start: int  # token span of the whole match
    end: int
    target: int | None  # token index of the quantity it speaks about (None for markers)


@dataclass
class Cues:
    """Cues of one doc: per quantity token, and the markers in order."""

    by_token: dict[int, list[CueMatch]] = field(default_factory=dict)
    markers: list[CueMatch] = field(default_factory=list)
    links: list[CueMatch] = field(default_factory=list)  # k_of_m, of_which_after, with_count

    def kind(self, i: int) -> tuple[str, int]:
        """The kind and sign the first-declared cue gives token i ("" when none)."""
        for match in sorted(self.by_token.get(i, []), key=lambda m: m.cue.order):
            if match.cue.kind:
                return match.cue.kind, match.cue.sign
        return "", 0

    def qualifier(self, i: int) -> str:
        for match in sorted(self.by_token.get(i, []), key=lambda m: m.cue.order):
            if match.cue.qualifier:
                return match.cue.qualifier
        return ""

    def roles(self, i: int) -> set[str]:
        return {m.cue.role for m in self.by_token.get(i, []) if m.cue.role}

    def match_for(self, i: int, label: str) -> CueMatch | None:
        return next((m for m in self.by_token.get(i, []) if m.cue.label == label), None)


@lru_cache(maxsize=1)
def _matcher() -> tuple[Matcher, dict[str, Cue]]:
    data = load_patterns(PATTERN_FILE)
    matcher = Matcher(get_nlp().vocab)
    cues: dict[str, Cue] = {}
    for order, entry in enumerate(data.get("cues", [])):
        label = entry.get("label")
        if not label or label in cues or "patterns" not in entry:
            raise ConfigError(f"{PATTERN_FILE}: cue #{order} needs a unique label and patterns")
        cues[label] = Cue(
            label=label,
            order=order,
            kind=str(entry.get("kind", "")),
            sign=int(entry.get("sign", 0)),
            qualifier=str(entry.get("qualifier", "")),
            role=str(entry.get("role", "")),
            target=str(entry.get("target", "first")),
            marker=bool(entry.get("marker", False)),
        )
        matcher.add(label, substitute_placeholders(entry["patterns"], QUANTITY_PLACEHOLDERS), greedy="LONGEST")
    return matcher, cues


def find_cues(doc: Doc) -> Cues:
    matcher, cues = _matcher()
    found = Cues()
    for match_id, start, end in matcher(doc):
        cue = cues[doc.vocab.strings[match_id]]
        quantities = [t.i for t in doc[start:end] if t._.qshape]
        if cue.marker:
            found.markers.append(CueMatch(cue, start, end, None))
            continue
        if not quantities:
            continue
        target = quantities[-1] if cue.target == "last" else quantities[0]
        match = CueMatch(cue, start, end, target)
        found.by_token.setdefault(target, []).append(match)
        if cue.role in ("part_of_next", "part_of_previous", "with"):
            found.links.append(match)
    found.markers.sort(key=lambda m: m.start)
    return found
