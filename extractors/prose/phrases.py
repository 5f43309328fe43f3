"""Read the words around a number: the thing it counts (metric), its unit, the sentence's subject,
period and verb. Vocabulary in `patterns/phrases.yaml`; no trained model, so these are rules over
tokens: a noun phrase is a run of words up to a stop word, joined by "of"/"for".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from extractors.prose.nlp import load_patterns

PATTERN_FILE = "phrases.yaml"
MAX_NP_TOKENS = 12


@dataclass(frozen=True)
class PhraseVocabulary:
    unit_of_noun: dict[str, str]
    irregular: dict[str, str]
    np_stop: frozenset[str]
    connectors: frozenset[str]
    modifiers: frozenset[str]
    copulas: frozenset[str]
    drop_leading: frozenset[str]
    introducers: tuple[str, ...]
    left_skip: frozenset[str]
    left_stop: frozenset[str]
    rate_heads: frozenset[str]
    subject_verbs: frozenset[str]
    intro_words: frozenset[str]
    pronouns: frozenset[str]
    periods: tuple[tuple[re.Pattern, str], ...]


@lru_cache(maxsize=1)
def vocabulary() -> PhraseVocabulary:
    data = load_patterns(PATTERN_FILE)
    unit_of_noun = {noun: unit for unit, nouns in data["count_units"].items() for noun in nouns}
    return PhraseVocabulary(
        unit_of_noun=unit_of_noun,
        irregular={k: v for k, v in data["irregular_plurals"].items()},
        np_stop=frozenset(data["np_stop"]),
        connectors=frozenset(data["np_connectors"]),
        modifiers=frozenset(data["modifier_words"]),
        copulas=frozenset(data["copulas"]),
        drop_leading=frozenset(data["metric_drop_leading"]),
        introducers=tuple(sorted(data["metric_introducers"], key=len, reverse=True)),
        left_skip=frozenset(data["left_skip"]),
        left_stop=frozenset(data["left_stop"]),
        rate_heads=frozenset(data["rate_heads"]),
        subject_verbs=frozenset(data["subject_verbs"]),
        intro_words=frozenset(data["intro_words"]),
        pronouns=frozenset(data["pronouns"]),
        periods=tuple((re.compile(p, re.IGNORECASE), r) for p, r in data["periods"]),
    )


def singular(word: str) -> str:
    """Singular of an English noun by suffix rules and the irregular list ("cases" -> "case")."""
    voc = vocabulary()
    w = word.lower()
    if w in voc.irregular:
        return voc.irregular[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and re.search(r"(ches|shes|sses|xes)$", w):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _is_word(token: Token) -> bool:
    return token.is_alpha or token.text in ("-", "&", "'s", "’s") or token._.qshape == "per_base"


def _is_participle(token: Token) -> bool:
    return token.is_alpha and token.lower_.endswith("ed") and len(token) > 4


def _is_gerund(token: Token) -> bool:
    return token.is_alpha and token.lower_.endswith("ing") and len(token) > 5


def _is_adverb(token: Token) -> bool:
    return token.is_alpha and token.lower_.endswith("ly") and len(token) > 4


def _glued(doc: Doc, j: int) -> bool:
    """Token j is part of a hyphenated word ("on-site", "one-on-one", "high-value")."""
    after = j + 1 < len(doc) and not doc[j].whitespace_ and doc[j + 1].text == "-"
    before = j > 0 and doc[j - 1].text == "-" and not doc[j - 1].whitespace_
    return after or before


def _has_plural_noun(words: list[Token], connectors: frozenset[str]) -> bool:
    """A plural-looking noun since the last connector ("cases of trademark violations" -> violations)."""
    tail: list[Token] = []
    for w in words:
        tail = [] if w.lower_ in connectors else tail + [w]
    return any(w.is_alpha and w.lower_.endswith("s") and not w.lower_.endswith("ss") for w in tail)


QUOTES = ('"', "“", "”")


def noun_phrase_right(doc: Doc, i: int) -> list[Token]:
    """The counted phrase after token i ("529,185 valid invention patents, ..." -> valid invention patents).

    Words run until a stop word or punctuation; "of"/"for" join two parts; quotation marks are skipped;
    "and" joins adjectives before the noun ("specialized and sophisticated little giants"); after a
    plural noun, a participle closes the phrase ("patents granted") and a gerund ends it.
    """
    voc = vocabulary()
    j = i + 1
    if j < len(doc) and doc[j].lower_ in voc.copulas:
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ == "of" and doc[j + 1].lower_ in ("the", "these", "those", "them"):
        j += 2  # partitive: "Thirty of the articles"
    while j < len(doc) and doc[j].lower_ in ("such", "these", "those", "the", "its", "their"):
        j += 1
    words: list[Token] = []
    while j < len(doc) and len(words) < MAX_NP_TOKENS:
        token = doc[j]
        low = token.lower_
        glued = _glued(doc, j)
        plural = _has_plural_noun(words, voc.connectors)
        if token.text in QUOTES:
            j += 1
            continue
        if token._.qshape and token._.qshape != "per_base" and not glued:
            break
        if low in voc.connectors and words and j + 1 < len(doc) and _is_word(doc[j + 1]):
            words.append(token)
            j += 1
            if j < len(doc) and doc[j].lower_ == "the":
                words.append(doc[j])
                j += 1
            continue
        if low == "and" and words and not plural and j + 1 < len(doc) and doc[j + 1].is_alpha:
            words.append(token)
            j += 1
            continue
        if not glued and not (_is_word(token) or token._.qshape):
            break
        if not glued and (low in voc.np_stop or (_is_adverb(token) and words)):
            break
        if not glued and plural and _is_gerund(token):
            break
        if not glued and plural and _is_participle(token) and words[-1].lower_ not in voc.connectors:
            words.append(token)  # "patents granted": a participle after the noun closes the phrase
            break
        words.append(token)
        j += 1
    while words and (words[-1].lower_ in voc.connectors or words[-1].lower_ in ("the", "and") or words[-1].text == "-"):
        words.pop()
    return words


def _clause_subject(doc: Doc, verb: int) -> list[Token]:
    """Tokens from the clause start (sentence start or last comma) to a verb, without a trailing
    location ("in Jiangsu Province") and leading articles: the measured thing of "X has reached N"."""
    start = verb
    while start > 0 and doc[start - 1].text not in (",", ";", ":"):
        start -= 1
    words = [t for t in doc[start:verb]]
    for k in range(len(words) - 1, 0, -1):
        if words[k].lower_ == "in" and all(w.is_title or not w.is_alpha for w in words[k + 1 :]):
            words = words[:k]
            break
    while words and words[0].lower_ in ("the", "a", "an", "while", "and", "but", "whereas", "or"):
        words.pop(0)
    return words if 0 < len(words) <= MAX_NP_TOKENS else []


VERBS_OF_LEVEL = frozenset(
    {
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "reached",
        "exceeded",
        "hit",
        "totaled",
        "totalled",
        "amounted",
        "stood",
        "surpassed",
        "topped",
    }
)


def noun_phrase_left(doc: Doc, i: int, linked_only: bool = False) -> list[Token]:
    """The measured phrase before token i ("the number of X was N" -> number of X; "a total fine of RMB N").

    With `linked_only`, only a phrase tied to the number by a verb of level ("was", "reached") or by
    "of" counts: "upheld 200 of them" has no measured phrase on the left.
    """
    voc = vocabulary()
    j = i - 1
    verb = None
    linked = False
    while j >= 0 and (doc[j].lower_ in voc.left_skip or doc[j].text in ("(",)):
        if doc[j].lower_ in VERBS_OF_LEVEL:
            verb = j
        linked = linked or doc[j].lower_ in VERBS_OF_LEVEL or doc[j].lower_ == "of"
        j -= 1
    if linked_only and not linked:
        return []
    if verb is not None:
        subject = _clause_subject(doc, j + 1)
        if subject:
            return subject
    words: list[Token] = []
    while j >= 0 and len(words) < MAX_NP_TOKENS:
        token = doc[j]
        low = token.lower_
        if low == "the" and j > 0 and doc[j - 1].lower_ in voc.connectors:
            words.insert(0, token)
            j -= 1
            continue
        if token._.qshape and token._.qshape != "per_base":
            break
        if not _is_word(token) or low in voc.left_stop:
            break
        words.insert(0, token)
        j -= 1
    while words and (words[0].lower_ in voc.connectors or words[0].lower_ == "the"):
        words.pop(0)
    return words


def phrase_text(tokens: list[Token]) -> str:
    text = ""
    for t in tokens:
        if text and not (t.text == "-" or text.endswith("-")):
            text += " "
        text += t.text
    return text


def metric_text(tokens: list[Token]) -> str:
    """Normalised metric: lower-case, introducers ("number of") and leading adjectives of change dropped."""
    voc = vocabulary()
    text = phrase_text(tokens).lower().replace("’", "'")
    changed = True
    while changed:
        changed = False
        for intro in voc.introducers:
            if text.startswith(intro + " "):
                text, changed = text[len(intro) + 1 :], True
        first, _, rest = text.partition(" ")
        if rest and first in voc.drop_leading:
            text, changed = rest, True
    return text.strip()


def head_noun(metric: str) -> str:
    """Singular head of a metric: last word before "of"/"for", skipping a closing participle
    ("invention patents granted" -> patent, "cases of trademark violations" -> case)."""
    voc = vocabulary()
    core: list[str] = []
    for word in metric.replace("-", " - ").split():
        if word in voc.connectors or word == "per":
            break
        core.append(word)
    while len(core) > 1 and core[-1].endswith("ed") and len(core[-1]) > 4:
        core.pop()
    words = [w for w in core if w.isalpha()]
    return singular(words[-1]) if words else ""


def ends_with_modifier(tokens: list[Token]) -> bool:
    """True when the phrase is only modifiers ("national-level"): the head noun comes later in the list."""
    words = [t.lower_ for t in tokens if t.is_alpha]
    return not words or words[-1] in vocabulary().modifiers


def count_unit(noun: str) -> str:
    """Unit of a count from its head noun: declared classes (piece, case, person) or the noun itself."""
    return vocabulary().unit_of_noun.get(noun, noun)


def verb_near(doc: Doc, i: int, np_end: int) -> str:
    """The verb that tells what happened to the counted things: before the number or after its phrase."""
    voc = vocabulary()
    j = i - 1
    while j >= 0 and doc[j].lower_ in voc.left_skip - {"of"}:
        j -= 1
    if j >= 0 and _is_participle(doc[j]):
        return doc[j].lower_
    k = np_end
    while k < len(doc) and (doc[k].lower_ in ("were", "was", "been", "have", "has", "be") or _is_adverb(doc[k])):
        k += 1
    if k > np_end and k < len(doc) and _is_participle(doc[k]):
        return doc[k].lower_
    return ""


def sentence_subject(doc: Doc) -> str:
    """The phrase before the main verb, after an introductory phrase ("In 2023, Jiangsu recorded" -> Jiangsu)."""
    voc = vocabulary()
    start = 0
    if len(doc) and doc[0].lower_ in voc.intro_words:
        comma = next((t.i for t in doc if t.text == ","), None)
        if comma is None:
            return ""
        start = comma + 1
    words: list[Token] = []
    for token in doc[start:]:
        low = token.lower_
        if token._.qshape or not (_is_word(token) or token.text in ("'", "’")):
            break
        if words and (low in voc.subject_verbs or _is_participle(token)):
            break
        words.append(token)
    return phrase_text(words) if 0 < len(words) <= 8 else ""


def is_pronoun(subject: str) -> bool:
    first = subject.split(" ", 1)[0].lower() if subject else ""
    return first in vocabulary().pronouns


def sentence_period(text: str) -> str:
    for pattern, replacement in vocabulary().periods:
        match = pattern.search(text)
        if match:
            return match.expand(replacement)
    return ""


def in_quotes(doc: Doc, i: int) -> bool:
    """True when token i sits inside a pair of quotation marks of its sentence."""
    quotes = ('"', "“", "”")
    before = sum(1 for t in doc[:i] if t.text in quotes)
    after = sum(1 for t in doc[i + 1 :] if t.text in quotes)
    return before % 2 == 1 and after >= 1
