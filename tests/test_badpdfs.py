"""The 28 real problematic PDFs of ../shared/badpdfs (used in place, never copied), in one CLI batch.

Held to tests/fixtures/badpdfs-expected.csv, which follows the data set's MANIFEST.md ("what a
well-behaved pipeline should do"): each file is processed (with the warnings its summary line and
document.json carry) or rejected with one stderr line naming it and the reason. Exit code 2, no
traceback, bounded time and memory (the 186-page file is read page by page).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractors.damage import damage_summary
from flows.cli import EXIT_BAD_INPUT
from flows.summary import summary_warnings
from tests.conftest import ROOT, SHARED

BADPDFS = SHARED / "badpdfs"
EXPECTED = Path(__file__).parent / "fixtures" / "badpdfs-expected.csv"
# Ceilings for the whole batch (one process, Prefect's temporary server, GX and the report included);
# measured about 0.66 GiB and 60-90 s on a shared 2-core machine. Before page-by-page reading, the
# extraction alone took ~1 GiB on the 186-page file.
MAX_RSS_MIB = 1024
MAX_SECONDS = 900

pytestmark = pytest.mark.skipif(
    not BADPDFS.is_dir(), reason=f"bad PDF collection not found at {BADPDFS} (set WHITEPAPER_SHARED)"
)


def expected() -> dict[str, tuple[str, str]]:
    with EXPECTED.open(newline="", encoding="utf-8") as fh:
        return {row["file"]: (row["outcome"], row["detail"]) for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("badpdfs-out")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(BADPDFS), "--out", str(out), "--refresh"],
        capture_output=True,
        text=True,
        env=env,
        timeout=MAX_SECONDS,
    )
    seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest child so far
    print(f"\nbadpdfs batch: {seconds:.1f} s wall, peak RSS of a child process {peak_mib:.0f} MiB")
    return proc, out, seconds, peak_mib


def test_every_file_is_in_the_expectations():
    assert sorted(expected()) == sorted(p.name for p in BADPDFS.glob("*.pdf"))


@pytest.mark.slow
def test_batch_exit_code_and_no_traceback(batch):
    proc, *_ = batch
    assert proc.returncode == EXIT_BAD_INPUT, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


@pytest.mark.slow
def test_each_unopenable_file_is_named_with_its_reason(batch):
    proc, *_ = batch
    lines = proc.stderr.strip().splitlines()
    want = [
        f"whitepaper: {BADPDFS / name}: {detail}"
        for name, (outcome, detail) in sorted(expected().items())
        if outcome == "rejected"
    ]
    assert sorted(lines) == sorted(want), "\n".join(lines)


@pytest.mark.slow
def test_every_file_that_opens_is_processed(batch):
    proc, out, *_ = batch
    summary = {}
    for line in proc.stdout.splitlines():
        path, _, rest = line.partition(" -> ")
        summary[Path(path).name] = rest
    for name, (outcome, detail) in expected().items():
        stem = Path(name).stem
        if outcome == "rejected":
            assert name not in summary and not (out / stem).exists(), name
            continue
        assert (out / stem / "cells.csv").is_file() and (out / stem / "findings.csv").is_file(), name
        document = json.loads((out / stem / "document.json").read_text(encoding="utf-8"))
        warnings = detail.split("; ") if detail else []
        assert document["warnings"] == warnings, name
        # the summary line shows them folded (damage, doubtful tables: one short item each)
        shown = summary_warnings(damage_summary(warnings))
        assert summary[name].endswith("".join(f"; {w}" for w in shown) + ")"), (name, summary[name])


@pytest.mark.slow
def test_long_document_in_bounded_time_and_memory(batch):
    proc, out, seconds, peak_mib = batch
    document = json.loads((out / "manypages_pdfcpu-itu-t81" / "document.json").read_text(encoding="utf-8"))
    assert document["pages"] == 186
    assert seconds < MAX_SECONDS
    assert peak_mib < MAX_RSS_MIB, f"{peak_mib:.0f} MiB"


def test_nics_table_is_extracted():
    from extractors.tables import extract_tables

    (table,) = extract_tables(BADPDFS / "table_pdfplumber-nics-background-checks-2015-11.pdf")
    assert (table.n_rows, table.n_cols) == (56, 25)
    assert table.body[0][0] == "Alabama"


def test_rotated_page_gives_the_same_table_as_unrotated():
    """MANIFEST: 'text and table identical to the unrotated version' (/Rotate 90 read turned upright)."""
    from extractors.tables import extract_tables

    plain = extract_tables(BADPDFS / "table_pdfplumber-nics-background-checks-2015-11.pdf")
    rotated = extract_tables(BADPDFS / "rotated_pdfplumber-nics-background-checks-2015-11-rotated.pdf")
    assert [t.body for t in rotated] == [t.body for t in plain]


def test_rotated_page_gives_the_same_prose_as_unrotated():
    """A page with /Rotate 90 is read turned upright, as the table extractor reads it (was an xfail: its
    lines ran down the page and the 3 sentences came out as 54 fragments); sentence boxes are on the
    page as stored, i.e. the upright file's boxes turned with the page."""
    import pdfplumber

    from extractors.orientation import unturn_box
    from extractors.reader import extract_document

    rotated_path = BADPDFS / "rotated_pdfplumber-nics-background-checks-2015-11-rotated.pdf"
    plain = extract_document(BADPDFS / "table_pdfplumber-nics-background-checks-2015-11.pdf")
    rotated = extract_document(rotated_path)
    assert [s.text for s in rotated.sentences] == [s.text for s in plain.sentences]
    assert [s.kind for s in rotated.sentences] == [s.kind for s in plain.sentences]
    with pdfplumber.open(rotated_path) as pdf:
        stored = (float(pdf.pages[0].width), float(pdf.pages[0].height))
    expected = [
        [pytest.approx(unturn_box((b.x0, b.top, b.x1, b.bottom), 90, *stored)) for b in s.boxes]
        for s in plain.sentences
    ]
    assert [[(b.x0, b.top, b.x1, b.bottom) for b in s.boxes] for s in rotated.sentences] == expected
