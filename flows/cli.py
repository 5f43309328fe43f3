"""The `whitepaper` command line. Thin: parse arguments, call the library, map outcomes to exit codes.

Heavy imports (Prefect, Great Expectations) happen inside the subcommand that needs them, so
`whitepaper tables` starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from expectations.severity import SEVERITIES, at_least
from extractors.pdf_open import DEFAULT_MAX_PAGE_AREA_SQ_IN, DEFAULT_MAX_PAGES, DEFAULT_MAX_SECONDS

EXIT_OK = 0
EXIT_FINDINGS = 1  # only with --fail-on
EXIT_BAD_INPUT = 2  # bad usage or at least one unreadable input
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (128 + SIGTERM)
DEFAULT_CRON = "0 6 * * *"  # `whitepaper serve`: every day at 06:00 (UTC unless the server says otherwise)
QUIET_ENV = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "False",
}


def _quiet(verbose: bool) -> None:
    """Keep the console to one line per document unless asked for more (set before Prefect imports)."""
    for key, value in QUIET_ENV.items():
        if verbose and key == "PREFECT_LOGGING_LEVEL":
            continue
        os.environ.setdefault(key, value)


def _fails(findings: dict[str, int], fail_on: str | None) -> bool:
    if not fail_on:
        return False
    return any(findings.get(sev, 0) for sev in at_least(fail_on))


def _limits(args: argparse.Namespace) -> dict:
    """The `OpenLimits` fields given on the command line (the others keep their defaults)."""
    given = {"max_pages": args.max_pages, "max_page_area_sq_in": args.max_page_area, "max_seconds": args.max_seconds}
    return {k: v for k, v in given.items() if v is not None}


def _output_problem(out: Path) -> str:
    """Why the output folder cannot be used, or ''."""
    if out.exists() and not out.is_dir():
        return "output folder exists and is not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create output folder ({exc.strerror or exc})"
    if not os.access(out, os.W_OK | os.X_OK):
        return "output folder is not writable"
    return ""


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


def _cmd_run(args: argparse.Namespace) -> int:
    _quiet(args.verbose)
    _debug_log(args.verbose)
    from flows.inputs import expand_inputs, output_collisions
    from publish.files import clean_stale_temporaries

    out_problem = _output_problem(Path(args.out))
    if out_problem:
        print(f"whitepaper: {args.out}: {out_problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    files, problems = expand_inputs(args.inputs)
    files, collisions = output_collisions(files)
    problems += collisions
    for problem in problems:
        print(f"whitepaper: {problem.path}: {problem.reason}", file=sys.stderr)
    exit_code = EXIT_BAD_INPUT if problems else EXIT_OK
    if not files:
        return EXIT_BAD_INPUT
    clean_stale_temporaries(Path(args.out))
    profile_problem = _profile_options_problem(args)
    if profile_problem:
        print(f"whitepaper: {profile_problem}", file=sys.stderr)
        return EXIT_BAD_INPUT

    from flows.flow import STATUS_REJECTED, STATUS_SKIPPED, whitepaper_flow

    results = whitepaper_flow(
        [str(f) for f in files],
        out_dir=str(args.out),
        profile_path=str(args.profile) if args.profile else None,
        skip_unchanged=args.skip_unchanged,
        limits=_limits(args),
        refresh=args.refresh,
        profile_dirs=[str(d) for d in args.profiles or ()],
    )
    failing = False
    for result in results:
        if result.status == STATUS_REJECTED:
            print(f"whitepaper: {result.path}: {result.reason}", file=sys.stderr)
            exit_code = EXIT_BAD_INPUT
            continue
        counts = ", ".join(f"{result.findings.get(s, 0)} {s}" for s in SEVERITIES)
        notes = "".join(f"; {w}" for w in result.warnings)
        if result.status == STATUS_SKIPPED:
            notes += "; unchanged since its last run, skipped"
        print(f"{result.path} -> {result.out_dir} ({counts}{notes})")
        failing |= _fails(result.findings, args.fail_on)
    if exit_code == EXIT_OK and failing:
        exit_code = EXIT_FINDINGS
    return exit_code


def _profile_options_problem(args: argparse.Namespace) -> str:
    from normalise.profile_commands import options_problem

    return options_problem(args.profile, args.profiles or ())


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
    from extractors.pdf_open import InputError
    from extractors.reader import extract_document

    try:
        extract = extract_document(args.pdf, prose=False)  # the reader `run` uses, tables only
    except InputError as exc:
        print(f"whitepaper: {exc.path}: {exc.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    tables = extract.tables
    for warning in extract.damage:  # pages not read as printed: one line each, not pdfminer's log
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


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0: {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whitepaper", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_tables = sub.add_parser("tables", help="print the tables found in one PDF")
    p_tables.add_argument("pdf", type=Path)
    p_tables.add_argument("--format", choices=["json", "text"], default="text")
    p_tables.set_defaults(func=_cmd_tables)

    p_run = sub.add_parser("run", help="run the pipeline (Prefect flow) on PDFs or folders of PDFs")
    p_run.add_argument("inputs", nargs="+", help="PDF files or folders (a folder means every PDF in it)")
    p_run.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    p_run.add_argument("--profile", type=Path, help="publisher profile YAML (default: recognised from the PDF)")
    p_run.add_argument(
        "--profiles",
        type=Path,
        action="append",
        metavar="DIR",
        help="a folder of publisher profiles searched before the package's (repeatable; also $WHITEPAPER_PROFILES)",
    )
    p_run.add_argument("--fail-on", choices=SEVERITIES, help="exit 1 when a finding of this severity or worse exists")
    p_run.add_argument(
        "--max-pages",
        type=_positive(int),
        metavar="N",
        help=f"refuse documents with more pages (default {DEFAULT_MAX_PAGES})",
    )
    p_run.add_argument(
        "--max-page-area",
        type=_positive(float),
        metavar="SQ_IN",
        help=f"refuse pages larger than this many square inches (default {DEFAULT_MAX_PAGE_AREA_SQ_IN:g}, "
        "PDF's own 200 x 200 in limit)",
    )
    p_run.add_argument(
        "--max-seconds",
        type=_positive(float),
        metavar="S",
        help=f"time budget for reading one document, checked between pages (default {DEFAULT_MAX_SECONDS:g})",
    )
    p_run.add_argument(
        "--refresh",
        action="store_true",
        help="re-read every PDF even when the same file was extracted before (the cache is keyed "
        "on the file's hash and the extractor code)",
    )
    p_run.add_argument("--verbose", action="store_true", help="show Prefect's logs and our debug lines")
    p_run.add_argument(
        "--skip-unchanged",
        action="store_true",
        help="skip PDFs whose sha256, pipeline version and previous edition are as last ingested",
    )
    p_run.set_defaults(func=_cmd_run)

    p_serve = sub.add_parser("serve", help="serve a Prefect deployment that ingests new or changed PDFs on a schedule")
    p_serve.add_argument("--raw", type=Path, default=Path("raw"), help="folder polled for PDFs (default: raw/)")
    p_serve.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    p_serve.add_argument("--profile", type=Path, help="publisher profile YAML (default: recognised from the PDF)")
    p_serve.add_argument("--cron", default=DEFAULT_CRON, help=f"schedule (default: {DEFAULT_CRON!r}, daily at 06:00)")
    p_serve.add_argument("--interval", type=float, help="run every SECONDS instead of on the cron schedule")
    p_serve.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p_serve.set_defaults(func=_cmd_serve)

    p_status = sub.add_parser("status", help="list the editions in the history database")
    p_status.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    p_status.add_argument("--format", choices=["text", "json"], default="text")
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
        "report", help="rebuild report.html (and the Data Docs) from output folders, without re-extracting"
    )
    p_report.add_argument("dir", type=Path, help="an output folder (output/<doc>) or a folder of them")
    p_report.add_argument("--pdf", type=Path, help="the run's PDF, to re-render the page crops (checked by sha256)")
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
    outputs stay), stop Prefect's temporary server at exit, print one line. Prefect's flow engine puts
    its own handler in front during a run and hands the signal on to this one afterwards."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        _HANDLER_PID[:] = [os.getpid()]
        signal.signal(signal.SIGTERM, _raise_terminated)


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
