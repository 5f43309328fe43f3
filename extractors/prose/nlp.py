"""The spaCy pipeline (blank English + sentencizer) and the pattern files, built once per process.

No trained model: `spacy.blank("en")` with tokenizer adjustments from `patterns/tokenizer.yaml` and
a sentencizer. Matchers for facts are built from the other pattern files by `extractors.prose.quantities`
and `extractors.prose.statements`, also once per process.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex, compile_suffix_regex

PATTERNS_DIR = Path(__file__).parent / "patterns"


class PatternError(ValueError):
    """A pattern file is malformed; the message names the file and the entry."""


@cache
def load_patterns(name: str) -> dict:
    """One pattern file of `extractors/patterns/` as a mapping."""
    path = PATTERNS_DIR / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PatternError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise PatternError(f"{path}: a pattern file is a mapping at top level")
    return data


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline: tokenizer with the statistical-prose adjustments, then a sentencizer."""
    nlp = spacy.blank("en")
    rules = load_patterns("tokenizer.yaml")
    suffixes = list(nlp.Defaults.suffixes) + list(rules.get("suffixes", []))
    infixes = list(nlp.Defaults.infixes) + list(rules.get("infixes", []))
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for abbreviation in rules.get("abbreviations", []):
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.add_pipe("sentencizer")
    return nlp
