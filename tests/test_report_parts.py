"""The report's pure parts without a flow run: crop planning and its memory bound, prose facts and their
escaping, the artifact's markdown, and the Data Docs offline rewrite."""

import pytest

from flows.report_artifact import artifact_key, findings_markdown, md_text
from publish.report.crops import CropSettings, evidence_boxes, plan_region, resolution_for
from publish.report.load import ReportData
from publish.report.offline import offline_index, remote_resources, strip_remote
from publish.report.render import render_html
from publish.report.view import fmt, highlight, report_view
from tests.htmltree import parse
from tests.pdfs import SCRIPT, SCRIPT_ESCAPED

A4 = (0.0, 0.0, 595.0, 842.0)


def test_evidence_boxes_read_json_text_and_lists():
    assert evidence_boxes("[[6, 1, 2, 3, 4], [7, 5.5, 6, 7, 8]]") == [
        (6, (1.0, 2.0, 3.0, 4.0)),
        (7, (5.5, 6.0, 7.0, 8.0)),
    ]
    assert evidence_boxes([[1, 0, 0, 1, 1]]) == [(1, (0.0, 0.0, 1.0, 1.0))]
    assert evidence_boxes("") == [] and evidence_boxes(None) == [] and evidence_boxes(float("nan")) == []


def test_region_spans_the_printed_width_and_the_evidence_with_a_margin():
    settings = CropSettings(margin=10)
    boxes = [(391.2, 598.8, 417.2, 606.8), (391.2, 551.3, 417.2, 559.3)]
    assert plan_region(boxes, A4, settings, content_x=(51.0, 543.0)) == (41.0, 541.3, 553.0, 616.8)
    assert plan_region(boxes, A4, settings) == (0.0, 541.3, 595.0, 616.8)  # clamped to the page
    assert plan_region([(5, 2, 20, 8)], A4, settings) == (0.0, 0.0, 595.0, 18.0)


def test_tall_evidence_is_cropped_around_the_stated_box():
    settings = CropSettings(margin=10, max_crop_height=200)
    region = plan_region([(100, 700, 120, 710), (100, 50, 120, 60)], A4, settings)
    assert region == (0.0, 605.0, 595.0, 805.0)


def test_wide_pages_keep_the_row_labels_when_they_can_else_centre_on_the_evidence():
    landscape = (0.0, 0.0, 1008.0, 612.0)
    settings = CropSettings(margin=10, max_crop_width=600)
    printed = (17.0, 991.5)
    assert plan_region([(300, 100, 330, 110)], landscape, settings, printed) == (7.0, 90.0, 607.0, 120.0)
    assert plan_region([(900, 100, 930, 110)], landscape, settings, printed) == (615.0, 90.0, 1008.0, 120.0)
    huge = (0.0, 0.0, 14400.0, 1000.0)
    assert plan_region([(7000, 100, 7040, 110)], huge, settings, (0.0, 14400.0)) == (6720.0, 90.0, 7320.0, 120.0)


def test_render_resolution_is_bounded_by_page_size():
    settings = CropSettings()
    assert resolution_for(595, 842, settings) == settings.resolution  # A4 at 144 dpi: ~2.4 M pixels
    huge = resolution_for(14400, 14400, settings)  # PDF's largest page, 200 x 200 inches
    assert (14400 * huge / 72) ** 2 == pytest.approx(settings.max_page_pixels)
    with pytest.raises(ValueError):
        CropSettings(resolution=0)


def test_fmt_prints_numbers_as_a_reader_expects():
    assert [fmt(v) for v in (529185.0, -103.0, 62.15, 0.029999999999972715, None, float("nan"), "", "1683.2")] == [
        "529,185",
        "-103",
        "62.15",
        "0.03",
        "—",
        "—",
        "—",
        "1,683.2",
    ]


def test_highlight_uses_offsets_else_finds_the_number():
    sentence = "Patents rose to 529,185 in 2023."
    assert highlight(sentence, "529,185", "16", "23") == [
        ("Patents rose to ", False),
        ("529,185", True),
        (" in 2023.", False),
    ]
    assert highlight(sentence, "529,185") == highlight(sentence, "529,185", "0", "3")
    assert highlight(sentence, "999") == [(sentence, False)]


