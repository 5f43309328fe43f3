"""The fact record and the per-sentence working set shared by the fact extraction modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from extractors.prose.cues import Cues

# Kinds that state a level of something (a growth rate or a change can refer to them).
LEVEL_KINDS = frozenset({"count", "amount", "share", "rate", "ratio", "percentage"})
# Kinds that speak about another number of the sentence.
RELATIVE_KINDS = frozenset({"growth_rate", "comparison", "point_change", "change"})


@dataclass
class Fact:
    """One number in the prose. `value` is signed for directional kinds ("down 8.66%" is -8.66)."""

    fact_id: str
    sentence_id: str
    page: int
    section: str
    sentence: str
    paragraph: int
    raw: str
    value: float | None
    unit: str
    kind: str
    metric: str = ""
    subject: str = ""
    period: str = ""
    role: str = ""
    group: str = ""
    ref: str = ""  # fact_id of the number this one is stated relative to (part -> total, share -> part, ...)
    category: str = ""  # the breakdown category of a part or share ("colleges and universities")
    qualifier: str = ""  # at_least | at_most | about | average: not an exact value
    action: str = ""  # the verb of the counted things ("concluded", "received")
    half_width: float = 0.0
    decimals: int = 0
    start: int = 0  # character offsets of `raw` in the sentence
    end: int = 0
    evidence: str = "[]"
    # Working fields, not exported.
    token: int = field(default=-1, repr=False)
    shape: str = field(default="", repr=False)
    head: str = field(default="", repr=False)
    whole_phrase: str = field(default="", repr=False)  # "of the total X" after a share


@dataclass
class SentenceFacts:
    doc: Doc
    cues: Cues
    facts: list[Fact]

    def by_token(self, i: int) -> Fact | None:
        return next((f for f in self.facts if f.token == i), None)
