"""The lines `whitepaper run` prints for a document: its summary line on stdout, or its one line on
stderr when it could not be processed; and with `--fail-on`, the findings that fail the run.

    path -> out (4 error, 4 warning, 1 info; <warning>; <warning>)
    whitepaper: path: <reason>
    whitepaper: path: F0002 error hierarchy, page 6: Jiangsu / Number of ...: printed 529,185, but ...
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from expectations.severity import SEVERITIES, at_least
from extractors.damage import damage_summary
from extractors.records import DOUBTFUL
from flows.results import STATUS_REJECTED, STATUS_SKIPPED, STATUS_UP_TO_DATE

MAX_FAILING_SHOWN = 20  # per document; findings.csv has them all
MAX_MESSAGE_CHARS = 160


def document_lines(result, quiet: bool = False) -> list[tuple[str, bool]]:
    """(text, is_error) pairs for one finished document (flows.flow.DocumentResult)."""
    if result.status == STATUS_REJECTED:
        return [(f"whitepaper: {result.path}: {result.reason}", True)]
    if quiet:
        return []
    counts = ", ".join(f"{result.findings.get(s, 0)} {s}" for s in SEVERITIES)
    # damage and doubtful tables folded into one short item each (document.json has them all)
    notes = "".join(f"; {w}" for w in summary_warnings(damage_summary(result.warnings)))
    if result.status == STATUS_SKIPPED:
        notes += "; unchanged since its last run, skipped"
    elif result.status == STATUS_UP_TO_DATE:
        notes += "; up to date: nothing changed since the last run"
    if result.rechecked:
        notes += f"; checked again against {result.previous_doc_id or 'no previous edition'}"
    return [(f"{result.path} -> {result.out_dir} ({counts}{notes})", False)]


def summary_warnings(warnings: list[str]) -> list[str]:
    """The document's warnings as its one summary line shows them: the doubtful tables folded into one
    short item (their reasons are in document.json), the others as they are."""
    doubtful = [w for w in warnings if DOUBTFUL in w]
    if not doubtful:
        return list(warnings)
    pages = sorted({int(m.group(1)) for w in doubtful if (m := re.match(r"table on page (\d+)", w))})
    item = (
        f"{len(doubtful)} table{'s' * (len(doubtful) != 1)} with a doubtful structure (page{'s' * (len(pages) != 1)} "
    )
    item += ", ".join(map(str, pages)) + "), cells flagged (see document.json)"
    first = warnings.index(doubtful[0])
    rest = [w for w in warnings if DOUBTFUL not in w]
    return rest[:first] + [item] + rest[first:]


def fails(findings: dict[str, int], fail_on: str | None) -> bool:
    if not fail_on:
        return False
    return any(findings.get(sev, 0) for sev in at_least(fail_on))


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def failing_lines(result, fail_on: str) -> list[str]:
    """One stderr line per finding of `fail_on` severity or worse (read from the published findings.json)."""
    folder = Path(result.out_dir)
    try:
        findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"whitepaper: {result.path}: fails --fail-on {fail_on} (findings.json unreadable: {exc})"]
    failing = [f for f in findings if f.get("severity") in at_least(fail_on)]
    lines = []
    for f in failing[:MAX_FAILING_SHOWN]:
        page = f", page {f['page']}" if f.get("page") not in (None, "") else ""
        lines.append(
            f"whitepaper: {result.path}: {f['finding_id']} {f['severity']} {f['check']}{page}: {_short(f['message'])}"
        )
    if len(failing) > MAX_FAILING_SHOWN:
        more = len(failing) - MAX_FAILING_SHOWN
        lines.append(f"whitepaper: {result.path}: and {more} more, see {folder / 'findings.csv'}")
    return lines
