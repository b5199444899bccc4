"""Re-extraction flow on Dask: 1 vs 2 workers (LocalCluster, one single-threaded process each).

usage: PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=120 .venv/bin/python bench/bench_dask.py [--records 20000]
Loads N real (replicated) MEDLINE records without extraction, then times the `reextract` flow
(shards extracted on the Dask workers, loaded by the single writer) the way a deployment runs
it: against an existing cluster, by address, with a Prefect API the workers report to (a SQLite
server started here; without an API URL each Dask worker would start a temporary server of its
own). Each cluster does two runs on fresh copies of the database: the first on new workers
(each loads its pipeline on its first shard), the second on the same, now warm, workers.
Cluster and server start-up are timed apart. Target (issue 6): >= 1.7x from 1 to 2 workers.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_pubmed_corpus  # noqa: E402

from litmine.ingest import import_files  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--shard-size", type=int, default=1000)
    args = ap.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    t = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        print(f"Prefect server start: {time.perf_counter() - t:.1f} s (not counted below)")
        run(args.records, args.shard_size)


def run(records: int, shard_size: int) -> None:
    from dask.distributed import LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows.reextract import reextract

    tmp = Path(tempfile.mkdtemp())
    corpus = write_pubmed_corpus(tmp / "corpus.xml.gz", records)
    base = tmp / "base" / "litmine.duckdb"
    import_files([corpus], base, extract=False)

    rows, phase = [], {}
    for workers in (1, 2):
        t = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster:
            started = time.perf_counter() - t
            for run in ("new workers", "warm workers"):
                run_dir = tmp / f"workers{workers}-{run.split()[0]}"
                shutil.copytree(base.parent, run_dir)  # fresh copy: no shard cache from another run
                flow_run = reextract.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
                t = time.perf_counter()
                result = flow_run(db=str(run_dir / "litmine.duckdb"), shard_size=shard_size)
                total = time.perf_counter() - t
                phase[workers, run] = (result["extract_seconds"], total)
                rows.append((workers, run, result["extracted"], result["shards"], started, total,
                             result["extract_seconds"], result["load_seconds"]))
    print("\n| workers | run | abstracts | shards | cluster start s | flow run s | extraction phase s "
          "| single-writer load s | abstracts/s (extraction) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for w, run, n, shards, started, total, ext, load in rows:
        print(f"| {w} | {run} | {n} | {shards} | {started:.1f} | {total:.1f} | {ext:.1f} | {load:.1f} | {n / ext:,.0f} |")
    for run in ("new workers", "warm workers"):
        (e1, t1), (e2, t2) = phase[1, run], phase[2, run]
        print(f"speed-up 2 vs 1 workers, {run}: extraction phase {e1 / e2:.2f}x, whole flow run {t1 / t2:.2f}x")


if __name__ == "__main__":
    main()
