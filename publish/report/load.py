"""An output folder -> the plain data the report shows. The report reads nothing else.

Reads `document.json`, `tables.csv`, `cells.csv`, `findings.json`, `checks.csv`,
`reconciliation/*.csv` (what each check verified), `facts.csv` when the run extracted prose facts,
and the page crops (`crops/crops.csv` and the PNG files). Text columns are read as text, exactly as
written, so nothing printed in the PDF is reinterpreted on the way to the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from publish.report.crops import CROPS_DIR, CROPS_INDEX

REQUIRED_FILES = ("document.json", "tables.csv", "cells.csv", "findings.json", "checks.csv")
FACTS_FILE = "facts.csv"
RECON_DIR = "reconciliation"
DATA_DOCS_INDEX = "data_docs/index.html"


class MissingOutputs(Exception):
    """The folder is not a complete output folder of `whitepaper run`."""


@dataclass
class ReportData:
    document: dict
    tables: list[dict]
    cells: list[dict]
    findings: list[dict]
    checks: list[dict]
    verified: dict[str, list[dict]] = field(default_factory=dict)  # check -> reconciliation rows
    facts: list[dict] | None = None  # None: the run had no prose facts
    crops: list[dict] = field(default_factory=list)  # crops.csv rows
    images: dict[str, bytes] = field(default_factory=dict)  # crop file -> PNG bytes
    data_docs: str = ""  # relative link to the Data Docs index, when built


def _csv(path: Path) -> list[dict]:
    """Rows of a CSV as dicts of text ('' for empty), in file order."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.to_dict(orient="records")


def missing_files(folder: Path) -> list[str]:
    return [name for name in REQUIRED_FILES if not (folder / name).is_file()]


def load_report_data(folder: str | Path) -> ReportData:
    folder = Path(folder)
    missing = missing_files(folder)
    if missing:
        raise MissingOutputs(f"not an output folder of `whitepaper run` (missing {', '.join(missing)})")
    data = ReportData(
        document=json.loads((folder / "document.json").read_text(encoding="utf-8")),
        tables=_csv(folder / "tables.csv"),
        cells=_csv(folder / "cells.csv"),
        findings=json.loads((folder / "findings.json").read_text(encoding="utf-8")),
        checks=_csv(folder / "checks.csv"),
    )
    recon = folder / RECON_DIR
    if recon.is_dir():
        data.verified = {path.stem: _csv(path) for path in sorted(recon.glob("*.csv"))}
    if (folder / FACTS_FILE).is_file():
        data.facts = _csv(folder / FACTS_FILE)
    index = folder / CROPS_DIR / CROPS_INDEX
    if index.is_file():
        data.crops = _csv(index)
        for name in sorted({row["file"] for row in data.crops}):
            path = folder / CROPS_DIR / name
            if path.is_file():
                data.images[name] = path.read_bytes()
    if (folder / DATA_DOCS_INDEX).is_file():
        data.data_docs = DATA_DOCS_INDEX
    return data
