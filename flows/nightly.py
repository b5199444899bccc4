"""nightly_ingest: the saved topic queries plus PubMed update files, incrementally.

Update files come from the `update_files` parameter or, for the scheduled run, from
`[nightly] update_files` in the topics file (files, folders or NCBI's listing URL; files already
loaded are skipped by name and MD5). With `[nightly] enrich_s2 = true` the run ends by adding
Semantic Scholar's identifiers and citation counts to new papers (and refreshing old ones).

Incremental by a watermark: each run searches records added to PubMed (Entrez date) since the
last successful run (minus a small overlap) up to today, and moves the watermark only when
every search and file succeeded. The steps write to the working copy only; the run publishes
once, at its end, so analysts never see half a night. Loads are idempotent and committed per
batch, so a run that crashed is simply run again: it re-reads the same window and ends with the
same database.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger

from flows.backfill import backfill
from flows.tasks import enrich_papers, publish, read_watermark, report, search_topic, window
from litmine.settings import get_settings


@flow(name="nightly-ingest", log_prints=True)
def nightly_ingest(topics: str | None = None, update_files: list[str] | None = None, until: date | None = None,
                   db: str | None = None, max_records: int | None = None) -> dict:
    config = tomllib.loads(Path(topics or get_settings().litmine_topics).read_text())
    nightly = config.get("nightly", {})
    until = until or date.today()
    since = window(read_watermark(db), until, nightly.get("initial_days", 30), nightly.get("overlap_days", 2))
    get_run_logger().info("nightly window: %s .. %s", since, until)
    results = {}
    # the steps do not publish: analysts see the database of the last night until this run is whole
    for topic in config.get("topic", []):
        results[topic["name"]] = search_topic(topic["query"], topic.get("sources", ["pubmed"]), since, until, db,
                                              max_records, datetype="edat", publish=False)
    update_files = update_files if update_files is not None else nightly.get("update_files", [])
    if update_files:
        results["update files"] = backfill(update_files, db, publish=False)  # on Dask when configured
    fetched = succeeded(results)
    if nightly.get("enrich_s2", False):  # a failed lookup does not hold the window back: it is asked again
        results["Semantic Scholar enrichment"] = enrich_papers(db, nightly.get("enrich_refresh_days", 30),
                                                               publish=False)
    publish(db, until if fetched else None)
    ok = succeeded(results)
    note = "" if ok else " (incomplete: watermark kept)" if not fetched else " (lookups failed: asked again next run)"
    path = report(f"Nightly ingestion {since} .. {until}{note}", results, key="nightly-ingest", db=db)
    return {"since": since.isoformat(), "until": until.isoformat(), "complete": ok, "steps": results, "report": path}


def succeeded(steps: dict[str, dict]) -> bool:
    return all(c["failed_batches"] == 0 and c["files_failed"] == 0 for c in steps.values())
