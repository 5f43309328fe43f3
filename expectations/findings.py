"""Validation outcomes + error localisation -> findings: one row per failed or undecided rule instance,
with its evidence, the finding that explains it (its root) and the suggested repair.

The frame's schema is the findings contract of the README (`findings.csv` / `findings.json`). A failed
rule whose numbers a localised cause explains points to that cause's finding (`root_id`; a root points
to itself), names the suspects it reads (`suspect_ids`) with their suggested values and typo shapes; the
root also carries the cause's other candidate sets (`alternatives`). Nothing is repaired: the published
cells keep their printed values. Numbers are at the printed precision of the stated number (`expected`
8.41 for a stated 12.00%; `tolerance` with two more decimals: 0.005); an undecided finding states the
printed number, not a sum computed from it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

from expectations import severity
from expectations.causes import VALUE_SEPARATOR, alternatives_json, headline, plain, root_reason
from expectations.gx_suites import CheckOutcome
from expectations.localise import AMBIGUOUS, Localisation, Root
from expectations.quantities import Quantity

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
    "root_id",
    "suspect_ids",
    "suggested_values",
    "repair_kind",
    "confidence",
    "alternatives",
    "suspect_id",
    "suspect_label",
    "suspect_value",
    "suspect_reason",
    "subject_id",
    "rule_id",
    "evidence",
]
TOLERANCE_EXTRA_DECIMALS = 2  # a tolerance adds half-units of the last digits: 0.005 for numbers at 2 decimals
NO_FORMULA = "no alternative could be tested: the rule is not one of the shapes localisation can vary"
NOT_FOUND = "no set of numbers within the search limits makes every rule hold"


@dataclass
class FindingContext:
    """What the builders read besides a frame: labels, the printed numbers, the localised causes."""

    labels: dict[str, str] = field(default_factory=dict)
    quantities: dict[str, Quantity] = field(default_factory=dict)
    localisation: Localisation = field(default_factory=Localisation)

    def label(self, item_id: str) -> str:
        return self.labels.get(item_id, item_id)


def _blank_suspects() -> dict:
    return {
        "suspect_ids": "",
        "suggested_values": "",
        "repair_kind": "",
        "confidence": "",
        "alternatives": "",
        "suspect_id": "",
        "suspect_label": "",
        "suspect_value": math.nan,
        "suspect_reason": "",
    }


def _suspects(ids: list[str], root: Root | None, context: FindingContext) -> dict:
    """The suspect columns for these ids (a root's changes give their values and kinds)."""
    changes = {c.id: c for c in root.explanation.changes} if root else {}
    values = [plain(context.quantities[i], changes[i].value) if i in changes else "" for i in ids]
    first = ids[0] if ids else ""
    return {
        "suspect_ids": VALUE_SEPARATOR.join(ids),
        "suggested_values": VALUE_SEPARATOR.join(values),
        "repair_kind": VALUE_SEPARATOR.join(changes[i].kind if i in changes else "" for i in ids),
        "suspect_id": first,
        "suspect_label": context.label(first) if first else "",
        "suspect_value": float(values[0]) if values and values[0] else math.nan,
    }


def _roots_reading(rule_id: str, read: set[str], context: FindingContext) -> list[Root]:
    """The causes a failed rule is a symptom of: those localisation attached to it, else (a rule it could
    not evaluate) the causes whose numbers the rule reads."""
    attached = context.localisation.roots_of.get(rule_id)
    if attached:
        return attached
    return [root for root in context.localisation.roots if set(root.ids) & read]


def _localised(row: pd.Series, context: FindingContext) -> dict:
    read = set(json.loads(row["inputs"] or "[]"))
    roots = _roots_reading(row["rule_id"], read, context)
    if not roots:
        why = NOT_FOUND if row["rule_id"] in context.localisation.unexplained else NO_FORMULA
        fields = _blank_suspects() | _suspects([row["subject_id"]], None, context)
        return fields | {"confidence": AMBIGUOUS, "suspect_reason": why, "_root": None, "_read": read}
    ids = list(dict.fromkeys(i for root in roots for i in root.ids if i in read)) or list(roots[0].ids)
    ids.sort(key=lambda i: i != row["subject_id"])  # the stated number first when it is a suspect
    fields = _blank_suspects() | _suspects(ids, roots[0], context)
    return fields | {"confidence": roots[0].confidence, "_root": id(roots[0]), "_read": read}


def _printed_value(item_id: str, fallback, context: FindingContext):
    q = context.quantities.get(item_id)
    return q.value if q is not None else fallback


def recon_findings(frame: pd.DataFrame, outcome: CheckOutcome, context: FindingContext) -> list[dict]:
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
            # An undecided rule states the printed number, not a sum computed from it.
            "stated": _printed_value(row["subject_id"], row["stated"], context) if undecided else row["stated"],
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
            finding.update(_blank_suspects(), _root=None, _read=set())
        else:
            finding.update(_localised(row, context))
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
        **_blank_suspects(),
        "_root": None,
        "_read": set(),
        **fields,
    }


