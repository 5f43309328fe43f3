"""The `whitepaper` command line. Thin: parse arguments, call the library, map outcomes to exit codes.

Heavy imports (Prefect, Great Expectations) happen inside the subcommand that needs them, so
`whitepaper tables` starts fast.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1  # only with --fail-on
EXIT_BAD_INPUT = 2  # bad usage or at least one unreadable input


def _cmd_tables(args: argparse.Namespace) -> int:
    from extractors.pdf_open import InputError
    from extractors.tables import extract_tables

    try:
        tables = extract_tables(args.pdf)
    except InputError as exc:
        print(f"whitepaper: {exc.path}: {exc.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whitepaper", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_tables = sub.add_parser("tables", help="print the tables found in one PDF")
    p_tables.add_argument("pdf", type=Path)
    p_tables.add_argument("--format", choices=["json", "text"], default="text")
    p_tables.set_defaults(func=_cmd_tables)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
