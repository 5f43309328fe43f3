"""The history of editions: one embedded DuckDB file, `<out>/whitepaper.duckdb`.

Tables `documents`, `tables`, `cells`, `facts`, `findings` have the columns of publish/output_schema.yaml plus
the edition key: every row carries `doc_id` and `year` (the edition year read from the document).
Re-ingesting a document replaces all of its rows in one transaction: DELETE then INSERT, committed
together or not at all, and primary keys make a duplicate row impossible.

Views: `cells_by_edition` (cells with publisher, series, period and year and a `column_key`: the profile's
column id, else the header path) and `cells_year_on_year` (each value beside the value of the same table,
region and column in the same period a year earlier, same series).

Editions are periods (a year, a quarter or a month: `documents.period`, "2023", "2012-Q1", "2016-03") of a
series (`documents.series`: monthly bulletins and yearly papers of one publisher are two series): the
previous edition is the latest earlier one of the same series, year on year is the same period a year
earlier.

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

from normalise.periods import Period
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
# An edition's period and series; rows written before periods were recorded are yearly editions.
EDITION_PERIOD_SQL = "coalesce(nullif(d.period, ''), CAST(d.year AS VARCHAR))"
EDITION_SERIES_SQL = "coalesce(nullif(d.series, ''), 'year')"
VIEWS = {
    "cells_by_edition": f"""
        SELECT d.publisher, {EDITION_SERIES_SQL} AS series, {EDITION_PERIOD_SQL} AS period, c.year, c.doc_id,
               c.table_id, c.region, c.region_level,
               coalesce(nullif(c.column_id, ''), c."column") AS column_key, c."column", c.row_label,
               c.value, c.raw, c.unit, c.status, c.cell_id, c.page
        FROM cells c JOIN documents d USING (doc_id)""",
    # Year on year: the same period a year earlier ("2016-03" against "2015-03"), same series.
    "cells_year_on_year": """
        SELECT cur.publisher, cur.table_id, cur.region, cur.column_key, cur.unit,
               cur.year, cur.value, cur.status, cur.doc_id,
               prev.year AS previous_year, prev.value AS previous_value, prev.status AS previous_status,
               prev.doc_id AS previous_doc_id,
               cur.value - prev.value AS change,
               CASE WHEN prev.value <> 0 THEN (cur.value / prev.value - 1) * 100 END AS growth_percent,
               cur.period, prev.period AS previous_period
        FROM cells_by_edition cur JOIN cells_by_edition prev
          ON prev.publisher = cur.publisher AND prev.series = cur.series
         AND prev.period = CAST(CAST(substr(cur.period, 1, 4) AS INTEGER) - 1 AS VARCHAR) || substr(cur.period, 5)
         AND prev.table_id = cur.table_id AND prev.region = cur.region AND prev.column_key = cur.column_key""",
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


def _as_period(period) -> Period | None:
    if period is None or isinstance(period, Period):
        return period
    if isinstance(period, int):
        return Period(period)
    return Period.from_key(str(period))


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def series_editions(path: str | Path, publisher: str, series: str) -> list[tuple[Period, dict]]:
    """(period, documents row) of every edition of a publisher's series in the history."""
    if not publisher or not Path(path).exists():
        return []
    with connect(path, read_only=True) as con:
        rows = _frame(con, "SELECT * FROM documents WHERE publisher = ?", [publisher])
    out = []
    for row in rows.to_dict("records"):
        period = edition_period(row)
        if period is not None and (_text(row.get("series")) or period.kind) == series:
            out.append((period, row))
    return out


def _latest(candidates: list[tuple[Period, dict]]) -> dict | None:
    """The candidate with the latest period; of several files holding it, the most recently processed
    (then the smallest doc id)."""
    if not candidates:
        return None
    best = max(p.ordinal for p, _ in candidates)
    same = sorted((row for p, row in candidates if p.ordinal == best), key=lambda r: r["doc_id"])
    stamps = [pd.Timestamp(r["processed_at"]) for r in same]
    newest = max((s for s in stamps if not pd.isna(s)), default=None)
    return same[stamps.index(newest)] if newest is not None else same[0]


def edition_period(row: dict) -> Period | None:
    """The period of a documents row (its year for rows written before periods were recorded)."""
    year = row.get("year")
    key = _text(row.get("period")) or ("" if year is None or pd.isna(year) else str(int(year)))
    return Period.from_key(key)


def previous_edition(path: str | Path, publisher: str, period, series: str = "") -> dict | None:
    """The latest edition of the same publisher and series before `period` (a Period, a year or a period
    key such as "2016-03"; the series defaults to the period's kind), or None."""
    period = _as_period(period)
    if period is None:
        return None
    editions = series_editions(path, publisher, series or period.kind)
    return _latest([(p, row) for p, row in editions if p.is_before(period)])


def same_period_earlier(path: str | Path, publisher: str, period, series: str = "", years: int = 1) -> dict | None:
    """The edition of the same publisher and series for the same period `years` earlier (year on year)."""
    period = _as_period(period)
    if period is None:
        return None
    wanted = period.years_earlier(years)
    return _latest([(p, row) for p, row in series_editions(path, publisher, series or period.kind) if p == wanted])


def compared_editions(
    path: str | Path, publisher: str, period, series: str = "", years: int = 1
) -> tuple[dict | None, dict | None]:
    """(previous edition, the same period `years` earlier) of an edition: what its cross-edition checks read."""
    previous = previous_edition(path, publisher, period, series)
    return previous, same_period_earlier(path, publisher, period, series, years)


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
