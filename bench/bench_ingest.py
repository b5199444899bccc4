"""Bulk ingestion: one baseline-sized file on this machine's cores, and several files on Dask.

usage: PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=120 .venv/bin/python bench/bench_ingest.py
           [--records 30000] [--files 6] [--file-records 5000] [--parts file,stages,dask]

1. `litmine import` of one file of N real (replicated) MEDLINE records, as a user runs it (a fresh
   process), serial (`--workers 1`) and on every core (the default), against spaCy's bare
   tokenizer (`blank("en")`, one process) over the same titles and abstracts; peak memory is the
   sum over the process tree; the two databases must hold the same rows. Target (issue 13): the
   import in at most 1.2x the bare tokenizer's time, <= 2 GB.
2. Per-stage cost of one file (ms per record, one process): parse, extract, write shard (Parquet),
   load (the single writer), full-text index, publish.
3. The `backfill` flow over several files on a LocalCluster of 1 and 2 single-threaded worker
   processes (new workers, then the same warm workers), against a Prefect server started here;
   then the workers' part alone (the same files prepared into shards, no writer running). On
   this 2-core machine the flow's single writer shares the cores with the workers; on a cluster
   it has its own. Target: >= 1.8x with 2 warm workers.
Timings on this 2-core machine vary by up to 30% run to run: compare rows of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_pubmed_corpus  # noqa: E402

LITMINE = str(Path(sys.executable).with_name("litmine"))
TOKENIZE = """
import sys, time, spacy
from pathlib import Path
from litmine.parse import read_records
from litmine.record import Paper
texts = [f"{p.title}\\n\\n{p.abstract}" if p.abstract else p.title for p in read_records(Path(sys.argv[1]))
         if isinstance(p, Paper)]
nlp = spacy.blank("en")
t = time.perf_counter()
for text in texts:
    nlp.make_doc(text)
print(time.perf_counter() - t)
"""


def timed_tree(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak summed RSS (GB) of the process and its children, stdout."""
    t = time.perf_counter()
    proc = psutil.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    stop.set()
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {err[-2000:]}")
    return wall, peak[0] / 1e9, out


def same_rows(a: Path, b: Path) -> bool:
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY); ATTACH '{b}' AS b (READ_ONLY)")
    for table, cols in (("paper", "* EXCLUDE (updated_at)"), ("author", "*"), ("entity", "*"), ("mention", "*"),
                        ("extraction", "paper_id, extractor_version, text_hash"), ("quarantine", "input, position, reason")):
        for x, y in (("a", "b"), ("b", "a")):
            if con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{table} EXCEPT ALL "
                           f"SELECT {cols} FROM {y}.{table})").fetchone()[0]:
                return False
    return True


def one_file(tmp: Path, records: int) -> None:
    corpus = write_pubmed_corpus(tmp / "one" / "pubmed.xml.gz", records)
    tok = float(subprocess.run([sys.executable, "-c", TOKENIZE, str(corpus)], check=True, capture_output=True,
                               text=True).stdout)
    rows = [("spaCy bare tokenizer, one process", tok, None)]
    dbs = {}
    for label, extra in (("litmine import --workers 1 (serial)", ["--workers", "1"]),
                         (f"litmine import (default: {os.cpu_count()} workers)", [])):
        db = tmp / "one" / f"db{len(dbs)}" / "l.duckdb"
        wall, peak, _ = timed_tree([LITMINE, "import", str(corpus), "--db", str(db), *extra])
        rows.append((label, wall, peak))
        dbs[label] = db
    print(f"\n## One file of {records:,} records, end to end (fresh processes)\n")
    print("| run | seconds | records/s | x bare tokenizer | peak memory (process tree) |")
    print("|---|---|---|---|---|")
    for label, s, peak in rows:
        print(f"| {label} | {s:.1f} | {records / s:,.0f} | {s / tok:.2f} | {f'{peak:.2f} GB' if peak else ''} |")
    a, b = dbs.values()
    print(f"\nsame rows in both databases: {same_rows(a, b)}")


