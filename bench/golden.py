"""Behaviour-unchanged check: run `whitepaper run` over a set of PDFs and compare the published CSVs
(cells, findings, checks, facts, tables) with a snapshot saved earlier.

    python bench/golden.py collect DIR...      # copy every *.pdf under DIR (e.g. a pytest --basetemp)
                                               # into bench/out/golden-inputs/, named by content hash
    python bench/golden.py save NAME           # run the pipeline on the inputs, keep the CSVs as NAME
    python bench/golden.py compare OLD NEW     # file-by-file comparison of two snapshots
           [--new-checks a,b]                  # checks declared since OLD: their 0-item rows in checks.csv ignored

Inputs are run twice: once with profile recognition, once with `--profile` forced to the test
profile (tests/fixtures/xland-profile.yaml), each batch into its own output folder, so that both the
recognised and the forced-profile paths are compared. The order of a batch is the sorted file name,
so the history (cross-edition checks) is the same in every snapshot.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "out"
INPUTS = WORK / "golden-inputs"
COMPARED = ("cells.csv", "findings.csv", "checks.csv", "facts.csv", "tables.csv")
BATCHES = {"recognised": [], "xland": ["--profile", str(ROOT / "tests" / "fixtures" / "xland-profile.yaml")]}
# Real problem PDFs, read in place (never copied): a third batch when the folder is there.
BADPDFS = Path(os.environ.get("WHITEPAPER_SHARED") or ROOT.parent / "shared") / "badpdfs"


def collect(dirs: list[str]) -> None:
    INPUTS.mkdir(parents=True, exist_ok=True)
    seen = {p.name for p in INPUTS.glob("*.pdf")}
    added = 0
    for folder in [ROOT / "raw", *map(Path, dirs)]:
        for pdf in sorted(folder.rglob("*.pdf")):
            data = pdf.read_bytes()
            if not data.startswith(b"%PDF-"):
                continue  # the bad-input tests' files: rejected either way, nothing to compare
            name = f"{pdf.stem[:40]}-{hashlib.sha256(data).hexdigest()[:10]}.pdf"
            if name not in seen:
                (INPUTS / name).write_bytes(data)
                seen.add(name)
                added += 1
    print(f"{added} new PDFs, {len(seen)} in {INPUTS}")


def save(name: str) -> None:
    snapshot = WORK / "golden" / name
    shutil.rmtree(snapshot, ignore_errors=True)
    batches = {batch: (sorted(str(p) for p in INPUTS.glob("*.pdf")), extra) for batch, extra in BATCHES.items()}
    if BADPDFS.is_dir():
        batches["badpdfs"] = ([str(BADPDFS)], [])
    for batch, (files, extra) in batches.items():
        out = WORK / "golden-runs" / name / batch
        shutil.rmtree(out, ignore_errors=True)
        proc = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", *files, "--out", str(out), "--refresh", *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        print(f"{batch}: exit {proc.returncode}, {len(files)} inputs")
        if proc.stderr.strip():
            print(proc.stderr.strip()[-2000:])
        for folder in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for file in COMPARED:
                if (folder / file).is_file():
                    target = snapshot / batch / folder.name / file
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(folder / file, target)
    print(f"saved {snapshot}")


def _same(a: Path, b: Path, ignore_checks: frozenset[str]) -> bool:
    """Byte-identical, or, for checks.csv, identical once the rows of newly declared checks that
    evaluated nothing are left out of the new file (a check added by a change lists 0 items everywhere)."""
    if filecmp.cmp(a, b, shallow=False):
        return True
    if a.name != "checks.csv" or not ignore_checks:
        return False
    kept = [
        line
        for line in b.read_text(encoding="utf-8").splitlines(keepends=True)
        if not any(line.startswith(f"{check},") and _zero_items(line) for check in ignore_checks)
    ]
    return "".join(kept) == a.read_text(encoding="utf-8")


def _zero_items(line: str) -> bool:
    import csv

    row = next(csv.reader([line]))
    return len(row) > 4 and row[3:7] == ["0", "0", "0", "0"]


def compare(old: str, new: str, ignore_checks: frozenset[str] = frozenset()) -> int:
    a, b = WORK / "golden" / old, WORK / "golden" / new
    files_a = {p.relative_to(a) for p in a.rglob("*.csv")}
    files_b = {p.relative_to(b) for p in b.rglob("*.csv")}
    differ = sorted(f for f in files_a & files_b if not _same(a / f, b / f, ignore_checks))
    only_a, only_b = sorted(files_a - files_b), sorted(files_b - files_a)
    for f in differ:
        print(f"differs: {f}")
    for f in only_a:
        print(f"only in {old}: {f}")
    for f in only_b:
        print(f"only in {new}: {f}")
    same = len(files_a & files_b) - len(differ)
    print(f"{same} identical, {len(differ)} different, {len(only_a)} only in {old}, {len(only_b)} only in {new}")
    return 1 if differ or only_a or only_b else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("collect").add_argument("dirs", nargs="*")
    sub.add_parser("save").add_argument("name")
    p = sub.add_parser("compare")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument(
        "--new-checks",
        default="",
        help="comma-separated checks declared since OLD: their rows in NEW's checks.csv are ignored when they "
        "evaluated nothing (items, passes, fails, undecided all 0)",
    )
    args = parser.parse_args(argv)
    if args.cmd == "collect":
        collect(args.dirs)
        return 0
    if args.cmd == "save":
        save(args.name)
        return 0
    return compare(args.old, args.new, frozenset(c for c in args.new_checks.split(",") if c))


if __name__ == "__main__":
    sys.exit(main())
