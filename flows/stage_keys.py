"""Cache keys of the normalise and validate tasks: everything their results depend on, hashed.

Extraction is keyed on the file's content (flows.tasks.extract_task). The later stages also depend on
the path the run gives (the document's id and `path` come from it), the profile, the pipeline's code
and, for validation, the previous edition the document is compared with. With all of that equal, a
re-run reuses their results instead of recomputing them (spaCy's prose facts, Great Expectations):
a warm run does not even import them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

KEY_CHARS = 32


def _digest(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:KEY_CHARS]


def _file_digest(path: str | None) -> str:
    if not path:
        return ""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"  # normalise reports it; never a key that matches a readable profile


def frame_digest(frame) -> str:
    """Content of a frame, row order and columns included (pandas' own row hashes)."""
    if not isinstance(frame, pd.DataFrame):
        return ""
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes() if len(frame) else b""
    return _digest(list(map(str, frame.columns)), [str(t) for t in frame.dtypes], hashlib.sha256(rows).hexdigest())


def normalise_key(
    pdf_path: str,
    sha256: str,
    profile_path: str | None,
    profile_dirs: tuple[str, ...],
    limits: dict | None,
    extractor_hash: str,
    pipeline_hash: str,
) -> str:
    """`pipeline_hash` covers the profiles the run may apply (flows.flow: user_profiles_hash); the
    forced profile's content and the folders' names are part of the key too."""
    profile = (profile_path, _file_digest(profile_path), list(profile_dirs))
    return _digest("normalise", pdf_path, sha256, profile, limits or {}, extractor_hash, pipeline_hash)


def validate_key(normalised_key: str, edition) -> str:
    """`edition`: flows.edition_tasks.EditionContext (the previous edition's frames, when there is one)."""
    frames = [_edition_digest(edition.previous), _edition_digest(getattr(edition, "year_ago", None))]
    return _digest("validate", normalised_key, edition.previous_doc_id, edition.previous_sha256, frames)


def _edition_digest(edition) -> tuple:
    """An earlier edition's frames and period (the previous one, or the same period a year earlier)."""
    if edition is None:
        return ()
    return frame_digest(edition.cells), frame_digest(edition.facts), edition.year, str(getattr(edition, "label", ""))
