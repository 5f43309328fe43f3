"""Headless Chromium opens the report and the Data Docs from disk with networking disabled: the pages are
not blank and show their findings. Screenshots are kept in output/browser-check/. Skips without Chromium
(CI installs the Debian package; see .ci/run)."""

from pathlib import Path

import pytest

from bench.browser_check import MIN_INK, check_page, dump_dom, find_chromium, pages_to_check
from publish.report.view import fmt

CHROMIUM = find_chromium()
SHOTS = Path(__file__).resolve().parent.parent / "output" / "browser-check"
ERROR_RED = (179, 38, 30)  # --error in report.css: badges, stated values, the stated cell's highlight

pytestmark = [
    pytest.mark.slow,  # starts Prefect (the report run) and a browser
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium not installed (apt-get install chromium); set WHITEPAPER_CHROMIUM to use another binary",
    ),
]


def _red_pixels(png: Path, tolerance: int = 40) -> int:
    import numpy as np
    from PIL import Image

    with Image.open(png) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(ERROR_RED)) <= tolerance).all(axis=2).sum())


def test_report_renders_its_findings_offline(report_runs):
    import json

    folder = report_runs["2023"]
    findings = json.loads((folder / "findings.json").read_text())
    result = check_page(
        CHROMIUM, folder / "report.html", SHOTS / "jiangsu-ipr-2023-report.png", [f["finding_id"] for f in findings]
    )
    assert result.screenshot.is_file()
    assert result.ink >= MIN_INK, f"blank page: {result.ink:.2%} non-white"
    assert result.missing_text == []
    assert _red_pixels(result.screenshot) > 2000  # error badges, stated values and highlighted cells are drawn
    dom = dump_dom(CHROMIUM, folder / "report.html")
    for f in findings:
        assert fmt(f["stated"]) in dom and fmt(f["expected"]) in dom


def test_data_docs_render_offline(report_runs):
    folder = report_runs["2023"]
    pages = {name: (page, texts) for name, page, texts in pages_to_check(folder)}
    assert set(pages) == {"report", "data-docs-index", "data-docs-validation"}
    for name in ("data-docs-index", "data-docs-validation"):
        page, texts = pages[name]
        result = check_page(CHROMIUM, page, SHOTS / f"jiangsu-ipr-2023-{name}.png", texts)
        assert result.ok, (name, result.ink, result.missing_text)
    dom = dump_dom(CHROMIUM, folder / "data_docs" / "index.html")
    checks = len(list((folder / "gx").glob("*.json")))
    assert checks >= 4 and dom.count('class="status text-') == checks  # one row per check, written without JavaScript


def test_hostile_report_runs_no_script(report_runs):
    folder = report_runs["script"]
    dom = dump_dom(CHROMIUM, folder / "report.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom.lower()
