"""Relations a sentence states among its own numbers: a growth rate to its level, a change to its
level, new items to the stock they bring the total to, "respectively" pairs, "K of which" parts,
K-of-M rates, and list items that share a head noun given once ("7 national-level, 10
provincial-level and 33 city-level bases").
"""

from __future__ import annotations

from spacy.tokens import Doc

from extractors.prose import phrases
from extractors.prose.fact_types import LEVEL_KINDS, RELATIVE_KINDS, Fact, SentenceFacts


def _borrow_heads(sf: SentenceFacts) -> None:
    """ "7 national-level, 10 provincial-level, and 33 city-level bases": earlier items take the last head."""
    counts = [f for f in sf.facts if f.kind == "count" and f.shape == "cardinal"]
    for a, b in reversed(list(zip(counts, counts[1:]))):
        between = sf.doc[a.token + 1 : b.token]
        only_list = all(t.is_alpha or t.text in (",", "-") for t in between)
        right = phrases.noun_phrase_right(sf.doc, a.token)
        if only_list and phrases.ends_with_modifier(right) and b.head:
            a.head, a.unit = b.head, b.unit
            last = b.metric.split()[-1] if b.metric else ""
            a.metric = f"{phrases.metric_text(right)} {last}".strip()


def _coordinate(sf: SentenceFacts) -> None:
    """A bare number joined by "and" to a typed one shares its type: "to 4 and 50", "up 39.81% and 42.68%"."""
    for a, b in zip(sf.facts, sf.facts[1:]):
        between = [t.lower_ for t in sf.doc[a.token + 1 : b.token]]
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
            if fact.kind == "change" and (
                other.shape != fact.shape or other.kind != "count" and fact.shape == "cardinal"
            ):
                continue
            return other
    return None


def _relate_previous(sf: SentenceFacts) -> None:
    """ "rose to 540 units from 450 units": 450 is the previous level of 540."""
    for fact in sf.facts:
        if "previous" not in sf.cues.roles(fact.token):
            continue
        level = next(
            (f for f in reversed(sf.facts) if f.token < fact.token and f.kind == fact.kind and f.shape == fact.shape),
            None,
        )
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
        for level, growth in zip(levels[-len(growths) :], growths):
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
    """ "a 30.7% year-on-year increase in the volume of X": the thing after the cue words."""
    matches = [m for m in sf.cues.by_token.get(fact.token, []) if m.cue.kind]
    if not matches:
        return ""
    end = max(m.end for m in matches)
    if end < len(sf.doc) and sf.doc[end].lower_ in ("in", "of"):
        return phrases.metric_text(phrases.noun_phrase_right(sf.doc, end))
    return ""


def _level_metric(doc: Doc, match) -> str:
    """ "bringing the total number of approved centers in the province to nine" -> approved centers."""
    span = doc[match.start : match.end]
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
    """ "731 applications ..., 279 of which were granted" and "159 of 763": a part of a whole."""
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


def relate_sentence(sf: SentenceFacts) -> None:
    """All in-sentence relations except rates (which wait for the lists, extractors.prose.lists)."""
    _borrow_heads(sf)
    _coordinate(sf)
    _relate_in_sentence(sf)
    _pair_parts(sf)
