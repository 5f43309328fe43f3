"""Open report pages in headless Chromium with networking disabled; screenshot them and check they are not blank.

    python bench/browser_check.py output/jiangsu-ipr-2023 [--shots DIR]

For each output folder: renders `report.html` and `data_docs/index.html` (and one Data Docs validation
page) offline, writes PNG screenshots (default: into the output folder, `browser-*.png`), and prints
per page the share of non-white pixels and whether the expected text is in the rendered DOM.
Exit 0 when every page rendered its content, 1 when one is blank, 3 when Chromium is not installed.

Chromium is the Debian package (`apt-get install chromium`); `$WHITEPAPER_CHROMIUM` overrides the path.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WINDOW = (1280, 4000)
TIMEOUT_S = 90
WHITE_LEVEL = 245  # a pixel with every channel at or above this counts as background
MIN_INK = 0.01  # a page with less than 1% non-white pixels is taken as blank
EXIT_BLANK = 1
EXIT_NO_CHROMIUM = 3
# Networking off: no DNS, an unreachable proxy, none of Chromium's own background traffic.
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def find_chromium() -> str | None:
    override = os.environ.get("WHITEPAPER_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(chromium: str, extra: list[str], page: Path) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="wp-chromium-") as profile:
        cmd = [chromium, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def screenshot(chromium: str, page: Path, png: Path, window: tuple[int, int] = WINDOW) -> None:
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    done = _run(chromium, [f"--screenshot={png.resolve()}", f"--window-size={window[0]},{window[1]}"], page)
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot of {page} (exit {done.returncode}): {done.stderr[-500:]}")


def dump_dom(chromium: str, page: Path) -> str:
    """The DOM after rendering (scripts run, styles applied), as Chromium serialises it."""
    done = _run(chromium, ["--dump-dom", "--virtual-time-budget=3000"], page)
    if done.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom failed on {page} (exit {done.returncode}): {done.stderr[-500:]}")
    return done.stdout


def ink(png: Path) -> float:
    """Share of non-white pixels of a screenshot (0 for a blank page)."""
    from PIL import Image

    with Image.open(png) as image:
        gray = image.convert("L")
        histogram = gray.histogram()
    total = sum(histogram)
    return sum(histogram[:WHITE_LEVEL]) / total if total else 0.0


@dataclass
class PageCheck:
    page: Path
    screenshot: Path
    ink: float
    missing_text: list[str]

    @property
    def ok(self) -> bool:
        return self.ink >= MIN_INK and not self.missing_text


def check_page(chromium: str, page: Path, png: Path, expect_text: list[str]) -> PageCheck:
    screenshot(chromium, page, png)
    dom = dump_dom(chromium, page)
    return PageCheck(page, png, ink(png), [t for t in expect_text if t not in dom])


def pages_to_check(folder: Path) -> list[tuple[str, Path, list[str]]]:
    """(name, page, texts its DOM must contain) for a report folder: the report and its Data Docs."""
    import json

    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    pages = [("report", folder / "report.html", [f["finding_id"] for f in findings] + ["Checks and findings"])]
    docs = folder / "data_docs"
    if (docs / "index.html").is_file():
        pages.append(("data-docs-index", docs / "index.html", ["Validation Results", "validations/"]))
        failing = [f["check"] for f in findings] + [p.stem for p in sorted((folder / "gx").glob("*.json"))]
        for check in failing[:1]:  # the validation page of a check with findings, else of the first check
            page = next(iter(sorted((docs / "validations").rglob(f"{check}.html"))), None)
            if page is not None:
                pages.append(("data-docs-validation", page, ["Expectation Validation Result", check]))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="output folders (output/<doc>)")
    parser.add_argument("--shots", type=Path, help="folder for the screenshots (default: each output folder)")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print(
            "browser_check: chromium not found (apt-get install chromium, or set WHITEPAPER_CHROMIUM)", file=sys.stderr
        )
        return EXIT_NO_CHROMIUM
    code = 0
    for folder in args.folders:
        for name, page, texts in pages_to_check(folder):
            png = (args.shots or folder) / f"browser-{folder.name}-{name}.png"
            result = check_page(chromium, page, png, texts)
            status = "ok" if result.ok else "BLANK"
            print(f"{status} {page}: {result.ink:.1%} non-white, missing text {result.missing_text or 'none'} -> {png}")
            if not result.ok:
                code = EXIT_BLANK
    return code


if __name__ == "__main__":
    sys.exit(main())
