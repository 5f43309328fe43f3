"""Error localisation on a generated edition with nine planted misprints (tests/nine_error_edition.py):
each misprint is one root naming exactly the misprinted cells, their true values and the typo shape; the
other failed rules it breaks point to it; the table with a single rule is ambiguous with its total first.
Runs extraction, GX and localisation in process (no Prefect)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from expectations.validation import validate_document
from extractors.reader import extract_document
from normalise.document import normalise_document
from tests.edition_gen import render_edition
from tests.nine_error_edition import NineErrorEdition


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    edition = NineErrorEdition()
    pdf = tmp_path_factory.mktemp("nine") / "jiangsu-ipr-2024-nine-errors.pdf"
    render_edition(pdf, edition)
    normalised = normalise_document(extract_document(pdf), pdf)
    validation = validate_document(normalised.cells, normalised.profile, facts=normalised.facts)
    return edition, normalised, validation


def _cell(cells: pd.DataFrame, row: str, column_id: str) -> str:
    found = cells[(cells["row_label"] == row) & (cells["column_id"] == column_id)]
    assert len(found) == 1, (row, column_id)
    return found.iloc[0]["cell_id"]


def _fact(facts: pd.DataFrame, raw: str) -> str:
    found = facts[facts["raw"] == raw]
    assert len(found) == 1, raw
    return found.iloc[0]["fact_id"]


def _value(text: str) -> str:
    return text.replace(",", "").rstrip("%")


def _roots(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[(findings["root_id"] == findings["finding_id"]) & (findings["status"] == "fail")]


def test_every_misprint_is_one_root_with_its_cells_true_values_and_typo_shape(run):
    edition, normalised, validation = run
    findings = validation.findings
    roots = _roots(findings).set_index("finding_id")
    planted: dict[str, list] = {}
    for p in edition.planted:
        planted.setdefault(p.name, []).append(p)
    assert len(planted) == 9 and len(roots) == 9  # nine misprints, nine causes
    seen = set()
    for name, cells in planted.items():
        if cells[0].row:
            column = cells[0].column
            ids = [_cell(normalised.cells, p.row, p.column) for p in cells]
        else:
            column = None
            ids = [_fact(normalised.facts, f"{cells[0].printed}%")]
        match = [r for r, root in roots.iterrows() if set(root["suspect_ids"].split(";")) == set(ids)]
        assert len(match) == 1, (name, ids, roots[["suspect_ids"]].to_string())
        root = roots.loc[match[0]]
        by_id = dict(zip(root["suspect_ids"].split(";"), root["suggested_values"].split(";")))
        kinds = dict(zip(root["suspect_ids"].split(";"), root["repair_kind"].split(";")))
        for cell_id, p in zip(ids, cells):
            assert float(by_id[cell_id]) == float(_value(p.true)), (name, by_id, p)
            assert kinds[cell_id] == p.kind, (name, kinds, p)
        expected_confidence = "ambiguous" if column == "ic_layout_registrations" else "high"
        assert root["confidence"] == expected_confidence, name
        seen.add(match[0])
    assert seen == set(roots.index)


def test_symptoms_point_to_their_root(run):
    _, normalised, validation = run
    findings = validation.findings.set_index("finding_id")
    wuxi = _cell(normalised.cells, "Wuxi", "valid_invention_patents")
    reading = findings[findings["suspect_ids"].str.contains(wuxi, regex=False)]
    # The swapped total breaks its row sum, its region's sum and its ratio: one root, two symptoms.
    assert sorted(reading["check"]) == ["hierarchy", "ratio", "row_sum"]
    root_id = reading["root_id"].unique()
    assert len(root_id) == 1 and findings.loc[root_id[0], "check"] == "row_sum"
    for finding_id, row in reading.iterrows():
        if finding_id != root_id[0]:
            assert row["suspect_reason"].startswith(f"explained by {root_id[0]}: Wuxi / Number of Valid")
    northern = findings[findings["row_label"].isin(["Northern Jiangsu", "Jiangsu"])]
    pair = {
        _cell(normalised.cells, "Northern Jiangsu", "patents_enterprises"),
        _cell(normalised.cells, "Northern Jiangsu", "valid_invention_patents"),
    }
    explained = northern[northern["suspect_ids"].map(lambda s: bool(set(s.split(";")) & pair))]
    assert len(explained) == 4 and explained["root_id"].nunique() == 1  # four findings, one two-cell cause


def test_single_rule_table_is_ambiguous_with_the_total_first(run):
    edition, normalised, validation = run
    findings = validation.findings
    ic = findings[findings["column"].str.startswith("Cumulative registrations")].iloc[0]
    total = _cell(normalised.cells, "Entire province", "ic_layout_registrations")
    assert ic["confidence"] == "ambiguous" and ic["suspect_ids"] == total
    alternatives = json.loads(ic["alternatives"])
    assert len(alternatives) == 13 and all(a["equally_small"] for a in alternatives)  # any of the 13 cities
    assert ic["suspect_reason"].startswith("ambiguous: 14 equally small explanations")
    # The printed total differs from the cities' sum in one digit: the likeliest typo comes first.
    assert ic["repair_kind"] == "one wrong digit"


def test_findings_count_against_roots(run):
    _, _, validation = run
    findings = validation.findings
    errors = findings[findings["severity"] == "error"]
    assert len(errors) == 18 and errors["root_id"].nunique() == 9


def test_numbers_at_printed_precision(run):
    _, _, validation = run
    growth = validation.findings[validation.findings["check"] == "fact_growth"].iloc[0]
    assert (growth["stated"], growth["expected"], growth["tolerance"]) == (12.32, 11.32, 0.005)


def test_nothing_is_repaired_in_the_cells(run):
    edition, normalised, validation = run
    cells = normalised.cells.assign(status=validation.cell_status.values).set_index("cell_id")
    dropped = _cell(normalised.cells, "Changzhou", "patents_colleges")
    # The misprint keeps its printed value and is flagged by the rules that read it; the fix is a suggestion.
    assert (cells.loc[dropped, "raw"], cells.loc[dropped, "value"]) == ("738", 738.0)
    assert cells.loc[dropped, "status"] == "failed:hierarchy;row_sum"
