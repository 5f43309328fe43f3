"""A run whose outputs are already exactly what it would write does nothing: like `make`, not a cache.

A `whitepaper run` that ends writes `<out>/.whitepaper-run.json`: what it was asked (every input's
path and sha256, in order; the options that shape outputs), with what (the pipeline code hash, the
user profiles' hash, the versions of the libraries that read and check) and what it left (every file
under `<out>`: its size and modification time), with each document's result. The next run asked the
same thing finds all of that equal and prints the same lines, marked "up to date", without starting
Prefect, reading a page or writing a byte. Anything different (an input's bytes, a file added to a
folder given, code, a profile, a library, an option, any output file touched, added or removed, or
another run's writes, which change `whitepaper.duckdb`) means a real run, which first removes the
stamp, so a run that dies half-way never leaves one behind. `--refresh` always runs.

The scheduled flow (`whitepaper serve`) and the Prefect UI see only real runs: an up-to-date CLI run
creates no flow run.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from importlib import metadata
from pathlib import Path

from flows.results import STATUS_REJECTED, STATUS_UP_TO_DATE, DocumentResult

STAMP = ".whitepaper-run.json"
STAMP_FORMAT = 1
# what reads, checks and writes the outputs besides the project's own code (its hash covers that)
LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "spacy", "great-expectations", "pandas", "pyarrow", "duckdb")


def _versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def request(files: list[Path], options: dict) -> dict:
    """What this run is asked to do and with what code: equal requests write equal outputs.
    `options`: the run's options that shape its outputs (profile, profile folders, limits, ...)."""
    from extractors.pdf_open import sha256_of
    from flows.versions import pipeline_code_hash
    from normalise.profiles import user_profiles_hash

    return {
        "format": STAMP_FORMAT,
        "inputs": [[str(f), sha256_of(f)] for f in files],
        "options": options,
        "pipeline": pipeline_code_hash(),
        "profiles": user_profiles_hash(options.get("profile"), options.get("profile_dirs") or ()),
        "libraries": _versions(),
    }


def _listing(out: Path) -> list[list]:
    """Every file under `out` but the stamp: relative path, size, mtime (ns)."""
    rows = []
    for folder, dirs, names in os.walk(out):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.parent == out and name.startswith(STAMP):
                continue
            stat = path.stat()
            rows.append([path.relative_to(out).as_posix(), stat.st_size, stat.st_mtime_ns])
    return rows


def forget(out: Path) -> None:
    """Remove the stamp before a real run writes anything."""
    (out / STAMP).unlink(missing_ok=True)


def remember(out: Path, asked: dict, results: list[DocumentResult]) -> None:
    """After a run has written everything: the stamp, swapped in whole (a torn stamp never matches)."""
    stamp = {"request": asked, "results": [asdict(r) for r in results], "outputs": _listing(out)}
    temporary = out / f"{STAMP}.{os.getpid()}"
    temporary.write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, out / STAMP)


def recalled(out: Path, asked: dict) -> list[DocumentResult] | None:
    """The results of the last run when it was asked exactly this and its outputs are untouched; else None."""
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
        if stamp["request"] != json.loads(json.dumps(asked)) or stamp["outputs"] != _listing(out):
            return None
        results = [DocumentResult(**r) for r in stamp["results"]]
    except (OSError, ValueError, KeyError, TypeError):  # no stamp, or not one this code wrote: run
        return None
    return [
        r if r.status == STATUS_REJECTED else replace(r, status=STATUS_UP_TO_DATE, rechecked=False) for r in results
    ]
