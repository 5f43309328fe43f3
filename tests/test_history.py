"""The history database without the flow: one transaction per edition, no duplicates, no half-state,
editions side by side, additive schema changes, the status lines and the Parquet/datapackage writer."""

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.findings import FINDING_COLUMNS
from expectations.validation import SUMMARY_COLUMNS
from flows.status import status_lines, status_records
from normalise.tidy import CELL_COLUMNS, FACT_COLUMNS, TABLE_COLUMNS
from publish import history
from publish.output_schema import resource
from publish.package import write_publication
from tests.test_edition_rules import CUR_ROWS, PREV_ROWS, cells

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def edition_frames(doc_id: str, year: int, rows) -> tuple[dict, dict]:
    cell_frame = cells(doc_id, year, rows)
    cell_frame["status"] = "ok"
    tables = pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "table_id": cell_frame["table_id"].iloc[0],
                "title": "Patents",
                "unit": "piece",
                "page_first": 1,
                "page_last": 1,
                "n_rows": len(rows),
                "n_cols": 4,
                "notes": "",
                "header_paths": "",
            }
        ],
        columns=TABLE_COLUMNS,
    )
    findings = pd.DataFrame(
        [
            {
                "finding_id": "F0001",
                "check": "hierarchy",
                "severity": "error",
                "status": "fail",
                "table_id": tables["table_id"].iloc[0],
                "stated": 1.0,
                "expected": 2.0,
                "page": 1,
            }
        ],
        columns=FINDING_COLUMNS,
    )
    document = {
        "doc_id": doc_id,
        "year": year,
        "publisher": "jiangsu-ipr",
        "path": f"raw/{doc_id}.pdf",
        "sha256": f"{year:x}" * 8,
        "pages": 1,
        "n_tables": 1,
        "processed_at": f"{year + 1}-01-02T03:04:05+00:00",
        "pipeline_hash": "v1",
        "previous_doc_id": "",
        "previous_sha256": "",
        "out_dir": f"out/{doc_id}",
        "findings_error": 1,
        "findings_warning": 0,
        "findings_info": 0,
    }
    return document, {"tables": tables, "cells": cell_frame, "findings": findings}


def counts(db: Path) -> dict:
    with history.connect(db, read_only=True) as con:
        return {
            t: dict(con.execute(f'SELECT doc_id, count(*) FROM "{t}" GROUP BY doc_id').fetchall())
            for t in ("documents", "tables", "cells", "findings")
        }


def test_reingesting_replaces_an_edition_in_one_transaction(tmp_path):
    db = tmp_path / history.DB_NAME
    for doc_id, year, rows in (("paper-2023", 2023, PREV_ROWS), ("paper-2024", 2024, CUR_ROWS)):
        assert history.replace_edition(db, *edition_frames(doc_id, year, rows)) == {
            "documents": 1,
            "tables": 1,
            "cells": 12,
            "findings": 1,
        }
    history.replace_edition(db, *edition_frames("paper-2024", 2024, CUR_ROWS))
    once = {"paper-2023": 1, "paper-2024": 1}
    assert counts(db) == {
        "documents": once,
        "tables": once,
        "cells": {"paper-2023": 12, "paper-2024": 12},
        "findings": once,
    }

    # A write that dies half-way (a duplicate key in the last table) leaves the previous rows as they were.
    document, frames = edition_frames("paper-2024", 2024, CUR_ROWS[:2])
    frames["findings"] = pd.concat([frames["findings"]] * 2)
    with pytest.raises(duckdb.ConstraintException):
        history.replace_edition(db, document, frames)
    assert counts(db)["cells"] == {"paper-2023": 12, "paper-2024": 12}


def test_editions_side_by_side(tmp_path):
    db = tmp_path / history.DB_NAME
    for doc_id, year, rows in (("paper-2023", 2023, PREV_ROWS), ("paper-2024", 2024, CUR_ROWS)):
        history.replace_edition(db, *edition_frames(doc_id, year, rows))
    with history.connect(db, read_only=True) as con:
        rows = con.execute(
            "SELECT region, previous_value, value, round(growth_percent, 2) FROM cells_year_on_year "
            "WHERE column_key = 'valid_invention_patents' ORDER BY region"
        ).fetchall()
        pivot = con.execute(
            "PIVOT (SELECT region, column_key, year, value FROM cells_by_edition) ON year USING first(value) "
            "GROUP BY region, column_key ORDER BY region, column_key"
        ).df()
    assert rows == [
        ("Jiangsu", 529185.0, 589084.0, 11.32),
        ("Nanjing", 1000.0, 1600.0, 60.0),
        ("Suqian", 50.0, 90.0, 80.0),
        ("Wuxi", 1000.0, 1400.0, 40.0),
    ]
    assert list(pivot.columns) == ["region", "column_key", "2023", "2024"]
    assert len(pivot) == 12
    assert history.previous_edition(db, "jiangsu-ipr", 2024)["doc_id"] == "paper-2023"
    assert history.previous_edition(db, "jiangsu-ipr", 2023) is None
    assert history.load_frames(db, "paper-2023")["cells"]["value"].sum() == pytest.approx(
        cells("x", 2023, PREV_ROWS)["value"].sum()
    )


