"""ReportData -> the values the report template shows: formatted numbers, the causes (root findings with
their symptoms, publish.report.causes_view), findings listed by check, crops with their highlight
boxes, tables as extracted with failing cells marked. Pure.

Nothing here escapes or builds HTML: the template escapes every value (autoescape), so text from the
PDF never reaches the page unescaped.
"""

from __future__ import annotations

import base64
import math
from collections import Counter

from expectations import severity
from extractors.numbers import format_number
from publish.report.causes_view import VALUE_SEPARATOR, cause_views
from publish.report.crops import evidence_boxes
from publish.report.load import ReportData

HEADER_SEPARATOR = " || "
MAX_VERIFIED_ROWS = 2000  # per check; the rest is counted, not listed
STATUS_CLASS = {"ok": "", "missing": "missing", "format": "format", "doubtful": "format"}
SIGNIFICANT_DIGITS = 10  # a value with no printed precision: enough digits, no float noise
DOCUMENT_FIELDS = ("doc_id", "path", "sha256", "publisher", "year", "pages", "tables", "processed_at")


def fmt(value, decimals: int | None = None) -> str:
    """A number as a reader expects it: thousands separators, no float noise ('—' when absent); with
    `decimals`, at that precision (a finding's values at the printed precision of its stated number)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    return format_number(value, decimals=decimals, significant=SIGNIFICANT_DIGITS, missing="—")


def printed_decimals(subject: dict | None) -> int | None:
    """Decimals a finding's values are shown with: those of its stated number as printed (a cell's
    `decimals`; for a prose fact, the precision of its rounding radius, since its value may be scaled:
    "216.7615 million" is a whole number of yuan). None when the stated number is not known here."""
    if not subject:
        return None
    if "half_width" in subject:
        half = _float(subject.get("half_width"))
        return max(0, round(-math.log10(2 * half))) if half and half > 0 else 0
    return _int(subject.get("decimals"), 0) if subject.get("decimals", "") != "" else None


def _float(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _int(text, default: int = 0) -> int:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return default


def summary(data: ReportData) -> dict:
    counts = Counter(f["severity"] for f in data.findings)
    document = {key: "" for key in DOCUMENT_FIELDS} | {"warnings": []} | data.document
    return {
        "document": document,
        "pages": data.document.get("pages", ""),
        "tables": len(data.tables),
        "facts": None if data.facts is None else len(data.facts),
        "checks_run": len(data.checks),
        "evaluated": sum(_int(c["items"]) for c in data.checks),
        "passed": sum(_int(c["passes"]) for c in data.checks),
        "failed": sum(_int(c["fails"]) for c in data.checks),
        "undecided": sum(_int(c["undecided"]) for c in data.checks),
        "by_severity": [(sev, counts.get(sev, 0)) for sev in severity.SEVERITIES],
        "findings": len(data.findings),
    }


def _overlays(boxes: list[tuple[int, tuple]], crop: dict, stated: set[tuple] | None = None) -> list[dict]:
    """Evidence boxes on the crop's page, as percentages of the crop. 'stated': the boxes in `stated` (a
    fact's sentence), else the finding's first box (the stated cell); the others are its inputs."""
    cx0, ctop, cx1, cbottom = (float(crop[k]) for k in ("x0", "top", "x1", "bottom"))
    width, height = cx1 - cx0, cbottom - ctop
    overlays = []
    for index, (page, (x0, top, x1, bottom)) in enumerate(boxes):
        if page != _int(crop["page"]) or x1 <= cx0 or x0 >= cx1 or bottom <= ctop or top >= cbottom:
            continue
        left, right = max(x0, cx0), min(x1, cx1)
        upper, lower = max(top, ctop), min(bottom, cbottom)
        is_stated = (page, (x0, top, x1, bottom)) in stated if stated else index == 0
        overlays.append(
            {
                "role": "stated" if is_stated else "input",
                "box": f"{x0:.2f},{top:.2f},{x1:.2f},{bottom:.2f}",
                "style": (
                    f"left:{(left - cx0) / width * 100:.3f}%;top:{(upper - ctop) / height * 100:.3f}%;"
                    f"width:{(right - left) / width * 100:.3f}%;height:{(lower - upper) / height * 100:.3f}%"
                ),
            }
        )
    overlays.sort(key=lambda o: o["role"] == "stated")  # the stated box is drawn last, on top
    return overlays


def finding_crops(finding: dict, data: ReportData, fact: dict | None = None) -> list[dict]:
    boxes = evidence_boxes(finding.get("evidence"))
    stated = set(evidence_boxes(fact.get("evidence"))) if fact else None  # the stated number's sentence
    crops = sorted((c for c in data.crops if c["finding_id"] == finding["finding_id"]), key=lambda c: _int(c["order"]))
    views = []
    for crop in crops:
        image = data.images.get(crop["file"])
        if image is None:
            continue
        views.append(
            {
                "file": crop["file"],
                "page": _int(crop["page"]),
                "box": ",".join(crop[k] for k in ("x0", "top", "x1", "bottom")),
                "width": _int(crop["width_px"]),
                "height": _int(crop["height_px"]),
                "src": "data:image/png;base64," + base64.b64encode(image).decode("ascii"),
                "overlays": _overlays(boxes, crop, stated),
            }
        )
    return views


def highlight(sentence: str, raw: str, start=None, end=None) -> list[tuple[str, bool]]:
    """The sentence as (text, is_the_number) segments: the template marks the number, escaping each piece."""
    s, e = _int(start, -1), _int(end, -1)
    if not (0 <= s < e <= len(sentence) and sentence[s:e] == raw):
        s = sentence.find(raw) if raw else -1
        e = s + len(raw)
    if s < 0:
        return [(sentence, False)]
    return [(sentence[:s], False), (sentence[s:e], True), (sentence[e:], False)]


def _quote_with_number(quote: str, fact: dict) -> list[tuple[str, bool]]:
    """The finding's quote (its sentences) with the stated number marked in the stated fact's sentence."""
    sentence = fact.get("sentence") or ""
    at = quote.find(sentence) if sentence else -1
    if at < 0:
        return highlight(sentence or quote, fact.get("raw", ""), fact.get("start"), fact.get("end"))
    start, end = _int(fact.get("start"), -1), _int(fact.get("end"), -1)
    if start >= 0:
        start, end = start + at, end + at
    else:  # no offsets: the number's first occurrence inside its own sentence
        found = sentence.find(fact.get("raw", ""))
        start, end = (found + at, found + at + len(fact.get("raw", ""))) if found >= 0 else (-1, -1)
    return highlight(quote, fact.get("raw", ""), start, end)


def _row_cells(finding: dict, cells_by_id: dict[str, dict], rows: dict[tuple[str, str], list[dict]]) -> list[dict]:
    """The printed row of the stated cell, each cell with its header and whether it is the stated one."""
    subject = cells_by_id.get(finding.get("subject_id") or "")
    if subject is None:
        return []
    row = rows.get((subject["table_id"], subject["row_index"]), [])
    return [
        {
            "column": c["column"],
            "raw": c["raw"],
            "stated": c["cell_id"] == subject["cell_id"],
            "anchor": anchor(c["cell_id"]),
        }
        for c in row
    ]


def anchor(cell_id: str) -> str:
    return "cell-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in cell_id)


def finding_view(
    finding: dict,
    data: ReportData,
    tables: dict[str, dict],
    facts: dict[str, dict],
    cells_by_id: dict[str, dict],
    rows: dict,
) -> dict:
    fact = facts.get(finding.get("fact_id") or "")
    table = tables.get(finding.get("table_id") or "")
    quote = finding.get("quote") or ""
    subject_id = finding.get("subject_id") or ""
    decimals = printed_decimals(facts.get(subject_id) or cells_by_id.get(subject_id))
    if fact is not None:
        sentence = _quote_with_number(quote, fact)
    else:
        sentence = [(quote, False)] if finding.get("fact_id") else []
    return {
        **{
            k: finding.get(k)
            for k in (
                "finding_id",
                "check",
                "severity",
                "status",
                "message",
                "rule",
                "row_label",
                "column",
                "raw",
                "suspect_label",
                "suspect_reason",
                "table_id",
                "fact_id",
            )
        },
        "root_id": finding.get("root_id") or finding.get("finding_id"),
        "is_root": (finding.get("root_id") or finding.get("finding_id")) == finding.get("finding_id"),
        "confidence": finding.get("confidence") or "",
        "page": finding.get("page") if finding.get("page") is not None else "—",
        "stated": fmt(finding.get("stated"), decimals),
        "expected": fmt(finding.get("expected"), decimals),
        "difference": fmt(finding.get("difference"), decimals),
        "tolerance": fmt(finding.get("tolerance")),
        "suspect_value": fmt(finding.get("suspect_value"), decimals),
        "stated_value": "" if finding.get("stated") is None else repr(finding.get("stated")),
        "expected_value": "" if finding.get("expected") is None else repr(finding.get("expected")),
        "where": table["title"] if table else (fact.get("section", "") if fact else ""),
        "quote": quote,
        "sentence": sentence,
        "row": _row_cells(finding, cells_by_id, rows) if not finding.get("fact_id") else [],
        "anchor": anchor(finding.get("subject_id") or ""),
        "crops": finding_crops(finding, data, fact),
        "has_evidence": bool(evidence_boxes(finding.get("evidence"))),
    }


def _verified_row(row: dict, subjects: dict[str, dict]) -> dict:
    if "well_formed" in row:  # number-format frame
        outcome = "pass" if row["well_formed"] == "True" else "fail"
        return {
            "where": f"{row.get('row_label', '')} / {row.get('column', '')}",
            "stated": row.get("raw", ""),
            "expected": row.get("issue", ""),
            "outcome": outcome,
        }
    if row.get("passed") == "True":
        outcome = "pass"
    else:
        outcome = "undecided" if row.get("expected", "") == "" else "fail"
    where = row.get("rule", "") or f"{row.get('row_label', '')} / {row.get('column', '')}"
    if row.get("fact_id"):
        where = f"{row['fact_id']}: {where}"
    return {
        "where": f"{where} — {row.get('column', '')}" if row.get("column") else where,
        "stated": fmt(row.get("stated", ""), decimals := printed_decimals(subjects.get(row.get("subject_id") or ""))),
        "expected": fmt(row.get("expected", ""), decimals),
        "outcome": outcome,
    }


def _worst(findings: list[dict]) -> str:
    """The severity of a check's findings as its header shows it: the worst one."""
    return min((f.get("severity", "") for f in findings), key=severity.rank, default="")


