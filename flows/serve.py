"""Scheduled ingestion: a Prefect deployment whose runs read a raw folder and process every PDF that is
new or changed since its last ingestion (sha256, pipeline version, previous edition); unchanged ones
are skipped without being read (see flows/manifest.py).

`serve` blocks until SIGINT or SIGTERM; it runs at most one ingestion at a time (the history database
has a single writer).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from prefect import flow, get_run_logger

from flows.flow import RunOptions, process_documents
from flows.inputs import pdfs_in
from flows.results import DocumentResult
from publish.files import clean_stale_temporaries

DEPLOYMENT_NAME = "whitepaper-serve"
FLOW_NAME = "whitepaper-ingest"


@flow(name=FLOW_NAME, log_prints=False)
def ingest_flow(raw_dir: str, out_dir: str = "output", profile_path: str | None = None) -> list[DocumentResult]:
    """One scheduled pass over `raw_dir`: process new or changed PDFs, skip unchanged ones."""
    logger = get_run_logger()
    files = pdfs_in(Path(raw_dir))
    if not files:
        logger.info("%s: no PDF files yet", raw_dir)
        return []
    clean_stale_temporaries(Path(out_dir))
    results = process_documents([str(f) for f in files], RunOptions(out_dir, profile_path, skip_unchanged=True))
    counts = {status: sum(r.status == status for r in results) for status in {r.status for r in results}}
    logger.info("%s: %s", raw_dir, ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    return results


def serve(raw_dir: Path, out_dir: Path, profile_path: Path | None, cron: str, interval: float | None = None) -> None:
    """Register the deployment and run its schedule until stopped. `interval` (seconds) replaces `cron`."""
    parameters = {
        "raw_dir": str(raw_dir.resolve()),
        "out_dir": str(out_dir.resolve()),
        "profile_path": str(profile_path.resolve()) if profile_path else None,
    }
    schedule = {"interval": datetime.timedelta(seconds=interval)} if interval else {"cron": cron}
    ingest_flow.serve(
        name=DEPLOYMENT_NAME,
        parameters=parameters,
        limit=1,
        print_starting_message=False,
        pause_on_shutdown=True,
        **schedule,
    )
