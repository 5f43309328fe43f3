"""Small PDFs made with reportlab for tests: a hostile one whose title, row label and prose hold markup."""

from __future__ import annotations

from pathlib import Path

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# A ruled table recognised by the Jiangsu profile: "4,5120" and "7,77" are malformed (two format
# warnings, one on the row labelled with the script), and the province cannot be recomputed (info).
SCRIPT_ROWS = [
    ["Region", "Number of Valid Invention Patents"],
    ["Nanjing", "139,331"],
    ["Wuxi", "4,5120"],
    [SCRIPT, "7,77"],
    ["Others", "78"],
    ["Jiangsu", "200,000"],
]


def script_injection_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(
        width / 2, height - 72, "White Paper of Development and Protection of Intellectual Property of Jiangsu in 2023"
    )
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, height - 110, f"In 2023 the province held 529,185 valid invention patents {SCRIPT} and more.")
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawCentredString(width / 2, height - 160, f"Table 1 Valid Invention Patents by Region {SCRIPT}")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(72, height - 176, "Unit: piece")
    xs, top, row_height = [72, 300, 500], height - 185, 18
    for i in range(len(SCRIPT_ROWS) + 1):
        pdf.line(xs[0], top - i * row_height, xs[-1], top - i * row_height)
    for x in xs:
        pdf.line(x, top, x, top - len(SCRIPT_ROWS) * row_height)
    for i, (label, value) in enumerate(SCRIPT_ROWS):
        y = top - i * row_height - 12
        pdf.drawString(xs[0] + 4, y, label)
        pdf.drawRightString(xs[2] - 6, y, value)
    pdf.showPage()
    pdf.save()
    return path
