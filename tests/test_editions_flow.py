"""Two editions through the flow: the 2023 paper and a generated edition whose file name carries no year.

Three flow runs in one module (the first starts Prefect's temporary server):
  1. `whitepaper run` order reversed (generated edition first): both processed; the generated edition is
     checked again once 2023 is in the history, so it is compared with it;
  2. the scheduled ingestion flow on the raw folder after the generated edition changed: 2023 skipped
     (no task run at all), the changed file processed (its extract task Completed, not Cached);
  3. 2023 re-ingested without skipping: its extract task is Cached, its rows replaced, not duplicated.
"""

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pandas as pd
import pytest

from expectations.editions.edition_rules import Edition as EditionFrames
from expectations.editions.edition_rules import edition_equations
from expectations.validation import validate_document
from flows.cli import EXIT_OK, main
from flows.edition_tasks import previous_edition_task
from flows.flow import whitepaper_flow
from flows.results import STATUS_PROCESSED, STATUS_SKIPPED
from flows.serve import ingest_flow
from flows.tasks import Normalised
from normalise.profile import PUBLISHERS_DIR, load_profile
from publish import history
from tests.edition_gen import Edition, render_edition
from tests.test_edition_rules import FACT_COLUMNS

# Starts Prefect (a flow run) or subprocesses: outside the quick loop (`pytest -m "not slow"`).
pytestmark = pytest.mark.slow

OLD, NEW = "jiangsu-ipr-2023", "jiangsu-ipr-next"
PROFILE = load_profile(PUBLISHERS_DIR / "jiangsu-ipr.yaml")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")
PER10K = "number-of-invention-patents-per-10-000-people-by-region"
IC = "cumulative-number-of-registrations-of-layout-designs-of-integrated-circuits"


def snapshot(out: Path) -> dict:
    with history.connect(history.db_path(out), read_only=True) as con:
        docs = con.execute(
            "SELECT doc_id, year, sha256, processed_at, previous_doc_id FROM documents ORDER BY doc_id"
        ).fetchall()
        rows = {
            t: dict(con.execute(f'SELECT doc_id, count(*) FROM "{t}" GROUP BY doc_id').fetchall())
            for t in ("tables", "cells", "findings")
        }
        distinct = con.execute("SELECT count(DISTINCT (doc_id, cell_id)) FROM cells").fetchone()[0]
        total = con.execute(
            "SELECT value FROM cells_by_edition WHERE doc_id = ? AND region = 'Jiangsu' "
            "AND column_key = 'valid_invention_patents'",
            [NEW],
        ).fetchone()[0]
    return {"documents": {d[0]: d[1:] for d in docs}, "rows": rows, "distinct_cells": distinct, "new_total": total}


@pytest.fixture(scope="module")
def runs(fixture_pdf, tmp_path_factory, prefect_api):
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("out")
    old_pdf, new_pdf = raw / f"{OLD}.pdf", raw / f"{NEW}.pdf"
    shutil.copy(fixture_pdf, old_pdf)
    first = Edition(2024, marker=f"test edition {uuid.uuid4()}")  # a new file each session: never in the cache
    render_edition(new_pdf, first)
    run1 = {r.doc_id: r for r in whitepaper_flow([str(new_pdf), str(old_pdf)], out_dir=str(out))}
    after1 = snapshot(out)
    findings1 = json.loads((out / NEW / "findings.json").read_text())
    checks1 = pd.read_csv(out / NEW / "checks.csv", keep_default_na=False).set_index("check")
    cells1 = pd.read_csv(out / NEW / "cells.csv", keep_default_na=False)

    second = Edition(2024, growth=1.12, marker=f"test edition {uuid.uuid4()}")
    render_edition(new_pdf, second)
    run2 = {r.doc_id: r for r in ingest_flow(str(raw), str(out))}
    after2 = snapshot(out)
    run3 = {r.doc_id: r for r in whitepaper_flow([str(old_pdf)], out_dir=str(out))}
    after3 = snapshot(out)
    return dict(
        out=out,
        first=first,
        second=second,
        run1=run1,
        run2=run2,
        run3=run3,
        after1=after1,
        after2=after2,
        after3=after3,
        findings1=findings1,
        checks1=checks1,
        cells1=cells1,
    )


def test_both_editions_are_in_the_history_once_with_the_year_read_from_the_document(runs):
    after1 = runs["after1"]
    assert {d: v[0] for d, v in after1["documents"].items()} == {OLD: 2023, NEW: 2024}
    assert after1["rows"]["cells"] == {OLD: 158, NEW: 158}
    assert after1["rows"]["tables"] == {OLD: 2, NEW: 2}
    assert after1["distinct_cells"] == 316
    assert after1["new_total"] == runs["first"].province_total


