"""One sentence's numbers as typed facts, and the relations stated inside the sentence.

    quantities (extractors.prose.quantities) + cues (extractors.prose.cues) + phrases (extractors.prose.phrases)
    -> one `Fact` per quantity, with kind, unit, metric, qualifier
    -> relations inside the sentence: a growth rate to its level, a change to its level, new items
       to the stock they bring the total to, "respectively" pairs, K-of-M and rate pairs.

Lists ("X, including A (a%), B (b%) ...") are read by extractors.prose.lists; relations that cross
sentences (shares of a total stated earlier, "Among these cases", pronoun subjects) by
extractors.prose.facts.
"""

from __future__ import annotations

from spacy.tokens import Doc

from extractors.prose import phrases
from extractors.prose.cues import Cues, find_cues
from extractors.prose.fact_types import LEVEL_KINDS, RELATIVE_KINDS, Fact, SentenceFacts
from extractors.prose.nlp import get_nlp
from extractors.prose.quantities import mark_quantities
from extractors.prose.relations import pair_rates, relate_sentence

__all__ = ["Fact", "SentenceFacts", "LEVEL_KINDS", "RELATIVE_KINDS", "pair_rates", "read_sentence"]

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
    relate_sentence(sf)
    return sf
