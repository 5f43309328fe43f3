"""The `whitepaper` command line: parse arguments, call the library, map outcomes to exit codes.

`main(argv)` is callable from tests. Heavy imports (Prefect, Great Expectations) happen inside the
subcommand that needs them, so `whitepaper tables` and a refused input start and end fast; `run` lives
in flows.run_command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from expectations.severity import SEVERITIES
from extractors.pdf_open import (
    DEFAULT_MAX_INFLATED_MB,
    DEFAULT_MAX_PAGE_AREA_SQ_IN,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_SECONDS,
    INFLATED_DOCUMENT_FACTOR,
)
from flows.exit_codes import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_TERMINATED,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "EXIT_LOCKED", "EXIT_OK", "EXIT_TERMINATED", "main"]

LIMIT_HELP = {  # the limits `run` and `tables` share
    "max_seconds": f"time budget for reading one document, enforced during a page (default {DEFAULT_MAX_SECONDS:g})",
    "max_inflated_mb": f"most MB one stream may inflate to (a page over it is skipped, a document refused), "
    f"{INFLATED_DOCUMENT_FACTOR} times that for a document's streams together (default {DEFAULT_MAX_INFLATED_MB:g})",
}
DEFAULT_CRON = "0 6 * * *"  # `whitepaper serve`: every day at 06:00 (UTC unless the server says otherwise)
QUIET_ENV = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "False",
}
# What Prefect's flow and task engines log at ERROR ("Crash detected! ...", "Finished in state
# Crashed(...)") when a run is stopped by SIGTERM or Ctrl-C; the command prints its own one line instead.
INTERRUPT_CRASHES = (
    "Execution was aborted by a termination signal",
    "Execution was aborted by an interrupt signal",
)


def _quiet(verbose: bool) -> None:
    """Keep the console to one line per document unless asked for more (set before Prefect imports)."""
    for key, value in QUIET_ENV.items():
        if verbose and key == "PREFECT_LOGGING_LEVEL":
            continue
        os.environ.setdefault(key, value)


def _debug_log(verbose: bool) -> None:
    """With --verbose, our own debug lines (e.g. the traceback behind an 'internal error') reach stderr."""
    if not verbose:
        return
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("flows", "extractors", "expectations"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)


def _no_interrupt_crash_lines() -> None:
    """Drop Prefect's "Crash detected!" ERROR lines for an interrupted run (not for real crashes)."""
    import logging

    def keep(record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not any(crash in message for crash in INTERRUPT_CRASHES)

    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).addFilter(keep)


def _cmd_run(args: argparse.Namespace) -> int:
    if args.workers and args.dask_address:
        print("whitepaper: --workers and --dask-address cannot be used together", file=sys.stderr)
        return EXIT_BAD_INPUT
    _quiet(args.verbose)
    _debug_log(args.verbose)
    _no_interrupt_crash_lines()
    from flows.run_command import cmd_run

    return cmd_run(args)


