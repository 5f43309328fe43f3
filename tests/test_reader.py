"""The one document reader (extractors.reader): `whitepaper run` and `whitepaper tables` read a PDF the
same way (time budget, per-page guard, worker processes for long documents), and how many processes
read the pages never changes what comes out."""

from __future__ import annotations

import json

import pytest

import extractors.reader
import extractors.tables
from extractors.pdf_open import InputError, OpenLimits, open_pdf
from extractors.reader import extract_document, read_pages
from flows.cli import EXIT_BAD_INPUT, EXIT_OK, main
from tests.pdfgen import TableSpec, render_image_only_pdf, render_prose_pdf, render_table_pdf

BROKEN = "damaged: 1 page(s) not fully read (page 2: PdfminerException: broken content stream)"


def _fail_page(monkeypatch, number: int) -> None:
    from pdfplumber.utils.exceptions import PdfminerException

    real = extractors.tables.page_to_tables

    def failing(page, settings):
        if page.page_number == number:
            raise PdfminerException("broken content stream")
        return real(page, settings)

    monkeypatch.setattr(extractors.tables, "page_to_tables", failing)


def _workers(monkeypatch, n: int) -> None:
    """Read with `n` processes whatever the machine's load (worker_count looks at idle cores)."""
    monkeypatch.setattr(extractors.reader, "worker_count", lambda pages, settings: min(n, pages))


def _document(extract) -> tuple:
    tables = [(t.to_json(), t.body_boxes, t.title_box) for t in extract.tables]
    return tables, extract.sentences, extract.facts, extract.warnings, extract.damage, extract.head_text


def _long_pdf(path) -> None:
    body = [[f"Region {i}", f"{1000 + 7 * i:,}", str(i)] for i in range(40)]
    specs = [
        TableSpec(
            header=[["Region", "Patents", "Cases"]],
            body=body,
            title=f"Number of Patents by Region in {2020 + k}",
            unit="piece",
            rules=rules,
            split_after=25,
            repeat_header=True,
            page_break_before=True,
        )
        for k, rules in enumerate(("grid", "horizontal", "none"))
    ]
    render_table_pdf(str(path), specs)


def test_tables_command_refuses_a_file_without_text_layer_like_run(tmp_path, capsys):
    render_image_only_pdf(str(tmp_path / "scan.pdf"), pages=2)
    assert main(["tables", str(tmp_path / "scan.pdf")]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"whitepaper: {tmp_path / 'scan.pdf'}: no text layer (scanned or image-only pages; OCR is not supported)\n"
    )


def test_tables_command_skips_a_page_that_cannot_be_read_with_one_line(tmp_path, capsys, monkeypatch):
    render_prose_pdf(str(tmp_path / "three.pdf"), pages=3)
    _fail_page(monkeypatch, 2)
    assert main(["tables", str(tmp_path / "three.pdf"), "--format", "json"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert err == f"whitepaper: {tmp_path / 'three.pdf'}: {BROKEN}\n"


def test_tables_only_reads_no_prose(tmp_path):
    render_prose_pdf(str(tmp_path / "prose.pdf"), pages=2)
    extract = extract_document(tmp_path / "prose.pdf", prose=False)
    assert (extract.sentences, extract.facts, extract.head_text) == ([], [], "")
    assert extract.warnings == ["no tables found"] and extract.damage == []


@pytest.mark.parametrize("workers", [2, 3])
def test_worker_processes_give_the_same_document(tmp_path, monkeypatch, workers):
    _long_pdf(tmp_path / "long.pdf")
    _workers(monkeypatch, 1)
    one = extract_document(tmp_path / "long.pdf")
    _workers(monkeypatch, workers)
    many = extract_document(tmp_path / "long.pdf")
    assert one.pages >= 6 and len(one.tables) == 3 and one.sentences
    assert _document(many) == _document(one)


def test_a_page_that_fails_in_a_worker_process_is_skipped_like_in_one(tmp_path, monkeypatch):
    render_prose_pdf(str(tmp_path / "six.pdf"), pages=6)
    _fail_page(monkeypatch, 2)  # page 2 is read by the second process
    _workers(monkeypatch, 1)
    one = extract_document(tmp_path / "six.pdf")
    _workers(monkeypatch, 2)
    many = extract_document(tmp_path / "six.pdf")
    assert BROKEN in one.warnings and one.damage == [BROKEN]
    assert _document(many) == _document(one)


def test_time_budget_counts_the_pages_of_every_process(tmp_path):
    render_prose_pdf(str(tmp_path / "four.pdf"), pages=4)
    with open_pdf(tmp_path / "four.pdf") as pdf, pytest.raises(InputError) as caught:
        read_pages(pdf, tmp_path / "four.pdf", OpenLimits(max_seconds=1e-9), workers=2)
    assert caught.value.kind == "limit" and "after 0 of 4 pages" in caught.value.reason
