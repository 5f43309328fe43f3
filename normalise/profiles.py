"""Where publisher profiles are found, and which one a document gets (with the evidence for the choice).

    profile_dirs(["my-profiles"])  -> the user's folders (given, then $WHITEPAPER_PROFILES), then the package's
    choose(head_text, tables_labels, dirs) -> ProfileChoice: profile, how ("forced", "phrase", "content",
                                           "none"), evidence, candidates; recorded in document.json

Recognition: the profiles whose `recognise.phrases` occur in the first pages (the most phrases wins);
failing that, by content: the profile whose hierarchy names the most distinct members among the tables'
row labels applies when it names at least `min_labels` of them and they make at least `min_label_share`
of the row labels of the tables where it names any. A tie is no choice: nothing is guessed.
A profile in a user folder replaces a package profile with the same id.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.config import ConfigError
from normalise.hierarchy import LEVEL_OF_WHICH, LEVEL_UNKNOWN
from normalise.labels import normalise_label
from normalise.profile import PUBLISHERS_DIR, Profile, load_profile

PROFILES_ENV = "WHITEPAPER_PROFILES"
PROFILE_SUFFIXES = (".yaml", ".yml")
HOW_FORCED, HOW_PHRASE, HOW_CONTENT, HOW_NONE = "forced", "phrase", "content", "none"


def profile_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """User folders first (`extra`, then $WHITEPAPER_PROFILES split on os.pathsep), the package's last."""
    env = [p for p in os.environ.get(PROFILES_ENV, "").split(os.pathsep) if p.strip()]
    return [*(Path(p) for p in [*extra, *env]), PUBLISHERS_DIR]


def profile_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ConfigError(f"{directory}: profiles folder does not exist or is not a folder")
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file())


def user_profiles_hash(profile: str | Path | None, dirs: Iterable[str | Path] = ()) -> str:
    """sha256 of the profiles outside the package a run may apply (the forced file, the user folders'
    files): `--skip-unchanged` re-runs a document when one of them changed. "" when there are none."""
    paths = [Path(profile)] if profile else []
    for directory in profile_dirs(dirs)[:-1]:
        paths += profile_files(Path(directory)) if Path(directory).is_dir() else []
    if not paths:
        return ""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def available_profiles(dirs: Sequence[Path] | None = None) -> list[Profile]:
    """Every profile of the folders, once per id (the first folder that has an id wins); each file is
    checked when loaded, so a broken one is a ConfigError naming it."""
    found: dict[str, Profile] = {}
    for directory in profile_dirs() if dirs is None else dirs:
        for path in profile_files(Path(directory)):
            profile = load_profile(path)
            found.setdefault(profile.id, profile)
    return list(found.values())


@dataclass(frozen=True)
class Candidate:
    """How well one profile fits a document."""

    id: str
    phrases: tuple[str, ...]  # recognition phrases found in the first pages
    names: int  # distinct members named by the tables' row labels
    labels: int  # row labels that name a member
    labels_seen: int  # row labels of the tables where the profile names any

    @property
    def share(self) -> float:
        return self.labels / self.labels_seen if self.labels_seen else 0.0

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "phrases": list(self.phrases),
            "members_named": self.names,
            "labels_named": self.labels,
            "labels_in_those_tables": self.labels_seen,
        }


@dataclass
class ProfileChoice:
    profile: Profile | None
    how: str
    evidence: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def note(self) -> str:
        """One line for the summary, document.json and the report when no profile applies."""
        if self.profile is not None:
            return ""
        return (
            f"no publisher profile matched ({self.evidence}); checks that need one (regions, declared "
            "columns) did not run: `whitepaper profile draft` writes a starting profile"
        )

    def to_json(self) -> dict:
        return {
            "id": self.profile.id if self.profile else "",
            "source": self.profile.source if self.profile else "",
            "how": self.how,
            "evidence": self.evidence,
            "note": self.note,
            "candidates": [c.to_json() for c in self.candidates],
        }


def _candidate(profile: Profile, text: str, tables_labels: Sequence[Sequence[str]]) -> Candidate:
    phrases = tuple(p for p in profile.recognise if normalise_label(p) in text)
    names, labels, seen = set(), 0, 0
    for table in tables_labels:
        matches = [profile.match_region(label) for label in table if str(label).strip()]
        named = [m for m in matches if m.level not in (LEVEL_UNKNOWN, LEVEL_OF_WHICH)]
        if named:
            names |= {m.name for m in named}
            labels += len(named)
            seen += len(matches)
    return Candidate(profile.id, phrases, len(names), labels, seen)


def _by_content(candidates: list[Candidate], profiles: dict[str, Profile]) -> Candidate | None:
    fitting = [
        c for c in candidates if c.names >= profiles[c.id].min_labels and c.share >= profiles[c.id].min_label_share
    ]
    if not fitting:
        return None
    best = max(fitting, key=lambda c: (c.names, c.share))
    ties = [c for c in fitting if (c.names, c.share) == (best.names, best.share)]
    return best if len(ties) == 1 else None


def _content_text(c: Candidate) -> str:
    return f"{c.id} names {c.names} members in {c.labels} of {c.labels_seen} row labels"


def choose(
    head_text: str, tables_labels: Sequence[Sequence[str]] = (), dirs: Sequence[Path] | None = None
) -> ProfileChoice:
    """The profile for a document whose first pages read `head_text` and whose tables have these row labels."""
    profiles = {p.id: p for p in available_profiles(dirs)}
    text = normalise_label(head_text)
    candidates = [_candidate(p, text, tables_labels) for p in profiles.values()]
    by_phrase = [c for c in candidates if c.phrases]
    if by_phrase:
        most = max(len(c.phrases) for c in by_phrase)
        leaders = [c for c in by_phrase if len(c.phrases) == most]
        winner = leaders[0] if len(leaders) == 1 else _by_content(leaders, profiles)
        if winner is not None:
            found = ", ".join(repr(p) for p in winner.phrases)
            return ProfileChoice(profiles[winner.id], HOW_PHRASE, f"first pages contain {found}", candidates)
        tied = ", ".join(c.id for c in leaders)
        return ProfileChoice(None, HOW_NONE, f"recognition phrases of several profiles found: {tied}", candidates)
    winner = _by_content(candidates, profiles)
    if winner is not None:
        return ProfileChoice(profiles[winner.id], HOW_CONTENT, _content_text(winner), candidates)
    best = max(candidates, key=lambda c: (c.names, c.share), default=None)
    closest = f"; closest: {_content_text(best)}" if best is not None and best.names else ""
    return ProfileChoice(None, HOW_NONE, f"no recognition phrase in the first pages{closest}", candidates)


def forced(path: str | Path) -> ProfileChoice:
    profile = load_profile(path)
    return ProfileChoice(profile, HOW_FORCED, f"--profile {path}")


def choose_profile(first_pages_text: str, row_labels: Sequence[str] = (), dirs: Sequence[Path] | None = None):
    """The profile a document with these first pages and (one table's) row labels gets, or None."""
    return choose(first_pages_text, [list(row_labels)], dirs).profile
