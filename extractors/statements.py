"""One sentence's numbers as typed facts, and the relations stated inside the sentence.

    quantities (extractors.quantities) + cues (extractors.cues) + phrases (extractors.phrases)
    -> one `Fact` per quantity, with kind, unit, metric, qualifier
    -> relations inside the sentence: a growth rate to its level, a change to its level, new items
       to the stock they bring the total to, "respectively" pairs, K-of-M and rate pairs.

Lists ("X, including A (a%), B (b%) ...") are read by extractors.lists; relations that cross
sentences (shares of a total stated earlier, "Among these cases", pronoun subjects) by
extractors.facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from extractors.cues import Cues, find_cues
from extractors.nlp import get_nlp
from extractors import phrases
from extractors.quantities import mark_quantities

# Kinds that state a level of something (a growth rate or a change can refer to them).
LEVEL_KINDS = frozenset({"count", "amount", "share", "rate", "ratio", "percentage"})
# Kinds that speak about another number of the sentence.
RELATIVE_KINDS = frozenset({"growth_rate", "comparison", "point_change", "change"})
SHAPE_KINDS = {
    "money": "amount",
    "percent": "percentage",
    "points": "point_change",
    "per_base": "per_base",
    "year": "year",
    "year_range": "year",
    "date": "date",
    "ordinal": "ordinal",
    "multiple": "comparison",
    "cardinal": "count",
}
SHAPE_UNITS = {"year": "year", "year_range": "year", "date": "day", "ordinal": "position", "multiple": "times"}
RATIO_UNIT = "times"


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


def _unit_and_metric(doc: Doc, i: int, fact: Fact) -> None:
    """Fill metric, unit and head noun of a count or amount from the phrase around it."""
    right = phrases.noun_phrase_right(doc, i)
    counted = fact.shape == "cardinal" and fact.kind == "count"
    left = phrases.noun_phrase_left(doc, i, linked_only=counted)
    if len(right) == 1 and right[0].lower_.endswith("ed") and len(right[0]) > 4:
        right = []  # "360 were settled": a verb, not the thing counted
    has_base = any(t._.qshape == "per_base" for t in right + left)
    if counted:
        tokens = right if right else left
        fact.metric = phrases.metric_text(tokens)
        fact.head = phrases.head_noun(fact.metric)
        fact.unit = phrases.count_unit(fact.head) if fact.head else ""
        if has_base:
            base = next(t for t in right + left if t._.qshape == "per_base")._.qty
            fact.kind = "ratio"
            fact.unit = f"{fact.unit} per {base.raw.split(' ', 1)[1]}".strip()
        end = right[-1].i + 1 if right else i + 1
        fact.action = phrases.verb_near(doc, i, end)
    else:
        tokens = left if left else right
        fact.metric = phrases.metric_text(tokens)
        fact.head = phrases.head_noun(fact.metric)


def _new_fact(doc: Doc, i: int, cues: Cues, sentence, n: int) -> Fact | None:
    token = doc[i]
    quantity = token._.qty
    shape = token._.qshape
    if quantity is None or quantity.value is None:
        return None
    kind, sign = cues.kind(i)
    if shape == "spelled_ordinal" and kind != "rank":
        return None  # "the first batch": an ordinal adjective, not a quantity
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if quantity.spelled and shape == "cardinal":
        if phrases.in_quotes(doc, i):
            return None  # "One Thousand Enterprises in One Hundred Cities": part of a name
        prev = doc[i - 1] if i > 0 else None
        glued_before = prev is not None and prev.text == "-" and not prev.whitespace_
        if (nxt is not None and nxt.text == "-" and not token.whitespace_) or glued_before:
            return None  # "one-stop", "two-way", "one-on-one": a compound adjective
        if not kind and not cues.roles(i) and not (nxt is not None and nxt.is_lower and nxt.is_alpha):
            return None  # a spelled number that counts nothing ("Three Technology ... Centers")
    kind = kind or SHAPE_KINDS.get(shape, "count")
    if shape == "money" and kind in ("ratio", "rate"):
        kind = "amount"
    value = quantity.value * (-1 if sign < 0 else 1)
    fact = Fact(
        fact_id=f"{sentence.sentence_id}.{n}",
        sentence_id=sentence.sentence_id,
        page=sentence.page,
        section=sentence.section,
        sentence=sentence.text,
        paragraph=sentence.paragraph,
        raw=token.text,
        value=value,
        unit=quantity.unit or SHAPE_UNITS.get(shape, ""),
        kind=kind,
        qualifier=cues.qualifier(i),
        half_width=quantity.half_width,
        decimals=quantity.decimals,
        start=token.idx,
        end=token.idx + len(token.text),
        token=i,
        shape=shape,
    )
    if phrases.in_quotes(doc, i) and shape in ("cardinal", "ordinal"):
        fact.kind, fact.unit = "identifier", "label"
        return fact
    if kind == "rank":
        fact.unit = "place"
    elif kind == "duration":
        fact.unit = phrases.singular(nxt.lower_) if nxt is not None and nxt.is_alpha else "year"
        if nxt is not None and nxt.lower_ in ("consecutive", "successive", "straight") and i + 2 < len(doc):
            fact.unit = phrases.singular(doc[i + 2].lower_)
    elif shape == "per_base":
        fact.unit = phrases.count_unit(phrases.singular(quantity.unit))
    elif kind in ("rate", "share", "growth_rate", "percentage") or shape == "percent":
        fact.unit = "percent" if shape == "percent" else fact.unit
    elif kind == "ratio" and shape == "cardinal":
        fact.unit = RATIO_UNIT
    if shape in ("cardinal", "money") and fact.kind in ("count", "amount", "change", "ratio"):
        _unit_and_metric(doc, i, fact)
    elif fact.kind == "share" and nxt is not None and nxt.lower_ == "of":
        # "Taiwanese companies occupying 52% of the booths": a share of the booths
        fact.metric = phrases.metric_text(phrases.noun_phrase_right(doc, i + 1))
    elif fact.kind in ("rate", "ratio", "percentage", "share", "growth_rate", "point_change"):
        fact.metric = phrases.metric_text(phrases.noun_phrase_left(doc, i))
    return fact


def _borrow_heads(sf: SentenceFacts) -> None:
    """"7 national-level, 10 provincial-level, and 33 city-level bases": earlier items take the last head."""
    counts = [f for f in sf.facts if f.kind == "count" and f.shape == "cardinal"]
    for a, b in reversed(list(zip(counts, counts[1:]))):
        between = sf.doc[a.token + 1:b.token]
        only_list = all(t.is_alpha or t.text in (",", "-") for t in between)
        right = phrases.noun_phrase_right(sf.doc, a.token)
        if only_list and phrases.ends_with_modifier(right) and b.head:
            a.head, a.unit = b.head, b.unit
            last = b.metric.split()[-1] if b.metric else ""
            a.metric = f"{phrases.metric_text(right)} {last}".strip()


def _coordinate(sf: SentenceFacts) -> None:
    """A bare number joined by "and" to a typed one shares its type: "to 4 and 50", "up 39.81% and 42.68%"."""
    for a, b in zip(sf.facts, sf.facts[1:]):
        between = [t.lower_ for t in sf.doc[a.token + 1:b.token]]
        if between not in (["and"], [","], [",", "and"]) or a.shape != b.shape:
            continue
        if b.kind == "percentage" and a.kind in ("growth_rate", "share", "rate"):
            b.kind = a.kind
            b.value = -abs(b.value) if a.value is not None and a.value < 0 else b.value
        elif b.kind == "count" and not b.head and a.kind == "count":
            b.unit, b.head, b.metric = a.unit, a.head, a.metric
            if "level" in sf.cues.roles(a.token):
                sf.cues.by_token.setdefault(b.token, []).extend(sf.cues.by_token[a.token])


def _preceding_level(sf: SentenceFacts, fact: Fact) -> Fact | None:
    for other in reversed([f for f in sf.facts if f.token < fact.token]):
        if other.kind in LEVEL_KINDS and other.role not in ("change", "previous"):
            if fact.kind == "change" and (other.shape != fact.shape or other.kind != "count" and fact.shape == "cardinal"):
                continue
            return other
    return None


def _relate_previous(sf: SentenceFacts) -> None:
    """"rose to 540 units from 450 units": 450 is the previous level of 540."""
    for fact in sf.facts:
        if "previous" not in sf.cues.roles(fact.token):
            continue
        level = next((f for f in reversed(sf.facts) if f.token < fact.token and f.kind == fact.kind
                      and f.shape == fact.shape), None)
        if level is not None:
            fact.role, fact.ref = "previous", level.fact_id
            fact.unit = fact.unit or level.unit
            level.role = level.role or "level"


def _relate_in_sentence(sf: SentenceFacts) -> None:
    _relate_previous(sf)
    respectively = any(m.cue.label == "respectively" for m in sf.cues.markers)
    relative = [f for f in sf.facts if f.kind in RELATIVE_KINDS]
    if respectively:
        # "151 cases involving 234 individuals ..., up 39.81% and 42.68% YoY, respectively"
        growths = [f for f in relative if f.kind == "growth_rate"]
        levels = [f for f in sf.facts if f.kind in LEVEL_KINDS and growths and f.token < growths[0].token]
        for level, growth in zip(levels[-len(growths):], growths):
            growth.ref, growth.role = level.fact_id, "growth"
            level.role = level.role or "level"
        relative = [f for f in relative if f not in growths]
    for fact in relative:
        level = None if "named" in sf.cues.roles(fact.token) else _preceding_level(sf, fact)
        if level is None:
            fact.metric = _named_after_cue(sf, fact) or fact.metric
            continue
        fact.ref = level.fact_id
        fact.role = {"growth_rate": "growth", "change": "change", "point_change": "change"}.get(fact.kind, "comparison")
        if fact.kind == "change":
            fact.unit, fact.metric, fact.head = level.unit, level.metric, level.head
        if level.role == "":
            level.role = "level"
    # New items and the stock they bring the total to.
    levels = [f for f in sf.facts if "level" in sf.cues.roles(f.token)]
    for level in levels:
        level.role = "level"
        match = sf.cues.match_for(level.token, "level_to")
        named = _level_metric(sf.doc, match) if match else ""
        new = [f for f in sf.facts if "new" in sf.cues.roles(f.token) and f.token < level.token]
        if new:
            change = new[-1]
            change.role, change.ref = "change", level.fact_id
            named = named or change.metric
        if named:
            level.metric, level.head = named, phrases.head_noun(named)
            level.unit = phrases.count_unit(level.head)


def _named_after_cue(sf: SentenceFacts, fact: Fact) -> str:
    """"a 30.7% year-on-year increase in the volume of X": the thing after the cue words."""
    matches = [m for m in sf.cues.by_token.get(fact.token, []) if m.cue.kind]
    if not matches:
        return ""
    end = max(m.end for m in matches)
    if end < len(sf.doc) and sf.doc[end].lower_ in ("in", "of"):
        return phrases.metric_text(phrases.noun_phrase_right(sf.doc, end))
    return ""


def _level_metric(doc: Doc, match) -> str:
    """"bringing the total number of approved centers in the province to nine" -> approved centers."""
    span = doc[match.start:match.end]
    of = next((t.i for t in span if t.lower_ == "of"), None)
    if of is None:
        return ""
    return phrases.metric_text(phrases.noun_phrase_right(doc, of))


def pair_rates(sf: SentenceFacts) -> None:
    """A rate with its numerator and denominator when the sentence links two counts: a part and its
    whole ("159 of 763", "Of the 480 disputes, 360 were settled", "upheld 200 of them"), or
    "M cases ..., with K cases ..." (same unit). Left alone when the sentence links several pairs."""
    rates = [f for f in sf.facts if f.kind == "rate" and not f.ref]
    if not rates:
        return
    by_id = {f.fact_id: f for f in sf.facts}
    pairs = []
    for part in sf.facts:
        whole = by_id.get(part.ref)
        if part.role == "part" and part.kind == "count" and whole is not None and whole.kind == "count":
            pairs.append((part, whole))
    for link in sf.cues.links:
        part = sf.by_token(link.target)
        if link.cue.role != "with" or part is None or part.kind != "count" or part.role:
            continue
        whole = next((f for f in reversed(sf.facts) if f.token < part.token and f.kind == "count"), None)
        if whole is not None and whole.unit == part.unit:
            pairs.append((part, whole))
    for rate in rates:
        before = [(p, w) for p, w in pairs if max(p.token, w.token) < rate.token]
        if len(before) != 1:
            continue
        part, whole = before[0]
        part.role, part.ref = "numerator", whole.fact_id
        whole.role = "denominator"
        rate.role, rate.ref = "rate", part.fact_id


def _pair_parts(sf: SentenceFacts) -> None:
    """"731 applications ..., 279 of which were granted" and "159 of 763": a part of a whole."""
    for link in sf.cues.links:
        part = sf.by_token(link.target)
        if part is None or part.role or part.kind != "count":
            continue
        if link.cue.role == "part_of_previous":
            whole = next((f for f in reversed(sf.facts) if f.token < part.token and f.kind == "count"), None)
        elif link.cue.role == "part_of_next":
            whole = next((f for f in sf.facts if f.token > part.token and f.kind == "count"), None)
        else:
            continue
        if whole is not None:
            part.role, part.ref = "part", whole.fact_id
            if not part.head:
                part.metric, part.unit, part.head = whole.metric, whole.unit, whole.head
            whole.role = whole.role or "total"


def read_sentence(sentence) -> SentenceFacts:
    """The facts of one sentence, with the relations the sentence states by itself."""
    doc = mark_quantities(get_nlp()(sentence.text))
    cues = find_cues(doc)
    facts = []
    for token in doc:
        if token._.qshape:
            fact = _new_fact(doc, token.i, cues, sentence, len(facts) + 1)
            if fact is not None:
                facts.append(fact)
    sf = SentenceFacts(doc, cues, facts)
    _borrow_heads(sf)
    _coordinate(sf)
    _relate_in_sentence(sf)
    _pair_parts(sf)
    return sf
