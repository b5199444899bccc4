"""Warehouse load throughput: papers and mention rows through Arrow into DuckDB.

usage: .venv/bin/python bench/bench_load.py [--papers 30000]
Targets (issue 5): >= 500,000 mention rows/s; a 30,000-paper batch in <= 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_pubmed_corpus  # noqa: E402

from litmine.extract.pipeline import Extractor  # noqa: E402
from litmine.parse import read_records  # noqa: E402
from litmine.record import Paper  # noqa: E402
from litmine.store import load  # noqa: E402
from litmine.store.db import Warehouse  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=30_000)
    ap.add_argument("--mention-rows", type=int, default=2_000_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    papers = [p for p in read_records(write_pubmed_corpus(tmp / "corpus.xml.gz", args.papers)) if isinstance(p, Paper)]
    extractor = Extractor.load()
    sample = list(extractor.extract_many((p.title, p.abstract) for p in papers[:604]))

    wh = Warehouse(tmp / "bench.duckdb")
    with wh.writer() as con:
        t0 = time.perf_counter()
        con.execute("BEGIN")
        w = load.write_papers(con, papers, "bench", extractor.version)
        t1 = time.perf_counter()
        results = [(pid, th, sample[i % len(sample)]) for i, (pid, _, _, th) in enumerate(w.to_extract)]
        n_mentions = sum(len(r[2].mentions) for r in results)
        load.write_extractions(con, results, extractor.version)
        con.execute("COMMIT")
        t2 = time.perf_counter()
    print(f"papers batch: {len(papers)} papers (+authors, provenance) in {t1 - t0:.2f} s; "
          f"extraction rows for them ({n_mentions} mentions) in {t2 - t1:.2f} s; batch total {t2 - t0:.2f} s")

    # mention rows alone, at scale
    mentions = [m for r in sample for m in r.mentions]
    per_paper = len(mentions) / len(sample)
    n_papers = int(args.mention_rows / per_paper)
    big = [(f"bench:{i}", "h", sample[i % len(sample)]) for i in range(n_papers)]
    rows = sum(len(r[2].mentions) for r in big)
    t0 = time.perf_counter()
    tables = load.extraction_tables(big, extractor.version)  # done by extraction workers
    convert = time.perf_counter() - t0
    with wh.writer() as con:
        t0 = time.perf_counter()
        con.execute("BEGIN")
        load.write_extraction_tables(con, tables)
        con.execute("COMMIT")
        dt = time.perf_counter() - t0
    print(f"mention rows: {rows} (+{tables.entities.num_rows} entity rows, {len(big)} papers) loaded by the "
          f"writer in {dt:.2f} s = {rows / dt:,.0f} mention rows/s; building those Arrow tables from "
          f"extraction results took {convert:.2f} s ({rows / convert:,.0f} rows/s per worker)")


if __name__ == "__main__":
    main()
