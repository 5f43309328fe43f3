"""The run's result as a Prefect markdown artifact: counts, a table of findings (each with its cause: a
root says what its number probably should read, a symptom names its root), a link to the report.

`findings_markdown` is pure; `publish_artifact` reads the published folder and creates the artifact
(inside a flow or task run, so the Prefect UI shows it on the run and under the artifact's key).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from expectations.severity import SEVERITIES
from normalise.labels import slug

KEY_PREFIX = "whitepaper-report-"
MAX_ROWS = 200  # findings listed in the artifact; the report has all of them
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def artifact_key(doc_id: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes only."""
    return KEY_PREFIX + (slug(doc_id) or "document")


def md_text(value) -> str:
    """Text from the PDF as inert markdown: one line, HTML-escaped, markdown punctuation backslashed."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_SPECIAL.sub(r"\\\1", text)


def _num(value) -> str:
    from publish.report.view import fmt

    return md_text(fmt(value))


def _cause(finding: dict) -> str:
    """A root: what its first suspect probably should read; a symptom: the finding that explains it."""
    root = finding.get("root_id") or finding["finding_id"]
    if root != finding["finding_id"]:
        return f"see {md_text(root)}"
    value = str(finding.get("suggested_values") or "").split(";")[0]
    if not value:
        return "root"
    kind = str(finding.get("repair_kind") or "").split(";")[0]
    confidence = finding.get("confidence") or ""
    return "root: " + md_text(f"{finding.get('suspect_label', '')} probably {_num_text(value)} ({kind}; {confidence})")


def _num_text(value: str) -> str:
    from publish.report.view import fmt

    return fmt(value)


def findings_markdown(document: dict, checks: list[dict], findings: list[dict], report_uri: str) -> str:
    counts = Counter(f["severity"] for f in findings)
    items = sum(int(c["items"]) for c in checks)
    passes = sum(int(c["passes"]) for c in checks)
    lines = [
        f"## {md_text(document.get('doc_id', ''))}: data-quality findings",
        "",
        ", ".join(f"**{counts.get(s, 0)} {s}**" for s in SEVERITIES)
        + f" — {passes} of {items} rule instances passed in {len(checks)} checks.",
        "",
        f"Report: [{md_text(report_uri)}](<{report_uri}>)",
        "",
    ]
    if findings:
        lines += [
            "| id | severity | check | page | where | stated | expected | difference | cause |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for f in findings[:MAX_ROWS]:
            where = f.get("fact_id") or " / ".join(str(v) for v in (f.get("row_label"), f.get("column")) if v)
            stated = md_text(f["raw"]) if f.get("raw") else _num(f.get("stated"))  # format findings: as printed
            cells = [
                f["finding_id"],
                f["severity"],
                md_text(f["check"]),
                md_text(f.get("page")),
                md_text(where),
                stated,
                _num(f.get("expected")),
                _num(f.get("difference")),
                _cause(f),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        if len(findings) > MAX_ROWS:
            lines.append(f"\n… and {len(findings) - MAX_ROWS} more findings in the report.")
    else:
        lines.append("No findings: every rule instance that could be decided passed.")
    return "\n".join(lines) + "\n"


def publish_artifact(folder: Path) -> str:
    """Create the markdown artifact of a published output folder; returns its key."""
    from prefect.artifacts import create_markdown_artifact

    document = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    checks = pd.read_csv(folder / "checks.csv", dtype=str, keep_default_na=False).to_dict(orient="records")
    report_uri = (folder / "report.html").resolve().as_uri()
    key = artifact_key(str(document.get("doc_id", folder.name)))
    create_markdown_artifact(
        markdown=findings_markdown(document, checks, findings, report_uri),
        key=key,
        description=f"Findings of {document.get('doc_id', folder.name)} and a link to its report",
    )
    return key
