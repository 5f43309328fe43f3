"""Prose against tables (check fact_table): a prose number whose metric the publisher profile ties
to a table column equals that column's cell for the region the sentence is about."""

from __future__ import annotations

import pandas as pd

from expectations.equations import Equation, Operand
from expectations.intervals import cell_interval, fact_interval
from expectations.prose.metrics import ProseVocabulary, match_metric, match_part, sentence_region
from expectations.prose.prose_terms import CHECK_TABLE, Facts, exact, fact_place, make_equation
from normalise.profile import Profile


def _undecided(fact: dict, rule: str, reason: str, key: str) -> Equation:
    return make_equation(CHECK_TABLE, fact, [], rule, fact_interval(fact), None, "", undecided=reason, suffix=f":{key}")


def prose_table_equations(
    facts: Facts, cells: pd.DataFrame | None, profile: Profile, vocabulary: ProseVocabulary
) -> list[Equation]:
    if cells is None or cells.empty or not vocabulary.metrics:
        return []
    eqs = []
    columns = set(cells["column_id"].dropna())
    for fact in facts.all():
        if fact["kind"] not in ("count", "ratio", "amount") or not exact(fact) or fact["role"] in ("change",):
            continue
        column_id = ""
        metric = fact["metric"]
        if fact["role"] == "part":
            total = facts.get(fact["ref"])
            spec = match_metric(vocabulary, total["metric"], total["sentence"], total["action"]) if total else None
            column_id = match_part(spec, fact["category"]) if spec else ""
        else:
            spec = match_metric(vocabulary, metric, fact["sentence"], fact["action"])
            column_id = spec.column_id if spec else ""
        if not column_id or column_id not in columns:
            continue
        region, level = sentence_region(profile, fact["sentence"])
        rule = f"Prose equals the table: {column_id} of {region or 'the region named'}"

        if not region:
            eqs.append(_undecided(fact, rule, "the sentence names several regions", column_id))
            continue
        matching = cells[(cells["column_id"] == column_id) & (cells["region"] == region)]
        if matching.empty:
            eqs.append(_undecided(fact, rule, f"no {column_id} cell for {region} in the tables", column_id))
            continue
        for cell in matching.to_dict("records"):
            value = cell.get("value")
            if value is None or pd.isna(value):
                eqs.append(_undecided(fact, rule, f"table cell {cell['cell_id']} is empty", cell["cell_id"]))
                continue
            cell_id = str(cell["cell_id"])
            cell_value = cell_interval(cell, profile.column_by_id(column_id).kind)
            eqs.append(
                make_equation(
                    CHECK_TABLE,
                    fact,
                    [],
                    rule,
                    fact_interval(fact),
                    cell_value,
                    f"prose says {fact['raw']} but table {cell['table_id']} ({cell['row_label']}, {cell['column']}) "
                    f"says {cell['raw']}",
                    suffix=f":{cell_id}",
                    formula={"type": "sum", "total": fact["fact_id"], "parts": [cell_id]},  # prose = cell
                    extra_inputs=(Operand(cell_id, float(value), cell_value),),
                    place=fact_place(
                        fact,
                        table_id=str(cell["table_id"]),
                        row_label=str(cell["row_label"]),
                        column=str(cell["column"]),
                    ),
                )
            )
    return eqs
