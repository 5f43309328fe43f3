"""Generated PDFs with known tables: every layout issue 3 names, checked cell by cell."""

from __future__ import annotations

import pdfplumber
import pytest

from extractors.page_workers import worker_count
from extractors.reader import read_pages, stitch_pages
from extractors.tables import TableSettings, extract_tables
from tests.pdfgen import TableSpec, render_table_pdf

REGIONS = [
    "Nanjing",
    "Wuxi",
    "Xuzhou",
    "Changzhou",
    "Suzhou",
    "Nantong",
    "Lianyungang",
    "Huai'an",
    "Yancheng",
    "Yangzhou",
    "Zhenjiang",
    "Taizhou",
    "Suqian",
]
TITLE = "Number of Valid Patents by Region in Jiangsu in 2023"


def simple_spec(rules: str, n: int = 8, **kw) -> TableSpec:
    body = [
        [r, f"{(i + 1) * 1234:,}", f"{(i + 3) * 7.31:.2f}", str(i * 17 + 3)] for i, r in enumerate((REGIONS * 3)[:n])
    ]
    return TableSpec(
        header=[["Region", "Patents", "Ratio", "Cases"]],
        body=body,
        title=TITLE,
        unit="piece",
        notes=["Note: the data are invented for this test."],
        rules=rules,
        **kw,
    )


def two_level_spec(rules: str) -> TableSpec:
    header = [
        ["Region", "Valid Invention Patents", "", "", "Total"],
        ["", "Enterprises", "Universities", "Individuals", ""],
    ]
    body = [
        [r, f"{(i + 1) * 1234:,}", f"{(i + 3) * 73}", str(i + 5), f"{(i + 1) * 1234 + (i + 3) * 73 + i + 5:,}"]
        for i, r in enumerate(REGIONS[:9])
    ]
    return TableSpec(header=header, body=body, title=TITLE, unit="piece", rules=rules)


def extract(tmp_path, specs, **kw):
    path = tmp_path / "t.pdf"
    render_table_pdf(str(path), specs, **kw)
    return extract_tables(path)


def assert_same(table, spec: TableSpec):
    assert table.header == spec.header
    assert table.body == spec.body
    assert table.title == spec.title
    assert table.unit == spec.unit
    assert table.notes == list(spec.notes)


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_single_table_each_rule_style(tmp_path, rules):
    spec = simple_spec(rules)
    tables = extract(tmp_path, [spec])
    assert len(tables) == 1
    assert_same(tables[0], spec)
    assert tables[0].header_paths == ["Region", "Patents", "Ratio", "Cases"]


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_two_level_merged_header(tmp_path, rules):
    spec = two_level_spec(rules)
    (table,) = extract(tmp_path, [spec])
    assert_same(table, spec)
    assert table.header_paths == [
        "Region",
        "Valid Invention Patents / Enterprises",
        "Valid Invention Patents / Universities",
        "Valid Invention Patents / Individuals",
        "Total",
    ]


@pytest.mark.parametrize("rules", ["grid", "none"])
def test_wrapped_row_label_is_one_cell(tmp_path, rules):
    spec = simple_spec(rules)
    spec.body[3][0] = "Southern\nJiangsu"
    (table,) = extract(tmp_path, [spec])
    assert table.body[3][0] == "Southern Jiangsu"
    assert len(table.body) == len(spec.body)


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
@pytest.mark.parametrize("repeat", [True, False])
def test_table_split_across_pages_is_one_table(tmp_path, rules, repeat):
    spec = simple_spec(rules, n=20, split_after=12, repeat_header=repeat)
    (table,) = extract(tmp_path, [spec])
    assert (table.page_first, table.page_last) == (1, 2)
    assert table.header == spec.header
    assert table.body == spec.body
    pages = [row[0].page for row in table.body_boxes]
    assert pages == [1] * 12 + [2] * 8


@pytest.mark.parametrize("workers", [2, 3])
def test_split_tables_in_worker_processes_match(tmp_path, workers):
    specs = [simple_spec("grid", n=20, split_after=10), simple_spec("none", n=9), two_level_spec("horizontal")]
    path = tmp_path / "t.pdf"
    render_table_pdf(str(path), specs)
    settings = TableSettings()
    with pdfplumber.open(path) as pdf:
        serial = stitch_pages(read_pages(pdf, path, settings=settings, prose=False, workers=1))
    with pdfplumber.open(path) as pdf:
        forked = stitch_pages(read_pages(pdf, path, settings=settings, prose=False, workers=workers))
    assert [(t.page_first, t.page_last, t.body, t.body_boxes) for t in serial] == [
        (t.page_first, t.page_last, t.body, t.body_boxes) for t in forked
    ]
    assert len(serial) == 3 and serial[0].page_last == 2


