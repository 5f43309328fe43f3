"""Declared checks (expectations.registry) -> Great Expectations suites -> validation results.

Every check validates one frame: a reconciliation frame (`excess` <= 0 and `expected` not null), the
number-format frame (`well_formed` is true) or the schema frame (`recognised` is true). The results
are kept as GX JSON and reduced to the rule ids that failed and the ones that could not be decided;
findings are made from those.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from expectations.gx_process import GxProcess, call_in
from expectations.registry import FRAME_FORMAT, FRAME_SCHEMA, Check, load_checks

# The column that must be true in each one-flag frame.
FLAG_COLUMNS = {FRAME_FORMAT: "well_formed", FRAME_SCHEMA: "recognised"}
OUTCOME_FAIL = "fail"
OUTCOME_UNDECIDED = "undecided"
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["rule_id"]}


@dataclass
class CheckOutcome:
    """What one check's suite said: rule ids per outcome, counts, and the raw GX result."""

    check: Check
    items: int = 0
    failed: set[str] = field(default_factory=set)
    undecided: set[str] = field(default_factory=set)
    gx_result: dict = field(default_factory=dict)
    error: str = ""

    @property
    def passed(self) -> int:
        return self.items - len(self.failed) - len(self.undecided)


def _expectations(check: Check):
    """The suite of a check, generated from its frame type. Each expectation says what its misses mean."""
    import great_expectations as gx

    if check.frame in FLAG_COLUMNS:
        return [
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=FLAG_COLUMNS[check.frame],
                value_set=[True],
                meta={"outcome": OUTCOME_FAIL, "check": check.name},
                description=check.label,
            )
        ]
    return [
        gx.expectations.ExpectColumnValuesToBeBetween(
            column="excess", max_value=0.0, meta={"outcome": OUTCOME_FAIL, "check": check.name}, description=check.label
        ),
        gx.expectations.ExpectColumnValuesToNotBeNull(
            column="expected",
            meta={"outcome": OUTCOME_UNDECIDED, "check": check.name},
            description=f"{check.label}: inputs present",
        ),
    ]


def make_context(project_dir: Path | None = None):
    """An ephemeral GX context (or a file context under project_dir, for Data Docs), quiet."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX announces its temporary docs folder at INFO on every context (its module logger sets INFO
    # explicitly, so the parent's level is not enough); the findings are the output.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)

    if project_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


_RUN_CONTEXT: list = []
# One GX context is not safe to use from two threads at once (a Dask worker may run two documents).
_CONTEXT_LOCK = threading.Lock()


def run_context():
    """The process's one ephemeral context, shared by every document of a run (each document's
    suites, assets and validation definitions are named by its run name)."""
    with _CONTEXT_LOCK:
        if not _RUN_CONTEXT:
            _RUN_CONTEXT.append(make_context())
        return _RUN_CONTEXT[0]


def _rule_ids(result: dict) -> set[str]:
    return {row["rule_id"] for row in result.get("unexpected_index_list") or []}


def _whole_frame_batch(context, run_name: str):
    """The document's one batch definition: every check's frame is handed to it at run time. One per
    document rather than one per check: each datasource or asset added rewrites the context's whole
    configuration (YAML), three times per check."""
    try:
        source = context.data_sources.get(run_name)
    except KeyError:
        source = context.data_sources.add_pandas(run_name)
    asset = next((a for a in source.assets if a.name == "frames"), None) or source.add_dataframe_asset("frames")
    return next((b for b in asset.batch_definitions if b.name == "whole"), None) or (
        asset.add_batch_definition_whole_dataframe("whole")
    )


def run_check(context, check: Check, frame: pd.DataFrame, run_name: str) -> CheckOutcome:
    import great_expectations as gx

    name = f"{run_name}.{check.name}"
    batch = _whole_frame_batch(context, run_name)
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=_expectations(check)))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame.reset_index(drop=True)}, result_format=RESULT_FORMAT)
    outcome = CheckOutcome(check=check, items=len(frame), gx_result=result.to_json_dict())
    for item in result.results:
        if item.exception_info and item.exception_info.get("raised_exception"):
            outcome.error = str(item.exception_info.get("exception_message"))
        ids = _rule_ids(item.result)
        if item.expectation_config.meta.get("outcome") == OUTCOME_UNDECIDED:
            outcome.undecided |= ids
        else:
            outcome.failed |= ids
    outcome.failed -= outcome.undecided
    return outcome


def run_suites(
    frames: dict[str, pd.DataFrame], checks: dict[str, Check] | None = None, context=None, run_name: str = "whitepaper"
) -> dict[str, CheckOutcome]:
    """Validate each given frame with its declared check's suite (checks without a frame are not run).
    `context`: a GX context, or the run's GX process (expectations.gx_process), where the suites then run
    in the run's one context; None: a new ephemeral context."""
    checks = checks or load_checks()
    unknown = set(frames) - set(checks)
    if unknown:
        raise ValueError(f"frames for undeclared checks: {sorted(unknown)}")
    if isinstance(context, GxProcess):
        return call_in(context, "expectations.gx_suites:run_suites_in_run_context", frames, checks, run_name)
    context = context or make_context()
    outcomes = {}
    with _CONTEXT_LOCK:
        for name, check in checks.items():
            frame = frames.get(name)
            if frame is None:
                continue
            outcomes[name] = run_check(context, check, frame, run_name)
    return outcomes


def run_suites_in_run_context(frames: dict[str, pd.DataFrame], checks: dict[str, Check], run_name: str):
    """`run_suites` in this process's run context (what the run's GX process does for a document)."""
    return run_suites(frames, checks, run_context(), run_name)
