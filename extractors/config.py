"""Declared configuration read from YAML: the one loader and the one error type.

Pattern files, rule files, publisher profiles and the output schema are all YAML mappings. A file that
is missing, not YAML or not a mapping raises `ConfigError` with one line naming the file (and the key,
when a caller finds a wrong one), so a user sees what to fix without a traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml


class ConfigError(ValueError):
    """A configuration file is unusable; the message names the file and, when known, the key."""


def load_yaml_mapping(path: str | Path, what: str = "file") -> dict:
    """The YAML mapping at `path` (`what` names the kind of file in messages: "profile", "rule file")."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what} ({exc.strerror or exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a {what} is a mapping at top level, not {type(data).__name__}")
    return data