def format_findings(frame: pd.DataFrame, outcome: CheckOutcome, context: FindingContext) -> list[dict]:
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
            suspect_ids=row["cell_id"],
            suspect_id=row["cell_id"],
            suspect_label=context.label(row["cell_id"]),
            suspect_value=row["value"],
            suspect_reason="the printed form itself (the value is read as shown and used by the other checks)",
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
            subject_id=row["subject_id"],
        )
        for _, row in _failed_rows(frame, outcome)
    ]


def _round(value, decimals: int):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return value
    return round(float(value), decimals)


def _at_printed_precision(frame: pd.DataFrame, quantities: dict[str, Quantity]) -> None:
    """stated, expected, difference at the stated number's printed decimals; tolerance with two more."""
    for index, subject in frame["subject_id"].items():
        q = quantities.get(subject)
        if q is None:
            continue
        decimals = max(0, q.decimals - round(math.log10(q.scale)))  # prose "216.7615 million": whole yuan
        for column in ("stated", "expected", "difference"):
            frame.at[index, column] = _round(frame.at[index, column], decimals)
        frame.at[index, "tolerance"] = _round(frame.at[index, "tolerance"], decimals + TOLERANCE_EXTRA_DECIMALS)


def _lead(rows: pd.DataFrame, root: Root) -> int:
    """The finding that stands for a cause: the first whose stated number is one of its suspects, else
    the first reading most of them."""
    ids = set(root.ids)
    stating = rows.index[rows["subject_id"].isin(ids)]
    if len(stating):
        return stating[0]
    return max(rows.index, key=lambda i: (len(rows.at[i, "_read"] & ids), -i))


def _link_roots(frame: pd.DataFrame, context: FindingContext) -> None:
    """root_id of every finding; the cause's full description on its root finding."""
    frame["root_id"] = frame["finding_id"]
    roots = {id(root): root for root in context.localisation.roots}
    for key, rows in frame[frame["_root"].notna()].groupby("_root", sort=False):
        root = roots[key]
        lead = _lead(rows, root)
        lead_id = frame.at[lead, "finding_id"]
        frame.loc[rows.index, "root_id"] = lead_id
        read = frame.at[lead, "_read"]
        ids = sorted(root.ids, key=lambda i: (i not in read, i != frame.at[lead, "subject_id"]))
        for column, value in _suspects(ids, root, context).items():
            frame.at[lead, column] = value
        frame.at[lead, "alternatives"] = alternatives_json(root, context.quantities)
        frame.at[lead, "suspect_reason"] = root_reason(root, context.quantities)
        said = headline(root.explanation.changes, context.quantities)
        for index in rows.index.drop(lead):
            frame.at[index, "suspect_reason"] = f"explained by {lead_id}: {said}"


def findings_frame(findings: list[dict], context: FindingContext | None = None) -> pd.DataFrame:
    context = context or FindingContext()
    frame = pd.DataFrame(findings, columns=[*FINDING_COLUMNS, "_root", "_read"])
    if frame.empty:
        return frame[FINDING_COLUMNS]
    frame["_sev"] = frame["severity"].map(severity.rank)
    frame = frame.sort_values(["_sev", "page", "table_id", "fact_id", "check", "rule_id"], kind="stable")
    frame = frame.drop(columns="_sev").reset_index(drop=True)
    frame["finding_id"] = [f"F{i:04d}" for i in range(1, len(frame) + 1)]
    frame["page"] = frame["page"].astype("Int64")
    frame["suspect_value"] = frame["suspect_value"].astype("float64")
    _link_roots(frame, context)
    _at_printed_precision(frame, context.quantities)
    return frame[FINDING_COLUMNS]


def flagged_cells(findings: pd.DataFrame, inputs_of: dict[str, set[str]]) -> dict[str, set[str]]:
    """id -> the checks whose failed rule states it, or names it as a suspect among the numbers it reads
    (a cause's number no failed rule reads, such as a ratio that would follow a repaired total, keeps its
    status: it failed nothing)."""
    failed: dict[str, set[str]] = {}
    if findings.empty:
        return failed
    for _, f in findings[findings["status"] == "fail"].iterrows():
        suspects = set(filter(None, str(f["suspect_ids"]).split(VALUE_SEPARATOR)))
        read = inputs_of.get(f["rule_id"], suspects)
        for target in ({f["subject_id"]} | (suspects & read)) - {""}:
            failed.setdefault(target, set()).add(f["check"])
    return failed


def cell_flags(cells: pd.DataFrame, findings: pd.DataFrame, inputs_of: dict[str, set[str]] | None = None) -> pd.Series:
    """Per cell: "ok", "missing", "format", or "failed:<check>[;<check>]" when a failed rule points at it;
    "doubtful" first of all when its table's structure is (normalise: `structure`), since the cell may
    not belong to the row and column it is attributed to.
    A cell that is not a number ("text") in a numeric column is "format" through its number_format finding.

    A cell is flagged when it is the stated value or a suspect of a failed rule that reads it, so no number
    that failed a check reaches an analyst without a flag.
    """
    failed = flagged_cells(findings, inputs_of or {})

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
