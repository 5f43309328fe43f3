"""Every number in the prose as a typed, traceable fact: `extract_facts(sentences) -> list[Fact]`.

    sentences (extractors.prose.sentences, kind "body") -> per paragraph, in order:
      read_sentence (extractors.prose.statements): quantities, kinds, units, metrics, in-sentence relations
      read_lists (extractors.prose.lists): totals and their parts and shares
      cross-sentence relations: "They accounted for a% of the total Y" (part in the previous
      sentence, total Y stated earlier in the paragraph), "Among these cases, ..." (total in the
      previous sentence), pronoun subjects and periods carried over
    -> one `Fact` record per number, with `group` tying the numbers of one statement together
       (normalise.tidy.facts_frame makes the facts frame of them).

Roles: total / part / share (a breakdown), level / change / growth (a level and how it moved),
rate / numerator / denominator (K of M), comparison (against something other than last year).
`ref` is the fact a number is stated relative to: part -> its total, share -> its part (or the total
when the part is not counted), growth/change -> the level, numerator -> denominator, rate -> numerator.
"""

from __future__ import annotations

import json
from itertools import groupby

from extractors.prose import phrases
from extractors.prose.lists import apply_list, read_lists
from extractors.prose.statements import Fact, SentenceFacts, pair_rates, read_sentence

STOP_WORDS = frozenset({"the", "of", "in", "a", "an", "and", "for", "total", "province", "'s"})


def _content_words(text: str) -> set[str]:
    return {phrases.singular(w) for w in text.replace("'s", " ").split() if w not in STOP_WORDS}


def _back_whole(prev: SentenceFacts | None, word: str) -> Fact | None:
    """The total "Among these cases" points to: the previous sentence's last count of that noun."""
    if prev is None:
        return None
    counts = [f for f in prev.facts if f.kind == "count" and f.role not in ("part",)]
    named = [f for f in counts if f.head == word] if word else []
    return (named or counts or [None])[-1]


def _amount_whole(whole_sentence: SentenceFacts | None, amounts: list[Fact]) -> Fact | None:
    """The amount of the total's sentence that the listed amounts are parts of (same metric words)."""
    if whole_sentence is None or not amounts:
        return None
    wanted = set().union(*(_content_words(a.metric) for a in amounts))
    candidates = [f for f in whole_sentence.facts if f.kind == "amount" and f not in amounts]
    matching = [f for f in candidates if _content_words(f.metric) & wanted]
    return matching[-1] if matching else None


def _share_whole_phrase(sf: SentenceFacts, share: Fact) -> str:
    doc = sf.doc
    of = share.token + 1
    if of < len(doc) and doc[of].lower_ == "of":
        return phrases.metric_text(phrases.noun_phrase_right(doc, of))
    return ""


def _resolve_shares(sf: SentenceFacts, earlier: list[Fact], prev: SentenceFacts | None, subject: str) -> None:
    """ "X, accounting for a% of the total Y": the part is X (or, after "They", the previous sentence's
    last count); the total is the earlier count of the paragraph whose metric best names Y."""
    for share in sf.facts:
        if share.kind != "share" or share.ref or not sf.cues.match_for(share.token, "share_of_total"):
            continue
        before = [f for f in sf.facts if f.token < share.token and f.kind == "count" and f.role != "total"]
        part = before[-1] if before else None
        if part is None and prev is not None and phrases.is_pronoun(subject):
            counts = [f for f in prev.facts if f.kind == "count"]
            part = counts[-1] if counts else None
        if part is None:
            continue
        share.role, share.ref, share.metric = "share", part.fact_id, part.metric
        whole_words = _content_words(_share_whole_phrase(sf, share))
        candidates = [
            f
            for f in earlier + sf.facts
            if f is not part
            and f.kind == "count"
            and f.unit == part.unit
            and f.value is not None
            and part.value is not None
            and f.value > part.value
            and f.role not in ("part",)
            and _content_words(f.metric) & whole_words
        ]
        if not candidates:
            continue
        whole = min(candidates, key=lambda f: (len(_content_words(f.metric) - whole_words), -f.value))
        part.role, part.ref = "part", whole.fact_id
        whole.role = "total"


def _finish_metrics(facts: list[Fact]) -> None:
    by_id = {f.fact_id: f for f in facts}
    for fact in facts:
        target = by_id.get(fact.ref)
        if target is not None and fact.role in ("growth", "change", "comparison") and fact.kind != "count":
            fact.metric = target.metric or fact.metric
        if target is not None and not fact.metric:
            fact.metric = target.metric


def _assign_groups(facts: list[Fact]) -> None:
    by_id = {f.fact_id: f for f in facts}
    referenced = {f.ref for f in facts if f.ref}
    for fact in facts:
        if not fact.ref and fact.fact_id not in referenced:
            continue
        root, seen = fact, set()
        while root.ref and root.ref in by_id and root.fact_id not in seen:
            seen.add(root.fact_id)
            root = by_id[root.ref]
        fact.group = f"g{root.fact_id}"


def _read_paragraph(sentences) -> list[Fact]:
    facts: list[Fact] = []
    prev: SentenceFacts | None = None
    subject = period = ""
    for sentence in sentences:
        sf = read_sentence(sentence)
        own_subject = phrases.sentence_subject(sf.doc)
        if own_subject and not phrases.is_pronoun(own_subject):
            subject = own_subject
        period = phrases.sentence_period(sentence.text) or period
        evidence = json.dumps([b.as_list() for b in sentence.boxes])
        for fact in sf.facts:
            fact.subject, fact.period, fact.evidence = subject, period, evidence
        for read in read_lists(sf):
            whole, whole_sentence = read.whole, sf
            if whole is None:
                whole, whole_sentence = _back_whole(prev, read.back_word), prev
            if whole is not None:
                apply_list(read, whole, _amount_whole(whole_sentence, read.amounts))
        pair_rates(sf)
        _resolve_shares(sf, facts, prev, own_subject)
        facts.extend(sf.facts)
        prev = sf
    return facts


def extract_facts(sentences) -> list[Fact]:
    """One fact per number in the body sentences (captions and notes are not prose), in order."""
    body = [s for s in sentences if s.kind == "body"]
    facts: list[Fact] = []
    for _, paragraph in groupby(body, key=lambda s: s.paragraph):
        facts.extend(_read_paragraph(list(paragraph)))
    _finish_metrics(facts)
    _assign_groups(facts)
    return facts
