"""The live progress display (flows.progress.LiveReporter), rendered into a recording terminal console:
per document, per stage and per page, with each finished document's line printed above it."""

from __future__ import annotations

import io

from rich.console import Console

from flows.progress import LiveReporter


def _reporter() -> tuple[LiveReporter, io.StringIO]:
    reporter = LiveReporter(lambda result: [(f"{result} -> done", False)])
    screen = io.StringIO()
    reporter.progress.live.console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    return reporter, screen


def _pages_bar(reporter: LiveReporter):
    (bar,) = [t for t in reporter.progress.tasks if t.id == reporter._pages]
    return bar


def test_each_document_shows_its_own_stage_and_pages_and_its_line_when_finished():
    reporter, screen = _reporter()
    reporter.begin(2)
    reporter.document(0, "/in/first.pdf")
    reporter.stage("reading pages")
    reporter.page(19, 19)
    assert _pages_bar(reporter).description == "[1/2] first.pdf: reading pages"
    assert (_pages_bar(reporter).completed, _pages_bar(reporter).total) == (19, 19)
    reporter.finished("first.pdf")
    reporter.document(1, "/in/second.pdf")
    bar = _pages_bar(reporter)  # a new document: no page count until its pages are known
    assert bar.description == "[2/2] second.pdf: opening" and bar.total is None and bar.completed == 0
    reporter.progress.refresh()
    shown = screen.getvalue()
    assert "first.pdf -> done" in shown and "[2/2] second.pdf: opening" in shown
    (documents,) = [t for t in reporter.progress.tasks if t.id == reporter._docs]
    assert (documents.completed, documents.total) == (1, 2)
    reporter.close()
