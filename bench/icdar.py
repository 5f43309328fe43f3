"""Score `whitepaper tables` on the ICDAR 2013 table competition set and record it in bench/RESULTS.md.

    PYTHONPATH=. python bench/icdar.py                      # full set, writes bench/RESULTS.md
    PYTHONPATH=. python bench/icdar.py --subset us --limit 5 --no-write    # quick look

Runs the shared scorer (../shared/icdar2013/score.py, or $ICDAR_DATA/score.py) in place, one
process per PDF exactly as the baselines were run, and divides wall time by the true page count
(238 for the full set; the scorer's own fallback page counter over-counts some files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


def data_dir() -> Path:
    env = os.environ.get("ICDAR_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "icdar2013"


def command() -> str:
    return (
        f"cd {shlex.quote(str(ROOT))} && PYTHONPATH={shlex.quote(str(ROOT))} "
        f"{shlex.quote(sys.executable)} -m flows.cli tables {{pdf}} --format json"
    )


def run_scorer(args: argparse.Namespace, raw_dir: str) -> dict:
    out = Path(raw_dir) / "result.json"
    cmd = [
        sys.executable,
        str(data_dir() / "score.py"),
        "--cmd",
        command(),
        "--out",
        str(out),
        "--raw-dir",
        raw_dir,
        "--quiet",
        "--label",
        "whitepaper tables",
    ]
    if args.subset:
        cmd += ["--subset", args.subset]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    subprocess.run(cmd, check=True)
    return json.loads(out.read_text())


def true_pages(result: dict) -> int:
    import pdfplumber

    total = 0
    for doc in result["documents"]:
        sub = doc["subset"]
        with pdfplumber.open(data_dir() / sub / f"{doc['doc']}.pdf") as pdf:
            total += len(pdf.pages)
    return total


def stitched_tables(result: dict) -> list[str]:
    """Tables the extractor outputs as continued across pages (re-read in this process by the reader
    `whitepaper tables` uses)."""
    sys.path.insert(0, str(ROOT))
    from extractors.reader import extract_document

    out = []
    for doc in result["documents"]:
        for t in extract_document(data_dir() / doc["subset"] / f"{doc['doc']}.pdf", prose=False).tables:
            if t.page_last != t.page_first:
                out.append(f"{doc['doc']} p{t.page_first}-{t.page_last}")
    return out


def fixture_check() -> str:
    """Every cell of the white paper fixture against its truth file, as one line."""
    truth_path = ROOT.parent / "shared" / "truth" / "jiangsu-ipr-2023.truth.json"
    if not truth_path.exists():
        return f"truth file not found at {truth_path}"
    sys.path.insert(0, str(ROOT))
    from extractors.reader import extract_document

    truth = json.loads(truth_path.read_text())["tables"]
    tables = extract_document(ROOT / "raw" / "jiangsu-ipr-2023.pdf", prose=False).tables
    same = [t.header == truth[k]["header"] and t.body == truth[k]["rows"] for t, k in zip(tables, ("per10k", "ic"))]
    cells = sum(len(r) for k in ("per10k", "ic") for r in truth[k]["header"] + truth[k]["rows"])
    verdict = "every cell equal" if len(tables) == 2 and all(same) else "MISMATCH"
    return f"{len(tables)} tables, {verdict} ({cells} cells)"


def summarise(runs: list[dict], pages: int) -> dict:
    s = runs[0]["summary"]
    walls = [r["summary"]["wall_s"] for r in runs]
    return {
        **s,
        "pages_true": pages,
        "wall_runs": walls,
        "sec_per_page_true": round(statistics.median(walls) / pages, 4),
    }


def baseline_rows() -> list[tuple[str, dict]]:
    path = data_dir() / "baselines.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    return list(data["baselines"].items())


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"unknown ({exc})"


def fmt(v) -> str:
    return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def write_results(s: dict, args: argparse.Namespace, stitched: list[str], load: tuple) -> str:
    lines = [
        "# ICDAR 2013 table competition: `whitepaper tables` against the baselines",
        "",
        f"Measured {dt.datetime.now().isoformat(timespec='minutes')} at commit {git_commit()} on "
        f"{platform.platform()} ({os.cpu_count()} cores; load average before/after "
        f"{load[0]:.2f}/{load[1]:.2f}: other work shared the machine). Same settings for every file.",
        "",
        f"Command: `PYTHONPATH=. python bench/icdar.py{' --repeat ' + str(args.repeat) if args.repeat > 1 else ''}` "
        f'(runs `{data_dir() / "score.py"}` with `--cmd "{command()}"`, one process per PDF).',
        "",
        "| extractor | rel_P | rel_R | rel_F1 | strict P | strict F1 | numeric recall | table recall "
        "| spurious tables | s/page |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| **whitepaper tables** | {fmt(s['rel_P'])} | {fmt(s['rel_R'])} | **{fmt(s['rel_F1'])}** | "
        f"{fmt(s['rel_P_strict'])} | **{fmt(s['rel_F1_strict'])}** | **{fmt(s['numeric_recall'])}** | "
        f"{fmt(s['table_recall'])} | {s['unmatched_det_tables']} | **{fmt(s['sec_per_page_true'])}** |",
    ]
    for name, b in baseline_rows():
        lines.append(
            f"| {name} | {fmt(b.get('rel_P'))} | {fmt(b.get('rel_R'))} | {fmt(b.get('rel_F1'))} | "
            f"{fmt(b.get('rel_P_strict'))} | {fmt(b.get('rel_F1_strict'))} | "
            f"{fmt(b.get('numeric_recall'))} | {fmt(b.get('table_recall'))} | "
            f"{b.get('unmatched_det_tables', '–')} | {fmt(b.get('sec_per_page'))} |"
        )
    lines += [
        "",
        f"- Documents {s['documents']}, pages {s['pages_true']} (the scorer's fallback page counter says "
        f"{s['counts']['pages']}; its printed s/page {s['sec_per_page']} divides by that), "
        f"errors {s['errors']}.",
        f"- Wall seconds per run (process start included): {', '.join(f'{w:.1f}' for w in s['wall_runs'])}; "
        f"s/page above is the median / {s['pages_true']} pages.",
        f"- Relations: {s['counts']['correct']} correct of {s['counts']['gt_rel']} in the ground truth; "
        f"{s['counts']['det_rel_matched']} detected in matched tables, {s['counts']['det_rel']} in all.",
        f"- Per-table macro F1 {fmt(s['table_macro_F1'])}, per-table numeric recall "
        f"{fmt(s['table_macro_numeric_recall'])}.",
        f"- Tables output as stitched across pages: {len(stitched)} {stitched} "
        "(ICDAR scores each page part separately, so "
        "a stitched table can only match its first page; stitching requires the strong evidence "
        "described in `extractors/tables/stitch.py`).",
        "",
    ]
    lines += [
        f"White paper fixture (`raw/jiangsu-ipr-2023.pdf` against `../shared/truth`): {fixture_check()}.",
        "",
        "Notes",
        "- rel_P/rel_R/rel_F1 are the scorer's micro-averaged ICDAR 2013 adjacency relations over matched "
        "tables; strict P/F1 divide by every detected relation, so spurious tables and duplicates count.",
        "- s/page is wall time of one process per PDF (interpreter start and imports included) over the "
        "true page count, like the baselines; it varies with the load other work puts on the machine.",
        "- Nothing is keyed to a document: `TableSettings()` defaults for every file, no names or pages.",
        "",
    ]
    text = "\n".join(lines)
    if not args.no_write:
        RESULTS.write_text(text + _other_sections())
    return text


def _other_sections() -> str:
    """What bench/RESULTS.md holds after this script's own section (other benches' figures), kept."""
    if not RESULTS.exists():
        return ""
    kept = RESULTS.read_text().splitlines(keepends=True)
    starts = [i for i, line in enumerate(kept) if line.startswith("# ")]
    return "\n" + "".join(kept[starts[1] :]) if len(starts) > 1 else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subset")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--repeat", type=int, default=1, help="timing runs (scores come from the first)")
    ap.add_argument("--no-write", action="store_true", help="print, do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    if not (data_dir() / "score.py").exists():
        print(f"ICDAR 2013 data not found at {data_dir()} (set ICDAR_DATA)", file=sys.stderr)
        return 2
    load0 = os.getloadavg()[0]
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as raw:
            runs.append(run_scorer(args, raw))
    load1 = os.getloadavg()[0]
    summary = summarise(runs, true_pages(runs[0]))
    stitched = stitched_tables(runs[0])
    print(write_results(summary, args, stitched, (load0, load1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