def test_a_column_declared_later_is_added_not_dropped(tmp_path):
    db = tmp_path / history.DB_NAME
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE tables (doc_id VARCHAR NOT NULL, year BIGINT, table_id VARCHAR, "
            "PRIMARY KEY (doc_id, table_id))"
        )
        con.execute("INSERT INTO tables VALUES ('old', 2020, 't')")
    history.replace_edition(db, *edition_frames("paper-2023", 2023, PREV_ROWS))
    with history.connect(db, read_only=True) as con:
        assert con.execute("SELECT doc_id, title FROM tables ORDER BY doc_id").fetchall() == [
            ("old", None),
            ("paper-2023", "Patents"),
        ]


def test_status_lines(tmp_path):
    db = tmp_path / history.DB_NAME
    for doc_id, year, rows in (("paper-2023", 2023, PREV_ROWS), ("paper-2024", 2024, CUR_ROWS)):
        document, frames = edition_frames(doc_id, year, rows)
        document["previous_doc_id"] = "paper-2023" if year == 2024 else ""
        history.replace_edition(db, document, frames)
    assert status_lines(status_records(history.documents(db))) == [
        "paper-2023  2023  sha256 7e77e77e77e7  processed 2024-01-02T03:04:05+00:00  1 error, 0 warning, 0 info",
        "paper-2024  2024  sha256 7e87e87e87e8  processed 2025-01-02T03:04:05+00:00  1 error, 0 warning, 0 info; "
        "compared with paper-2023",
    ]


def test_every_published_column_is_declared():
    assert resource("tables").undeclared(TABLE_COLUMNS) == []
    assert resource("cells").undeclared(CELL_COLUMNS + ["status"]) == []
    assert resource("findings").undeclared(FINDING_COLUMNS) == []
    assert resource("checks").undeclared(SUMMARY_COLUMNS) == []
    assert resource("facts").undeclared(FACT_COLUMNS) == []


@pytest.mark.slow
def test_publication_is_a_valid_data_package_with_typed_parquet(tmp_path):
    document, frames = edition_frames("Paper-2023", 2023, PREV_ROWS)
    frames["cells"].loc[0, "status"] = "failed:hierarchy;row_sum"
    frames["checks"] = pd.DataFrame(
        [
            {
                "check": "hierarchy",
                "label": "x",
                "severity": "error",
                "items": 3,
                "passes": 2,
                "fails": 1,
                "undecided": 0,
                "error": "",
            }
        ],
        columns=SUMMARY_COLUMNS,
    )
    for name, frame in frames.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    write_publication(tmp_path, frames, document)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["name"] == "paper-2023"
    cells_resource = next(r for r in package["resources"] if r["name"] == "cells")
    assert cells_resource["schema"]["primaryKey"] == ["doc_id", "cell_id"]
    assert cells_resource["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "tables",
        "fields": ["doc_id", "table_id"],
    }
    parquet = pd.read_parquet(tmp_path / "cells.parquet")
    assert list(parquet.columns) == list(frames["cells"].columns)
    assert (str(parquet["value"].dtype), str(parquet["page"].dtype), str(parquet["percent"].dtype)) == (
        "float64",
        "Int64",
        "boolean",
    )
    assert parquet["status"].tolist()[:2] == ["failed:hierarchy;row_sum", "ok"]
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    assert (done.returncode, report["valid"]) == (0, True), done.stdout[-2000:]

    # A value whose status is not one of the declared forms is rejected.
    broken = (tmp_path / "cells.csv").read_text().replace("failed:hierarchy;row_sum", "fine")
    (tmp_path / "cells.csv").write_text(broken)
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [e["type"] for task in json.loads(done.stdout)["tasks"] for e in task["errors"]]
    assert (done.returncode, errors) == (1, ["constraint-error"])
