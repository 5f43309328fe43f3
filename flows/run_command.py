"""`whitepaper run`: inputs -> one flow run -> a line per document -> the exit code.

In the order a user waits for it:
1. the inputs are listed, and every file is opened as a PDF before anything heavy starts: a batch of
   bad inputs is refused in well under a second (flows.inputs);
2. the output folder is locked for this run (flows.output_lock): a second run on it waits or is refused;
3. Great Expectations' own process (expectations.gx_process), importing GX on another core meanwhile;
   the Prefect API: PREFECT_API_URL when set, else the shared local server (flows.local_server), whose
   start overlaps the imports of the pipeline;
4. the flow, with a progress display on a terminal (flows.progress) and each document's line as soon as
   it is finished; with --workers / --dask-address on a Dask task runner (flows.dask_runner).
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

from flows.exit_codes import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_LOCKED, EXIT_OK
from flows.results import STATUS_REJECTED


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def limits_given(args: argparse.Namespace) -> dict:
    """The `OpenLimits` fields given on the command line (the others keep their defaults); `run` and
    `tables` share them."""
    given = {"max_pages": args.max_pages, "max_page_area_sq_in": args.max_page_area, "max_seconds": args.max_seconds}
    given["max_inflated_mb"] = args.max_inflated_mb
    return {k: v for k, v in given.items() if v is not None}


def output_problem(out: Path) -> str:
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


def _inputs(args: argparse.Namespace) -> tuple[list[Path], bool]:
    """The PDFs to process, after printing one line for each input that is not one; (files, any problem)."""
    from flows.inputs import expand_inputs, openable_pdfs, output_collisions

    files, problems = expand_inputs(args.inputs)
    files, collisions = output_collisions(files)
    files, unopenable = openable_pdfs(files, limits_given(args))
    for problem in problems + collisions + unopenable:
        _say(f"whitepaper: {problem.path}: {problem.reason}")
    return files, bool(problems or collisions or unopenable)


@contextmanager
def _prefect_api(args: argparse.Namespace):
    """The API URL the flow uses; the shared local server is started (or found) when none is set, and
    the pipeline's modules are imported while it starts."""
    from flows.local_server import LocalServer

    configured = os.environ.get("PREFECT_API_URL")
    server = None if configured else LocalServer(args.server_idle)
    try:
        if server is not None:
            server.begin()
        import flows.flow  # noqa: F401  (Prefect, pandas, the stages: overlaps the server's start)

        api_url = configured or server.wait()
        with _api_settings(api_url):
            yield api_url
    finally:
        if server is not None:
            server.release()


@contextmanager
def _api_settings(api_url: str):
    """Point this process's Prefect (already imported) and any process it starts (Dask workers) at the API."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before


def _reporter(args: argparse.Namespace):
    from flows import progress
    from flows.summary import document_lines

    def lines(result):
        return document_lines(result, quiet=args.quiet)

    live = not args.quiet and sys.stderr.isatty() and sys.stdout.isatty()
    return progress.LiveReporter(lines) if live else progress.LineReporter(lines)


def _flow(args: argparse.Namespace):
    from flows.flow import whitepaper_flow

    if args.workers or args.dask_address:
        from flows.dask_runner import dask_task_runner

        return whitepaper_flow.with_options(task_runner=dask_task_runner(args.workers, args.dask_address))
    return whitepaper_flow


def cmd_run(args: argparse.Namespace) -> int:
    from flows.output_lock import OutputLocked, output_lock

    out = Path(args.out)
    problem = output_problem(out)
    if problem:
        _say(f"whitepaper: {args.out}: {problem}")
        return EXIT_BAD_INPUT
    files, had_problems = _inputs(args)
    if not files:
        return EXIT_BAD_INPUT
    from normalise.profile_commands import options_problem

    profile_problem = options_problem(args.profile, args.profiles or ())
    if profile_problem:  # a broken --profile / --profiles folder: refused before any input is read
        _say(f"whitepaper: {profile_problem}")
        return EXIT_BAD_INPUT
    if args.dask_address:
        from flows.dask_runner import unreachable

        why = unreachable(args.dask_address)
        if why:
            _say(f"whitepaper: {args.dask_address}: Dask scheduler not reachable: {why}")
            return EXIT_BAD_INPUT

    def waiting() -> None:
        _say(f"whitepaper: {args.out}: another run is writing this output folder; waiting up to {args.wait:g} s")

    from flows import up_to_date
    from flows.local_server import LocalServerError

    try:
        with ExitStack() as stack:
            stack.enter_context(output_lock(out, args.wait, waiting))
            options = _output_options(args)
            asked = up_to_date.request(files, options)
            done = None if args.refresh else up_to_date.recalled(out, asked)
            if done is not None:  # this exact run was done and its outputs are untouched: nothing to do
                _print_lines(done, args.quiet)
                return _exit_code(done, had_problems, args.fail_on)
            results = _run_flow(args, stack, files, out, options)
            if all(r.status != STATUS_REJECTED for r in results):  # a refusal may be transient (time budget)
                up_to_date.remember(out, asked, results)
    except OutputLocked as exc:
        _say(f"whitepaper: {args.out}: {exc}")
        return EXIT_LOCKED
    except LocalServerError as exc:
        _say(f"whitepaper: {exc}")
        return EXIT_BAD_INPUT
    return _exit_code(results, had_problems, args.fail_on)


def _output_options(args: argparse.Namespace) -> dict:
    """The options that shape what a run writes: the flow's parameters, and what flows.up_to_date
    compares between runs."""
    return {
        "out": str(args.out),
        "profile": str(args.profile) if args.profile else None,
        "profile_dirs": [str(d) for d in args.profiles or ()],
        "limits": limits_given(args),
        "skip_unchanged": args.skip_unchanged,
    }


def _run_flow(args: argparse.Namespace, stack: ExitStack, files: list[Path], out: Path, options: dict) -> list:
    """The real run: the stamp of the last one goes first (a run that dies leaves none), then the flow."""
    from flows import progress, up_to_date
    from publish.files import clean_stale_temporaries

    up_to_date.forget(out)
    clean_stale_temporaries(out)
    parallel = bool(args.workers or args.dask_address)
    # GX imports on another core meanwhile (expectations.gx_process). Not on Dask (each worker imports
    # its own), nor when this process has imported GX already (a caller's, e.g. a test's): no gain.
    if not parallel and "great_expectations" not in sys.modules:
        from expectations import gx_process

        stack.enter_context(gx_process.running())
    stack.enter_context(_prefect_api(args))
    stack.enter_context(progress.reporting(_reporter(args)))
    return _flow(args)(
        [str(f) for f in files],
        out_dir=options["out"],
        profile_path=options["profile"],
        skip_unchanged=options["skip_unchanged"],
        limits=options["limits"],
        refresh=args.refresh,
        profile_dirs=options["profile_dirs"],
        parallel=parallel,
    )


def _print_lines(results: list, quiet: bool) -> None:
    """The documents' lines as a run prints them when not on a terminal (no progress to show)."""
    from flows import progress
    from flows.summary import document_lines

    reporter = progress.LineReporter(lambda result: document_lines(result, quiet=quiet))
    for result in results:
        reporter.finished(result)


def _exit_code(results, had_problems: bool, fail_on: str | None) -> int:
    from flows.summary import failing_lines, fails

    if had_problems or any(r.status == STATUS_REJECTED for r in results):
        return EXIT_BAD_INPUT
    failing = [r for r in results if fails(r.findings, fail_on)]
    for result in failing:
        for line in failing_lines(result, fail_on):
            _say(line)
    return EXIT_FINDINGS if failing else EXIT_OK
