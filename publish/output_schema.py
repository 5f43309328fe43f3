"""The published tables' declared schemas (publish/output_schema.yaml) as objects, and what they mean for
pandas (dtypes), Frictionless (Table Schema descriptors) and DuckDB (column types).

Pure: reads only its own YAML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

SCHEMA_YAML = Path(__file__).with_name("output_schema.yaml")
log = logging.getLogger(__name__)

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "datetime": "TIMESTAMPTZ",
}
# Type of a column written but not declared (it still validates; a test makes sure there is none).
UNDECLARED_TYPE = "string"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str = ""
    unit: str = ""
    constraints: dict = field(default_factory=dict)

    def descriptor(self) -> dict:
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            out["unit"] = self.unit
        if self.constraints:
            out["constraints"] = dict(self.constraints)
        return out


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: dict[str, Field]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict, ...] = ()

    def field_for(self, column: str) -> Field:
        if column in self.fields:
            return self.fields[column]
        log.warning("%s.%s is not declared in %s", self.name, column, SCHEMA_YAML.name)
        return Field(column, UNDECLARED_TYPE, "(not documented)")

    def undeclared(self, columns) -> list[str]:
        return [c for c in columns if c not in self.fields]

    def table_schema(self, columns: list[str]) -> dict:
        """Frictionless Table Schema for a file with exactly these columns, in this order."""
        schema = {"fields": [self.field_for(c).descriptor() for c in columns]}
        if self.primary_key and set(self.primary_key) <= set(columns):
            schema["primaryKey"] = list(self.primary_key)
        keys = [fk for fk in self.foreign_keys if set(fk["fields"]) <= set(columns)]
        if keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(fk["fields"]),
                    "reference": {"resource": fk["resource"], "fields": list(fk["reference"])},
                }
                for fk in keys
            ]
        return schema

    def typed(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with every declared column in its declared pandas dtype (nullable integers and booleans)."""
        out = frame.copy()
        for column in out.columns:
            kind = self.field_for(column).type
            if kind == "datetime":
                out[column] = pd.to_datetime(out[column], utc=True)
            else:
                out[column] = out[column].astype(PANDAS_DTYPES.get(kind, "string"))
        return out


def _resource(name: str, spec: dict) -> Resource:
    fields = {}
    for column, f in (spec.get("fields") or {}).items():
        if f.get("type") not in (*PANDAS_DTYPES, "datetime"):
            raise ValueError(f"{SCHEMA_YAML}: {name}.{column} has unknown type {f.get('type')!r}")
        fields[column] = Field(
            column,
            f["type"],
            " ".join(str(f.get("description", "")).split()),
            str(f.get("unit", "")),
            dict(f.get("constraints") or {}),
        )
    return Resource(
        name,
        str(spec.get("title", name)),
        " ".join(str(spec.get("description", "")).split()),
        fields,
        tuple(spec.get("primary_key") or ()),
        tuple(spec.get("foreign_keys") or ()),
    )


@cache
def resources() -> dict[str, Resource]:
    data = yaml.safe_load(SCHEMA_YAML.read_text(encoding="utf-8"))
    return {name: _resource(name, spec) for name, spec in data["resources"].items()}


def resource(name: str) -> Resource:
    return resources()[name]