def stages(tmp: Path, records: int) -> None:
    from litmine.extract.pipeline import Extractor
    from litmine.ingest import load_shard, writer_run
    from litmine.parse import read_records
    from litmine.prepare import BATCH, chunks, prepare_texts, write_chunk
    from litmine.record import Paper
    from litmine.store.db import Warehouse, refresh_search_index

    corpus = write_pubmed_corpus(tmp / "stages" / "pubmed.xml.gz", records, first_pmid=80_000_000)
    extractor = Extractor.load()
    t = time.perf_counter()
    items = list(read_records(corpus))
    parse = time.perf_counter() - t
    t = time.perf_counter()
    prepared = [(chunk, *prepare_texts(extractor, [i for i in chunk if isinstance(i, Paper)]))
                for chunk in chunks(items, BATCH)]
    extract = time.perf_counter() - t
    shard = tmp / "stages" / "shard"
    shard.mkdir(parents=True)
    t = time.perf_counter()
    for n, (chunk, tables, failed) in enumerate(prepared):
        write_chunk(shard / f"{n:05d}", chunk, tables, failed)
    (shard / "complete").touch()
    write = time.perf_counter() - t
    db = tmp / "stages" / "db" / "l.duckdb"
    with writer_run(db, "bench", extractor, publish=False) as (con, summary):
        t = time.perf_counter()
        load_shard(con, shard, corpus.name, summary, extractor)
        load = time.perf_counter() - t
        t = time.perf_counter()
        refresh_search_index(con)
        index = time.perf_counter() - t
    t = time.perf_counter()
    Warehouse(db).publish()
    publish = time.perf_counter() - t
    size = db.with_name(f".{db.name}.work").stat().st_size
    print(f"\n## Cost per record of each stage ({records:,} records, one process)\n")
    print("| stage | where it runs | seconds | ms per record |")
    print("|---|---|---|---|")
    for name, where, s in (("parse", "writer process (local) / worker (Dask)", parse), ("extract", "worker", extract),
                           ("write shard (Parquet)", "worker", write),
                           ("load (merge + insert)", "single writer", load),
                           ("full-text index (rebuild, this warehouse)", "single writer", index),
                           ("publish (copy + rename, this warehouse)", "single writer", publish)):
        print(f"| {name} | {where} | {s:.2f} | {1000 * s / records:.3f} |")
    print(f"\ndatabase: {size / 1e6:.1f} MB for {records:,} papers ({size / records / 1e3:.1f} kB per paper)")


def dask_runs(tmp: Path, files: int, file_records: int) -> None:
    from dask.distributed import Client, LocalCluster, wait
    from prefect.testing.utilities import prefect_test_harness
    from prefect_dask import DaskTaskRunner

    from litmine.prepare import prepare_bulk_file
    from litmine.sources.bulk import list_files

    folder = tmp / "files"
    for n in range(files):
        write_pubmed_corpus(folder / f"pubmed26n{n + 1:04d}.xml.gz", file_records, first_pmid=70_000_000 + n * file_records)
    bulk = list_files(str(folder))
    t = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        print(f"\nPrefect server start: {time.perf_counter() - t:.1f} s (not counted below)")
        from flows.backfill import backfill

        rows, total = [], {}
        for workers in (1, 2):
            t = time.perf_counter()
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster, \
                    Client(cluster) as client:
                started = time.perf_counter() - t
                for run in ("new workers", "warm workers"):
                    run_dir = tmp / f"w{workers}-{run.split()[0]}"
                    flow = backfill.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
                    t = time.perf_counter()
                    result = flow(sources=[str(folder)], db=str(run_dir / "l.duckdb"), cache=str(run_dir / "cache"))
                    seconds = time.perf_counter() - t
                    total[workers, run] = seconds
                    rows.append((workers, f"backfill flow, {run}", result["records"], started, seconds))
                # the workers' part alone (download, parse, extract, write shards), no writer running
                shards = tmp / f"w{workers}-prepare"
                t = time.perf_counter()
                wait([client.submit(prepare_bulk_file, f, shards, shards, pure=False) for f in bulk])
                seconds = time.perf_counter() - t
                total[workers, "prepare"] = seconds
                rows.append((workers, "workers' part only, warm workers", files * file_records, started, seconds))
    print(f"\n## {files} files x {file_records:,} records, LocalCluster (1 thread per worker)\n")
    print("| workers | run | records | cluster start s | seconds | records/s |")
    print("|---|---|---|---|---|---|")
    for w, run, n, started, s in rows:
        print(f"| {w} | {run} | {n:,} | {started:.1f} | {s:.1f} | {n / s:,.0f} |")
    for run, label in (("new workers", "backfill flow, new workers"), ("warm workers", "backfill flow, warm workers"),
                       ("prepare", "workers' part only (parse + extract + write shards), warm workers")):
        print(f"speed-up 2 vs 1 workers, {label}: {total[1, run] / total[2, run]:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=30_000)
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--file-records", type=int, default=5_000)
    ap.add_argument("--parts", default="file,stages,dask", help="which of file, stages, dask to run")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    try:
        parts = args.parts.split(",")
        if "file" in parts:
            one_file(tmp, args.records)
        if "stages" in parts:
            stages(tmp, args.records)
        if "dask" in parts:
            dask_runs(tmp, args.files, args.file_records)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
