"""Publisher profiles measured: what the national office's profile catches on generated tables and series,
and what loading, checking and recognising cost.

    PYTHONPATH=. python bench/profiles.py catches [--seed N] [--trials N]
        national-shape tables (tests/nationalgen.py, ruled and borderless): a city planted above its province,
        a province total planted +10: how many are found, and localised to the planted cell; monthly series
        with cumulative totals planted to fall between two consecutive bulletins (each table consistent, so
        only the comparison can tell) and growth rates planted wrong: how many are found
    PYTHONPATH=. python bench/profiles.py cost
        seconds to load and check each shipped profile, to recognise a document, `whitepaper profile check`
        and `profile draft` on the 2023 paper as subprocesses (wall seconds, peak RSS)

Figures measured on a shared machine are provisional.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME = "/usr/bin/time"


def _errors(validation):
    f = validation.findings
    return f[f["severity"] == "error"]


def catches(seed: int, trials: int) -> None:
    from expectations.editions.edition_rules import Edition
    from expectations.validation import validate_document
    from extractors.reader import extract_document
    from normalise.document import normalise_document
    from tests.nationalgen import CITIES, PROFILE, PROVINCES, NationalTable, monthly_series, render_bulletin
    from tests.nationalgen import ROOT as NATION
    from tests.pdfgen import render_table_pdf
    from tests.regiongen import cell_id, extract_cells, validate_extracted

    rnd = random.Random(seed)
    found = {"city above province": [0, 0, 0], "province total +10": [0, 0, 0], "clean tables": [0, 0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(trials):
            rules = ("grid", "none")[trial % 2]
            order = ("total_first", "total_last")[trial // 2 % 2]
            table = NationalTable.build(rnd, order=order)
            province = rnd.choice([p for p in PROVINCES if CITIES[p]])
            city = rnd.choice(CITIES[province])
            column = rnd.choice(["invention", "utility_model", "design"])
            above = table.value(province, column) + rnd.randint(1, 500)
            city_total = table.value(city, "total") - table.value(city, column) + above
            plants = {
                "clean tables": (table, None),
                "city above province": (
                    table.planted(city, column, f"{above:,}").planted(city, "total", f"{city_total:,}"),
                    (city, column),
                ),
                "province total +10": (
                    table.planted(province, "total", f"{table.value(province, 'total') + 10:,}"),
                    (province, "total"),
                ),
            }
            for name, (planted, where) in plants.items():
                pdf = Path(tmp) / f"t{trial}-{name[:4]}.pdf"
                render_table_pdf(pdf, [planted.spec(rules=rules)])
                extracted = extract_cells(pdf, profile=PROFILE)
                errors = _errors(validate_extracted([extracted], profile=PROFILE))
                counts = found[name]
                counts[0] += 1
                if where is None:
                    counts[1] += errors.empty
                    continue
                target = cell_id(extracted.table_ids[0], planted.position(*where))
                counts[1] += target in set(errors["subject_id"]) | set(errors["suspect_id"])
                if name == "city above province":  # one part_le_whole error stating the city, naming its province
                    counts[2] += (
                        list(errors["check"]) == ["part_le_whole"]
                        and errors.iloc[0]["subject_id"] == target
                        and province in errors.iloc[0]["message"]
                    )
                else:  # one cause (expectations.localise) explains every error: the planted cell alone
                    roots = errors[errors["finding_id"] == errors["root_id"]]
                    counts[2] += errors["root_id"].nunique() == 1 and list(roots["suspect_ids"]) == [target]
        print(f"national-shape tables, seed {seed}, {trials} trials (ruled / borderless, total first / last):")
        how = {
            "city above province": "one part_le_whole error on the city naming its province",
            "province total +10": "localised (one cause: the planted cell)",
        }
        for name, (n, hit, localised) in found.items():
            extra = f", {how[name]} {localised}/{n}" if name in how else ""
            what = "without an error" if name == "clean tables" else "found"
            print(f"  {name}: {what} {hit}/{n}{extra}")

        editions = [(2015, 3), (2016, 2), (2016, 3)]
        series = monthly_series(rnd, editions)
        march, february, year_ago = series[(2016, 3)], series[(2016, 2)], series[(2015, 3)]
        falls = rnd.sample(PROVINCES, 13)
        wrong_growth = rnd.sample([p for p in PROVINCES if p not in falls], 5)
        planted = march
        national = int(march.rows[NATION][3].replace(",", ""))
        for province in falls:  # each below February's running total, the national total lowered with it
            fallen = int(february.rows[province][3].replace(",", "")) - rnd.randint(1, 50)
            national -= int(march.rows[province][3].replace(",", "")) - fallen
            planted = planted.planted(province, 3, f"{fallen:,}")
        planted = planted.planted(NATION, 3, f"{national:,}")
        for province in wrong_growth:
            planted = planted.planted(province, 2, f"{float(march.rows[province][2]) + rnd.choice([-1, 1]) * 2.5:.2f}")
        frames = {}
        for name, bulletin in (("2016-03", planted), ("2016-02", february), ("2015-03", year_ago)):
            pdf = Path(tmp) / f"bulletin-{name}.pdf"
            render_bulletin(pdf, bulletin)
            n = normalise_document(extract_document(pdf), str(pdf))
            frames[name] = (n, Edition(n.doc_id, n.period.year, n.cells, n.facts, n.period))
        cur, cur_edition = frames["2016-03"]
        alone = validate_document(cur.cells, cur.profile, period=cur.period)
        v = validate_document(
            cur.cells,
            cur.profile,
            current=cur_edition,
            previous=frames["2016-02"][1],
            year_ago=frames["2015-03"][1],
            run_name="bench",
        )
        errors = _errors(v)
        caught = set(errors.loc[errors["check"] == "edition_cumulative", "row_label"])
        growth = set(errors.loc[errors["check"] == "edition_growth_column", "row_label"])
        print("monthly bulletins 2015-03, 2016-02, 2016-03 (each table consistent):")
        print(f"  errors in 2016-03 without the other editions: {len(_errors(alone))}")
        print(f"  cumulative totals planted to fall since 2016-02: caught {len(caught & set(falls))}/{len(falls)}")
        print(
            f"  growth rates planted wrong by 2.5 points: caught {len(growth & set(wrong_growth))}/{len(wrong_growth)}"
        )
        print(f"  other errors: {len(errors) - len(caught) - len(growth)}")


def _timed(cmd: list[str]) -> tuple[float, int, int]:
    proc = subprocess.run([TIME, "-f", "%e %M", *cmd], cwd=ROOT, capture_output=True, text=True)
    seconds, kib = proc.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kib) // 1024, proc.returncode


def cost() -> None:
    from normalise.document import table_row_labels
    from normalise.profile import PUBLISHERS_DIR, load_profile
    from normalise.profiles import choose, profile_dirs

    for path in sorted(PUBLISHERS_DIR.glob("*.yaml")):
        started = time.perf_counter()
        load_profile.__wrapped__(path)
        print(f"load and check {path.name}: {1000 * (time.perf_counter() - started):.1f} ms")
    from extractors.reader import extract_document

    extract = extract_document(ROOT / "raw" / "jiangsu-ipr-2023.pdf")
    started = time.perf_counter()
    choice = choose(extract.head_text, table_row_labels(extract), profile_dirs())
    print(
        f"recognise the 2023 paper ({choice.profile.id}, {choice.how}): {1000 * (time.perf_counter() - started):.1f} ms"
    )
    python = sys.executable
    check = [python, "-m", "flows.cli", "profile", "check", *map(str, sorted(PUBLISHERS_DIR.glob("*.yaml")))]
    seconds, mib, code = _timed(check)
    print(f"whitepaper profile check (shipped profiles): {seconds:.2f} s, {mib} MiB, exit {code}")
    with tempfile.TemporaryDirectory() as tmp:
        draft = [python, "-m", "flows.cli", "profile", "draft", "raw/jiangsu-ipr-2023.pdf", "--out", f"{tmp}/d.yaml"]
        seconds, mib, code = _timed(draft)
        print(f"whitepaper profile draft (2023 paper): {seconds:.2f} s, {mib} MiB, exit {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("catches")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--trials", type=int, default=8)
    sub.add_parser("cost")
    args = parser.parse_args()
    if args.what == "catches":
        catches(args.seed, args.trials)
    else:
        cost()


if __name__ == "__main__":
    main()
