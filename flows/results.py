"""What a run hands back for each document: plain data, importable without Prefect or pandas (the
CLI's summary lines, exit code and up-to-date check read it before, or instead of, the flow)."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUS_PROCESSED = "processed"
STATUS_REJECTED = "rejected"
STATUS_SKIPPED = "skipped"  # unchanged since its last ingestion (only with skip_unchanged)
STATUS_UP_TO_DATE = "up to date"  # the whole run was already done: nothing read (flows.up_to_date)


@dataclass
class DocumentResult:
    path: str
    status: str
    doc_id: str = ""
    reason: str = ""
    kind: str = ""
    out_dir: str = ""
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count
    warnings: list[str] = field(default_factory=list)
    extract_state: str = ""  # final state name of the extract task: "Completed", or "Cached" when reused
    year: int | None = None
    previous_doc_id: str = ""  # the previous edition it was compared with
    rechecked: bool = False  # processed again in the same run: its previous edition arrived after it
