"""The clean publication of one document: typed Parquet files beside the CSV files, and a Frictionless
`datapackage.json` describing the CSV files (types, units, descriptions, keys) from publish/output_schema.yaml.

The package's resources point at the CSV files: Frictionless 5 reads Parquet only with the optional
`fastparquet` dependency, which is not installed, so the Parquet copy of each resource is named in the
resource's `parquet` property instead. Both hold the same columns and values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow
import pyarrow.parquet

from normalise.labels import slug
from publish import files
from publish.output_schema import resource

PACKAGE_PROFILE = "tabular-data-package"


def package_name(doc_id: str) -> str:
    """Frictionless names are lower-case letters, digits, '.', '_' and '-'."""
    return slug(doc_id, keep="._") or "document"


def resource_descriptor(name: str, columns: list[str]) -> dict:
    declared = resource(name)
    return {
        "name": name,
        "type": "table",
        "path": f"{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": declared.title,
        "description": declared.description,
        "parquet": f"{name}.parquet",
        "schema": declared.table_schema(columns),
    }


def datapackage(document: dict, columns: dict[str, list[str]]) -> dict:
    """The package descriptor for a document whose CSV files have these columns (resource -> columns)."""
    doc_id = str(document["doc_id"])
    year = document.get("year")
    return {
        "name": package_name(doc_id),
        "title": f"{doc_id}" + (f" (edition {year})" if year else ""),
        "description": (
            "Tables, tidy cells (with a per-value check status), prose facts, findings and checks "
            "extracted from one white paper by the whitepaper pipeline."
        ),
        "created": document.get("processed_at", ""),
        "sources": [{"title": f"{Path(str(document.get('path', ''))).name} (sha256 {document.get('sha256', '')})"}],
        "whitepaper": {k: document.get(k) for k in ("doc_id", "year", "publisher", "sha256", "pages")},
        "resources": [resource_descriptor(name, cols) for name, cols in columns.items()],
    }


def write_publication(folder: Path, frames: dict[str, pd.DataFrame], document: dict) -> None:
    """Write `<name>.parquet` for every frame (already written as `<name>.csv`) and `datapackage.json`."""
    for name, frame in frames.items():
        if not (folder / f"{name}.csv").is_file():
            raise FileNotFoundError(f"{folder / (name + '.csv')}: the package describes the CSV files; write it first")
        table = pyarrow.Table.from_pandas(resource(name).typed(frame), preserve_index=False)
        pyarrow.parquet.write_table(table, folder / f"{name}.parquet")
    package = datapackage(document, {name: list(frame.columns) for name, frame in frames.items()})
    files.write_json(package, folder / "datapackage.json")
