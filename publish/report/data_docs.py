"""The run's GX validation results (`gx/<check>.json`) -> Great Expectations Data Docs in a folder.

GX's own site builder renders the pages: the stored results go into an ephemeral context's
validation-results store (and each check's suite, rebuilt from the expectations in its result, into
the suite store), then `build_data_docs` writes a local site. Built from the output folder alone, so
`whitepaper report DIR` rebuilds the docs too. The pages pull CSS/JS from CDNs; `offline` rewrites
them so they render without a network.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from publish.report import offline

SITE_NAME = "whitepaper"
GX_DIR = "gx"
DOCS_DIR = "data_docs"
KEEP_STATIC = ("static/images/favicon.ico",)  # the only static file the rewritten pages use
RESULT_FIELDS = ("success", "results", "suite_name", "suite_parameters", "statistics", "meta")


@dataclass(frozen=True)
class DocsPage:
    """One validation page of the site, for the static index."""

    check: str
    suite: str
    success: bool
    evaluated: int
    successful: int
    run_time: str
    path: str  # relative to the site root
    suite_path: str
    # Only the "inputs present" expectation is unmet: rules that could not be decided, which the report
    # lists as undecided (info), not as failures.
    undecided: bool = False


def _suite(name: str, result: dict):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = []
    for item in result.get("results", []):
        config = dict(item["expectation_config"])
        kwargs = {k: v for k, v in config.get("kwargs", {}).items() if k != "batch_id"}
        expectations.append(
            ExpectationConfiguration(
                type=config["type"],
                kwargs=kwargs,
                meta=config.get("meta"),
                description=config.get("description"),
                severity=config.get("severity", "critical"),
            ).to_domain_obj()
        )
    return gx.ExpectationSuite(name=name, expectations=expectations)


def build_data_docs(folder: Path, site_dir: Path | None = None) -> list[DocsPage]:
    """Build the Data Docs of `folder/gx/*.json` into `site_dir` (default `folder/data_docs`), offline-ready."""
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from expectations.gx_suites import make_context

    site_dir = site_dir or folder / DOCS_DIR
    results = {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted((folder / GX_DIR).glob("*.json"))
    }
    if site_dir.exists():
        shutil.rmtree(site_dir)
    context = make_context()
    context.add_data_docs_site(
        SITE_NAME,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    doc_id = json.loads((folder / "document.json").read_text(encoding="utf-8")).get("doc_id") or folder.name
    schema = ExpectationSuiteValidationResultSchema()
    keys = {}
    for check, raw in results.items():
        result = schema.load({k: raw[k] for k in RESULT_FIELDS if k in raw})
        context.suites.add_or_update(_suite(raw["suite_name"], raw))
        run = raw.get("meta", {}).get("run_id") or {}
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=raw["suite_name"]),
            run_id=RunIdentifier(run_name=run.get("run_name") or doc_id, run_time=run.get("run_time")),
            batch_identifier=check,
        )
        context.validation_results_store.set(key, result)
        keys[check] = key
    context.build_data_docs(site_names=[SITE_NAME])

    pages = []
    for check, key in keys.items():
        raw, stats = results[check], results[check].get("statistics", {})
        validation = _relative(site_dir, context, key)
        suite_page = _relative(site_dir, context, key.expectation_suite_identifier)
        pages.append(
            DocsPage(
                check=check,
                suite=raw["suite_name"],
                success=bool(raw.get("success")),
                evaluated=int(stats.get("evaluated_expectations", 0)),
                successful=int(stats.get("successful_expectations", 0)),
                run_time=str(key.run_id.run_time),
                path=validation,
                suite_path=suite_page,
                undecided=only_undecided(raw),
            )
        )
    offline.make_site_offline(site_dir, pages, KEEP_STATIC)
    return pages


def only_undecided(result: dict) -> bool:
    """Whether every unmet expectation of a result is one whose misses mean "undecided" (gx_suites)."""
    from expectations.gx_suites import OUTCOME_UNDECIDED

    unmet = [r for r in result.get("results", []) if not r.get("success")]
    return bool(unmet) and all(
        (r.get("expectation_config", {}).get("meta") or {}).get("outcome") == OUTCOME_UNDECIDED for r in unmet
    )


def _relative(site_dir: Path, context, key) -> str:
    """The page of a resource in the site, relative to the site root (GX gives a file:// URL)."""
    urls = context.get_docs_sites_urls(resource_identifier=key, site_names=[SITE_NAME])
    url = urls[0]["site_url"] if urls else None
    if not url:
        raise RuntimeError(f"GX built no Data Docs page for {key}")
    path = Path(unquote(urlparse(url).path))
    return path.resolve().relative_to(site_dir.resolve()).as_posix()