def test_worker_count_follows_settings_and_idle_cores():
    assert worker_count(2, TableSettings(parallel_min_pages=6)) == 1
    assert worker_count(50, TableSettings(workers=1)) == 1
    assert 1 <= worker_count(50, TableSettings()) <= 2


@pytest.mark.parametrize("rules", ["grid", "none"])
def test_landscape_page(tmp_path, rules):
    spec = two_level_spec(rules)
    (table,) = extract(tmp_path, [spec], landscape=True)
    assert_same(table, spec)


def test_two_tables_on_one_page(tmp_path):
    a = simple_spec("horizontal", n=5)
    b = two_level_spec("none")
    b.body = b.body[:5]
    b.title = "Number of Invention Patents by Holder in Jiangsu in 2023"
    tables = extract(tmp_path, [a, b])
    assert [(t.page_first, t.title) for t in tables] == [(1, a.title), (1, b.title)]
    assert_same(tables[0], a)
    assert_same(tables[1], b)


def test_caption_without_table_is_not_a_table(tmp_path):
    spec = simple_spec("grid")
    tables = extract(
        tmp_path,
        [spec],
        captions_without_table=[
            ("Number of Trademark Applications by Region in Jiangsu in 2023", "piece"),
            ("Trademark Registrations by Region in Jiangsu in 2023", "piece"),
        ],
    )
    assert len(tables) == 1
    assert_same(tables[0], spec)


def test_only_captions_no_tables(tmp_path):
    path = tmp_path / "t.pdf"
    spec = simple_spec("grid")
    render_table_pdf(str(path), [spec], captions_without_table=[("Number of Cases by Region in 2023", "case")])
    assert len(extract_tables(path)) == 1


def test_settings_are_checked():
    with pytest.raises(ValueError):
        TableSettings(min_rows=0)
    with pytest.raises(ValueError):
        TableSettings(word_gap_ratio=1.0, chunk_gap_ratio=0.5)
    with pytest.raises(TypeError):
        TableSettings(min_gutter_ratio="wide")


def test_bar_chart_labels_are_not_a_table(tmp_path):
    """Values printed over bars and category labels under the axis line up, but are no table."""
    spec = simple_spec("horizontal")
    values = [(i * 7919) % 90000 + 1000 for i in range(13)]
    tables = extract(
        tmp_path,
        [spec],
        bar_charts=[
            ("Number of Trademark Applications by Region in Jiangsu in 2023", "piece", REGIONS, values),
            ("Trademark Registrations by Region in Jiangsu in 2023", "piece", REGIONS[:6], values[:6]),
        ],
    )
    assert len(tables) == 1
    assert_same(tables[0], spec)


def test_table_not_reaching_the_page_end_is_not_continued(tmp_path):
    """Same columns at the top of the next page, but the first table ends with notes and prose
    follows: two tables, not one."""
    first = simple_spec("grid", n=6)
    second = simple_spec("grid", n=6, page_break_before=True)
    second.title, second.notes = "", []
    path = tmp_path / "t.pdf"
    render_table_pdf(str(path), [first, second], prose=False, captions_without_table=[])
    tables = extract_tables(path)
    assert [(t.page_first, t.page_last) for t in tables] == [(1, 1), (2, 2)]


@pytest.mark.parametrize("rotate", [90, 270])
def test_page_turned_with_rotate(tmp_path, rotate):
    """A /Rotate'd page: text runs sideways in page space; the table reads the same, and its boxes
    are given on the page as stored (they hold the cell's glyphs)."""
    spec = two_level_spec("horizontal")
    (table,) = extract(tmp_path, [spec], landscape=True, rotate=rotate)
    assert_same(table, spec)
    with pdfplumber.open(tmp_path / "t.pdf") as pdf:
        page = pdf.pages[0]
        for row, boxes in zip(table.body, table.body_boxes):
            crop = page.within_bbox((boxes[1].x0 - 0.5, boxes[1].top - 0.5, boxes[1].x1 + 0.5, boxes[1].bottom + 0.5))
            assert "".join(c["text"] for c in crop.chars) in (row[1].replace(" ", ""), row[1][::-1].replace(" ", ""))
