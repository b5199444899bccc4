"""Analysts keep querying while a large import writes.

usage: .venv/bin/python bench/bench_concurrent_readers.py [--records 20000]
Runs `litmine import` of N real (replicated) PubMed records in one process while this process
runs `litmine sql` in a loop; reports how many queries ran, how many failed, and what they saw.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import ROOT, write_pubmed_corpus  # noqa: E402

LITMINE = str(Path(sys.executable).with_name("litmine"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "litmine.duckdb"
    corpus = write_pubmed_corpus(tmp / "corpus.xml.gz", args.records)
    subprocess.run([LITMINE, "import", str(ROOT / "data/samples/seed_cutaneous_net_prrt.txt"), "--db", str(db)],
                   check=True, capture_output=True)
    start = time.perf_counter()
    writer = subprocess.Popen([LITMINE, "import", str(corpus), "--db", str(db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ok, failed, seen = 0, [], []
    while writer.poll() is None:
        r = subprocess.run([LITMINE, "sql", "SELECT count(*) FROM papers", "--db", str(db), "--format", "csv"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            ok += 1
            seen.append(int(r.stdout.split()[1]))
        else:
            failed.append(r.stderr.strip())
    write_seconds = time.perf_counter() - start
    r = subprocess.run([LITMINE, "sql", "SELECT count(*) FROM papers", "--db", str(db), "--format", "csv"],
                       capture_output=True, text=True, check=True)
    print(f"import of {args.records} records: {write_seconds:.1f} s (exit {writer.returncode}); "
          f"litmine sql during it: {ok} succeeded, {len(failed)} failed; counts seen {sorted(set(seen))}; "
          f"after: {r.stdout.split()[1]}")
    for f in failed[:3]:
        print("failure:", f)


if __name__ == "__main__":
    main()
