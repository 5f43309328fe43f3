"""Show, for one ICDAR 2013 document, each ground-truth table beside the extracted one.

    PYTHONPATH=. python bench/diagnose.py us-025 [--page 3] [--missing]

Reads the data set in place (../shared/icdar2013 or $ICDAR_DATA) and its scorer; prints grids as
text and the relations that were missed (-) or spurious (+) for each matched pair.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    env = os.environ.get("ICDAR_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "icdar2013"


def load_scorer():
    spec = importlib.util.spec_from_file_location("icdar_score", data_dir() / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gt_rows(cells: list[dict]) -> list[list[str]]:
    n_r = max(c["r1"] for c in cells) + 1
    n_c = max(c["c1"] for c in cells) + 1
    rows = [[""] * n_c for _ in range(n_r)]
    for c in cells:
        rows[c["r0"]][c["c0"]] = c["text"].replace("\n", " ")
    return rows


def show(rows: list[list[str]], width: int = 14) -> None:
    for r in rows:
        print(" | ".join((t[:width]).ljust(width) for t in r))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("doc")
    ap.add_argument("--page", type=int)
    ap.add_argument("--width", type=int, default=14)
    ap.add_argument("--relations", action="store_true")
    args = ap.parse_args(argv)
    score = load_scorer()
    sub = args.doc.split("-")[0]
    pdf = data_dir() / sub / f"{args.doc}.pdf"
    units = score.parse_gt(str(data_dir() / sub / f"{args.doc}-str.xml"))
    sys.path.insert(0, str(ROOT))
    from extractors.reader import extract_document

    tables = [t.to_json() for t in extract_document(pdf, prose=False).tables]
    pages = sorted({u["page"] for u in units} | {t["page"] for t in tables})
    for p in pages:
        if args.page and p != args.page:
            continue
        for u in [u for u in units if u["page"] == p]:
            print(f"=== GT page {p} table {u['table']}")
            show(gt_rows(u["cells"]), args.width)
        for t in [t for t in tables if t["page"] == p]:
            print(f"=== OURS page {p} header_rows={t['header_rows']} title={t['title'][:60]!r}")
            show(t["rows"], args.width)
            if args.relations:
                det = score.relations_from_cells(score.cells_from_rows(t["rows"]))
                best = max(
                    (score.relations_from_cells(u["cells"]) for u in units if u["page"] == p),
                    key=lambda g: sum((g & det).values()),
                    default=None,
                )
                if best is not None:
                    for rel in sorted((best - det).elements()):
                        print("  -", rel)
                    for rel in sorted((det - best).elements()):
                        print("  +", rel)


if __name__ == "__main__":
    main()
