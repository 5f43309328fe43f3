"""Make GX Data Docs pages render without a network.

GX's pages load Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from CDNs, and the index
page builds its table of validation runs in JavaScript from those libraries: offline it is blank.
Here every remote stylesheet, script and image is removed, inline scripts too (they all need the
remote libraries), a small local stylesheet replaces Bootstrap, and the index table is written out
as plain HTML. String rewriting on GX's fixed templates (great-expectations is pinned); what it could
not rewrite is reported by `remote_resources`.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)

SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
REMOTE_LINK_RE = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
REMOTE_IMG_RE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE | re.DOTALL)
REMOTE_CSS_URL_RE = re.compile(r"url\(\s*[\"']?(?:https?:)?//[^)]*\)", re.IGNORECASE)
CLEAR_FILTERS_RE = re.compile(r"<button\b[^>]*clearTableFilters[^>]*>.*?</button>", re.IGNORECASE | re.DOTALL)
JS_TABLE_RE = re.compile(r"<table\b[^>]*data-toggle=\"table\"[^>]*>\s*</table>", re.IGNORECASE | re.DOTALL)
# A resource the browser would fetch by itself: src= anywhere, href= on <link>, url() in CSS.
FETCHED_RE = re.compile(
    r"(?:\bsrc\s*=\s*[\"']?|<link\b[^>]*\bhref\s*=\s*[\"']?|url\(\s*[\"']?)((?:https?:)?//[^\"'\s)>]+)", re.IGNORECASE
)
HEAD_END = "</head>"
CSP = (
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self' file: data:; font-src 'self' file: data:\">"
)
BRAND = '<span class="wp-brand">Great Expectations Data Docs</span>'
OFFLINE_CSS = """<style>/* whitepaper: local stand-in for the CDN stylesheets (the page works offline) */
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #212529;
       margin: 0; background: #fff; }
a { color: #0b63c5; }
nav.navbar { border-bottom: 1px solid #dee2e6; padding: 10px 32px; }
.wp-brand { font-weight: 700; font-size: 1.2rem; color: #ff6210; }
.container-fluid { padding: 12px 32px; }
.row { display: flex; flex-wrap: wrap; gap: 0 24px; }
.row > [class*="col-md-2"], .row > [class*="col-lg-2"] { flex: 0 0 210px; }
.row > [class*="col-md-10"], .row > [class*="col-lg-10"], .row > .col-12 { flex: 1 1 600px; min-width: 0; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid #dee2e6; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f5f7; }
.alert-secondary, .alert { background: #eceef1; padding: 8px 12px; border-radius: 4px; }
.text-danger { color: #c0262d; } .text-success { color: #1e7e34; } .text-info { color: #3d5a80; }
.wp-undecided { background: #e8eef6; border-left: 4px solid #3d5a80; padding: 8px 12px; margin: 8px 32px; }
i.fas { font-style: normal; font-weight: 700; }
.fa-times::before, .fa-times-circle::before { content: "\\2717"; }
.fa-check-circle::before, .fa-check::before { content: "\\2714"; }
.fa-question-circle::before { content: "?"; }
.invisible, .d-none, #ge-cta-footer { display: none !important; }
footer { position: static !important; }
.nav-tabs { list-style: none; padding: 0; border-bottom: 1px solid #dee2e6; }
.nav-tabs .nav-link { display: inline-block; padding: 6px 12px; font-weight: 600; text-decoration: none; }
.wp-static-index td.status { white-space: nowrap; font-weight: 700; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
</style>"""


def strip_remote(page: str) -> str:
    """Remove scripts and remote stylesheets/images; add the local stylesheet and a no-network policy."""
    page = SCRIPT_RE.sub("", page)
    page = REMOTE_LINK_RE.sub("", page)
    page = REMOTE_IMG_RE.sub(BRAND, page)
    page = REMOTE_CSS_URL_RE.sub("none", page)
    page = CLEAR_FILTERS_RE.sub("", page)
    if HEAD_END in page:
        page = page.replace(HEAD_END, f"{CSP}\n{OFFLINE_CSS}\n{HEAD_END}", 1)
    else:
        log.warning("Data Docs page without </head>: local stylesheet prepended")
        page = f"{CSP}\n{OFFLINE_CSS}\n{page}"
    return page


def static_index_table(pages) -> str:
    """The index's list of validation runs as a plain HTML table (GX builds it in JavaScript)."""
    rows = []
    for p in sorted(pages, key=lambda p: p.check):
        if p.success:
            status = '<td class="status text-success">&#10004; passed</td>'
        elif p.undecided:  # as the report says: not decided, not failed
            status = '<td class="status text-info">? undecided</td>'
        else:
            status = '<td class="status text-danger">&#10007; failed</td>'
        rows.append(
            f'<tr>{status}<td><a href="{html.escape(p.path)}">{html.escape(p.check)}</a></td>'
            f'<td><a href="{html.escape(p.suite_path)}">{html.escape(p.suite)}</a></td>'
            f"<td>{p.successful} of {p.evaluated}</td><td>{html.escape(p.run_time)}</td></tr>"
        )
    return (
        '<table class="table-sm wp-static-index"><thead><tr><th>Status</th><th>Validation result</th>'
        "<th>Expectation suite</th><th>Expectations met</th><th>Run time</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def offline_index(page: str, pages) -> str:
    table = static_index_table(pages)
    if JS_TABLE_RE.search(page):
        return JS_TABLE_RE.sub(lambda _: table, page, count=1)
    log.warning("Data Docs index: GX's table placeholder not found; the static table is added at the top")
    return page.replace("<body>", "<body>\n" + table, 1)


def remote_resources(page: str) -> list[str]:
    """URLs a browser would fetch from the network when opening the page (should be none)."""
    return FETCHED_RE.findall(page)


UNDECIDED_NOTE = (
    '<div class="wp-undecided">Undecided, not failed: the only unmet expectation is the one whose misses are rule '
    "instances with a missing input (&#8220;inputs present&#8221;). They could not be evaluated; the report lists them "
    "as undecided findings (info), not as errors.</div>"
)


def note_undecided(page: str) -> str:
    """A validation page whose only misses are undecided rules says so at the top, as the report does."""
    at = page.find("<body")
    end = page.find(">", at) if at >= 0 else -1
    return page if end < 0 else page[: end + 1] + "\n" + UNDECIDED_NOTE + page[end + 1 :]


def make_site_offline(site_dir: Path, pages, keep_static: tuple[str, ...]) -> None:
    """Rewrite every page of a built Data Docs site in place and drop the static files no page uses."""
    undecided = {(site_dir / p.path).resolve() for p in pages if p.undecided}
    for path in sorted(site_dir.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        if path.parent == site_dir and path.name == "index.html":
            page = offline_index(page, pages)
        if path.resolve() in undecided:
            page = note_undecided(page)
        page = strip_remote(page)
        remote = remote_resources(page)
        if remote:
            log.warning("%s still references remote resources: %s", path, remote)
        path.write_text(page, encoding="utf-8")
    static = site_dir / "static"
    for path in sorted(static.rglob("*"), reverse=True) if static.is_dir() else []:
        relative = path.relative_to(site_dir).as_posix()
        if path.is_file() and relative not in keep_static:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
