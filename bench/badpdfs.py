"""Time and memory on the 28 problematic PDFs of ../shared/badpdfs (read in place, never copied).

    PYTHONPATH=. python bench/badpdfs.py batch       # `whitepaper run` over all of them, one process
    PYTHONPATH=. python bench/badpdfs.py files       # each file alone: outcome, seconds, peak RSS
    PYTHONPATH=. python bench/badpdfs.py manypages   # the 186-page file: plain pdfplumber vs extract_document

Every measurement is a fresh subprocess under `/usr/bin/time -f "%e %M"` (wall seconds, peak RSS in
KiB of the largest process). Outputs go to bench/out/ (ignored by git). Set WHITEPAPER_SHARED to
point at another copy of the shared data.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TIME = "/usr/bin/time"
MANYPAGES = "manypages_pdfcpu-itu-t81.pdf"

EXTRACT = """
import sys
from extractors.reader import extract_document
from extractors.pdf_open import InputError
try:
    d = extract_document(sys.argv[1])
    print("processed", f"{d.pages} pages, {len(d.tables)} tables, {len(d.sentences)} sentences", "; ".join(d.warnings))
except InputError as e:
    print("rejected", e.reason)
"""
# What the data set's MANIFEST measured: pdfplumber, every page's text and tables, pages kept open.
PLAIN = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text(); page.find_tables()
print("processed", len(pdf.pages), "pages")
"""


def shared() -> Path:
    env = os.environ.get("WHITEPAPER_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def timed(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """(seconds, peak MiB, stdout, stderr without the time line, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as fh:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run([TIME, "-o", fh.name, "-f", "%e %M", *cmd], capture_output=True, text=True, env=env)
        seconds, kib = fh.read().split()[-2:]
    return float(seconds), int(kib) / 1024, proc.stdout, proc.stderr, proc.returncode


def batch(folder: Path) -> None:
    out = OUT / "badpdfs"
    seconds, mib, stdout, stderr, code = timed(
        [sys.executable, "-m", "flows.cli", "run", str(folder), "--out", str(out), "--refresh"]
    )
    rejected = [ln for ln in stderr.splitlines() if ln.startswith("whitepaper: ")]
    processed = [ln for ln in stdout.splitlines() if " -> " in ln]
    print(f"whitepaper run {folder}/ --out {out} --refresh")
    print(
        f"exit {code}; {len(processed)} processed, {len(rejected)} rejected; traceback on stderr: "
        f"{'yes' if 'Traceback' in stderr else 'no'}"
    )
    print(f"wall {seconds:.1f} s, peak RSS {mib:.0f} MiB")
    for line in rejected:
        print("  " + line)


def files(folder: Path) -> None:
    print(f"{'file':<64} {'s':>6} {'MiB':>6}  outcome")
    for pdf in sorted(folder.glob("*.pdf")):
        seconds, mib, stdout, _, _ = timed([sys.executable, "-c", EXTRACT, str(pdf)])
        print(f"{pdf.name:<64} {seconds:6.1f} {mib:6.0f}  {stdout.strip()}")


def manypages(folder: Path) -> None:
    pdf = folder / MANYPAGES
    for name, code in (("pdfplumber, pages kept (MANIFEST)", PLAIN), ("extract_document, page by page", EXTRACT)):
        seconds, mib, stdout, _, _ = timed([sys.executable, "-c", code, str(pdf)])
        print(f"{name:<36} {seconds:6.1f} s {mib:7.0f} MiB  {stdout.strip()[:80]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["batch", "files", "manypages"])
    args = parser.parse_args()
    folder = shared() / "badpdfs"
    if not folder.is_dir():
        print(f"bad PDF collection not found at {folder} (set WHITEPAPER_SHARED)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    {"batch": batch, "files": files, "manypages": manypages}[args.what](folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
