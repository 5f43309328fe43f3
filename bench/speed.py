"""Speed and memory of `whitepaper run`, as ratios to bare pdfplumber measured in the same script run.

    PYTHONPATH=. python bench/speed.py                       # everything, N = 1 4 16 64, 1 repeat
    PYTHONPATH=. python bench/speed.py --editions 1 4 --repeats 3
    PYTHONPATH=. python bench/speed.py --editions            # no scaling table (a quick check)

Every measurement is a fresh subprocess waited for with os.wait4 (wall seconds, the process's peak RSS);
every `whitepaper run` gets its own empty --out, and the script its own PREFECT_HOME (so "the shared
local server not running" is true for the first run whatever else runs on the machine):

- bare pdfplumber: `extract_text()` + `find_tables()` on every page of the 2023 paper;
- cold (a): the first run, the shared local server not running (the run starts it);
- cold (b): the server already running, nothing cached (an empty result storage of its own);
- warm: (b) again on the same --out: nothing changed, so the run answers "up to date" from the
  output folder's stamp (flows.up_to_date) without starting Prefect;
- warm through the flow: the same with the stamp removed, so the flow runs with every stage cached
  (the report and Data Docs kept);
- bad input: a text file renamed `.pdf`;
- stages: one process times each stage function in turn (imports, a server start in a private
  PREFECT_HOME, extraction with and without the prose facts, normalise, GX validation, report, Data
  Docs, writing the files and the history);
- scaling: N generated editions (tests/edition_gen.py, years 2024...) in one run (nothing cached),
  seconds per document.

Peak RSS of the server is its VmHWM (/proc) after the runs. The machine may be shared: the load average
before and after is printed with the figures. Outputs go to a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.up_to_date import STAMP

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "raw" / "jiangsu-ipr-2023.pdf"
MIB = 1024.0  # ru_maxrss is in KiB on Linux
TARGETS = {"cold": 5.0, "warm": 1.5, "rss_mib": 300.0, "bad_s": 1.0}

BARE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text(); page.find_tables()
"""