def check_groups(data: ReportData, descriptions: dict[str, str], finding_views: list[dict]) -> list[dict]:
    # The stated numbers of the rules, by id, for the precision their values are shown at.
    subjects = {c["cell_id"]: c for c in data.cells} | {f["fact_id"]: f for f in data.facts or [] if f.get("fact_id")}
    by_check: dict[str, list[dict]] = {}
    for view in finding_views:
        by_check.setdefault(view["check"], []).append(view)
    checks = list(data.checks)
    known = {c["check"] for c in checks}
    checks += [
        {
            "check": name,
            "label": name,
            "severity": "",
            "items": "",
            "passes": "",
            "fails": "",
            "undecided": "",
            "error": "",
        }
        for name in by_check
        if name not in known
    ]
    groups = []
    for check in checks:
        name = check["check"]
        findings = by_check.get(name, [])
        verified = [_verified_row(r, subjects) for r in data.verified.get(name, [])]
        groups.append(
            {
                **check,
                "description": descriptions.get(name, ""),
                "findings": findings,
                "worst": _worst(findings),
                "by_severity": [
                    (sev, n) for sev in severity.SEVERITIES if (n := sum(f["severity"] == sev for f in findings))
                ],
                "clean": not findings
                and not check.get("error")
                and _int(check.get("fails")) == 0
                and _int(check.get("undecided")) == 0,
                "empty": _int(check.get("items")) == 0 and not findings,  # ran, but had nothing to evaluate
                "verified": verified[:MAX_VERIFIED_ROWS],
                "verified_more": max(0, len(verified) - MAX_VERIFIED_ROWS),
            }
        )

    # Checks with findings first (errors before warnings before undecided), then the clean ones, then
    # those that had nothing to evaluate.
    def rank(group: dict) -> tuple[int, int]:
        if group["empty"]:
            return (2, 0)
        if group["clean"]:
            return (1, 0)
        severities = [severity.rank(f.get("severity", "")) for f in group["findings"]] or [len(severity.SEVERITIES)]
        return (0, min(severities))

    return sorted(groups, key=rank)


