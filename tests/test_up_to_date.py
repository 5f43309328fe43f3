"""A run asked exactly what the last one was, with its outputs untouched, does nothing (flows.up_to_date);
anything different runs for real."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import flows.run_command
from flows import up_to_date
from flows.cli import EXIT_OK, main
from flows.results import STATUS_PROCESSED, STATUS_REJECTED, STATUS_UP_TO_DATE, DocumentResult
from tests.pdfgen import TableSpec, render_table_pdf

OPTIONS = {"out": "out", "profile": None, "profile_dirs": [], "limits": {}, "skip_unchanged": False}


def table_pdf(path: Path, first: str = "1,234") -> Path:
    spec = TableSpec(
        header=[["Region", "Patents", "Cases"]],
        body=[["Nanjing", first, "56"], ["Wuxi", "2,345", "78"], ["Suzhou", "3,456", "90"]],
        title="Number of Patents by Region in 2023",
        unit="piece",
        rules="grid",
    )
    render_table_pdf(str(path), [spec])
    return path


@pytest.fixture
def done(tmp_path):
    """An output folder as a finished run leaves it, with its stamp; (out, pdf, request)."""
    pdf = table_pdf(tmp_path / "a.pdf")
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "cells.csv").write_text("page,value\n1,1234\n")
    (out / "whitepaper.duckdb").write_bytes(b"history")
    asked = up_to_date.request([pdf], OPTIONS)
    result = DocumentResult(str(pdf), STATUS_PROCESSED, doc_id="a", out_dir=str(out / "a"), findings={"error": 2})
    up_to_date.remember(out, asked, [result])
    return out, pdf, asked


def test_the_same_request_on_untouched_outputs_is_recalled_as_up_to_date(done):
    out, pdf, asked = done
    recalled = up_to_date.recalled(out, up_to_date.request([pdf], OPTIONS))
    assert [(r.path, r.status, r.findings, r.out_dir) for r in recalled] == [
        (str(pdf), STATUS_UP_TO_DATE, {"error": 2}, str(out / "a"))
    ]
    assert not list(out.glob(f"{up_to_date.STAMP}.*"))  # the temporary stamp was swapped in


@pytest.mark.parametrize(
    "change",
    ["output touched", "output added", "output removed", "history written", "input bytes", "option", "code"],
)
def test_anything_different_means_a_real_run(done, change, monkeypatch):
    out, pdf, asked = done
    options = dict(OPTIONS)
    if change == "output touched":
        cells = out / "a" / "cells.csv"
        os.utime(cells, ns=(cells.stat().st_atime_ns, cells.stat().st_mtime_ns + 1_000_000))
    elif change == "output added":
        (out / "a" / "extra.csv").write_text("x\n")
    elif change == "output removed":
        (out / "a" / "cells.csv").unlink()
    elif change == "history written":
        (out / "whitepaper.duckdb").write_bytes(b"history, and another run's rows")
    elif change == "input bytes":
        table_pdf(pdf, first="1,235")
    elif change == "option":
        options["limits"] = {"max_pages": 5}
    elif change == "code":
        monkeypatch.setattr("flows.versions.pipeline_code_hash", lambda: "0123456789abcdef")
    assert up_to_date.recalled(out, up_to_date.request([pdf], options)) is None


def test_a_damaged_stamp_or_none_means_a_real_run(done):
    out, pdf, asked = done
    (out / up_to_date.STAMP).write_text('{"request": ')
    assert up_to_date.recalled(out, asked) is None
    up_to_date.forget(out)
    assert not (out / up_to_date.STAMP).exists()
    assert up_to_date.recalled(out, asked) is None


def test_a_rejected_document_is_recalled_as_rejected(tmp_path):
    pdf = table_pdf(tmp_path / "a.pdf")
    out = tmp_path / "out"
    out.mkdir()
    asked = up_to_date.request([pdf], OPTIONS)
    up_to_date.remember(out, asked, [DocumentResult(str(pdf), STATUS_REJECTED, reason="no text layer")])
    assert [(r.status, r.reason) for r in up_to_date.recalled(out, asked)] == [(STATUS_REJECTED, "no text layer")]


@pytest.mark.slow
def test_a_second_identical_run_prints_the_same_line_without_running_the_flow(tmp_path, capsys, monkeypatch):
    pdf = table_pdf(tmp_path / "a.pdf")
    out = tmp_path / "out"
    args = ["run", str(pdf), "--out", str(out)]
    assert main(args) == EXIT_OK
    first = capsys.readouterr().out.strip()
    line = re.escape(f"{pdf} -> {out / 'a'}") + r" \(0 error, 0 warning, \d+ info\)"
    assert re.fullmatch(line, first), first
    stamp = json.loads((out / up_to_date.STAMP).read_text())
    assert stamp["request"]["inputs"][0][0] == str(pdf)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}

    ran = []
    real_run_flow = flows.run_command._run_flow
    monkeypatch.setattr(flows.run_command, "_run_flow", lambda *a: ran.append(a) or real_run_flow(*a))
    assert main(args) == EXIT_OK
    assert capsys.readouterr().out.strip() == first[:-1] + "; up to date: nothing changed since the last run)"
    assert ran == [] and {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before

    assert main([*args, "--refresh"]) == EXIT_OK  # --refresh always runs
    assert capsys.readouterr().out.strip() == first and len(ran) == 1

    table_pdf(pdf, first="1,235")  # new bytes: a real run, which leaves a new stamp
    assert main(args) == EXIT_OK
    assert capsys.readouterr().out.strip() == first and len(ran) == 2
    assert json.loads((out / up_to_date.STAMP).read_text())["request"]["inputs"] != stamp["request"]["inputs"]