def test_an_edition_processed_before_its_predecessor_is_compared_once_it_arrives(runs):
    assert runs["run1"][NEW].previous_doc_id == OLD
    assert runs["run1"][OLD].previous_doc_id == ""
    assert runs["after1"]["documents"][NEW][3] == OLD


def test_changed_file_is_reprocessed_and_unchanged_one_skipped(runs):
    run1, run2, run3 = runs["run1"], runs["run2"], runs["run3"]
    assert run1[OLD].extract_state in ("Completed", "Cached")  # the 2023 paper may be cached from another test
    assert (run2[OLD].status, run2[OLD].extract_state) == (STATUS_SKIPPED, "")  # not even hashed by a task
    assert (run2[NEW].status, run2[NEW].extract_state) == (STATUS_PROCESSED, "Completed")
    assert (run3[OLD].status, run3[OLD].extract_state) == (STATUS_PROCESSED, "Cached")
    assert run2[OLD].findings == run1[OLD].findings  # a skipped edition reports its recorded counts
    assert run1[OLD].findings["error"] >= 2
    before, skipped, again = (runs[k]["documents"][OLD] for k in ("after1", "after2", "after3"))
    assert skipped == before  # the skipped edition's row was not rewritten
    assert again[2] > before[2]  # re-ingested: processed_at moved on


def test_reingesting_replaces_rows_without_duplicates(runs):
    for key in ("after2", "after3"):
        state = runs[key]
        assert state["rows"]["cells"] == {OLD: 158, NEW: 158}
        assert state["rows"]["tables"] == {OLD: 2, NEW: 2}
        assert state["distinct_cells"] == 316
        assert set(state["documents"]) == {OLD, NEW}
    assert runs["after2"]["new_total"] == runs["second"].province_total != runs["first"].province_total
    assert runs["after2"]["documents"][NEW][1] != runs["after1"]["documents"][NEW][1]  # new sha256


def test_cross_edition_findings_of_the_flow(runs):
    found = {
        (f["check"], f["severity"], f["table_id"], f["row_label"], f["column"], f["stated"], round(f["expected"], 2))
        for f in runs["findings1"]
        if f["check"].startswith("edition_")
    }
    assert found == {
        (
            "edition_cumulative",
            "error",
            IC,
            "Suqian",
            "Cumulative registrations of layout designs of integrated circuits",
            15.0,
            17.0,
        ),
        ("edition_jump", "warning", PER10K, "Suqian", "Valid Invention Patent Quantity / Enterprises", 11445.0, 4162.0),
        ("edition_jump", "warning", PER10K, "Suqian", "Number of Valid Invention Patents", 11804.0, 4488.0),
        ("edition_jump", "warning", PER10K, "Suqian", "Invention Patent Ownership per 10,000 People", 23.61, 9.02),
        # The generated prose says "up 15.00% year on year" for patents per 10,000 people: 68.84 against the
        # 2023 paper's 62.15 is +10.76%. Its "589,084 ..., an increase of 59,899, up 11.32%" agrees: no finding.
        ("edition_growth", "error", "", "Jiangsu", "invention patents per 10,000 people", 15.0, 10.76),
    }
    checks = runs["checks1"]
    assert {
        c: (checks.loc[c, "items"], checks.loc[c, "fails"])
        for c in ("edition_growth", "edition_change", "edition_cumulative")
    } == {"edition_growth": (2, 1), "edition_change": (1, 0), "edition_cumulative": (14, 1)}  # 13 cities + province
    assert (checks.loc["edition_jump", "fails"], checks.loc["edition_jump", "items"] > 100) == (3, True)
    status = runs["cells1"].set_index("raw")["status"]
    assert (status["11,445"], status["15"], status["4,058"]) == (
        "failed:edition_jump",
        "failed:edition_cumulative",
        "ok",
    )
    assert set(
        pd.read_csv(runs["out"] / OLD / "checks.csv").set_index("check").filter(like="edition_", axis=0)["items"]
    ) == {0}