def table_views(data: ReportData, finding_ids_by_cell: dict[str, list[str]]) -> list[dict]:
    views = []
    for table in data.tables:
        cells = [c for c in data.cells if c["table_id"] == table["table_id"]]
        columns = sorted({_int(c["col_index"]) for c in cells})
        headers = table.get("header_paths", "").split(HEADER_SEPARATOR) if table.get("header_paths") else []
        label_header = headers[0] if headers else ""
        col_headers = [headers[c - 1] if 0 < c - 1 < len(headers) else "" for c in columns]
        grid: dict[int, dict] = {}
        for cell in cells:
            row = grid.setdefault(
                _int(cell["row_index"]), {"label": cell["row_label"], "page": cell["page"], "cells": {}}
            )
            status = cell.get("status", "ok")
            ids = finding_ids_by_cell.get(cell["cell_id"], [])
            row["cells"][_int(cell["col_index"])] = {
                "raw": cell["raw"],
                "anchor": anchor(cell["cell_id"]),
                "status": status,
                "class": "failed" if status.startswith("failed") else STATUS_CLASS.get(status, ""),
                "findings": ids,
            }
        rows = [
            {"label": grid[r]["label"], "page": grid[r]["page"], "cells": [grid[r]["cells"].get(c) for c in columns]}
            for r in sorted(grid)
        ]
        views.append(
            {
                **table,
                "label_header": label_header,
                "columns": col_headers,
                "rows": rows,
                "flagged": sum(1 for r in rows for c in r["cells"] if c and c["class"] in ("failed", "format")),
            }
        )
    return views