def _prose_data() -> ReportData:
    first = "Invention patents were granted in 2023."
    sentence = f"The province held 529,185 patents {SCRIPT} in 2023."
    finding = {
        "finding_id": "F0001",
        "check": "prose_vs_table",
        "severity": "error",
        "status": "fail",
        "table_id": "",
        "fact_id": "s3.1",
        "row_label": "",
        "column": "",
        "stated": 529185.0,
        "expected": 529288.0,
        "difference": -103.0,
        "tolerance": 0.0,
        "page": 2,
        "message": f"prose says 529,185 {SCRIPT}",
        "rule": "the prose agrees with the table",
        "quote": f"{first} {sentence}",
        "raw": "",
        "suspect_id": "s3.1",
        "suspect_label": SCRIPT,
        "suspect_value": 529288.0,
        "suspect_reason": "only number",
        "subject_id": "s3.1",
        "rule_id": "prose_vs_table:s3.1",
        "evidence": "[[2, 72.0, 100.0, 400.0, 112.0], [2, 72.0, 86.0, 300.0, 98.0]]",
    }
    fact = {
        "fact_id": "s3.1",
        "page": "2",
        "section": f"1 Patents {SCRIPT}",
        "sentence": sentence,
        "raw": "529,185",
        "value": "529185.0",
        "unit": "piece",
        "kind": "count",
        "metric": "valid_invention_patents",
        "start": "18",
        "end": "25",
        "evidence": "[[2, 72.0, 100.0, 400.0, 112.0]]",
    }
    check = {
        "check": "prose_vs_table",
        "label": "Prose agrees with tables",
        "severity": "error",
        "items": "3",
        "passes": "2",
        "fails": "1",
        "undecided": "0",
        "error": "",
    }
    return ReportData(
        document={"doc_id": "hostile", "path": f"/tmp/{SCRIPT}.pdf", "pages": 2, "warnings": [SCRIPT]},
        tables=[],
        cells=[],
        findings=[finding],
        checks=[check],
        facts=[fact],
        crops=[
            {
                "finding_id": "F0001",
                "order": "0",
                "page": "2",
                "file": "p.png",
                "x0": "0",
                "top": "80",
                "x1": "595",
                "bottom": "132",
                "width_px": "1190",
                "height_px": "104",
            }
        ],
        images={"p.png": b"\x89PNG fake"},
    )


def test_prose_findings_show_the_sentence_with_the_number_marked_and_everything_escaped():
    html = render_html(report_view(_prose_data()))
    assert SCRIPT not in html and "<script" not in html.lower()
    # path, warning, message, section (where), quoted sentence, suspect, sentence in the facts table
    assert html.count(SCRIPT_ESCAPED) == 7
    tree = parse(html)
    article = tree.find("article", id="F0001")
    quote = article.find("p", cls="quote")
    assert (
        quote.text() == f"Invention patents were granted in 2023. The province held 529,185 patents {SCRIPT} in 2023."
    )
    assert quote.find("mark").text() == "529,185"
    assert [td.text() for td in article.find("table", cls="values").find_all("td")] == [
        "value",
        "529,185",
        "529,288",
        "-103",
        "0",
    ]
    overlays = {o.attrs["title"]: o.attrs["style"] for o in article.find_all("div", cls="hl")}
    assert overlays == {
        "stated": "left:12.101%;top:38.462%;width:55.126%;height:23.077%",  # the fact's sentence
        "input": "left:12.101%;top:11.538%;width:38.319%;height:23.077%",
    }
    assert "the sentence stating the number" in article.find("figcaption").text()
    facts = tree.find("details", id="facts-list")
    assert "open" not in facts.attrs  # collapsed by default, even when a fact has a finding
    row = facts.find_all("tr")[1]
    assert [td.text() for td in row.find_all("td")][:2] == ["s3.1", "2"] and row.find("mark").text() == "529,185"
    assert row.find("a").attrs["href"] == "#F0001"


