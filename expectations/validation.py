"""One document's tidy frames -> every check -> GX verdicts -> findings, cell flags and a summary.

    validate_document(cells, profile, facts=..., current=..., previous=...) -> Validation

The checks come from one registry (expectations.registry: rules/*.yaml); each rules file names the
family whose builder below makes its frames: `tables` (row sums, hierarchy, ratios; number format),
`columns` (columns the profile does not declare), `prose` (facts against facts and tables),
`editions` (this edition against the previous one). Great Expectations validates every frame; its
verdict is the only pass/fail: it is written back into the reconciliation frames (`passed`) and read
by the error localisation (expectations.localise), the findings, the report and the Data Docs. Pure:
no files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from expectations.editions.edition_rules import Edition, edition_equations
from expectations.equations import Equation, equations_to_frame
from expectations.findings import (
    FindingContext,
    cell_flags,
    findings_frame,
    format_findings,
    recon_findings,
    schema_findings,
)
from expectations.gx_suites import CheckOutcome, run_suites
from expectations.intervals import Interval, cell_intervals
from expectations.localise import localise
from expectations.prose.prose_rules import fact_equations
from expectations.prose.prose_terms import fact_intervals, fact_labels
from expectations.quantities import quantities
from expectations.registry import (
    FAMILY_COLUMNS,
    FAMILY_EDITIONS,
    FAMILY_PROSE,
    FAMILY_TABLES,
    FRAME_FORMAT,
    FRAME_RECON,
    FRAME_SCHEMA,
    Check,
    load_checks,
)
from expectations.tables.column_schema import schema_frame
from expectations.tables.number_format import format_frame
from expectations.tables.region_rules import table_equations
from normalise.periods import Period
from normalise.profile import Profile

SUMMARY_COLUMNS = ["check", "label", "severity", "items", "passes", "fails", "undecided", "error"]


@dataclass
class CheckInputs:
    """What one document offers the checks."""

    cells: pd.DataFrame
    profile: Profile | None
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)
    current: Edition | None = None  # this edition, for the cross-edition checks
    previous: Edition | None = None  # the previous edition of the same series, when the history has one
    year_ago: Edition | None = None  # the same period a year earlier (default: `previous` when it is that)
    period: Period | None = None  # this edition's period (relations declared for some months or quarters)


@dataclass
class Built:
    """A family's contribution: rule instances, one-flag frames by frame kind, and for localisation and
    findings the intervals and readable labels of the ids its rules read."""

    equations: list[Equation] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    intervals: dict[str, Interval] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


def _cell_labels(cells: pd.DataFrame) -> dict[str, str]:
    return {row.cell_id: f"{row.row_label} / {row.column}" for row in cells.itertuples()}


def build_tables(inputs: CheckInputs) -> Built:
    cells, profile = inputs.cells, inputs.profile
    if cells.empty:
        return Built(frames={FRAME_FORMAT: format_frame(cells.iloc[0:0])})
    intervals = cell_intervals(cells, profile)
    return Built(
        equations=table_equations(cells, profile, intervals, inputs.period),
        frames={FRAME_FORMAT: format_frame(cells)},
        intervals=intervals,
        labels=_cell_labels(cells),
    )


def build_columns(inputs: CheckInputs) -> Built:
    return Built(frames={FRAME_SCHEMA: schema_frame(inputs.cells, inputs.profile)})


def build_prose(inputs: CheckInputs) -> Built:
    facts = inputs.facts
    if facts is None or facts.empty:
        return Built()
    # Prose-prose rules need no profile; prose-table rules use its vocabulary when there is one.
    return Built(fact_equations(facts, inputs.cells, inputs.profile), {}, fact_intervals(facts), fact_labels(facts))


def build_editions(inputs: CheckInputs) -> Built:
    if inputs.previous is None or inputs.current is None:
        return Built()
    result = edition_equations(inputs.current, inputs.previous, inputs.profile, year_ago=inputs.year_ago)
    return Built(result.equations, {}, result.intervals, result.labels)


# Family -> builder, in the order their rule instances are listed (tables first).
BUILDERS: dict[str, Callable[[CheckInputs], Built]] = {
    FAMILY_TABLES: build_tables,
    FAMILY_COLUMNS: build_columns,
    FAMILY_PROSE: build_prose,
    FAMILY_EDITIONS: build_editions,
}


@dataclass
class Validation:
    findings: pd.DataFrame
    summary: pd.DataFrame  # one row per check: items, passes, fails, undecided (R validate's summary)
    frames: dict[str, pd.DataFrame]  # the reconciliation / format frame each suite validated
    gx_results: dict[str, dict]  # check -> GX validation result (JSON-able)
    cell_status: pd.Series = field(default_factory=lambda: pd.Series(dtype="object"))


def _frames(checks: dict[str, Check], built: dict[str, Built], equations: list[Equation]) -> dict[str, pd.DataFrame]:
    frames = {}
    for name, check in checks.items():
        if check.frame == FRAME_RECON:
            frames[name] = equations_to_frame([e for e in equations if e.check == name])
        else:
            frames[name] = built[check.family].frames[check.frame]
    return frames


def _record_verdicts(frames: dict[str, pd.DataFrame], outcomes: dict[str, CheckOutcome]) -> None:
    """Write GX's verdict into each reconciliation frame: passed True / False, None when undecided."""
    for name, outcome in outcomes.items():
        frame = frames[name]
        if outcome.check.frame != FRAME_RECON or frame.empty:
            continue
        verdicts = [
            None if rule_id in outcome.undecided else rule_id not in outcome.failed for rule_id in frame["rule_id"]
        ]
        frame["passed"] = pd.Series(verdicts, index=frame.index, dtype="object")