def fact_views(data: ReportData, finding_ids_by_fact: dict[str, list[str]]) -> list[dict] | None:
    if data.facts is None:
        return None
    return [
        {
            **fact,
            "segments": highlight(fact.get("sentence", ""), fact.get("raw", ""), fact.get("start"), fact.get("end")),
            "findings": finding_ids_by_fact.get(fact.get("fact_id", ""), []),
        }
        for fact in data.facts
    ]


def report_view(data: ReportData, descriptions: dict[str, str] | None = None) -> dict:
    """Everything the template needs, from the output folder's data."""
    tables = {t["table_id"]: t for t in data.tables}
    facts = {f["fact_id"]: f for f in data.facts or [] if f.get("fact_id")}
    cells_by_id = {c["cell_id"]: c for c in data.cells}
    rows: dict[tuple[str, str], list[dict]] = {}
    for cell in sorted(data.cells, key=lambda c: _int(c["col_index"])):
        rows.setdefault((cell["table_id"], cell["row_index"]), []).append(cell)
    findings = [finding_view(f, data, tables, facts, cells_by_id, rows) for f in data.findings]
    views = {v["finding_id"]: v for v in findings}

    def decimals_of(item_id: str) -> int | None:
        return printed_decimals(facts.get(item_id) or cells_by_id.get(item_id))

    by_cell: dict[str, list[str]] = {}
    by_fact: dict[str, list[str]] = {}
    for f in data.findings:
        suspects = set(str(f.get("suspect_ids") or f.get("suspect_id") or "").split(VALUE_SEPARATOR))
        for target in ({f.get("subject_id") or ""} | suspects) - {""}:
            by_cell.setdefault(target, []).append(f["finding_id"])
        if f.get("fact_id"):
            by_fact.setdefault(f["fact_id"], []).append(f["finding_id"])
    return {
        "summary": summary(data),
        "causes": cause_views(data.findings, views, cells_by_id, facts, fmt, decimals_of),
        "checks": check_groups(data, descriptions or {}, findings),
        "tables": table_views(data, by_cell),
        "facts": fact_views(data, by_fact),
        "data_docs": data.data_docs,
        "crops_missing": bool(data.findings) and not data.crops,
    }
