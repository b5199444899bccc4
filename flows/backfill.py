"""backfill: PubMed baseline or update files, fetched, parsed and extracted on a Dask cluster.

`sources` are what `litmine ingest-files` takes: files, folders, file URLs or NCBI's listing
page (https://ftp.ncbi.nlm.nih.gov/pubmed/baseline/). Files already loaded with the same MD5 are
skipped. With the Dask task runner (`LITMINE_DASK_ADDRESS` when the flow is loaded) every file
becomes a task that downloads, parses and extracts it into a Parquet shard under
`cache`/shards, which must be a folder the workers and the flow share; the flow is the single
writer and loads the shards in file order as they complete, one transaction per file. Without
Dask, the flow's own machine does the work: this process reads, one process per core extracts.

A killed backfill is run again with the same sources: loaded files are skipped by MD5, and
shards prepared but not yet loaded are reused, not extracted again. Progress (files done,
records/s) is the flow run's progress artifact and its markdown artifact.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.context import get_run_context

from flows.tasks import configured_task_runner, counts, db_path, extractor, report
from litmine.ingest import RunSummary, ingest_files
from litmine.prepare import PreparedFile, prepare_bulk_file
from litmine.sources.bulk import BulkFile


@task(task_run_name="prepare {f.name}")
def prepare_file(f: BulkFile, cache: str, shards: str) -> PreparedFile:
    return prepare_bulk_file(f, Path(cache), Path(shards))


class TaskPreparer:
    """`ingest_files`' preparer: each file a `prepare_file` task on the flow's task runner."""

    def submit(self, f: BulkFile, cache: Path, shards: Path):
        return prepare_file.submit(f, str(cache), str(shards))


@flow(name="backfill", log_prints=True, task_runner=configured_task_runner())
def backfill(sources: list[str], db: str | None = None, cache: str = "data/cache", publish: bool = True) -> dict:
    from prefect_dask import DaskTaskRunner

    on_dask = isinstance(get_run_context().task_runner, DaskTaskRunner)
    logger = get_run_logger()
    progress = create_progress_artifact(0.0, key="backfill-progress", description="files done")
    started = time.perf_counter()

    def loaded(summary: RunSummary, done: int, total: int) -> None:
        rate = summary.records / max(time.perf_counter() - started, 1e-9)
        update_progress_artifact(progress, 100.0 * done / total,
                                 description=f"{done} of {total} files, {summary.records:,} records, {rate:,.0f} records/s")
        logger.info("%d/%d files, %d records, %.0f records/s", done, total, summary.records, rate)

    summary = ingest_files(sources, db_path(db), extractor(), cache=Path(cache), command="backfill",
                           publish=publish, preparer=TaskPreparer() if on_dask else None, on_loaded=loaded)
    seconds = time.perf_counter() - started
    update_progress_artifact(progress, 100.0, description=(
        f"done: {len(summary.files_loaded)} files loaded, {len(summary.files_failed)} failed, "
        f"{summary.records:,} records, {summary.records / seconds:,.0f} records/s"))
    result = counts(summary) | {"files_loaded": len(summary.files_loaded), "records": summary.records,
                                "seconds": round(seconds, 1), "records_per_second": round(summary.records / seconds, 1),
                                "on_dask": on_dask}
    if publish:  # a nightly's step publishes with the night
        failed = f", {len(summary.files_failed)} failed (failed_file says why)" if summary.files_failed else ""
        report(f"Backfill: {len(summary.files_loaded)} files loaded{failed}, {summary.records:,} records, "
               f"{result['records_per_second']:,.0f} records/s", {"backfill": result}, key="backfill", db=db,
               html=False)  # a report of a whole baseline is no one's reading: the warehouse is
    return result
