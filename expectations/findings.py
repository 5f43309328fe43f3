"""Validation outcomes -> findings: one row per failed or undecided rule instance, with its evidence.

The frame's schema is the findings contract of the README (`findings.csv` / `findings.json`).
"""

from __future__ import annotations

import math

import pandas as pd

from expectations import severity
from expectations.blame import Suspect
from expectations.gx_suites import CheckOutcome

FINDING_COLUMNS = [
    "finding_id",
    "check",
    "severity",
    "status",
    "table_id",
    "fact_id",
    "row_label",
    "column",
    "stated",
    "expected",
    "difference",
    "tolerance",
    "page",
    "message",
    "rule",
    "quote",
    "raw",
    "suspect_id",
    "suspect_label",
    "suspect_value",
    "suspect_reason",
    "subject_id",
    "rule_id",
    "evidence",
]


def _suspect_fields(suspect: Suspect | None, labels: dict[str, str], subject_id: str) -> dict:
    if suspect is None:
        return {
            "suspect_id": subject_id,
            "suspect_label": labels.get(subject_id, subject_id),
            "suspect_value": math.nan,
            "suspect_reason": "the stated value (no alternative could be tested)",
        }
    if suspect.certain:
        reason = f"correcting it to {suspect.value:,.6g} makes {suspect.fixes} failed rule(s) hold and breaks none"
    else:
        reason = (
            f"uncertain: correcting it to {suspect.value:,.6g} fixes {suspect.fixes} failed rule(s) "
            f"but breaks {suspect.breaks} passing rule(s); no single number explains all"
        )
    return {
        "suspect_id": suspect.cell_id,
        "suspect_label": labels.get(suspect.cell_id, suspect.cell_id),
        "suspect_value": suspect.value,
        "suspect_reason": reason,
    }


def recon_findings(
    frame: pd.DataFrame, outcome: CheckOutcome, suspects: dict[str, Suspect], labels: dict[str, str]
) -> list[dict]:
    findings = []
    flagged = frame[frame["rule_id"].isin(outcome.failed | outcome.undecided)]
    for _, row in flagged.iterrows():
        undecided = row["rule_id"] in outcome.undecided
        finding = {
            "check": row["check"],
            "severity": severity.UNDECIDED_SEVERITY if undecided else outcome.check.severity,
            "status": "undecided" if undecided else "fail",
            "table_id": row["table_id"],
            "fact_id": row["fact_id"],
            "row_label": row["row_label"],
            "column": row["column"],
            "stated": row["stated"],
            "expected": row["expected"],
            "difference": row["difference"],
            "tolerance": row["tolerance"],
            "page": row["page"],
            "message": row["message"],
            "rule": row["rule"],
            "quote": row["quote"],
            "raw": "",
            "subject_id": row["subject_id"],
            "rule_id": row["rule_id"],
            "evidence": row["evidence"],
        }
        if undecided:
            finding.update(suspect_id="", suspect_label="", suspect_value=math.nan, suspect_reason="")
        else:
            finding.update(_suspect_fields(suspects.get(row["rule_id"]), labels, row["subject_id"]))
        findings.append(finding)
    return findings


def _failed_rows(frame: pd.DataFrame, outcome: CheckOutcome):
    return frame[frame["rule_id"].isin(outcome.failed)].iterrows()


def _cell_finding(row: pd.Series, outcome: CheckOutcome, **fields) -> dict:
    """A failed rule about one table cell or column: the fields every such finding shares, plus `fields`."""
    return {
        "check": row["check"],
        "severity": outcome.check.severity,
        "status": "fail",
        "table_id": row["table_id"],
        "fact_id": "",
        "page": row["page"],
        "rule": row["rule"],
        "rule_id": row["rule_id"],
        "evidence": row["evidence"],
        **fields,
    }


def format_findings(frame: pd.DataFrame, outcome: CheckOutcome, labels: dict[str, str]) -> list[dict]:
    return [
        _cell_finding(
            row,
            outcome,
            row_label=row["row_label"],
            column=row["column"],
            stated=row["value"],
            expected=row["value"],
            difference=0.0,
            tolerance=0.0,
            message=f"{row['row_label']} / {row['column']}: {row['issue']} (read as {row['value']:,.10g})",
            quote=row["raw"],
            raw=row["raw"],
            suspect_id=row["cell_id"],
            suspect_label=labels.get(row["cell_id"], row["cell_id"]),
            suspect_value=row["value"],
            suspect_reason="the printed form itself",
            subject_id=row["cell_id"],
        )
        for _, row in _failed_rows(frame, outcome)
    ]


def schema_findings(frame: pd.DataFrame, outcome: CheckOutcome) -> list[dict]:
    """An unrecognised column: where it is, what it holds, and that its values are kept but unchecked."""
    return [
        _cell_finding(
            row,
            outcome,
            row_label="",
            column=row["column"],
            stated=math.nan,
            expected=math.nan,
            difference=math.nan,
            tolerance=math.nan,
            message=(
                f"column {row['column']!r} (column {row['col_index']} of {row['table_id']}) matches no "
                f"column of the publisher profile: its {row['n_cells']} value(s) are kept in cells.csv "
                f"with an empty column_id; no declared relation (row sum, ratio) reads them"
            ),
            quote=row["sample"],
            raw=row["column"],
            suspect_id="",
            suspect_label="",
            suspect_value=math.nan,
            suspect_reason="",
            subject_id=row["subject_id"],
        )
        for _, row in _failed_rows(frame, outcome)
    ]


def findings_frame(findings: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(findings, columns=FINDING_COLUMNS)
    if frame.empty:
        return frame
    frame["_sev"] = frame["severity"].map(severity.rank)
    frame = frame.sort_values(["_sev", "page", "table_id", "fact_id", "check", "rule_id"], kind="stable")
    frame = frame.drop(columns="_sev").reset_index(drop=True)
    frame["finding_id"] = [f"F{i:04d}" for i in range(1, len(frame) + 1)]
    frame["page"] = frame["page"].astype("Int64")
    return frame


def cell_flags(cells: pd.DataFrame, findings: pd.DataFrame) -> pd.Series:
    """Per cell: "ok", "missing", "format", or "failed:<check>[;<check>]" when a failed rule points at it;
    "doubtful" first of all when its table's structure is (normalise: `structure`), since the cell may
    not belong to the row and column it is attributed to.
    A cell that is not a number ("text") in a numeric column is "format" through its number_format finding.

    A cell is flagged when it is the stated value or the suspect of a failed rule, so no number that
    failed a check reaches an analyst without a flag.
    """
    failed: dict[str, set[str]] = {}
    if not findings.empty:
        for _, f in findings[findings["status"] == "fail"].iterrows():
            targets = {f["suspect_id"], f["subject_id"]}
            for target in targets - {""}:
                failed.setdefault(target, set()).add(f["check"])

    def flag(row: pd.Series) -> str:
        if row.get("structure"):
            return "doubtful"
        checks = failed.get(row["cell_id"], set())
        arithmetic = sorted(c for c in checks if c != "number_format")
        if arithmetic:
            return "failed:" + ";".join(arithmetic)
        if "number_format" in checks:
            return "format"
        if row["parse_status"] == "missing":
            return "missing"
        return "ok"

    return cells.apply(flag, axis=1) if not cells.empty else pd.Series([], dtype="object")
