"""The history of editions: one embedded DuckDB file, `<out>/whitepaper.duckdb`.

Tables `documents`, `tables`, `cells`, `facts`, `findings` have the columns of publish/output_schema.yaml plus
the edition key: every row carries `doc_id` and `year` (the edition year read from the document).
Re-ingesting a document replaces all of its rows in one transaction: DELETE then INSERT, committed
together or not at all, and primary keys make a duplicate row impossible.

Views: `cells_by_edition` (cells with publisher and year and a `column_key`: the profile's column id,
else the header path) and `cells_year_on_year` (each value beside the previous edition's value of the
same table, region and column).

DuckDB allows one writing process at a time: connections here are short, and a writer that finds the
file locked by another process retries for LOCK_WAIT_SECONDS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from publish.output_schema import DUCKDB_TYPES, resource

DB_NAME = "whitepaper.duckdb"
HISTORY_TABLES = ("documents", "tables", "cells", "facts", "findings")
# The edition key carried by every row; `year` is nullable: a document whose year cannot be read is kept.
KEY_COLUMNS = {"doc_id": "VARCHAR NOT NULL", "year": "BIGINT"}
PRIMARY_KEYS = {
    "documents": ("doc_id",),
    "tables": ("doc_id", "table_id"),
    "cells": ("doc_id", "cell_id"),
    "facts": ("doc_id", "fact_id"),
    "findings": ("doc_id", "finding_id"),
}
LOCK_WAIT_SECONDS = 30.0
LOCK_RETRY_SECONDS = 0.2
VIEWS = {
    "cells_by_edition": """
        SELECT d.publisher, c.year, c.doc_id, c.table_id, c.region, c.region_level,
               coalesce(nullif(c.column_id, ''), c."column") AS column_key, c."column", c.row_label,
               c.value, c.raw, c.unit, c.status, c.cell_id, c.page
        FROM cells c JOIN documents d USING (doc_id)""",
    "cells_year_on_year": """
        SELECT cur.publisher, cur.table_id, cur.region, cur.column_key, cur.unit,
               cur.year, cur.value, cur.status, cur.doc_id,
               prev.year AS previous_year, prev.value AS previous_value, prev.status AS previous_status,
               prev.doc_id AS previous_doc_id,
               cur.value - prev.value AS change,
               CASE WHEN prev.value <> 0 THEN (cur.value / prev.value - 1) * 100 END AS growth_percent
        FROM cells_by_edition cur JOIN cells_by_edition prev
          ON prev.publisher = cur.publisher AND prev.year = cur.year - 1 AND prev.table_id = cur.table_id
         AND prev.region = cur.region AND prev.column_key = cur.column_key""",
}


class HistoryLocked(RuntimeError):
    """Another process holds the history database for longer than LOCK_WAIT_SECONDS."""


def db_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / DB_NAME


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(table: str) -> dict[str, str]:
    """Column name -> DuckDB type of a history table: the edition key, then the declared fields."""
    columns = {"doc_id": KEY_COLUMNS["doc_id"]}
    if table != "documents":
        columns["year"] = KEY_COLUMNS["year"]
    for name, f in resource(table).fields.items():
        columns.setdefault(name, DUCKDB_TYPES[f.type])
    return columns


def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


@contextmanager
def connect(path: str | Path, read_only: bool = False, wait: float = LOCK_WAIT_SECONDS) -> Iterator:
    """A short-lived connection; retries while another process holds the file's lock."""
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                if _is_lock_error(exc):
                    raise HistoryLocked(f"{path}: {exc}") from exc
                raise
            logging.getLogger(__name__).info("%s is locked by another process; retrying", path)
            time.sleep(LOCK_RETRY_SECONDS)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con) -> None:
    """Create the tables and views; add columns declared since the file was created (never drops any)."""
    for table in HISTORY_TABLES:
        columns = _columns(table)
        body = ", ".join(f"{_quote(c)} {t}" for c, t in columns.items())
        key = ", ".join(_quote(c) for c in PRIMARY_KEYS[table])
        con.execute(f"CREATE TABLE IF NOT EXISTS {_quote(table)} ({body}, PRIMARY KEY ({key}))")
        existing = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        }
        for column, kind in columns.items():
            if column not in existing:
                con.execute(f"ALTER TABLE {_quote(table)} ADD COLUMN {_quote(column)} {kind.replace(' NOT NULL', '')}")
    for view, query in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {_quote(view)} AS {query}")


