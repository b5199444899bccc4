"""What grows with the warehouse, not with the night's work: publish and the full-text index.

usage: .venv/bin/python bench/bench_scale.py [--base 30000] [--sizes 30000,100000,300000,1000000]

Imports `--base` real (replicated) MEDLINE records once, then builds warehouses of each size from
synthetic copies of those papers (new paper ids, same text and facts, inserted in SQL), and times
on each: publishing (copy of the working file + atomic rename), the full-text index rebuild
(`PRAGMA create_fts_index`, what every publishing run did before the index was updated in place),
a load of 2,000 new papers with their facts into it (the single writer's cost per chunk) and the
index update with those 2,000 papers (what a publishing run does now). Bytes per paper
from the file size after CHECKPOINT. One process; timings vary by up to 30% run to run.
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

import duckdb  # noqa: E402

from litmine.ingest import import_files, load_file, writer_run  # noqa: E402
from litmine.extract.pipeline import Extractor  # noqa: E402
from litmine.store import search_index  # noqa: E402
from litmine.store.db import Warehouse, load_fts  # noqa: E402

COPIED = ("paper", "author", "mention", "entity", "extraction", "source_record")


def grow(con: duckdb.DuckDBPyConnection, base: int, target: int) -> None:
    """Copies of the base papers under new ids until the warehouse holds `target` papers."""
    have = con.execute("SELECT count(*) FROM paper").fetchone()[0]
    copy = 1 + con.execute("SELECT count(DISTINCT split_part(paper_id, ':', 1)) FROM paper "
                           "WHERE paper_id LIKE 'copy%'").fetchone()[0]
    while have < target:
        n = min(base, target - have)
        con.execute("BEGIN")
        con.execute(f"CREATE TEMP TABLE pick AS SELECT paper_id FROM paper WHERE paper_id NOT LIKE 'copy%' "
                    f"ORDER BY paper_id LIMIT {n}")
        for table in COPIED:
            if table == "paper":
                cols = (f"* REPLACE ('copy{copy}:' || paper_id AS paper_id, NULL AS pmid, NULL AS doi, NULL AS pmcid)")
            elif table == "source_record":
                cols = f"* REPLACE ('copy{copy}:' || paper_id AS paper_id, 'copy{copy}:' || source_id AS source_id)"
            else:
                cols = f"* REPLACE ('copy{copy}:' || paper_id AS paper_id)"
            con.execute(f"INSERT INTO {table} SELECT {cols} FROM {table} WHERE paper_id IN (SELECT paper_id FROM pick)")
        con.execute("DROP TABLE pick")
        con.execute("COMMIT")
        have += n
        copy += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=30_000)
    ap.add_argument("--sizes", default="30000,100000,300000,1000000")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    try:
        corpus = write_pubmed_corpus(tmp / "base.xml.gz", args.base)
        night = write_pubmed_corpus(tmp / "night.xml.gz", 2000, first_pmid=60_000_000)
        extractor = Extractor.load()
        db = tmp / "db" / "l.duckdb"
        import_files([corpus], db, extractor)
        work = Warehouse(db).work_path
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            with duckdb.connect(str(work)) as con:
                grow(con, args.base, size)
                con.execute("CHECKPOINT")
                load_fts(con)
                t = time.perf_counter()
                search_index.rebuild(con)
                fts = time.perf_counter() - t
                con.execute("CHECKPOINT")
            nbytes = work.stat().st_size
            t = time.perf_counter()
            Warehouse(db).publish()
            publish = time.perf_counter() - t
            trial = tmp / "trial" / "l.duckdb"  # a night's chunk of 2,000 papers into this warehouse
            shutil.rmtree(trial.parent, ignore_errors=True)
            trial.parent.mkdir()
            shutil.copyfile(work, Warehouse(trial).work_path)
            shutil.copyfile(work, trial)
            with writer_run(trial, "bench", extractor, publish=False) as (con, summary):
                t = time.perf_counter()
                load_file(con, night, night.name, summary, extractor)
                load = time.perf_counter() - t
                load_fts(con)
                t = time.perf_counter()
                how = search_index.refresh(con)
                update = time.perf_counter() - t
                assert how == "updated", how
            rows.append((size, nbytes, publish, fts, load, update))
            print(f"{size:,} papers: {nbytes / 1e9:.2f} GB, publish {publish:.1f} s, index rebuild {fts:.1f} s, "
                  f"2,000-paper load {load:.1f} s, index update {update:.1f} s", flush=True)
        print("\n| papers | database | bytes per paper | publish s | full-text index rebuild s "
              "| load of 2,000 new papers s (extraction included) | index update with them s |")
        print("|---|---|---|---|---|---|---|")
        for size, nbytes, publish, fts, load, update in rows:
            print(f"| {size:,} | {nbytes / 1e9:.2f} GB | {nbytes / size:,.0f} | {publish:.1f} | {fts:.1f} | {load:.1f} "
                  f"| {update:.2f} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