def validate_document(
    cells: pd.DataFrame,
    profile: Profile | None,
    facts: pd.DataFrame | None = None,
    current: Edition | None = None,
    previous: Edition | None = None,
    extra_equations: list[Equation] = (),
    extra_intervals: dict[str, Interval] | None = None,
    extra_labels: dict[str, str] | None = None,
    context=None,
    run_name: str = "whitepaper",
    year_ago: Edition | None = None,
    period: Period | None = None,
) -> Validation:
    """Every declared check of one document. `extra_*`: rule instances built elsewhere (tests). `previous`:
    the latest earlier edition of the series; `year_ago`: the same period a year earlier, when it is not
    `previous`; `period`: this edition's (default: the current edition's)."""
    checks = load_checks()
    if period is None and current is not None:
        period = current.period
    facts = facts if facts is not None else pd.DataFrame()
    inputs = CheckInputs(cells, profile, facts, current, previous, year_ago, period)
    unknown = {c.family for c in checks.values()} - set(BUILDERS)
    if unknown:
        raise ValueError(f"rules declare families without a builder: {sorted(unknown)}")
    built = {family: builder(inputs) for family, builder in BUILDERS.items()}
    equations = [e for b in built.values() for e in b.equations] + list(extra_equations)
    intervals = {k: v for b in built.values() for k, v in b.intervals.items()} | (extra_intervals or {})
    labels = {k: v for b in built.values() for k, v in b.labels.items()} | (extra_labels or {})

    frames = _frames(checks, built, equations)
    outcomes = run_suites(frames, checks, context=context, run_name=run_name)
    _record_verdicts(frames, outcomes)

    failed = set().union(*(o.failed for o in outcomes.values())) if outcomes else set()
    undecided = set().union(*(o.undecided for o in outcomes.values())) if outcomes else set()
    printed = quantities(intervals, cells, profile, inputs.facts, set(built[FAMILY_EDITIONS].intervals), labels)
    context = FindingContext(labels, printed, localise(equations, failed, undecided, printed))

    rows: list[dict] = []
    inputs_of: dict[str, set[str]] = {}
    for name, outcome in outcomes.items():
        if outcome.check.frame == FRAME_FORMAT:
            rows += format_findings(frames[name], outcome, context)
        elif outcome.check.frame == FRAME_SCHEMA:
            rows += schema_findings(frames[name], outcome)
        else:
            rows += recon_findings(frames[name], outcome, context)
            inputs_of |= {r.rule_id: set(json.loads(r.inputs)) for r in frames[name].itertuples()}
    findings = findings_frame(rows, context)
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
        cell_status=cell_flags(cells, findings, inputs_of),
    )
