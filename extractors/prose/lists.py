"""Totals and their listed parts: "X, including A (a%) by ..., B (b%) by ... and C (c%) by ...",
"Among the N enterprises, there are A ..., B ... and C ...", "W works, including art works (s1%), ...".

A list opens at a marker ("including", "of which", "among them", "Among the N ...") and runs until
the sentence ends, a semicolon, or a new clause ("..., and mediated 281 cases"). Its items are the
counts at parenthesis depth 0; a percentage in parentheses right after an item is that item's share;
a percentage in parentheses after words only ("art works (82.57%)") is a share whose part is not
counted. Amounts inside the list ("with a total fine of RMB ...") are parts of the matching amount
of the total's sentence. Nothing here decides whether a list is exhaustive: fact_rules does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from extractors.prose import phrases
from extractors.prose.nlp import load_patterns
from extractors.prose.statements import RELATIVE_KINDS, Fact, SentenceFacts

REMAINDER_START = frozenset({"the", "other", "others"})  # "and the rest", "and other": a new item
COPULAS = frozenset({"were", "was", "are", "is", "have", "has", "had"})
ITEM_KINDS = frozenset({"count", "ratio"})
WHOLE_KINDS = frozenset({"count", "ratio", "amount"})


@lru_cache(maxsize=1)
def _category_drop() -> frozenset[str]:
    return frozenset(load_patterns(phrases.PATTERN_FILE).get("category_drop_leading", []))


@dataclass
class ListRead:
    """One list of a sentence. `whole` is None for "Among these cases": the total is in an earlier sentence."""

    whole: Fact | None
    items: list[Fact] = field(default_factory=list)
    shares: list[tuple[Fact, Fact | None]] = field(default_factory=list)  # (share, its part or None)
    amounts: list[Fact] = field(default_factory=list)
    back_word: str = ""  # "cases" in "Among these cases"


def _depths(doc: Doc) -> list[int]:
    depth, out = 0, []
    for token in doc:
        if token.text in (")", "）"):
            depth = max(0, depth - 1)
        out.append(depth)
        if token.text in ("(", "（"):
            depth += 1
    return out


def _category(doc: Doc, start: int, end: int) -> str:
    """Words between two positions, without list glue ("owned by", "and") or brackets."""
    drop = _category_drop()
    words = [t for t in doc[start:end] if t.is_alpha or t.text in ("-", "'s")]
    while words and words[0].lower_ in drop:
        words.pop(0)
    return phrases.phrase_text(words).lower()


def _clause_break(doc: Doc, i: int) -> bool:
    """ "..., and mediated 281 cases": a coordinated verb starts a new clause, ending the list."""
    token = doc[i]
    if token.text == ";":
        return True
    if token.lower_ in COPULAS and i > 0 and not doc[i - 1]._.qshape and doc[i - 1].lower_ != "there":
        return True  # "Eight clusters, including the X, were selected ..., with 8 teams": the list ended
    if token.lower_ == "and" and 0 < i < len(doc) - 1 and doc[i - 1].text == ",":
        nxt = doc[i + 1]
        return nxt.is_alpha and nxt.lower_.endswith("ed") and len(nxt) > 4
    return False


def _read_items(sf: SentenceFacts, start: int, whole: Fact | None, skip: set[int]) -> ListRead:
    doc = sf.doc
    depths = _depths(doc)
    read = ListRead(whole)
    last_item: Fact | None = None
    last_boundary = start
    for i in range(start, len(doc)):
        token = doc[i]
        if depths[i] == 0 and _clause_break(doc, i):
            break
        if depths[i] == 0 and (token.text == "," or token.lower_ == "and"):
            last_boundary = i + 1
        fact = sf.by_token(i)
        if fact is None or i in skip or fact.kind in RELATIVE_KINDS:
            continue
        if depths[i] == 0 and fact.kind in ITEM_KINDS:
            previous = last_item.token if last_item is not None else start - 1
            read.items.append(fact)
            last_item = fact
            nxt_after = i + 1
            if nxt_after < len(doc) and doc[nxt_after].text == "(":
                close = next((k for k in range(nxt_after, len(doc)) if doc[k].text == ")"), len(doc) - 1)
                nxt_after = close + 1
            fact.category = _category(doc, nxt_after, _item_end(doc, nxt_after, depths))
            rest = [m for m in sf.cues.markers if m.cue.label == "remainder" and previous < m.start < i]
            if rest:  # "..., and the rest, 360, ...": the remainder of the total
                fact.category = f"{doc[rest[0].start : rest[0].end].text.lower()} {fact.category}".strip()
        elif depths[i] == 0 and fact.kind == "amount":
            read.amounts.append(fact)
        elif depths[i] == 1 and fact.shape == "percent" and doc[i - 1].text == "(":
            if last_item is not None and last_item.token == i - 2:
                read.shares.append((fact, last_item))
            else:
                fact.category = _category(doc, last_boundary, i - 1)
                read.shares.append((fact, None))
    return read


def _item_end(doc: Doc, start: int, depths: list[int]) -> int:
    """End of an item's words: the next delimiter, quantity, "with", or "and" before a quantity."""
    for k in range(start, len(doc)):
        if depths[k] != 0:
            continue
        token = doc[k]
        if token.text in (",", ";", ".") or token._.qshape or token.lower_ == "with":
            return k
        if token.lower_ == "and" and k + 1 < len(doc) and (doc[k + 1]._.qshape or doc[k + 1].lower_ in REMAINDER_START):
            return k
    return len(doc)