def _prepared(table: str, frame: pd.DataFrame, doc_id: str, year: int | None) -> pd.DataFrame:
    """The frame with the edition key, typed as declared, restricted to the table's columns."""
    declared = resource(table)
    key = ["doc_id"] if table == "documents" else list(KEY_COLUMNS)
    undeclared = declared.undeclared(c for c in frame.columns if c not in key)
    if undeclared:
        logging.getLogger(__name__).warning(
            "%s: columns %s are not declared in publish/output_schema.yaml; not stored", table, undeclared
        )
    keep = [c for c in frame.columns if c in declared.fields and c not in key]
    out = declared.typed(frame[keep]) if keep else pd.DataFrame(index=frame.index)
    out.insert(0, "doc_id", doc_id)
    if table != "documents":
        out.insert(1, "year", pd.array([year] * len(out), dtype="Int64"))
    return out


def replace_edition(path: str | Path, document: dict, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Replace every row of `document["doc_id"]` with these frames (tables, cells, findings, facts), in one
    transaction. Returns the rows written per table."""
    doc_id, year = str(document["doc_id"]), document.get("year")
    rows = {"documents": pd.DataFrame([document])} | {t: f for t, f in frames.items() if t != "documents"}
    unknown = set(rows) - set(HISTORY_TABLES)
    if unknown:
        raise ValueError(f"no history table for {sorted(unknown)}")
    written = {}
    with connect(path) as con:
        ensure_schema(con)
        con.begin()
        try:
            for table in HISTORY_TABLES:
                con.execute(f"DELETE FROM {_quote(table)} WHERE doc_id = ?", [doc_id])
                if table not in rows:
                    continue
                frame = _prepared(table, rows[table], doc_id, year)
                con.register("incoming", frame)
                columns = ", ".join(_quote(c) for c in frame.columns)
                con.execute(f"INSERT INTO {_quote(table)} ({columns}) SELECT {columns} FROM incoming")
                con.unregister("incoming")
                written[table] = len(frame)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return written


def _frame(con, query: str, params: list) -> pd.DataFrame:
    return con.execute(query, params).df()


def _has_table(con, table: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchone()[0]
    )


def document(path: str | Path, doc_id: str) -> dict | None:
    """The history's row for one document, or None."""
    if not Path(path).exists():
        return None
    with connect(path, read_only=True) as con:
        rows = _frame(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])
    return rows.iloc[0].to_dict() if len(rows) else None


def previous_edition(path: str | Path, publisher: str, year: int | None, offset: int = 1) -> dict | None:
    """The document of the edition `offset` years before `year` of the same publisher (the most recently
    processed one when several files hold that edition), or None."""
    if year is None or not publisher or not Path(path).exists():
        return None
    with connect(path, read_only=True) as con:
        rows = _frame(
            con,
            "SELECT * FROM documents WHERE publisher = ? AND year = ? ORDER BY processed_at DESC, doc_id LIMIT 1",
            [publisher, int(year) - offset],
        )
    return rows.iloc[0].to_dict() if len(rows) else None


def load_frames(path: str | Path, doc_id: str, tables: tuple[str, ...] = ("cells", "facts")) -> dict[str, pd.DataFrame]:
    """One document's rows per table, without the `year` key column (empty frames for a table the file lacks)."""
    out = {}
    with connect(path, read_only=True) as con:
        for table in tables:
            if not _has_table(con, table):
                out[table] = pd.DataFrame()
                continue
            frame = _frame(con, f"SELECT * FROM {_quote(table)} WHERE doc_id = ? ORDER BY ALL", [doc_id])
            out[table] = frame.drop(columns=["year"])
    return out


def documents(path: str | Path) -> pd.DataFrame:
    """Every document in the history, by publisher, year and id (read-only: never creates the file)."""
    with connect(path, read_only=True) as con:
        return _frame(con, "SELECT * FROM documents ORDER BY publisher, year, doc_id", [])
