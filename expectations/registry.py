"""The registry of checks: every rule family the pipeline runs, declared in expectations/rules/*.yaml.

Each rules file names its `family` (which builder in expectations.validation makes its frames) and
declares its checks: a label, a description, the kind of frame GX validates (`recon`: a
reconciliation frame of equations; `format` / `schema`: a one-flag frame) and the severity of a
failure. A file may also carry `settings:` for its builders (thresholds, vocabularies), read by them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from expectations.severity import ERROR, validate_severity
from extractors.config import ConfigError, load_yaml_mapping

RULES_DIR = Path(__file__).parent / "rules"
FRAME_RECON = "recon"
FRAME_FORMAT = "format"
FRAME_SCHEMA = "schema"
FRAMES = (FRAME_RECON, FRAME_FORMAT, FRAME_SCHEMA)
FAMILY_TABLES = "tables"
FAMILY_PROSE = "prose"
FAMILY_EDITIONS = "editions"
FAMILY_COLUMNS = "columns"
FAMILIES = (FAMILY_TABLES, FAMILY_PROSE, FAMILY_EDITIONS, FAMILY_COLUMNS)
FILE_KEYS = frozenset({"family", "checks", "settings"})
CHECK_KEYS = frozenset({"label", "description", "frame", "severity"})


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    description: str
    frame: str
    severity: str
    family: str = FAMILY_TABLES


def _unknown(keys, allowed: frozenset, where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise ConfigError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")


def load_checks(directory: Path = RULES_DIR) -> dict[str, Check]:
    """Every declared check, in file-name order then declaration order."""
    return dict(_load_checks(Path(directory).resolve()))


@cache
def _load_checks(directory: Path) -> tuple[tuple[str, Check], ...]:
    checks: dict[str, Check] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = load_yaml_mapping(path, "rules file")
        _unknown(data, FILE_KEYS, str(path))
        family = data.get("family")
        if family not in FAMILIES:
            raise ConfigError(f"{path}: family {family!r} is not one of {', '.join(FAMILIES)}")
        for name, spec in (data.get("checks") or {}).items():
            where = f"{path}: check {name!r}"
            if name in checks:
                raise ConfigError(f"{where} is declared twice")
            _unknown(spec, CHECK_KEYS, where)
            frame = spec.get("frame", FRAME_RECON)
            if frame not in FRAMES:
                raise ConfigError(f"{where} has unknown frame {frame!r}")
            checks[name] = Check(
                name,
                spec.get("label", name),
                " ".join(str(spec.get("description", "")).split()),
                frame,
                validate_severity(spec.get("severity", ERROR), where),
                family,
            )
    return tuple(checks.items())