# One process, the stages one after the other, each timed around its one function (flows.tasks calls
# the same functions). Prints one JSON object.
STAGES = r"""
import json, sys, time
from pathlib import Path
pdf, out = sys.argv[1], Path(sys.argv[2])
t = {}
def timed(name, fn, *a, **k):
    s = time.perf_counter(); v = fn(*a, **k); t[name] = t.get(name, 0.0) + time.perf_counter() - s; return v
s = time.perf_counter(); import pandas; t["import pandas"] = time.perf_counter() - s
s = time.perf_counter(); import pdfplumber; t["import pdfplumber"] = time.perf_counter() - s
s = time.perf_counter(); import prefect; t["import prefect"] = time.perf_counter() - s
s = time.perf_counter(); import spacy; t["import spacy"] = time.perf_counter() - s
s = time.perf_counter(); import great_expectations; t["import great_expectations"] = time.perf_counter() - s
s = time.perf_counter()
import flows.flow, flows.edition_tasks, publish.outputs, publish.report.build, expectations.validation
import expectations.gx_suites, extractors.reader, normalise.document
t["import the pipeline (rest)"] = time.perf_counter() - s
from flows.local_server import LocalServer
server = LocalServer(0)  # this process's own PREFECT_HOME: a start from nothing, stopped at release
s = time.perf_counter(); server.begin(); server.wait(); t["Prefect server start"] = time.perf_counter() - s
server.release()
from extractors.reader import extract_document
timed("extract: tables only", extract_document, pdf, prose=False)
extract = timed("extract: tables + prose facts", extract_document, pdf)
t["extract: prose facts (difference)"] = t["extract: tables + prose facts"] - t["extract: tables only"]
from normalise.document import normalise_document
normalised = timed("normalise", normalise_document, extract, pdf)
from flows.edition_tasks import previous_edition_task, history_task
edition = timed("previous edition (history read)", getattr(previous_edition_task, "fn", previous_edition_task),
    normalised, str(out))
from expectations.gx_suites import run_context
from expectations.validation import validate_document
context = timed("GX context", run_context)
validation = timed("GX validation (every check)", validate_document, normalised.cells, normalised.profile,
    facts=normalised.facts, current=edition.current, previous=edition.previous, context=context,
    run_name=normalised.doc_id, year_ago=edition.year_ago, period=normalised.period)
import publish.report.build as build
for name, label in (("write_crops", "report: page crops"), ("write_data_docs", "Data Docs")):
    original = getattr(build, name)
    setattr(build, name, lambda *a, _o=original, _l=label, **k: timed(_l, _o, *a, **k))
render = build.render_html
build.render_html = lambda *a, **k: timed("report: report.html", render, *a, **k)
from publish.outputs import write_outputs
folder = timed("write outputs (all)", write_outputs, normalised, validation, str(out), pdf)
timed("history (DuckDB)", history_task.fn, normalised, validation, edition, str(folder), str(out), "bench")
report = sum(v for k, v in t.items() if k.startswith("report:") or k == "Data Docs")
t["writing files (CSV, JSON, Parquet, datapackage)"] = t.pop("write outputs (all)") - report
print(json.dumps(t))
"""


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def measure(cmd: list[str], env: dict) -> dict:
    """Wall seconds, peak RSS (MiB) of the process itself, exit code, output of one subprocess."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        return {"s": wall, "mib": usage.ru_maxrss / MIB, "code": proc.returncode, "out": out.read(), "err": err.read()}


def fresh_results(env: dict, folder: Path) -> dict:
    """`env` with its own empty Prefect result storage: nothing cached, the shared server still running.
    (Not `--refresh`: it recomputes every stage but a later run may still be given the older cached
    result, whose Great Expectations results differ in their ids and times, so the Data Docs of the
    folder would not be reused and the warm figure would not be a warm run's.)"""
    return dict(env, PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(folder))


# `whitepaper run` that reports, as it exits, its own peak RSS and the largest of its children's (the
# Great Expectations process, page workers): wait4 gives only the larger of the two.
RUN = """
import atexit, json, resource, sys
def peaks():
    own, children = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    sys.stderr.write("bench-peaks " + json.dumps({"own": own, "children": children}) + "\\n")
atexit.register(peaks)
from flows.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", RUN, "run", *args, "--quiet"]


def peaks(result: dict) -> dict:
    """The run's own peak RSS and its largest child's, MiB (from RUN's last stderr line)."""
    lines = [line for line in result["err"].splitlines() if line.startswith("bench-peaks ")]
    found = json.loads(lines[-1].split(" ", 1)[1]) if lines else {}
    return {k: v / MIB for k, v in found.items()}


def server_peak_mib(home: Path) -> float | None:
    """VmHWM of the shared local server recorded under this PREFECT_HOME."""
    from flows.local_server import state_dir
    from flows.local_server_process import read_state

    record = read_state(state_dir(home)) or {}
    try:
        status = Path(f"/proc/{int(record.get('pid', 0))}/status").read_text()
    except (OSError, ValueError):
        return None
    hwm = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(hwm[0].split()[1]) / MIB if hwm else None


def stop_server(home: Path) -> None:
    from flows.local_server import state_dir, stop_local_server

    stop_local_server(state_dir(home))


def ok(result: dict, what: str) -> dict:
    if result["code"] not in (0, 1):
        raise SystemExit(f"{what} failed (exit {result['code']}):\n{result['err'][-2000:]}")
    return result


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def fig(results: list[dict], key: str = "s", unit: str = "s") -> str:
    values = [r[key] for r in results]
    spread = f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else ""
    return f"{statistics.median(values):.2f} {unit}{spread}"


def bench(editions: list[int], repeats: int, work: Path, single: bool = True) -> None:
    home = work / "prefect-home"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PREFECT_HOME=str(home), WHITEPAPER_SERVER_IDLE="600")
    env.pop("PREFECT_API_URL", None)
    env.setdefault("GX_ANALYTICS_ENABLED", "False")
    before = load()
    print(f"cores {os.cpu_count()}, load average before {before}", flush=True)

    bare = [ok(measure([sys.executable, "-c", BARE, str(PDF)], env), "bare pdfplumber") for _ in range(repeats)]
    base_s, base_mib = median(bare, "s"), median(bare, "mib")
    print(f"bare pdfplumber: {fig(bare)}, {fig(bare, 'mib', 'MiB')}", flush=True)

    if not single:
        scale(editions, repeats, work, env)
        stop_server(home)
        print(f"cores {os.cpu_count()}; load average before {before}, after {load()}")
        return
    cold_a, cold_b, warm, warm_flow, server_mib = [], [], [], [], []
    for i in range(repeats):
        stop_server(home)  # (a): no server running
        shutil.rmtree(home, ignore_errors=True)
        cold_a.append(ok(measure(run_cmd(str(PDF), "--out", str(work / f"cold-a-{i}")), env), "cold run (a)"))
        out_b, env_b = work / f"cold-b-{i}", fresh_results(env, work / f"results-b-{i}")
        cold_b.append(ok(measure(run_cmd(str(PDF), "--out", str(out_b)), env_b), "cold run (b)"))
        warm.append(ok(measure(run_cmd(str(PDF), "--out", str(out_b)), env_b), "warm run"))
        (out_b / STAMP).unlink()
        warm_flow.append(ok(measure(run_cmd(str(PDF), "--out", str(out_b)), env_b), "warm run through the flow"))
        server_mib.append({"mib": server_peak_mib(home) or float("nan")})
    print(f"cold (a), server not running: {fig(cold_a)}, {fig(cold_a, 'mib', 'MiB')}", flush=True)
    print(f"cold (b), server running:     {fig(cold_b)}, {fig(cold_b, 'mib', 'MiB')}", flush=True)
    print(f"warm:                         {fig(warm)}, {fig(warm, 'mib', 'MiB')}", flush=True)
    print(f"warm through the flow:        {fig(warm_flow)}, {fig(warm_flow, 'mib', 'MiB')}", flush=True)
    print(f"server process peak RSS:      {fig(server_mib, 'mib', 'MiB')}", flush=True)

    text = work / "not-a-pdf.pdf"
    text.write_text("just some text, renamed .pdf\n")
    bad = [measure(run_cmd(str(text), "--out", str(work / f"bad-{i}")), env) for i in range(repeats)]
    assert all(r["code"] == 2 and "not a PDF" in r["err"] for r in bad), bad[0]["err"]
    print(f"text file named .pdf: {fig(bad)} (exit 2, {bad[0]['err'].strip()!r})", flush=True)

    stages = []
    for i in range(repeats):
        own = dict(env, PREFECT_HOME=str(work / f"stages-home-{i}"))
        result = ok(measure([sys.executable, "-c", STAGES, str(PDF), str(work / f"stages-{i}")], own), "stages")
        stages.append(json.loads(result["out"].strip().splitlines()[-1]))
    print("\nstage breakdown (one process, seconds; median of repeats):")
    for name in stages[0]:
        print(f"  {name:<50} {statistics.median(s[name] for s in stages):7.2f}")

    scaling = scale(editions, repeats, work, env, print_table=False)
    stop_server(home)
    after = load()

    print("\n## figures")
    print(f"cores {os.cpu_count()}; load average before {before}, after {after}")
    rows = [
        ("bare pdfplumber", base_s, base_mib, "", ""),
        ("cold (a): first run, server not running", median(cold_a, "s"), median(cold_a, "mib"), "", ""),
        ("cold (b): server running, nothing cached", median(cold_b, "s"), median(cold_b, "mib"), "cold", ""),
        ("warm: the same run again (up to date)", median(warm, "s"), median(warm, "mib"), "warm", ""),
        ("warm through the flow (stamp removed)", median(warm_flow, "s"), median(warm_flow, "mib"), "", ""),
        ("text file named .pdf", median(bad, "s"), median(bad, "mib"), "bad", ""),
    ]
    print("| run | wall s | × bare | peak RSS MiB | × bare | target |")
    print("|---|---|---|---|---|---|")
    for name, s, mib, target, _ in rows:
        goal = {"cold": f"≤ {TARGETS['cold']:g}×", "warm": f"≤ {TARGETS['warm']:g}×", "bad": "≤ 1 s"}.get(target, "")
        print(f"| {name} | {s:.2f} | {s / base_s:.1f}× | {mib:.0f} | {mib / base_mib:.1f}× | {goal} |")
    print(f"| the shared server process | | | {median(server_mib, 'mib'):.0f} | | |")
    print("\npeak RSS per process, MiB (the run's own / its largest child: the GX process or a page worker):")
    for name, runs in (("cold (a)", cold_a), ("cold (b)", cold_b), ("warm through the flow", warm_flow)):
        own = [peaks(r).get("own", float("nan")) for r in runs]
        children = [peaks(r).get("children", float("nan")) for r in runs]
        print(f"  {name:<24} {statistics.median(own):6.0f} / {statistics.median(children):6.0f}")
    scaling_table(scaling)


def scale(editions: list[int], repeats: int, work: Path, env: dict, print_table: bool = True) -> list[tuple]:
    """N generated editions (years 2024, 2025, ...) in one run each, the server running, nothing cached."""
    from tests.edition_gen import Edition, render_edition

    scaling = []
    for n in editions:
        raw = work / f"editions-{n}"
        raw.mkdir()
        for k in range(n):
            render_edition(raw / f"jiangsu-ipr-gen-{k:03d}.pdf", Edition(2024 + k, marker=f"bench {n}/{k}"))
        runs = [
            ok(
                measure(
                    run_cmd(str(raw), "--out", str(work / f"scale-{n}-{i}")), fresh_results(env, work / f"r-{n}-{i}")
                ),
                f"N={n}",
            )
            for i in range(repeats)
        ]
        scaling.append((n, median(runs, "s"), median(runs, "mib")))
        print(f"N={n}: {median(runs, 's'):.1f} s, {median(runs, 's') / n:.2f} s/document ({load()})", flush=True)
    if print_table:
        scaling_table(scaling)
    return scaling


def scaling_table(scaling: list[tuple]) -> None:
    if scaling:
        print("\n| N editions | wall s | s/document | peak RSS MiB |")
        print("|---|---|---|---|")
        for n, s, mib in scaling:
            print(f"| {n} | {s:.1f} | {s / n:.2f} | {mib:.0f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--editions", type=int, nargs="*", default=[1, 4, 16, 64], help="N of the scaling table")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each measurement (median printed)")
    parser.add_argument(
        "--scaling-only", action="store_true", help="bare pdfplumber and the scaling table only (no cold/warm runs)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="whitepaper-speed-"))
    try:
        bench(args.editions, args.repeats, work, single=not args.scaling_only)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            stop_server(work / "prefect-home")
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
