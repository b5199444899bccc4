"""Re-extraction flow on Dask: 1 vs 2 workers (LocalCluster, one process each).

usage: PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=120 .venv/bin/python bench/bench_dask.py [--records 20000]
Loads N real (replicated) MEDLINE records without extraction, then times the `reextract` flow
(shards extracted on the Dask workers, loaded by the single writer). Target (issue 6): >= 1.7x.
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
    ap.add_argument("--shard-size", type=int, default=500)
    args = ap.parse_args()
    from flows.reextract import dask_runner, reextract

    tmp = Path(tempfile.mkdtemp())
    corpus = write_pubmed_corpus(tmp / "corpus.xml.gz", args.records)
    base = tmp / "base" / "litmine.duckdb"
    import_files([corpus], base, extract=False)
    times, phases = {}, {}
    for workers in (1, 2):
        run_dir = tmp / f"workers{workers}"
        shutil.copytree(base.parent, run_dir)  # fresh copy: no shard cache from the other run
        flow = reextract.with_options(task_runner=dask_runner(workers=workers))
        t = time.perf_counter()
        result = flow(db=str(run_dir / "litmine.duckdb"), shard_size=args.shard_size)
        times[workers] = time.perf_counter() - t
        phases[workers] = result["extract_seconds"]
        print(f"workers={workers}: {result['extracted']} abstracts in {result['shards']} shards; flow run "
              f"{times[workers]:.1f} s ({result['extracted'] / times[workers]:,.0f} abstracts/s, incl. cluster "
              f"start); extraction phase {result['extract_seconds']:.1f} s; single-writer load "
              f"{result['load_seconds']:.1f} s")
    print(f"speed-up 2 vs 1 workers: whole flow {times[1] / times[2]:.2f}x, "
          f"extraction phase {phases[1] / phases[2]:.2f}x")


if __name__ == "__main__":
    main()
