"""The spaCy pipeline (blank English + sentencizer) and the pattern files, built once per process.

No trained model: `spacy.blank("en")` with tokenizer adjustments from `patterns/tokenizer.yaml` and
a sentencizer. Matchers for facts are built from the other pattern files by `extractors.prose.quantities`
and `extractors.prose.statements`, also once per process.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex, compile_suffix_regex

from extractors.config import load_yaml_mapping

PATTERNS_DIR = Path(__file__).parent / "patterns"


@cache
def load_patterns(name: str) -> dict:
    """One pattern file of `extractors/prose/patterns/` as a mapping."""
    return load_yaml_mapping(PATTERNS_DIR / name, "pattern file")


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