def test_artifact_markdown_is_inert():
    finding = {
        "finding_id": "F0001",
        "severity": "warning",
        "check": "number_format",
        "page": 1,
        "row_label": f"{SCRIPT} | x",
        "column": "Patents",
        "fact_id": "",
        "stated": 777.0,
        "expected": 777.0,
        "difference": 0.0,
        "raw": "7,77",
    }
    checks = [{"items": "5", "passes": "3"}]
    md = findings_markdown({"doc_id": "d"}, checks, [finding], "file:///out/d/report.html")
    row = md.splitlines()[-1]
    assert row == (
        "| F0001 | warning | number\\_format | 1 | &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| x / Patents "
        "| 7,77 | 777 | 0 | root |"
    )
    assert "**0 error**, **1 warning**, **0 info** — 3 of 5 rule instances passed in 1 checks." in md
    assert "[file:///out/d/report.html](<file:///out/d/report.html>)" in md.replace("\\", "")
    assert md_text("a\nb  c") == "a b c"
    assert artifact_key("Jiangsu IPR_2023") == "whitepaper-report-jiangsu-ipr-2023"


GX_PAGE = """<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<style>.navbar-brand a { background: url('https://example.invalid/logo.png') 0 0 no-repeat; }</style>
<link rel="shortcut icon" href="./static/images/favicon.ico" type="image/x-icon"/>
</head><body>
<img class="NO-CACHE" src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1"
  alt="Great Expectations" />
<button class="btn" onclick="clearTableFilters('t')">Clear Filters</button>
<table
  id="section-1-body-table"
  data-toggle="table"
>
</table>
<script>$('#section-1-body-table').bootstrapTable({data: []});</script>
<a href="https://greatexpectations.io">Great Expectations</a>
</body></html>"""


def test_offline_rewrite_drops_remote_assets_and_writes_the_index_table():
    from publish.report.data_docs import DocsPage

    assert len(remote_resources(GX_PAGE)) == 4
    pages = [
        DocsPage("hierarchy", f"doc.{SCRIPT}", False, 2, 1, "2026-01-01", "validations/h.html", "expectations/h.html")
    ]
    page = strip_remote(offline_index(GX_PAGE, pages))
    assert remote_resources(page) == []
    assert "<script" not in page and "clearTableFilters" not in page
    assert "./static/images/favicon.ico" in page and 'href="https://greatexpectations.io"' in page  # links stay
    row = parse(page).find("table", cls="wp-static-index").find_all("tr")[1]
    assert [td.text() for td in row.find_all("td")] == [
        "✗ failed",
        "hierarchy",
        f"doc.{SCRIPT}",
        "1 of 2",
        "2026-01-01",
    ]
    assert SCRIPT_ESCAPED in page


def _ink_in(folder, index_row, box) -> int:
    from PIL import Image

    image = Image.open(folder / "crops" / index_row["file"]).convert("L")
    scale = image.width / (index_row["x1"] - index_row["x0"])
    x0, top, x1, bottom = box
    pixels = (
        int((x0 - index_row["x0"]) * scale),
        int((top - index_row["top"]) * scale),
        int((x1 - index_row["x0"]) * scale) + 1,
        int((bottom - index_row["top"]) * scale) + 1,
    )
    return sum(image.crop(pixels).histogram()[:128])


def _word_box(pdf_path, page_number: int, text: str) -> tuple[float, ...]:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        word = next(w for w in pdf.pages[page_number - 1].extract_words() if w["text"] == text)
    return (word["x0"], word["top"], word["x1"], word["bottom"])


@pytest.mark.parametrize("max_page_pixels", [CropSettings().max_page_pixels, 1_000_000])
def test_crops_show_the_cell_whether_the_page_is_rendered_whole_or_by_region(fixture_pdf, tmp_path, max_page_pixels):
    from publish.report.crops import render_crops

    box = _word_box(fixture_pdf, 6, "529,185")
    settings = CropSettings(max_page_pixels=max_page_pixels)  # 1 M pixels: A4 at 144 dpi (2.4 M) goes by region
    index = render_crops(fixture_pdf, [{"finding_id": "F0001", "evidence": [[6, *box]]}], tmp_path, settings)
    row = index.iloc[0]
    assert row["width_px"] * row["height_px"] <= max_page_pixels
    assert row["width_px"] / (row["x1"] - row["x0"]) == pytest.approx(settings.resolution / 72, rel=0.01)
    assert _ink_in(tmp_path, row, box) > 100


