"""The severity vocabulary of findings, worst first: the one place that names and orders them."""

from __future__ import annotations

ERROR = "error"  # a numeric inconsistency
WARNING = "warning"  # a printed form that is wrong but readable
INFO = "info"  # a rule that could not be decided, or something left unchecked
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
UNDECIDED_SEVERITY = INFO
# Column of the history's `documents` table that counts the findings of each severity.
COUNT_COLUMNS = {severity: f"findings_{severity}" for severity in SEVERITIES}


def rank(severity: str) -> int:
    """Sort key: worst first; an unknown severity after every known one."""
    return SEVERITY_RANK.get(severity, len(SEVERITIES))


def at_least(severity: str) -> tuple[str, ...]:
    """The severities as bad as `severity` or worse (`--fail-on warning` -> error, warning)."""
    return SEVERITIES[: SEVERITIES.index(severity) + 1]


def validate_severity(severity: str, where: str) -> str:
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: unknown severity {severity!r} (one of {', '.join(SEVERITIES)})")
    return severity
