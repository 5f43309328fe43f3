"""Property test: any table the generator can print (rule style, one- or two-level header, page
split with or without a repeated header, landscape, title, unit, notes) is read back exactly.

Generation only, no shrinking (each example renders and reads a PDF); the failing example is
printed as generated.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from extractors.tables import extract_tables
from tests.pdfgen import TableSpec, render_table_pdf

LABELS = [
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
    "Southern Jiangsu",
    "Others",
    "Entire province",
]
HEADINGS = [
    "Patents",
    "Valid Patents",
    "Trademarks",
    "Ratio (%)",
    "Growth rate",
    "Applications",
    "Registrations",
    "Total",
    "Enterprises",
    "Universities",
    "Individuals",
    "Cases",
]

value = st.one_of(
    st.integers(0, 999_999).map(lambda n: f"{n:,}"),
    st.floats(0, 999, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.integers(0, 99).map(str),
    st.floats(-60, 60, allow_nan=False).map(lambda x: f"{x:.1f}%"),
    st.sampled_from(["/", "-"]),
)


@st.composite
def table_specs(draw):
    n_cols = draw(st.integers(2, 7))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=2, max_size=14, unique=True))
    body = [[lab] + [draw(value) for _ in range(n_cols - 1)] for lab in labels]
    heads = [draw(st.sampled_from(HEADINGS)) for _ in range(n_cols - 1)]
    if n_cols >= 4 and draw(st.booleans()):
        k = draw(st.integers(2, n_cols - 2))  # a spanning heading over columns 1..k
        top = ["Region", draw(st.sampled_from(HEADINGS))] + [""] * (k - 1) + heads[k:]
        sub = [""] + heads[:k] + [""] * (n_cols - 1 - k)
        header = [top, sub]
    else:
        header = [["Region"] + heads]
    split = draw(st.one_of(st.none(), st.integers(1, len(body) - 1))) if len(body) >= 3 else None
    return TableSpec(
        header=header,
        body=body,
        title=draw(st.sampled_from(["", "Number of Valid Patents by Region in Jiangsu in 2023"])),
        unit=draw(st.sampled_from(["", "piece", "case"])),
        notes=draw(
            st.sampled_from([[], ["Note: the data are invented."], ["Notes: 1. Invented data.", "2. Also invented."]])
        ),
        rules=draw(st.sampled_from(["grid", "horizontal", "none"])),
        split_after=split,
        repeat_header=draw(st.booleans()),
    )


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(spec=table_specs(), landscape=st.booleans())
def test_generated_table_reads_back_exactly(spec, landscape):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.pdf"
        render_table_pdf(str(path), [spec], landscape=landscape)
        tables = extract_tables(path)
    assert len(tables) == 1
    t = tables[0]
    assert t.header == spec.header
    assert t.body == spec.body
    assert (t.title, t.unit, t.notes) == (spec.title, spec.unit, list(spec.notes))