def _cmd_profile(args: argparse.Namespace) -> int:
    """`profile check FILE...` (exit 2 on the first broken file, one line each) and `profile draft PDF`."""
    from normalise import profile_commands

    if args.action == "check":
        results = profile_commands.check_profiles(args.files)
        for ok, line in results:
            print(line if ok else f"whitepaper: {line}", file=sys.stdout if ok else sys.stderr)
        return EXIT_OK if all(ok for ok, _ in results) else EXIT_BAD_INPUT
    ok, text = profile_commands.draft(args.pdf, args.out)
    if not ok:
        print(f"whitepaper: {text}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _cmd_tables(args: argparse.Namespace) -> int:
    from extractors.damage import damage_summary
    from extractors.pdf_open import InputError, OpenLimits
    from extractors.reader import extract_document
    from flows.run_command import limits_given

    try:  # the reader `run` uses, tables only
        extract = extract_document(args.pdf, OpenLimits(**limits_given(args)), prose=False)
    except InputError as exc:
        print(f"whitepaper: {exc.path}: {exc.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    tables = extract.tables
    for warning in damage_summary(extract.damage, detail_in=""):  # pages not read as printed, one short line
        print(f"whitepaper: {args.pdf}: {warning}", file=sys.stderr)
    if args.format == "json":
        json.dump([t.to_json() for t in tables], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for t in tables:
            pages = f"p{t.page_first}" + (f"-{t.page_last}" if t.page_last != t.page_first else "")
            print(f"# {pages} {t.title} [{t.unit}]")
            for row in t.header + t.body:
                print("\t".join(row))
            print()
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    if args.interval is not None and args.interval <= 0:
        print("whitepaper: --interval must be a positive number of seconds", file=sys.stderr)
        return EXIT_BAD_INPUT
    _quiet(args.verbose)
    import signal

    from flows.prefect_server import ServerError, prefect_api

    # Ctrl-C stops serving even when started from a shell that ignores SIGINT for background jobs; until
    # Prefect's runner takes over SIGTERM, treat it like Ctrl-C so the local server is stopped too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with prefect_api(args.out / ".prefect-server.log") as api_url:
            from flows.serve import serve

            every = f"every {args.interval:g} s" if args.interval else f"on cron {args.cron!r}"
            print(
                f"whitepaper: serving {args.raw} -> {args.out} {every} (Prefect API {api_url}); "
                f"Ctrl-C or SIGTERM stops",
                flush=True,
            )
            serve(args.raw, args.out, args.profile, cron=args.cron, interval=args.interval)
    except ServerError as exc:
        print(f"whitepaper: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        pass
    print("whitepaper: stopped", flush=True)
    return EXIT_OK


def _cmd_status(args: argparse.Namespace) -> int:
    from flows.status import status_lines, status_records
    from publish.history import HistoryLocked, db_path, documents

    path = db_path(args.out)
    if not path.is_file():
        print(f"whitepaper: {path}: no history yet (run `whitepaper run` or `whitepaper serve` first)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        records = status_records(documents(path))
    except HistoryLocked as exc:
        print(f"whitepaper: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(status_lines(records)))
    return EXIT_OK


def _report_folders(path: Path) -> list[Path]:
    """An output folder (holds document.json), or a folder of them such as output/."""
    if (path / "document.json").is_file():
        return [path]
    if not path.is_dir():
        return []
    return [p for p in sorted(path.iterdir()) if not p.name.startswith(".") and (p / "document.json").is_file()]


def _cmd_report(args: argparse.Namespace) -> int:
    _quiet(False)
    folders = _report_folders(args.dir)
    if not folders:
        reason = "no such file or directory" if not args.dir.exists() else "not an output folder (no document.json)"
        print(f"whitepaper: {args.dir}: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.pdf and len(folders) > 1:
        print(f"whitepaper: {args.dir}: --pdf needs the output folder of one document", file=sys.stderr)
        return EXIT_BAD_INPUT

    from publish.report.build import write_report
    from publish.report.load import MissingOutputs

    exit_code = EXIT_OK
    for folder in folders:
        try:
            result = write_report(folder, pdf_path=args.pdf, data_docs=not args.no_data_docs)
        except MissingOutputs as exc:
            print(f"whitepaper: {folder}: {exc}", file=sys.stderr)
            exit_code = EXIT_BAD_INPUT
            continue
        if args.pdf and result.note:
            print(f"whitepaper: {args.pdf}: {result.note}", file=sys.stderr)
            exit_code = EXIT_BAD_INPUT
        notes = f"; {result.note}" if result.note and not args.pdf else ""
        docs = ", data docs" if result.data_docs else ""
        print(f"{folder} -> {result.path} ({result.findings} findings, {result.crops} crops{docs}{notes})")
    return exit_code


def _positive(kind, allow_zero: bool = False):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not (value >= 0 if allow_zero else value > 0):
            raise argparse.ArgumentTypeError(f"must be {'0 or more' if allow_zero else 'greater than 0'}: {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


DESCRIPTION = """Check a statistical white paper (PDF): read its tables and the numbers in its prose, verify
that they agree (totals, regions, ratios, prose against tables, one edition against the previous),
and publish tidy tables, the findings and a reviewer's report."""

EPILOG = """exit codes: 0 every input processed; 1 --fail-on findings; 2 bad usage or an input that could
not be processed (one line each on stderr); 3 the output folder stayed in use by another run;
130 / 143 interrupted (Ctrl-C) / terminated (SIGTERM).

examples:
  whitepaper run raw/                       every PDF in raw/ -> output/<pdf stem>/
  whitepaper run raw/ --workers 4           the same, 4 documents at a time (local Dask cluster)
  whitepaper tables raw/paper.pdf           the tables of one PDF, without checking anything
  whitepaper status                         the editions processed into output/"""


class _Version(argparse.Action):
    """`--version`: the package version and the hash of the code that shapes the outputs (computed only
    when asked)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import version

        from flows.versions import pipeline_code_hash

        parser.exit(message=f"whitepaper {version('whitepaper')} (pipeline code {pipeline_code_hash()})\n")


def _add_run_parser(sub) -> None:
    from flows.local_server import DEFAULT_IDLE_SECONDS, IDLE_ENV, default_idle_seconds
    from flows.output_lock import DEFAULT_WAIT_SECONDS

    p_run = sub.add_parser(
        "run",
        help="check PDFs and write their outputs (tables, findings, report) into --out",
        description="Check every PDF given (a folder means every PDF directly in it) and write\n"
        "OUT/<pdf stem>/ for each, plus the history of editions OUT/whitepaper.duckdb. One line per\n"
        "document on stdout; one line per input that could not be processed on stderr.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_run.add_argument("inputs", nargs="+", metavar="PDF_OR_DIR", help="PDF files or folders of PDFs")
    p_run.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    p_run.add_argument(
        "--profile", type=Path, metavar="YAML", help="publisher profile to use (default: recognised from each PDF)"
    )
    p_run.add_argument(
        "--profiles",
        type=Path,
        action="append",
        metavar="DIR",
        help="a folder of publisher profiles searched before the package's (repeatable; also "
        "$WHITEPAPER_PROFILES; default: the package's profiles only)",
    )
    p_run.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1, naming the findings on stderr, when a finding of this severity or worse exists "
        "(default: exit 0 whatever the findings)",
    )
    p_run.add_argument(
        "--skip-unchanged",
        action="store_true",
        help="do not read again a PDF whose sha256, pipeline version and previous edition are as when it "
        "was last processed into --out (default: process every PDF)",
    )
    p_run.add_argument(
        "--refresh",
        action="store_true",
        help="recompute everything, even for a PDF this code has processed before (default: reuse the "
        "cached extraction and checks of an unchanged PDF)",
    )
    p_run.add_argument(
        "--max-pages",
        type=_positive(int),
        metavar="N",
        help=f"refuse documents with more pages (default: {DEFAULT_MAX_PAGES})",
    )
    p_run.add_argument(
        "--max-page-area",
        type=_positive(float),
        metavar="SQ_IN",
        help=f"refuse pages larger than this many square inches (default: {DEFAULT_MAX_PAGE_AREA_SQ_IN:g}, "
        "PDF's own 200 x 200 in limit)",
    )
    p_run.add_argument(
        "--max-seconds",
        type=_positive(float),
        metavar="S",
        help=LIMIT_HELP["max_seconds"],
    )
    p_run.add_argument("--max-inflated-mb", type=_positive(float), metavar="MB", help=LIMIT_HELP["max_inflated_mb"])
    p_run.add_argument(
        "--workers",
        type=_positive(int),
        metavar="N",
        help="process N documents at a time on a local Dask cluster of N worker processes (default: one "
        "document at a time, in this process)",
    )
    p_run.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        help="send the documents to a running Dask scheduler instead (its workers must see the PDFs and "
        "--out at the same paths)",
    )
    p_run.add_argument(
        "--wait",
        type=_positive(float, allow_zero=True),
        default=DEFAULT_WAIT_SECONDS,
        metavar="S",
        help=f"when another run is writing the same --out, wait up to S seconds, then exit 3 "
        f"(default: {DEFAULT_WAIT_SECONDS:g}; 0: refuse at once)",
    )
    p_run.add_argument(
        "--server-idle",
        type=_positive(float, allow_zero=True),
        default=default_idle_seconds(),
        metavar="S",
        help="without PREFECT_API_URL, runs share a local Prefect server; it stops after S seconds "
        f"unused (default: {DEFAULT_IDLE_SECONDS:g}, or ${IDLE_ENV}; 0: stop it when this run ends)",
    )
    p_run.add_argument("--quiet", action="store_true", help="print only problems (no progress, no line per document)")
    p_run.add_argument("--verbose", action="store_true", help="also show Prefect's logs and our debug lines")
    p_run.set_defaults(func=_cmd_run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whitepaper", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action=_Version, help="print the version and the pipeline code hash, then exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_run_parser(sub)

    p_tables = sub.add_parser(
        "tables",
        help="print the tables found in one PDF (fast: nothing is checked or written)",
        description="Print the tables found in one PDF, as text or JSON; nothing is checked or written.",
    )
    p_tables.add_argument("pdf", type=Path, metavar="PDF")
    p_tables.add_argument(
        "--format",
        choices=["json", "text"],
        default="text",
        help="text: a block per table; json: a list of {page, title, header_rows, rows, ...} (default: text)",
    )
    p_tables.set_defaults(max_pages=None, max_page_area=None)  # `run`'s other limits keep their defaults
    p_tables.add_argument("--max-seconds", type=_positive(float), metavar="S", help=LIMIT_HELP["max_seconds"])
    p_tables.add_argument("--max-inflated-mb", type=_positive(float), metavar="MB", help=LIMIT_HELP["max_inflated_mb"])
    p_tables.set_defaults(func=_cmd_tables)

    p_serve = sub.add_parser(
        "serve",
        help="check new or changed PDFs of a folder on a schedule, until stopped",
        description="Serve a Prefect deployment that checks every new or changed PDF of --raw on a "
        "schedule, until Ctrl-C or SIGTERM. Starts a local Prefect server unless PREFECT_API_URL is set.",
    )
    p_serve.add_argument("--raw", type=Path, default=Path("raw"), help="folder polled for PDFs (default: raw/)")
    p_serve.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    p_serve.add_argument(
        "--profile", type=Path, metavar="YAML", help="publisher profile to use (default: recognised from each PDF)"
    )
    p_serve.add_argument("--cron", default=DEFAULT_CRON, help=f"schedule (default: {DEFAULT_CRON!r}, daily at 06:00)")
    p_serve.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        help="run every SECONDS instead of on the cron schedule (default: use --cron)",
    )
    p_serve.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p_serve.set_defaults(func=_cmd_serve)

    p_status = sub.add_parser(
        "status",
        help="list the editions processed into an output folder",
        description="One line per edition in OUT/whitepaper.duckdb: id, year, sha256, when processed, "
        "finding counts, the previous edition it was compared with.",
    )
    p_status.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    p_status.add_argument("--format", choices=["text", "json"], default="text", help="(default: text)")
    p_status.set_defaults(func=_cmd_status)

    p_profile = sub.add_parser("profile", help="check a publisher profile, or draft one from a PDF")
    profile_sub = p_profile.add_subparsers(dest="action", required=True)
    p_check = profile_sub.add_parser("check", help="validate profile YAML files (exit 2 with one line per problem)")
    p_check.add_argument("files", nargs="+", type=Path)
    p_draft = profile_sub.add_parser("draft", help="write a starting profile from a PDF's tables, for you to finish")
    p_draft.add_argument("pdf", type=Path)
    p_draft.add_argument("--out", type=Path, help="write the YAML here (default: stdout)")
    p_profile.set_defaults(func=_cmd_profile)

    p_report = sub.add_parser(
        "report",
        help="rebuild the report (and Data Docs) of output folders, without reading the PDFs again",
        description="Rebuild report.html (and the Data Docs) of an output folder, or of every output "
        "folder in a folder, from its files.",
    )
    p_report.add_argument("dir", type=Path, metavar="DIR", help="an output folder (output/<doc>) or a folder of them")
    p_report.add_argument(
        "--pdf", type=Path, help="the run's PDF, to render the page crops again (checked by sha256; default: keep them)"
    )
    p_report.add_argument(
        "--no-data-docs", action="store_true", help="keep the Data Docs as they are (faster: no GX import)"
    )
    p_report.set_defaults(func=_cmd_report)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised where the main thread is (like KeyboardInterrupt for SIGINT)."""


_HANDLER_PID: list[int] = []


def _raise_terminated(signum, frame) -> None:
    if os.getpid() not in _HANDLER_PID:  # a forked child inherited the handler: die as SIGTERM means
        import signal

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated()


def _on_sigterm() -> None:
    """Stop on SIGTERM like on Ctrl-C: unwind (a half-written output folder is removed, the previous
    outputs stay, the output folder's lock and the server's lease are released), print one line.
    Prefect's flow engine puts its own handler in front during a run and hands the signal on to this
    one afterwards."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        _HANDLER_PID[:] = [os.getpid()]
        signal.signal(signal.SIGTERM, _raise_terminated)
        # SIGINT too, as `serve` does: a run started in the background by a script inherits SIGINT
        # ignored (a shell without job control does that), and `kill -INT` would then do nothing.
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.func is _cmd_run:
        _on_sigterm()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("whitepaper: interrupted; documents not finished keep their previous outputs", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("whitepaper: terminated (SIGTERM); documents not finished keep their previous outputs", file=sys.stderr)
        return EXIT_TERMINATED


if __name__ == "__main__":
    sys.exit(main())