def _whole_before(sf: SentenceFacts, position: int) -> Fact | None:
    depths = _depths(sf.doc)
    for fact in reversed([f for f in sf.facts if f.token < position]):
        if fact.kind in WHOLE_KINDS and depths[fact.token] == 0 and fact.role not in ("part", "numerator"):
            return fact
    return None


def read_lists(sf: SentenceFacts) -> list[ListRead]:
    """The lists a sentence states, in order."""
    doc = sf.doc
    depths = _depths(doc)
    reads: list[ListRead] = []
    of_which_parts = {m.start for m in sf.cues.links if m.cue.role == "part_of_previous"}
    for marker in sf.cues.markers:
        if depths[marker.start] != 0:
            continue  # "(1.38%, including oral account ...)": a note inside brackets, not a list
        if marker.cue.label == "list_open":
            if marker.start - 1 in of_which_parts:
                continue  # "279 of which were granted" is a part, read by statements
            whole = _whole_before(sf, marker.start)
            if whole is None:
                continue
            read = _read_items(sf, marker.end, whole, {whole.token})
        elif marker.cue.label == "list_back" and marker.start == 0:
            nxt = doc[marker.end] if marker.end < len(doc) else None
            if nxt is not None and nxt._.qshape == "cardinal":  # "Among the 272 demonstration enterprises"
                whole = sf.by_token(nxt.i)
                read = _read_items(sf, nxt.i + 1, whole, {nxt.i})
            else:  # "Among these cases": the whole is in the previous sentence
                back = next((t for t in doc[marker.end :] if t.is_alpha), None)
                read = _read_items(sf, marker.end, None, set())
                read.back_word = phrases.singular(back.lower_) if back is not None else ""
        else:
            continue
        if read.items or read.shares:
            reads.append(read)
    return reads


def apply_list(read: ListRead, whole: Fact, amount_whole: Fact | None = None) -> None:
    """Record the list's roles: items are parts of the whole, shares belong to their parts (or the whole)."""
    whole.role = "total"
    for item in read.items:
        if item.role in ("numerator", "denominator"):
            continue
        item.role, item.ref = "part", whole.fact_id
        if not item.metric or item.head == "":
            item.metric = whole.metric
        if whole.kind == "ratio" and item.kind == "count":
            item.kind, item.unit = whole.kind, whole.unit
        item.unit = item.unit or whole.unit
    for share, part in read.shares:
        share.kind, share.unit = "share", "percent"
        share.role = "share"
        share.ref = part.fact_id if part is not None else whole.fact_id
        share.metric = (part or whole).metric
        if part is not None:
            share.category = part.category
    if amount_whole is not None:
        for amount in read.amounts:
            amount.role, amount.ref = "part", amount_whole.fact_id
            amount_whole.role = amount_whole.role or "total"
