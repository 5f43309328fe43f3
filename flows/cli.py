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

from extractors.pdf_open import DEFAULT_MAX_PAGE_AREA_SQ_IN, DEFAULT_MAX_PAGES, DEFAULT_MAX_SECONDS

EXIT_OK = 0
EXIT_FINDINGS = 1  # only with --fail-on
EXIT_BAD_INPUT = 2  # bad usage or at least one unreadable input
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (128 + SIGTERM)
SEVERITIES = ("error", "warning", "info")
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
    threshold = SEVERITIES.index(fail_on)
    return any(findings.get(sev, 0) for sev in SEVERITIES[: threshold + 1])


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
    from flows.publish import clean_stale_temporaries

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

    from flows.flow import STATUS_REJECTED, whitepaper_flow

    results = whitepaper_flow([str(f) for f in files], out_dir=str(args.out),
                              profile_path=str(args.profile) if args.profile else None, limits=_limits(args),
                              refresh=args.refresh)
    failing = False
    for result in results:
        if result.status == STATUS_REJECTED:
            print(f"whitepaper: {result.path}: {result.reason}", file=sys.stderr)
            exit_code = EXIT_BAD_INPUT
            continue
        counts = ", ".join(f"{result.findings.get(s, 0)} {s}" for s in SEVERITIES)
        notes = "".join(f"; {w}" for w in result.warnings)
        print(f"{result.path} -> {result.out_dir} ({counts}{notes})")
        failing |= _fails(result.findings, args.fail_on)
    if exit_code == EXIT_OK and failing:
        exit_code = EXIT_FINDINGS
    return exit_code


def _cmd_tables(args: argparse.Namespace) -> int:
    from extractors.pdf_open import InputError, pdfminer_warnings
    from extractors.tables import extract_tables

    warnings: list[str] = []
    try:
        with pdfminer_warnings(warnings):  # damage pdfminer recovered from: one line each, not its log
            tables = extract_tables(args.pdf)
    except InputError as exc:
        print(f"whitepaper: {exc.path}: {exc.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for warning in warnings:
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
    p_run.add_argument("--fail-on", choices=SEVERITIES, help="exit 1 when a finding of this severity or worse exists")
    p_run.add_argument("--max-pages", type=_positive(int), metavar="N",
                       help=f"refuse documents with more pages (default {DEFAULT_MAX_PAGES})")
    p_run.add_argument("--max-page-area", type=_positive(float), metavar="SQ_IN",
                       help=f"refuse pages larger than this many square inches (default {DEFAULT_MAX_PAGE_AREA_SQ_IN:g}, "
                            "PDF's own 200 x 200 in limit)")
    p_run.add_argument("--max-seconds", type=_positive(float), metavar="S",
                       help=f"time budget for reading one document, checked between pages (default {DEFAULT_MAX_SECONDS:g})")
    p_run.add_argument("--refresh", action="store_true",
                       help="re-read every PDF even when the same file was extracted before (the cache is keyed "
                            "on the file's hash and the extractor code)")
    p_run.add_argument("--verbose", action="store_true", help="show Prefect's logs and our debug lines")
    p_run.set_defaults(func=_cmd_run)
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
