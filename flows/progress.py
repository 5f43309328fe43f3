"""What a run shows while it works.

The flow reports to `current()`: a batch begins, a document starts, a stage starts, a page is read, a
document is finished. The command line installs the reporter for the run (`reporting`):

- `Reporter` (the default, and what a task running on a Dask worker sees): shows nothing;
- `LineReporter`: one plain line per document as soon as it is finished (logs, pipes, CI);
- `LiveReporter`: on a terminal, a live display (rich) of the documents and of the current
  document's stage and pages, with each document's line printed above it as it finishes.

A finished document's lines come from `lines(result)`, the command line's formatter: (text, is_error)
pairs, printed on stdout, errors on stderr. A document checked again later in the run (its previous
edition arrived after it) is finished a second time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REFRESH_PER_SECOND = 8
Lines = Callable[[object], list[tuple[str, bool]]]


class Reporter:
    """Shows nothing."""

    def begin(self, total: int) -> None:
        pass

    def document(self, index: int, path: str) -> None:
        pass

    def stage(self, name: str) -> None:
        pass

    def page(self, done: int, total: int) -> None:
        pass

    def finished(self, result) -> None:
        pass

    def close(self) -> None:
        pass


class LineReporter(Reporter):
    """Each finished document's lines, printed as soon as they are known."""

    def __init__(self, lines: Lines):
        self.lines = lines

    def finished(self, result) -> None:
        for text, is_error in self.lines(result):
            print(text, file=sys.stderr if is_error else sys.stdout, flush=True)


class LiveReporter(LineReporter):
    """A live display on the terminal (stderr): documents done, and the current document's stage and
    pages; the documents' lines are printed above it through the same console."""

    def __init__(self, lines: Lines):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.lines = lines
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
            refresh_per_second=REFRESH_PER_SECOND,
        )
        self.total = 0
        self.index = 0
        self.name = ""
        self.done: set[int] = set()
        self._docs = None
        self._pages = None

    def begin(self, total: int) -> None:
        self.total = total
        self.progress.start()
        self._docs = self.progress.add_task("documents", total=total, unit="documents")

    def document(self, index: int, path: str) -> None:
        self.index, self.name = index, Path(path).name
        # A new bar per document: rich's reset(total=None) keeps the last document's page count.
        if self._pages is not None:
            self.progress.remove_task(self._pages)
        self._pages = self.progress.add_task(self._label("opening"), total=None, unit="")

    def _label(self, stage: str) -> str:
        return f"[{self.index + 1}/{self.total}] {self.name}: {stage}"

    def stage(self, name: str) -> None:
        self.progress.update(self._pages, description=self._label(name))

    def page(self, done: int, total: int) -> None:
        self.progress.update(self._pages, completed=done, total=total, unit="pages")

    def finished(self, result) -> None:
        if self.index not in self.done:
            self.done.add(self.index)
            self.progress.update(self._docs, completed=len(self.done))
        for text, _ in self.lines(result):  # stdout and stderr are this terminal
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        self.progress.stop()


_CURRENT: list[Reporter] = [Reporter()]


def current() -> Reporter:
    return _CURRENT[-1]


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Make `reporter` the run's reporter for the block, and close it at the end."""
    _CURRENT.append(reporter)
    try:
        yield reporter
    finally:
        _CURRENT.remove(reporter)
        reporter.close()
