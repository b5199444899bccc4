"""reextract: re-run extraction over stored papers when the extractor changes.

Outdated papers are cut into shards; shards are extracted in parallel by the flow's task
runner and written as Parquet; the single writer then swaps each shard's rows in its own
transaction. The task runner is chosen when the flow is loaded: the Dask cluster at
`LITMINE_DASK_ADDRESS` if set (so `litmine serve` and `prefect deploy` both use it), else threads.
"""

from __future__ import annotations

import time

from prefect import flow
from prefect.futures import wait
from flows.tasks import configured_task_runner, db_path, extract_shard, load_shards, outdated_shards, report
from litmine.extract.pipeline import current_version


@flow(name="reextract", log_prints=True, task_runner=configured_task_runner())
def reextract(db: str | None = None, shard_size: int = 1000, all_papers: bool = False) -> dict:
    shards = outdated_shards(db, current_version(), shard_size, all_papers)
    out_dir = str(db_path(db).resolve().parent / "cache" / "shards")  # absolute: workers run elsewhere
    started = time.perf_counter()
    futures = [extract_shard.submit(rows, out_dir) for rows in shards]
    wait(futures)
    extracted_at = time.perf_counter()
    result = load_shards(db, [f.result() for f in futures])
    result |= {"shards": len(shards), "extract_seconds": round(extracted_at - started, 2),
               "load_seconds": round(time.perf_counter() - extracted_at, 2)}
    report("Re-extraction", {"reextract": result}, key="reextract")
    return result
