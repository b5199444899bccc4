"""reextract: re-run extraction over stored papers when the extractor changes.

Outdated papers are cut into shards; shards are extracted in parallel by whatever task
runner the flow uses (threads by default, a Dask cluster when `LITMINE_DASK_ADDRESS` is set
or a runner is passed) and written as Parquet; the single writer then swaps each shard's
rows in its own transaction."""

from __future__ import annotations

import time

from prefect import flow
from prefect.futures import wait

from flows.tasks import db_path, extract_shard, load_shards, outdated_shards, report
from litmine.extract.pipeline import current_version


@flow(name="reextract", log_prints=True)
def reextract(db: str | None = None, shard_size: int = 1000, all_papers: bool = False) -> dict:
    shards = outdated_shards(db, current_version(), shard_size, all_papers)
    out_dir = str(db_path(db).parent / "cache" / "shards")
    started = time.perf_counter()
    futures = [extract_shard.submit(rows, out_dir) for rows in shards]
    wait(futures)
    extracted_at = time.perf_counter()
    result = load_shards(db, [f.result() for f in futures])
    result |= {"shards": len(shards), "extract_seconds": round(extracted_at - started, 2),
               "load_seconds": round(time.perf_counter() - extracted_at, 2)}
    report("Re-extraction", {"reextract": result}, key="reextract")
    return result


def dask_runner(address: str | None = None, workers: int | None = None):
    """A DaskTaskRunner on an existing cluster (address), or a local one with `workers` processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers or 2, "threads_per_worker": 1, "processes": True})
