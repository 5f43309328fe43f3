"""The report's view -> one HTML page (Jinja2 with autoescape: every value from the PDF is escaped)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # autoescape=True for every template, whatever its extension: nothing reaches the page unescaped.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def render_html(view: dict) -> str:
    css = Markup((TEMPLATES / STYLESHEET).read_text(encoding="utf-8"))  # our own file, not PDF text
    return _environment().get_template(TEMPLATE).render(css=css, **view)
