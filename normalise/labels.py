"""Text as it is matched and named: normalised labels, content words and slugs.

Row labels, header paths and profile phrases are compared in one normal form; ids and file-safe names
derived from text (table ids, data package names, artifact keys) are made by the one `slug`.
"""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset({"of", "and", "the", "in", "by", "for", "a", "an", "to", "at"})


def normalise_label(text: str) -> str:
    """Lower-case, ASCII apostrophes, single spaces, no footnote marks: the form used for matching."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[*†‡]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text.rstrip(":：")


def words(text: str) -> list[str]:
    """Content words of a header or phrase: lower-case alphanumeric tokens without stopwords."""
    tokens = re.findall(r"[a-z0-9]+(?:[,.][0-9]+)*", normalise_label(text))
    return [t for t in tokens if t not in STOPWORDS]


def slug(text: str, keep: str = "") -> str:
    """Lower-case ASCII letters and digits (plus the characters in `keep`), other runs become "-"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", text.lower()).strip("-")
