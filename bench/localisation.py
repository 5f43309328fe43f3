"""Error localisation, measured: findings against causes (roots) and the time localisation takes, on the
2023 paper and on the generated nine-error edition (tests/nine_error_edition.py).

    PYTHONPATH=. python bench/localisation.py [--out DIR]

Runs the pure pipeline (extract -> normalise -> validate, no Prefect) and prints, per document, the
findings by severity, the causes, each cause's numbers with their suggested values, and the seconds spent
in localisation (timed around expectations.validation.localise; figures taken on a loaded machine are
provisional).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

import expectations.validation as validation
from expectations.validation import validate_document
from extractors.reader import extract_document
from normalise.document import normalise_document
from tests.edition_gen import render_edition
from tests.nine_error_edition import NineErrorEdition

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "raw" / "jiangsu-ipr-2023.pdf"


def _timed_localise():
    spent = []
    original = validation.localise

    def timed(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        spent.append(time.perf_counter() - started)
        return result

    validation.localise = timed
    return spent


def measure(pdf: Path, spent: list[float]) -> None:
    normalised = normalise_document(extract_document(pdf), pdf)
    findings = validate_document(normalised.cells, normalised.profile, facts=normalised.facts).findings
    by_severity = Counter(findings["severity"])
    failed = findings[findings["status"] == "fail"]
    errors = failed[failed["severity"] == "error"]
    roots = errors[errors["root_id"] == errors["finding_id"]]
    print(f"\n{pdf.name}")
    print(f"  findings: {len(findings)} ({', '.join(f'{n} {s}' for s, n in sorted(by_severity.items()))})")
    print(f"  error findings {len(errors)} -> causes {errors['root_id'].nunique()}; localisation {spent[-1]:.2f} s")
    for _, root in roots.iterrows():
        symptoms = int((errors["root_id"] == root["finding_id"]).sum())
        print(
            f"  {root['finding_id']} [{root['confidence']}] {symptoms} finding(s): "
            f"{root['suspect_ids']} -> {root['suggested_values']} ({root['repair_kind']})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="folder for the generated PDF (default: a temporary folder)")
    args = parser.parse_args()
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="localisation-"))
    folder.mkdir(parents=True, exist_ok=True)
    edition = folder / "jiangsu-ipr-2024-nine-errors.pdf"
    render_edition(edition, NineErrorEdition())
    spent = _timed_localise()
    for pdf in (FIXTURE, edition):
        measure(pdf, spent)


if __name__ == "__main__":
    main()
