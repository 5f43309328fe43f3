"""Profiles and periods through `whitepaper run` (one flow run): three monthly bulletins of the national office
compared as a series (the previous month and the same month a year earlier, from the history), a table
recognised by a profile in a user folder (`--profiles`), and one that no profile matches (said in the
summary line, document.json and the report)."""

import contextlib
import io
import json
import random
import shutil

import pandas as pd
import pytest

from flows.cli import EXIT_OK, main
from publish import history
from tests.nationalgen import ROOT, monthly_series, render_bulletin
from tests.pdfgen import TableSpec, render_table_pdf

pytestmark = pytest.mark.slow  # a Prefect flow run

LAND_PROFILE = """\
format: 2
id: land-stats
hierarchy:
  levels: [country, county]
  root: {name: Land, children: [Northshire, Southshire, Westshire]}
tables:
  - id: all
    columns:
      - {id: farms, match: ["farms"], unit: farm}
      - {id: county, match: ["county"], kind: label}
"""


def number(raw: str) -> int:
    return int(raw.replace(",", ""))


@pytest.fixture(scope="module")
def run(tmp_path_factory, fixture_pdf):
    raw, out, mine = (tmp_path_factory.mktemp(n) for n in ("raw", "out", "mine"))
    series = monthly_series(random.Random(5), [(2015, 3), (2016, 2), (2016, 3)])
    march, february = series[(2016, 3)], series[(2016, 2)]
    fallen = number(february.rows["Hebei"][3]) - 3
    national = number(march.rows[ROOT][3]) - (number(march.rows["Hebei"][3]) - fallen)
    march = march.planted("Hebei", 3, f"{fallen:,}").planted(ROOT, 3, f"{national:,}")
    march = march.planted("Yunnan", 2, f"{float(march.rows['Yunnan'][2]) - 4:.2f}")
    for bulletin in (series[(2015, 3)], february, march):
        render_bulletin(raw / f"cnipa-{bulletin.year}-{bulletin.month:02d}.pdf", bulletin, rules="grid")
    body = [["Northshire", "120"], ["Southshire", "80"], ["Westshire", "40"], ["Land", "240"]]
    render_table_pdf(raw / "land.pdf", [TableSpec([["County", "Farms"]], body, title="Farms by County")])
    bakery = [["Bread", "12"], ["Cakes", "7"], ["Total", "19"]]
    render_table_pdf(raw / "bakery.pdf", [TableSpec([["Product", "Sold"]], bakery, title="Sales <b>by</b> product")])
    (mine / "land.yaml").write_text(LAND_PROFILE, encoding="utf-8")
    shutil.copy(fixture_pdf, raw / "jiangsu-ipr-2023.pdf")
    files = sorted(str(p) for p in raw.glob("*.pdf"))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["run", *files, "--out", str(out), "--profiles", str(mine)])
    lines = {line.partition(" -> ")[0]: line for line in printed.getvalue().splitlines() if " -> " in line}
    return {"code": code, "out": out, "raw": raw, "lines": lines}


def document(run, stem: str) -> dict:
    return json.loads((run["out"] / stem / "document.json").read_text())


def errors(run, stem: str) -> list[tuple[str, str]]:
    findings = pd.read_csv(run["out"] / stem / "findings.csv", keep_default_na=False)
    found = findings[findings["severity"] == "error"]
    return sorted(zip(found["check"], found["row_label"]))


def test_monthly_bulletins_are_compared_with_the_previous_month_and_the_same_month_a_year_earlier(run):
    assert run["code"] == EXIT_OK
    assert errors(run, "cnipa-2016-03") == [("edition_cumulative", "Hebei"), ("edition_growth_column", "Yunnan")]
    assert errors(run, "cnipa-2016-02") == [] and errors(run, "cnipa-2015-03") == []
    doc = document(run, "cnipa-2016-03")
    assert (doc["publisher"], doc["period"], doc["series"], doc["year"]) == ("cnipa", "2016-03", "monthly", 2016)
    assert doc["profile"]["how"] == "phrase" and "'Patent Statistics Monthly'" in doc["profile"]["evidence"]
    with history.connect(history.db_path(run["out"]), read_only=True) as con:
        rows = con.execute(
            "SELECT doc_id, period, series, previous_doc_id, year_ago_doc_id FROM documents "
            "WHERE publisher = 'cnipa' ORDER BY doc_id"
        ).fetchall()
    assert rows == [
        ("cnipa-2015-03", "2015-03", "monthly", "", ""),
        ("cnipa-2016-02", "2016-02", "monthly", "cnipa-2015-03", ""),
        ("cnipa-2016-03", "2016-03", "monthly", "cnipa-2016-02", "cnipa-2015-03"),
    ]


def test_a_profile_in_a_user_folder_is_found(run):
    doc = document(run, "land")
    assert (doc["publisher"], doc["profile"]["how"]) == ("land-stats", "content")
    assert doc["profile"]["source"].endswith("land.yaml")
    checks = pd.read_csv(run["out"] / "land" / "checks.csv").set_index("check")
    assert (checks.loc["hierarchy", "items"], checks.loc["hierarchy", "passes"]) == (1, 1)


def test_no_profile_matched_is_said_in_document_json_and_the_report(run):
    doc = document(run, "bakery")
    assert doc["publisher"] == "" and doc["profile"]["how"] == "none"
    assert doc["profile"]["note"].startswith("no publisher profile matched (no recognition phrase in the first pages")
    line = run["lines"][str(run["raw"] / "bakery.pdf")]
    assert line.endswith(f"(0 error, 0 warning, 0 info; {doc['profile']['note']})")
    assert doc["warnings"] == []  # a note, not a warning about the file
    assert "no publisher profile matched" not in run["lines"][str(run["raw"] / "land.pdf")]
    report = (run["out"] / "bakery" / "report.html").read_text()
    assert doc["profile"]["note"].replace("`", "&#96;") in report or doc["profile"]["note"] in report
    assert "<b>by</b>" not in report  # the title from the PDF is escaped
    checks = pd.read_csv(run["out"] / "bakery" / "checks.csv").set_index("check")
    assert checks.loc["number_format", "items"] > 0 and checks.loc["hierarchy", "items"] == 0
    # The 2023 paper is still its publisher's, by its phrases.
    assert document(run, "jiangsu-ipr-2023")["profile"]["how"] == "phrase"
