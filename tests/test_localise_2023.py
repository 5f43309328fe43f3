"""Error localisation on the 2023 paper (the fixture PDF): the province row 103 below its regions is one
cause, the province row's numbers (with its ratio and the prose restating them), not a typo, with the
next-smallest alternative listed; each of the two prose anomalies is one cause."""

from __future__ import annotations

import json

import pytest

from expectations.validation import validate_document

PER10K = "number-of-invention-patents-per-10-000-people-by-region"


@pytest.fixture(scope="module")
def findings(fixture_cells, fixture_facts, jiangsu_profile):
    return validate_document(fixture_cells[0], jiangsu_profile, facts=fixture_facts).findings


def test_the_103_gap_is_one_cause_in_the_province_row(findings):
    gap = findings[findings["check"] == "hierarchy"]
    assert set(gap["difference"]) == {-103}
    assert gap["root_id"].nunique() == 1
    root = findings[findings["finding_id"] == gap["root_id"].iloc[0]].iloc[0]
    suspects = root["suspect_ids"].split(";")
    province = {f"{PER10K}:r18:c3", f"{PER10K}:r18:c7", f"{PER10K}:r18:c4"}  # total, enterprises, per 10,000
    assert province <= set(suspects)
    # The rest restate or derive from those numbers in the prose: 529,185, 390,125, 62.15 (twice), two shares.
    assert {s for s in suspects if s not in province} == {
        "s0074.2",
        "s0074.7",
        "s0064.2",
        "s0075.2",
        "s0074.4",
        "s0074.8",
    }
    values = dict(zip(suspects, root["suggested_values"].split(";")))
    assert (values[f"{PER10K}:r18:c3"], values[f"{PER10K}:r18:c7"], values[f"{PER10K}:r18:c4"]) == (
        "529288",
        "390228",
        "62.16",
    )
    kinds = dict(zip(suspects, root["repair_kind"].split(";")))
    assert kinds[f"{PER10K}:r18:c3"] == kinds[f"{PER10K}:r18:c7"] == "unexplained"  # no typo gives 103
    assert root["confidence"] == "medium"
    alternatives = json.loads(root["alternatives"])
    assert len(alternatives) == 1 and not alternatives[0]["equally_small"]  # the next-smallest, listed
    assert "next-smallest alternative" in root["suspect_reason"]


def test_each_prose_anomaly_is_one_cause(findings):
    prose = findings[findings["check"].isin(["fact_growth", "fact_rate"])]
    assert list(prose["root_id"]) == list(prose["finding_id"])  # each its own root
    growth = prose[prose["check"] == "fact_growth"].iloc[0]
    rate = prose[prose["check"] == "fact_rate"].iloc[0]
    # 12.00% is tested against the sentence's own change and level now: the rate is the cheapest fix.
    assert (growth["suspect_ids"], growth["suggested_values"], growth["repair_kind"]) == (
        "s0052.4",
        "8.41",
        "unexplained",
    )
    assert (rate["suspect_ids"], rate["suggested_values"]) == ("s0111.3", "20.84")
    assert growth["alternatives"] and rate["alternatives"]


def test_roots_against_findings(findings):
    errors = findings[findings["severity"] == "error"]
    assert len(errors) == 4 and errors["root_id"].nunique() == 3
