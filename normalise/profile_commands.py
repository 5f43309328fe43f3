"""`whitepaper profile check FILE...` and `whitepaper profile draft PDF`: what the CLI's thin handlers call.

    check_profiles(paths) -> [(ok, line)]  one line per file: what it declares, or its first problem
    draft(pdf, out) -> (ok, lines)         a starting profile from the document (stdout or `out`)
    options_problem(profile, dirs) -> str  a `run` option naming a broken profile or folder: one line, or ""

Nothing here prints or exits: the CLI maps `ok` to exit codes and the lines to stdout / stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractors.config import ConfigError
from normalise.profile import load_profile
from normalise.profiles import available_profiles, profile_dirs


def describe(path: Path) -> str:
    profile = load_profile(path)
    tree = profile.hierarchy
    depth = 1 + max(r.depth for r in tree.regions.values())
    of_which = sum(r.part_of for r in tree.regions.values())
    columns = sum(len(f.columns) for f in profile.families)
    return (
        f'{path}: ok (profile {profile.id}: {len(tree.regions)} members on {depth} levels, {of_which} "of which", '
        f"{len(profile.families)} table families, {columns} columns, {len(profile.relations)} relations, "
        f"{len(profile.period_patterns)} period patterns)"
    )


def check_profiles(paths: Sequence[Path]) -> list[tuple[bool, str]]:
    """(ok, line) per file."""
    results = []
    for path in paths:
        try:
            results.append((True, describe(Path(path))))
        except ConfigError as exc:
            results.append((False, str(exc)))
    return results


def draft(pdf: Path, out: Path | None = None) -> tuple[bool, str]:
    """(ok, text): the YAML draft (written to `out` when given, then the text says where), or one line why not."""
    from extractors.pdf_open import InputError
    from extractors.reader import extract_document
    from normalise.document import document_id
    from normalise.profile_draft import draft_profile, render_draft

    try:
        extract = extract_document(pdf)
    except InputError as exc:
        return False, f"{exc.path}: {exc.reason}"
    if not extract.tables:
        return False, f"{pdf}: no tables found, nothing to draft a profile from"
    text = render_draft(draft_profile(extract, document_id(pdf)), str(pdf))
    if out is None:
        return True, text
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return False, f"{out}: cannot write ({exc.strerror or exc})"
    return True, f"{pdf} -> {out}"


def options_problem(profile: str | Path | None, dirs: Sequence[str | Path]) -> str:
    """`run --profile FILE` and `--profiles DIR` / $WHITEPAPER_PROFILES checked before any input is read."""
    try:
        if profile:
            load_profile(Path(profile))
        available_profiles(profile_dirs(dirs))
    except ConfigError as exc:
        return str(exc)
    return ""
