"""Tidy frames + profile -> equations -> GX suites -> findings, blame and a per-check summary.

Pure: no files. The flow's validate task calls `validate_document` and the publish task writes what
it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from expectations.blame import find_suspects
from expectations.equations import Equation, Interval, equations_to_frame
from expectations.findings import cell_flags, findings_frame, format_findings, recon_findings, schema_findings
from expectations.gx_suites import FRAME_FORMAT, FRAME_SCHEMA, load_checks, run_suites
from expectations.tables.column_schema import schema_frame
from expectations.tables.number_format import format_frame
from expectations.tables.region_rules import cell_intervals, table_equations
from normalise.profile import Profile

SUMMARY_COLUMNS = ["check", "label", "severity", "items", "passes", "fails", "undecided", "error"]


@dataclass
class Validation:
    findings: pd.DataFrame
    summary: pd.DataFrame  # one row per check: items, passes, fails, undecided (R validate's summary)
    frames: dict[str, pd.DataFrame]  # the reconciliation / format frame each suite validated
    gx_results: dict[str, dict]  # check -> GX validation result (JSON-able)
    cell_status: pd.Series = field(default_factory=lambda: pd.Series(dtype="object"))


def _labels(cells: pd.DataFrame) -> dict[str, str]:
    return {row.cell_id: f"{row.row_label} / {row.column}" for row in cells.itertuples()}


def validate_document(
    cells: pd.DataFrame,
    profile: Profile | None,
    extra_equations: list[Equation] = (),
    extra_intervals: dict[str, Interval] | None = None,
    extra_labels: dict[str, str] | None = None,
    context=None,
    run_name: str = "whitepaper",
) -> Validation:
    checks = load_checks()
    intervals = cell_intervals(cells, profile) if not cells.empty else {}
    equations = (table_equations(cells, profile, intervals) if not cells.empty else []) + list(extra_equations)
    frames: dict[str, pd.DataFrame] = {}
    for name, check in checks.items():
        if check.frame == FRAME_FORMAT:
            frames[name] = format_frame(cells) if not cells.empty else format_frame(cells.iloc[0:0])
        elif check.frame == FRAME_SCHEMA:
            frames[name] = schema_frame(cells, profile)
        else:
            frames[name] = equations_to_frame([e for e in equations if e.check == name])
    outcomes = run_suites(frames, checks, context=context, run_name=run_name)

    failed = set().union(*(o.failed for o in outcomes.values())) if outcomes else set()
    intervals = intervals | (extra_intervals or {})
    nonnegative = set(cells.loc[cells["value"] >= 0, "cell_id"]) if not cells.empty else set()
    suspects = find_suspects(equations, failed, intervals, nonnegative)
    labels = _labels(cells) | (extra_labels or {})

    rows: list[dict] = []
    for name, outcome in outcomes.items():
        if outcome.check.frame == FRAME_FORMAT:
            rows += format_findings(frames[name], outcome, labels)
        elif outcome.check.frame == FRAME_SCHEMA:
            rows += schema_findings(frames[name], outcome)
        else:
            rows += recon_findings(frames[name], outcome, suspects, labels)
    findings = findings_frame(rows)
    summary = pd.DataFrame(
        [
            {
                "check": n,
                "label": o.check.label,
                "severity": o.check.severity,
                "items": o.items,
                "passes": o.passed,
                "fails": len(o.failed),
                "undecided": len(o.undecided),
                "error": o.error,
            }
            for n, o in outcomes.items()
        ],
        columns=SUMMARY_COLUMNS,
    )
    return Validation(
        findings=findings,
        summary=summary,
        frames=frames,
        gx_results={n: o.gx_result for n, o in outcomes.items()},
        cell_status=cell_flags(cells, findings),
    )