def test_a_huge_page_is_cropped_by_region_at_full_resolution(tmp_path):
    from reportlab.pdfgen import canvas

    from publish.report.crops import render_crops

    pdf_path = tmp_path / "huge.pdf"
    pdf = canvas.Canvas(str(pdf_path), pagesize=(14000, 14000))  # near PDF's limit of 200 x 200 inches
    pdf.setFont("Helvetica", 12)
    pdf.drawString(7000, 14000 - 7200, "529,185")
    pdf.showPage()
    pdf.save()
    box = _word_box(pdf_path, 1, "529,185")
    index = render_crops(pdf_path, [{"finding_id": "F0001", "evidence": [[1, *box]]}], tmp_path)
    row = index.iloc[0]
    assert row["x1"] - row["x0"] == pytest.approx(CropSettings().max_crop_width)  # not the page's 14,000 points
    assert (row["x0"] + row["x1"]) / 2 == pytest.approx((box[0] + box[2]) / 2)  # centred on the evidence
    assert row["width_px"] / (row["x1"] - row["x0"]) == pytest.approx(2.0, rel=0.01)  # 144 dpi, not clamped
    assert _ink_in(tmp_path, row, box) > 50


def test_data_docs_say_undecided_where_the_report_does():
    from publish.report.data_docs import DocsPage, only_undecided
    from publish.report.offline import note_undecided

    def result(*unmet):
        rows = [{"success": False, "expectation_config": {"meta": {"outcome": o}}} for o in unmet]
        return {"results": rows + [{"success": True, "expectation_config": {"meta": {"outcome": "fail"}}}]}

    assert only_undecided(result("undecided")) and not only_undecided(result("undecided", "fail"))
    assert not only_undecided(result())
    pages = [
        DocsPage("fact_parts_within_total", "doc.w", False, 2, 1, "t", "v/w.html", "e/w.html", undecided=True),
        DocsPage("hierarchy", "doc.h", False, 2, 1, "t", "v/h.html", "e/h.html"),
    ]
    rows = parse(offline_index(GX_PAGE, pages)).find("table", cls="wp-static-index").find_all("tr")[1:]
    assert [r.find_all("td")[0].text() for r in rows] == ["? undecided", "✗ failed"]
    noted = parse(note_undecided("<html><body><p>x</p></body></html>"))
    assert noted.find("div", cls="wp-undecided").text().startswith("Undecided, not failed")


def _cause_data() -> ReportData:
    """A root with one symptom, as findings.json writes them."""
    data = _prose_data()
    root = dict(data.findings[0])
    root.update(root_id="F0001", suspect_ids="s3.1", suggested_values="529288", repair_kind="unexplained")
    root.update(
        confidence="medium",
        alternatives='[{"suspect_ids": ["s3.1"], "suggested_values": [1.0], '
        '"repair_kinds": ["unexplained"], "weight": 2.0, "equally_small": false}]',
    )
    symptom = dict(root, finding_id="F0002", root_id="F0001", suspect_reason="explained by F0001: x", alternatives="")
    data.findings = [root, symptom]
    return data


def test_the_report_leads_with_causes_and_folds_symptoms_under_them():
    html = render_html(report_view(_cause_data()))
    tree = parse(html)
    cause = tree.find("section", cls="cause")
    assert html.index('id="causes"') < html.index('id="checks"')  # causes first
    assert cause.find("article", id="F0001") and cause.find("details", cls="symptoms").find("article", id="F0002")
    assert [td.text() for td in cause.find("table", cls="suspects").find_all("td")] == [
        "529,185 (valid_invention_patents, p2)",
        "529,185",
        "529,288",
        "unexplained",
    ]
    assert "next-smallest" in cause.find("details", cls="alternatives").text()
    badge = tree.find("details", id="check-prose_vs_table").find("span", cls="badge")
    assert badge.attrs["class"] == "badge error" and badge.text() == "2 findings: 2 error"
    listed = tree.find("details", id="check-prose_vs_table").find("table", cls="finding-list").find_all("tr")[2]
    assert listed.find_all("td")[-1].find("a").attrs["href"] == "#F0001"  # the symptom points to its cause


def test_a_check_header_shows_the_severity_of_its_findings():
    data = _prose_data()
    data.findings[0].update(severity="info", status="undecided", expected="", difference="", tolerance="")
    badge = parse(render_html(report_view(data))).find("details", id="check-prose_vs_table").find("span", cls="badge")
    assert badge.attrs["class"] == "badge info" and badge.text() == "1 finding: 1 info"  # not the check's "error"
