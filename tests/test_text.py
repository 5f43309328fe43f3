"""Prose text extraction: reading order, running headers and folios dropped, tables excluded,
section paths, sentences across page breaks. On the fixture and on a PDF made here with reportlab."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.prose.sentences import extract_sentences


@pytest.fixture(scope="module")
def sentences(fixture_sentences):
    return fixture_sentences


def find(sentences, start: str):
    hits = [s for s in sentences if s.text.startswith(start)]
    assert len(hits) == 1, f"{start!r}: {len(hits)} sentences"
    return hits[0]


def test_running_header_and_page_numbers_are_gone(sentences):
    texts = [s.text for s in sentences]
    assert not any(t.startswith("White Paper of Development and Protection") for t in texts)
    assert not any(t.strip("— ").isdigit() for t in texts)
    assert not any("— " in t for t in texts)


def test_section_paths(sentences):
    copyright = find(sentences, "In 2023, Jiangsu registered 331,814 works")
    assert copyright.section == "B.Main Indicators of IPR Creation / (III) Copyright Registration and Contract Filing"
    pilots = find(sentences, "A total of 96 cases involving patent invalidation")
    assert pilots.section == "C. IPR Protection / (IV) Abundant Achievements in IPR Protection Reform / Pilots"
    two_line = find(sentences, "This initiative has catalyzed the cultivation of 628 projects")
    assert two_line.section == (
        "D. Utilization of IPRs / (I) High-level Empowerment for Industrial Development "
        "with Improved Quality and Efficiency"
    )
    assert find(sentences, "The year 2023 marks the first year").section == ""  # preface under the title


def test_sentence_across_a_page_break(sentences):
    contracts = find(sentences, "In 2023, Jiangsu registered 2,007 copyright contracts")
    assert (
        contracts.text == "In 2023, Jiangsu registered 2,007 copyright contracts, "
        "including 494 for the introduction of copyrighted books."
    )
    assert contracts.page == 6 and contracts.pages == (6, 7)
    assert [b.page for b in contracts.boxes] == [6, 7, 7]


def test_sentence_boxes_cover_the_sentence_only(sentences):
    trademark = find(sentences, "As of the end of 2023, Jiangsu recorded 2,910,731")
    assert trademark.page == 5
    first, last = trademark.boxes[0], trademark.boxes[-1]
    assert first.top == pytest.approx(357.3, abs=0.5) and first.x0 > 250  # starts mid-line, after "YoY."
    assert last.bottom < 390 and last.x1 == pytest.approx(390.9, abs=0.5)


def test_tables_are_excluded_and_captions_are_not_prose(sentences):
    body = [s for s in sentences if s.kind == "body"]
    assert not any("139,331" in s.text or "Suqian 17" in s.text for s in sentences)
    captions = [s.text for s in sentences if s.kind == "caption"]
    assert "Number of PCT Patent Applications by Region in Jiangsu in 2023" in captions
    assert not any(s.text.startswith("Number of PCT Patent Applications by Region") for s in body)
    assert len(body) == 249


def test_without_table_boxes_table_text_is_still_not_prose(fixture_document):
    sentences = extract_sentences(fixture_document)
    body = [s.text for s in sentences if s.kind == "body"]
    assert not any("139,331" in t for t in body)
    assert len(body) == 249


# --- a document made here: other header, other folio, other fonts -----------------------------------
LOREM = (
    "The harbour board handled 1,240 vessels in the quarter, and the average stay fell to 2.4 days. "
    "Night arrivals grew faster than day arrivals, which the board attributes to the new pilot roster. "
    "Crane availability stayed above target for the whole period."
)


# Content transforms (reportlab's a, b, c, d, e, f) that store an upright A4 page turned by a quarter turn
# on a landscape page, so its text runs down (90) or up (270) the page as stored.
SIDEWAYS = {90: lambda w, h: (0, -1, 1, 0, 0, w), 270: lambda w, h: (0, 1, -1, 0, h, 0)}


def _make_pdf(path: Path, turn: int = 0) -> None:
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=(height, width) if turn else A4)
    wrapped = textwrap.wrap(LOREM, 80)
    for page in range(1, 4):
        if turn:
            c.transform(*SIDEWAYS[turn](width, height))
        c.setFont("Helvetica", 8)
        c.drawString(72, height - 30, "Quarterly Bulletin of the Harbour Board, issue 7")
        c.drawCentredString(width / 2, 30, f"Page {page}")
        y = height - 90
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, f"{page}. Section number {page}")
        y -= 30
        c.setFont("Helvetica", 11)
        for n, line in enumerate(wrapped):
            c.drawString(90 if n == 0 else 72, y, line.strip())
            y -= 15
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(width / 2, y - 20, f"Chart {page}: Vessels by Berth in 2031")
        c.showPage()
    c.save()


def test_generic_header_footer_and_headings(tmp_path):
    path = tmp_path / "bulletin.pdf"
    _make_pdf(path)
    sentences = extract_sentences(path)
    body = [s for s in sentences if s.kind == "body"]
    assert [s.section for s in body[:3]] == ["1. Section number 1"] * 3
    assert (
        body[0].text == "The harbour board handled 1,240 vessels in the quarter, and the average stay fell to 2.4 days."
    )
    assert len(body) == 9
    assert {s.section for s in body} == {f"{p}. Section number {p}" for p in (1, 2, 3)}
    assert not any("Bulletin" in s.text or s.text.startswith("Page") for s in sentences)
    assert [s.text for s in sentences if s.kind == "caption"] == [
        f"Chart {p}: Vessels by Berth in 2031" for p in (1, 2, 3)
    ]


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_pages_read_like_upright_ones(tmp_path, turn):
    """Text that runs down or up the page is read turned upright (with the table extractor's
    orientation logic); sentence boxes are on the page as stored, so crops show the sentence."""
    from extractors.orientation import unturn_box

    _make_pdf(tmp_path / "upright.pdf")
    _make_pdf(tmp_path / "sideways.pdf", turn)
    upright = extract_sentences(tmp_path / "upright.pdf")
    sideways = extract_sentences(tmp_path / "sideways.pdf")
    assert [(s.kind, s.section, s.text) for s in sideways] == [(s.kind, s.section, s.text) for s in upright]
    stored = (A4[1], A4[0])
    expected = [
        [pytest.approx(unturn_box((b.x0, b.top, b.x1, b.bottom), turn, *stored)) for b in s.boxes] for s in upright
    ]
    assert [[(b.x0, b.top, b.x1, b.bottom) for b in s.boxes] for s in sideways] == expected