def generated_facts(edition: Edition) -> pd.DataFrame:
    """The facts the prose extractor gives for the generated edition's two year-on-year sentences."""
    s1, s2 = edition.sentences
    total, change = edition.province_total, edition.province_total - 529185
    rows = [
        dict(
            fact_id="F1",
            page=2,
            sentence=s1,
            raw=f"{total:,}",
            value=float(total),
            unit="piece",
            kind="count",
            metric="valid invention patents",
            subject="Jiangsu",
            period="2024",
            role="level",
            group="gF1",
        ),
        dict(
            fact_id="F2",
            page=2,
            sentence=s1,
            raw=f"{change:,}",
            value=float(change),
            unit="piece",
            kind="change",
            metric="valid invention patents",
            subject="Jiangsu",
            period="2024",
            role="change",
            group="gF1",
        ),
        dict(
            fact_id="F3",
            page=2,
            sentence=s1,
            raw=f"{edition.total_growth:.2f}%",
            value=edition.total_growth,
            unit="percent",
            kind="growth_rate",
            metric="valid invention patents",
            subject="Jiangsu",
            period="2024",
            role="growth",
            group="gF1",
        ),
        dict(
            fact_id="F4",
            page=2,
            sentence=s2,
            raw=f"{edition.province_per_10k:.2f}",
            value=edition.province_per_10k,
            unit="piece per 10,000 persons",
            kind="per_base",
            metric="invention patents per 10,000 people",
            subject="Jiangsu",
            period="",
            role="level",
            group="gF4",
        ),
        dict(
            fact_id="F5",
            page=2,
            sentence=s2,
            raw=f"{edition.per_10k_growth_printed:.2f}%",
            value=edition.per_10k_growth_printed,
            unit="percent",
            kind="growth_rate",
            metric="invention patents per 10,000 people",
            subject="Jiangsu",
            period="",
            role="growth",
            group="gF4",
        ),
    ]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def test_prose_growth_from_hand_built_facts_against_the_history(runs):
    """The same statements as hand-built facts (the facts schema), the previous edition read from the
    history database: the wrong growth rate is flagged, the consistent growth and change are not."""
    out, second = runs["out"], runs["second"]
    db = history.db_path(out)
    new_cells = history.load_frames(db, NEW)["cells"].drop(columns=["status"])
    facts = generated_facts(second)
    normalised = Normalised(
        doc_id=NEW,
        document={"doc_id": NEW, "publisher": "jiangsu-ipr", "year": 2024},
        tables=pd.DataFrame(),
        cells=new_cells,
        facts=facts,
        profile=PROFILE,
    )
    context = previous_edition_task.fn(normalised, str(out))  # how the flow wires it when facts are present
    assert context.previous_doc_id == OLD
    prose = [e for e in context.equations if e.fact_id]
    assert sorted(e.rule_id for e in prose) == ["edition_change:F2", "edition_growth:F3", "edition_growth:F5"]

    validation = validate_document(
        new_cells,
        PROFILE,
        extra_equations=context.equations,
        extra_intervals=context.intervals,
        extra_labels=context.labels,
        run_name="prose",
    )
    flagged = validation.findings[validation.findings["fact_id"] != ""]
    assert flagged[["check", "severity", "fact_id", "stated"]].values.tolist() == [
        ["edition_growth", "error", "F5", 15.0]
    ]
    assert round(flagged["expected"].iloc[0], 2) == round((second.province_per_10k / 62.15 - 1) * 100, 2)
    summary = validation.summary.set_index("check")
    assert (summary.loc["edition_growth", "items"], summary.loc["edition_growth", "fails"]) == (2, 1)
    assert (summary.loc["edition_change", "items"], summary.loc["edition_change", "fails"]) == (1, 0)

    # The same statements checked with the pure function give the same outcome.
    current = EditionFrames(NEW, 2024, new_cells, facts)
    previous = EditionFrames(OLD, 2023, history.load_frames(db, OLD)["cells"])
    outcome = {e.rule_id: e for e in edition_equations(current, previous, PROFILE).equations if e.fact_id}
    assert set(outcome) == {e.rule_id for e in prose}


@pytest.mark.parametrize("doc_id", [OLD, NEW])
def test_frictionless_validate_accepts_the_published_package(runs, doc_id):
    folder = runs["out"] / doc_id
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    assert (done.returncode, report["valid"]) == (0, True), done.stdout[-2000:]
    assert sorted(t["name"] for t in report["tasks"]) == ["cells", "checks", "facts", "findings", "tables"]
    csv = pd.read_csv(folder / "cells.csv", keep_default_na=False)
    parquet = pd.read_parquet(folder / "cells.parquet")
    assert parquet["status"].tolist() == csv["status"].tolist()
    assert parquet["cell_id"].tolist() == csv["cell_id"].tolist()


def test_status_lists_both_editions(runs, capsys):
    assert main(["status", "--out", str(runs["out"])]) == EXIT_OK
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[:2] for line in lines] == [[OLD, "2023"], [NEW, "2024"]]
    counts = runs["run3"][OLD].findings
    assert lines[0].endswith(", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info")))
    assert lines[1].endswith(f"; compared with {OLD}")
