"""Hashes of the code, named for what they hash.

extractor_code_hash(): the extractors' sources and pattern files; part of the extraction cache key,
                       so a changed extractor never reuses an old cached extraction
pipeline_code_hash():  everything that shapes the outputs (extractors, normalisation, rules and
                       profiles, publishing, the flow); stored in the history, so `--skip-unchanged`
                       re-runs a document whose outputs this code would write differently
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRACTOR_DIRS = ("extractors",)
PIPELINE_DIRS = ("extractors", "normalise", "expectations", "publish", "flows")
HASHED_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".csv", ".j2", ".css")
HASH_CHARS = 16


def tree_hash(folders: tuple[str, ...], root: Path = ROOT) -> str:
    """sha256 over the relative path and bytes of every source file under the folders, in name order."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in HASHED_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:HASH_CHARS]


@cache
def extractor_code_hash() -> str:
    return tree_hash(EXTRACTOR_DIRS)


@cache
def pipeline_code_hash() -> str:
    return tree_hash(PIPELINE_DIRS)
