"""Findings -> the report's causes: one block per root finding (the printed numbers most likely wrong,
what they probably should read, how sure), its symptoms folded under it, and the other candidate sets
the localisation found. Pure; the template escapes every value.
"""

from __future__ import annotations

import json

from expectations import severity

VALUE_SEPARATOR = ";"
CONFIDENCE_WORDS = {
    "high": "one smallest explanation, shaped like a typo",
    "medium": "one smallest explanation, not shaped like a typo",
    "ambiguous": "several equally small explanations: the evidence cannot decide",
}


def item_label(item_id: str, cells_by_id: dict[str, dict], facts: dict[str, dict]) -> str:
    """How a reviewer finds a printed number: a cell's row and column, a prose number as printed."""
    cell = cells_by_id.get(item_id)
    if cell is not None:
        return f"{cell['row_label']} / {cell['column']}"
    fact = facts.get(item_id)
    if fact is not None:
        return f"{fact.get('raw', '')} ({fact.get('metric') or fact.get('kind', '')}, p{fact.get('page', '')})"
    return item_id


def _split(text) -> list[str]:
    return [part for part in str(text or "").split(VALUE_SEPARATOR)] if text not in (None, "") else []


def _suspects(finding: dict, cells_by_id: dict, facts: dict, fmt, decimals_of) -> list[dict]:
    ids, values, kinds = (_split(finding.get(k)) for k in ("suspect_ids", "suggested_values", "repair_kind"))
    if not ids and finding.get("suspect_id"):  # a folder written before causes were localised
        ids, values, kinds = [finding["suspect_id"]], [finding.get("suspect_value", "")], [""]
    rows = []
    for k, item_id in enumerate(ids):
        printed = (cells_by_id.get(item_id) or facts.get(item_id) or {}).get("raw", "")
        value = values[k] if k < len(values) else ""
        rows.append(
            {
                "label": item_label(item_id, cells_by_id, facts),
                "printed": printed,
                "suggested": fmt(value, decimals_of(item_id)) if value != "" else "—",
                "kind": kinds[k] if k < len(kinds) else "",
            }
        )
    return rows


def _alternatives(finding: dict, cells_by_id: dict, facts: dict, fmt, decimals_of) -> list[dict]:
    text = finding.get("alternatives") or ""
    if not text:
        return []
    views = []
    for alt in json.loads(text):
        ids = alt.get("suspect_ids", [])
        values = alt.get("suggested_values", [])
        views.append(
            {
                "numbers": [
                    {
                        "label": item_label(i, cells_by_id, facts),
                        "suggested": fmt(values[k], decimals_of(i)) if k < len(values) else "—",
                        "kind": (alt.get("repair_kinds") or [""] * len(ids))[k],
                    }
                    for k, i in enumerate(ids)
                ],
                "equally_small": bool(alt.get("equally_small")),
            }
        )
    return views


def cause_views(findings: list[dict], views: dict[str, dict], cells_by_id: dict, facts: dict, fmt, decimals_of):
    """Root findings in finding order (errors first), each with its symptoms' views."""
    symptoms: dict[str, list[dict]] = {}
    roots = []
    for finding in findings:
        root_id = finding.get("root_id") or finding["finding_id"]
        if root_id == finding["finding_id"]:
            roots.append(finding)
        else:
            symptoms.setdefault(root_id, []).append(views[finding["finding_id"]])
    blocks = []
    for root in roots:
        suspects = _suspects(root, cells_by_id, facts, fmt, decimals_of)
        undecided = root.get("status") == "undecided"
        blocks.append(
            {
                "root": views[root["finding_id"]],
                "symptoms": symptoms.get(root["finding_id"], []),
                "severity": root.get("severity", ""),
                "undecided": undecided,
                "confidence": root.get("confidence") or "",
                "confidence_words": CONFIDENCE_WORDS.get(root.get("confidence") or "", ""),
                "title": suspects[0]["label"] if suspects and not undecided else (root.get("message") or ""),
                "reason": root.get("suspect_reason") or "",
                "suspects": [] if undecided else suspects,
                "alternatives": _alternatives(root, cells_by_id, facts, fmt, decimals_of),
            }
        )
    blocks.sort(key=lambda b: severity.rank(b["severity"]))  # stable: finding order within a severity
    return blocks
