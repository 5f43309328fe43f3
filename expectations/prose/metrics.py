"""The publisher's prose vocabulary (profile keys `metrics:` and `rates:`) and the questions the
prose checks ask it: which declared metric is this fact, which table column and region it
corresponds to, how a named rate is computed.

Matching works on words: a phrase matches a metric when all its content words occur in the metric
(singular and plural alike), so "valid invention patents" matches "valid invention patents owned by
enterprises" but not "invention patents granted".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.prose.phrases import singular
from normalise.labels import words
from normalise.profile import LEVEL_OTHERS, Profile, ProfileError


@dataclass(frozen=True)
class PartSpec:
    phrases: tuple[str, ...]
    column_id: str


@dataclass(frozen=True)
class MetricSpec:
    id: str
    label: str
    phrases: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    column_id: str = ""
    parts: tuple[PartSpec, ...] = ()


@dataclass(frozen=True)
class RateSpec:
    id: str
    label: str
    phrases: tuple[str, ...]
    numerator: str
    denominator: str
    scale: float = 100.0


@dataclass(frozen=True)
class ProseVocabulary:
    metrics: tuple[MetricSpec, ...]
    rates: tuple[RateSpec, ...]

    def metric(self, metric_id: str) -> MetricSpec | None:
        return next((m for m in self.metrics if m.id == metric_id), None)


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else (str(value),)


def vocabulary_from_dict(prose: dict, source: str = "<profile>") -> ProseVocabulary:
    metrics = []
    for entry in prose.get("metrics", []):
        if "id" not in entry or not entry.get("phrases"):
            raise ProfileError(f"{source}: every metrics entry needs an id and phrases ({entry!r})")
        parts = tuple(PartSpec(_tuple(p.get("phrases")), str(p["column_id"])) for p in entry.get("parts", []))
        metrics.append(
            MetricSpec(
                id=str(entry["id"]),
                label=str(entry.get("label", entry["id"])),
                phrases=_tuple(entry["phrases"]),
                exclude=_tuple(entry.get("exclude")),
                context=_tuple(entry.get("context")),
                actions=_tuple(entry.get("actions")),
                column_id=str(entry.get("column_id", "")),
                parts=parts,
            )
        )
    ids = {m.id for m in metrics}
    rates = []
    for entry in prose.get("rates", []):
        rate = RateSpec(
            id=str(entry["id"]),
            label=str(entry.get("label", entry["id"])),
            phrases=_tuple(entry.get("phrases")),
            numerator=str(entry["numerator"]),
            denominator=str(entry["denominator"]),
            scale=float(entry.get("scale", 100)),
        )
        missing = [m for m in (rate.numerator, rate.denominator) if m not in ids]
        if missing:
            raise ProfileError(f"{source}: rate {rate.id} names undeclared metrics {missing}")
        rates.append(rate)
    return ProseVocabulary(tuple(metrics), tuple(rates))


def prose_vocabulary(profile: Profile | None) -> ProseVocabulary:
    """The profile's prose vocabulary (empty when there is no profile or it declares none)."""
    if profile is None:
        return vocabulary_from_dict({}, "<no profile>")
    return vocabulary_from_dict(profile.prose or {}, profile.source)


def metric_words(text: str) -> frozenset[str]:
    """The singular content words of a metric or phrase: what two metric names are compared by."""
    return frozenset(singular(w) for w in words(str(text or "")))


def _phrase_in(phrase: str, text_words: set[str]) -> bool:
    wanted = metric_words(phrase)
    return bool(wanted) and wanted <= text_words


def match_metric(vocabulary: ProseVocabulary, metric: str, sentence: str = "", action: str = "") -> MetricSpec | None:
    """The most specific declared metric that names this fact's metric, or None."""
    named = metric_words(metric)
    sentence_words = metric_words(sentence)
    best: tuple[int, MetricSpec | None] = (0, None)
    for spec in vocabulary.metrics:
        if any(_phrase_in(x, named) for x in spec.exclude):
            continue
        if spec.context and not any(_phrase_in(c, sentence_words) for c in spec.context):
            continue
        if spec.actions and action not in spec.actions:
            continue
        for phrase in spec.phrases:
            if _phrase_in(phrase, named):
                score = len(metric_words(phrase)) + (1 if spec.actions else 0) + (1 if spec.context else 0)
                if score > best[0]:
                    best = (score, spec)
    return best[1]


def match_part(spec: MetricSpec, category: str) -> str:
    """The column of a breakdown category of a metric ("colleges and universities" -> patents_colleges)."""
    category_words = metric_words(category)
    best = (0, "")
    for part in spec.parts:
        for phrase in part.phrases:
            if _phrase_in(phrase, category_words) and len(metric_words(phrase)) > best[0]:
                best = (len(metric_words(phrase)), part.column_id)
    return best[1]


def match_rate(vocabulary: ProseVocabulary, metric: str) -> RateSpec | None:
    named = metric_words(metric)
    for rate in vocabulary.rates:
        if any(_phrase_in(p, named) for p in rate.phrases):
            return rate
    return None


def sentence_region(profile: Profile, sentence: str) -> tuple[str, str]:
    """(canonical region, level) a sentence is about: the one region it names (case-sensitive, as
    written), else the hierarchy's root (the province). ("", "ambiguous") when it names several regions
    below the root."""
    named: set[tuple[str, str]] = set()
    root = profile.hierarchy.root
    for group in profile.hierarchy.labels():
        for label in group:
            if re.search(rf"(?<![\w'’]){re.escape(label)}(?![\w'’])", sentence):
                match = profile.match_region(label)
                if match.level not in (LEVEL_OTHERS,):
                    named.add((match.name, match.level))
    below = {n for n in named if n != (root.name, root.level)}
    if len(below) == 1:
        return next(iter(below))
    if len(below) > 1:
        return "", "ambiguous"
    return root.name, root.level
