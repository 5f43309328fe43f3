"""Fuzz harness: damaged copies of real PDFs through `whitepaper tables` and, in batches, `whitepaper run`.

    PYTHONPATH=. python bench/fuzz.py make --n 1000 --seed 1 --into /tmp/fuzz     # write the mutants
    PYTHONPATH=. python bench/fuzz.py tables /tmp/fuzz [--max-seconds 20]          # one process each
    PYTHONPATH=. python bench/fuzz.py run /tmp/fuzz --batch 25                       # batches of `run`
    PYTHONPATH=. python bench/fuzz.py summary /tmp/fuzz
    PYTHONPATH=. python bench/fuzz.py bomb [--run]      # the 300 MB bomb and a slow page vs the paper

Mutants are made from the fixture (raw/jiangsu-ipr-2023.pdf) and the bad-PDF corpus
(../shared/badpdfs, when present) by one seeded operator each: byte flips, truncation, chunk
deletion or duplication, xref damage (digits of the xref table or startxref changed) and stream
length damage (a /Length value changed). Per mutant it records, in `tables.csv` / `run.csv` of the
folder: exit code, the first stderr line (the reason), wall time, peak RSS of the process (wait4),
whether stderr held a Python traceback, and whether it was killed past the time budget (a hang).
Not a timed test: figures depend on the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "raw" / "jiangsu-ipr-2023.pdf"
BADPDFS = Path(os.environ.get("WHITEPAPER_SHARED", ROOT.parent / "shared")) / "badpdfs"
OPERATORS = ("flip", "truncate", "delete", "duplicate", "xref", "length")
MAX_FLIPS = 20
MAX_CHUNK = 4096
TRACEBACK = "Traceback (most recent call last)"
SLACK_SECONDS = 30.0  # past --max-seconds, a mutant still running is a hang (startup, GX, Prefect)
DEFAULT_MAX_SECONDS = 20.0
FIXTURE_SHARE = 0.5  # half the mutants come from the fixture, the rest from the corpus
XREF_ROW = re.compile(rb"\d{10} \d{5} [nf]")
STARTXREF = re.compile(rb"startxref\s+(\d+)")
LENGTH = re.compile(rb"/Length\s+(\d+)")
# Prefect's temporary server may need more than its default 20 s to start on a loaded machine; a
# time-out there is Prefect's, not the mutant's.
CHILD_ENV = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}


def bomb_pdf(inflated_mb: int, text: str = "Bomb total 42", filler: bytes = b" ", next_page: str = "") -> bytes:
    """A PDF whose first page's content stream is `inflated_mb` MB of `filler` (spaces: a
    decompression bomb as the issue describes it, ~1 KB per MB; `q Q `: millions of operators, a slow
    page), then one line of `text`, deflated; with `next_page`, a second, ordinary page of that text."""
    body = zlib.compressobj(9)
    block = filler * ((1 << 20) // len(filler))
    deflated = [body.compress(block) for _ in range(inflated_mb)]
    deflated.append(body.compress(_text_op(text)) + body.flush())
    contents = [b"<< /Length %d /Filter /FlateDecode >>" % len(b"".join(deflated)), b"".join(deflated)]
    pages = [contents]
    if next_page:
        pages.append([b"<< /Length %d >>" % len(_text_op(next_page)), _text_op(next_page)])
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, (head, data) in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        objects.append(head + b"\nstream\n" + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_op(text: str) -> bytes:
    return f"\nBT /F1 12 Tf 72 720 Td ({text}) Tj ET\n".encode()


def sources() -> list[Path]:
    corpus = sorted(p for p in BADPDFS.glob("*.pdf") if p.stat().st_size > 0) if BADPDFS.is_dir() else []
    return [FIXTURE, *corpus]


def _digits(rng: random.Random, n: int) -> bytes:
    return "".join(rng.choice("0123456789") for _ in range(n)).encode()


def mutate(data: bytes, operator: str, rng: random.Random) -> bytes:
    """One damaged copy of `data` (a PDF's bytes) by `operator` (one of OPERATORS)."""
    size = len(data)
    if operator == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, MAX_FLIPS)):
            out[rng.randrange(size)] = rng.randrange(256)
        return bytes(out)
    if operator == "truncate":
        return data[: rng.randrange(1, size)]
    start = rng.randrange(size)
    chunk = data[start : start + rng.randint(1, MAX_CHUNK)]
    if operator == "delete":
        return data[:start] + data[start + len(chunk) :]
    if operator == "duplicate":
        return data[: start + len(chunk)] + chunk + data[start + len(chunk) :]
    if operator == "xref":
        rows = list(XREF_ROW.finditer(data)) or list(STARTXREF.finditer(data))
        if not rows:
            return mutate(data, "flip", rng)
        m = rng.choice(rows)
        return data[: m.start()] + (b"startxref\n" if m.re is STARTXREF else b"") + _digits(rng, 10) + data[m.end() :]
    if operator == "length":
        lengths = list(LENGTH.finditer(data))
        if not lengths:
            return mutate(data, "flip", rng)
        m = rng.choice(lengths)
        value = int(m.group(1))
        new = rng.choice([0, value // 2, value + rng.randint(1, 100), value * 10, 10**9])
        return data[: m.start(1)] + str(new).encode() + data[m.end(1) :]
    raise ValueError(f"unknown operator {operator!r}")


def make_mutants(n: int, seed: int, into: Path, fixture_only: bool = False) -> list[Path]:
    """`n` seeded mutants written into `into` as <index>-<operator>-<source stem>.pdf."""
    rng = random.Random(seed)
    corpus = [FIXTURE] if fixture_only else sources()
    into.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        source = FIXTURE if fixture_only or rng.random() < FIXTURE_SHARE or len(corpus) == 1 else rng.choice(corpus[1:])
        operator = OPERATORS[i % len(OPERATORS)]
        path = into / f"{i:05d}-{operator}-{source.stem[:40]}.pdf"
        path.write_bytes(mutate(source.read_bytes(), operator, rng))
        made.append(path)
    return made


@dataclass
class Outcome:
    mutant: str
    exit_code: int
    reason: str
    wall_s: float
    peak_rss_mb: float
    traceback: bool
    hang: bool
    stderr_lines: int
    longest_line: int


def run_command(argv: list[str], timeout: float, cwd: Path = ROOT) -> tuple[int, str, str, float, float, bool]:
    """(exit code, stdout, stderr, wall seconds, peak RSS MB, killed as a hang) of one command."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        env = {**os.environ, **CHILD_ENV}
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        hang = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                hang = True
                os.killpg(proc.pid, 9)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return (
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            wall,
            usage.ru_maxrss / 1024,
            hang,
        )


def whitepaper(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def fuzz_tables(folder: Path, max_seconds: float) -> list[Outcome]:
    outcomes = []
    for path in sorted(folder.glob("*.pdf")):
        argv = whitepaper("tables", str(path), "--format", "json", "--max-seconds", f"{max_seconds:g}")
        code, _out, err, wall, rss, hang = run_command(argv, max_seconds + SLACK_SECONDS)
        lines = err.splitlines()
        outcomes.append(
            Outcome(
                path.name,
                code,
                lines[0][:200] if lines else "",
                round(wall, 2),
                round(rss, 1),
                TRACEBACK in err,
                hang,
                len(lines),
                max((len(x) for x in lines), default=0),
            )
        )
        flag = "TRACEBACK " if TRACEBACK in err else ""
        print(f"{path.name}: exit {code} {wall:.1f} s {rss:.0f} MB {flag}{lines[:1]}")
    return outcomes


def fuzz_run(folder: Path, batch: int, max_seconds: float) -> list[Outcome]:
    """`whitepaper run` over batches of mutants (copied into a batch folder); one Outcome per mutant,
    with the batch's wall time and peak RSS, and the mutant's own line (stdout or stderr)."""
    mutants = sorted(folder.glob("*.pdf"))
    outcomes = []
    for start in range(0, len(mutants), batch):
        with tempfile.TemporaryDirectory() as tmp:
            batch_dir, out_dir = Path(tmp) / "in", Path(tmp) / "out"
            batch_dir.mkdir()
            for m in mutants[start : start + batch]:
                shutil.copy(m, batch_dir / m.name)
            argv = whitepaper("run", str(batch_dir), "--out", str(out_dir), "--max-seconds", f"{max_seconds:g}")
            timeout = batch * (max_seconds + 5) + SLACK_SECONDS
            code, out, err, wall, rss, hang = run_command(argv, timeout)
        lines = out.splitlines() + err.splitlines()
        for m in mutants[start : start + batch]:
            own = [x for x in lines if m.name in x]
            outcomes.append(
                Outcome(
                    m.name,
                    code,
                    own[0][:200] if own else "(no line)",
                    round(wall, 2),
                    round(rss, 1),
                    TRACEBACK in err,
                    hang,
                    len(own),
                    max((len(x) for x in own), default=0),
                )
            )
        print(f"batch {start}: exit {code} {wall:.0f} s {rss:.0f} MB {'TRACEBACK' if TRACEBACK in err else ''}")
    return outcomes


def write_csv(outcomes: list[Outcome], path: Path) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(Outcome.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(asdict(o) for o in outcomes)


def summary(path: Path) -> str:
    rows = list(csv.DictReader(path.open()))
    codes: dict[str, int] = {}
    for r in rows:
        codes[r["exit_code"]] = codes.get(r["exit_code"], 0) + 1
    worst_wall = max(rows, key=lambda r: float(r["wall_s"]))
    worst_rss = max(rows, key=lambda r: float(r["peak_rss_mb"]))
    return (
        f"{path.name}: {len(rows)} mutants; exit codes {dict(sorted(codes.items()))}; "
        f"tracebacks {sum(r['traceback'] == 'True' for r in rows)}; hangs {sum(r['hang'] == 'True' for r in rows)}; "
        f"no line {sum(r['reason'] == '(no line)' for r in rows)}; "
        f"longest stderr line {max(int(r['longest_line']) for r in rows)} chars; "
        f"worst wall {worst_wall['wall_s']} s ({worst_wall['mutant']}); "
        f"worst peak RSS {worst_rss['peak_rss_mb']} MB ({worst_rss['mutant']})"
    )


def bomb_figures(with_run: bool, max_seconds: float) -> None:
    """Wall and peak RSS of `tables` (and `run`) on the paper, the 300 MB bomb (capped, and with the
    cap raised past it: what an unbounded reader costs) and a slow page under the time budget."""
    with tempfile.TemporaryDirectory() as tmp:
        files = {"paper": FIXTURE, "bomb": Path(tmp) / "bomb.pdf", "slow page": Path(tmp) / "slow.pdf"}
        files["bomb"].write_bytes(bomb_pdf(300))
        files["slow page"].write_bytes(bomb_pdf(40, filler=b"q Q "))
        budget = ["--max-seconds", f"{max_seconds:g}"]
        cases = [(name, path, budget) for name, path in files.items()]
        cases.append(("bomb, cap raised to 400 MB", files["bomb"], [*budget, "--max-inflated-mb", "400"]))
        for name, path, extra in cases:
            code, _out, err, wall, rss, hang = run_command(whitepaper("tables", str(path), *extra), 600)
            line = err.splitlines()[0][:120] if err else ""
            print(f"tables {name}: exit {code}, {wall:.1f} s, {rss:.0f} MB peak{' HANG' if hang else ''} {line}")
        if not with_run:
            return
        for name, path, extra in cases:
            folder = Path(tmp) / name.replace(" ", "_").replace(",", "")
            folder.mkdir()
            shutil.copy(path, folder / path.name)
            argv = whitepaper("run", str(folder), "--out", str(Path(tmp) / "out"), *extra)
            code, _out, err, wall, rss, hang = run_command(argv, 900)
            line = err.splitlines()[0][:120] if err else ""
            print(f"run {name}: exit {code}, {wall:.1f} s, {rss:.0f} MB peak{' HANG' if hang else ''} {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_make = sub.add_parser("make")
    p_make.add_argument("--n", type=int, default=1000)
    p_make.add_argument("--seed", type=int, default=1)
    p_make.add_argument("--into", type=Path, required=True)
    p_make.add_argument("--fixture-only", action="store_true")
    for name in ("tables", "run"):
        p = sub.add_parser(name)
        p.add_argument("folder", type=Path)
        p.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS)
        if name == "run":
            p.add_argument("--batch", type=int, default=25)
    p_bomb = sub.add_parser("bomb")
    p_bomb.add_argument("--run", action="store_true")
    p_bomb.add_argument("--max-seconds", type=float, default=10.0)
    p_sum = sub.add_parser("summary")
    p_sum.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "make":
        print(f"{len(make_mutants(args.n, args.seed, args.into, args.fixture_only))} mutants in {args.into}")
    elif args.command == "tables":
        write_csv(fuzz_tables(args.folder, args.max_seconds), args.folder / "tables.csv")
        print(summary(args.folder / "tables.csv"))
    elif args.command == "run":
        write_csv(fuzz_run(args.folder, args.batch, args.max_seconds), args.folder / "run.csv")
        print(summary(args.folder / "run.csv"))
    elif args.command == "bomb":
        bomb_figures(args.run, args.max_seconds)
    else:
        for name in ("tables.csv", "run.csv"):
            if (args.folder / name).is_file():
                print(summary(args.folder / name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
