"""Command-line inputs -> the PDF files to process, and one-line problems for the ones that are not.

A directory means every PDF directly inside it (`whitepaper run raw/`). Two inputs with the same file
name would write the same output folder: the second is refused rather than overwrite the first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

PDF_SUFFIX = ".pdf"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputProblem:
    path: str
    reason: str


def pdfs_in(folder: Path) -> list[Path]:
    """The PDFs directly in a folder (any case of `.pdf`), in name order; none when it does not exist."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == PDF_SUFFIX)


def expand_inputs(paths: list[str | Path]) -> tuple[list[Path], list[InputProblem]]:
    """Files to process (in a stable order, each once) and the inputs that name nothing to process."""
    files: list[Path] = []
    problems: list[InputProblem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = pdfs_in(path)
            if not found:
                problems.append(InputProblem(str(path), "directory contains no PDF files"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(InputProblem(str(path), "no such file or directory"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def output_collisions(files: list[Path]) -> tuple[list[Path], list[InputProblem]]:
    """Files whose outputs (`<out>/<stem>/`) do not collide, and a problem for each later namesake."""
    kept: list[Path] = []
    problems: list[InputProblem] = []
    first: dict[str, Path] = {}
    for f in files:
        if f.stem in first:
            problems.append(
                InputProblem(
                    str(f),
                    f"same file name as {first[f.stem]} (both would write the output folder {f.stem}/); rename one",
                )
            )
            continue
        first[f.stem] = f
        kept.append(f)
    return kept, problems


def openable_pdfs(files: list[Path], limits: dict | None = None) -> tuple[list[Path], list[InputProblem]]:
    """The files that open as PDFs within the limits, and a problem for each one that does not.

    Done before Prefect starts, so that a batch of bad inputs is refused in well under a second; the
    extract task opens each file again and says the same for a file that changes in between. What
    only reading the pages can tell (no text layer, the time budget) is left to the extract task.
    """
    from extractors.pdf_open import KIND_MISSING, InputError, OpenLimits, open_pdf, pdfminer_warnings

    open_limits = OpenLimits(**(limits or {}))
    kept: list[Path] = []
    problems: list[InputProblem] = []
    for f in files:
        try:
            with pdfminer_warnings([]), open_pdf(f, open_limits):  # its warnings are the extract task's to report
                pass
        except InputError as exc:
            # vanished since it was listed: said as the flow says it
            reason = "cannot read file (No such file or directory)" if exc.kind == KIND_MISSING else exc.reason
            problems.append(InputProblem(str(f), reason))
            continue
        except Exception:  # an unforeseen failure is the extract task's to report ("internal error while ...")
            log.debug("%s: could not be opened before the run", f, exc_info=True)
        kept.append(f)
    return kept, problems
