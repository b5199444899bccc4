"""The HTML report at scale: write time over ~30,000 papers, file size, and time to open in Chromium.

usage: .venv/bin/python bench/bench_report.py [--copies 50]
Targets (issue 10): a report over 30,000 papers written in <= 10 s, opened in a browser in <= 3 s.

The warehouse is the shipped samples (`litmine demo`: 615 real papers, 59 with case facts)
copied under new identifiers and years with SQL, facts, mentions and evidence included. Two
scopes: the whole warehouse (~30,000 papers, 10% with facts) and a facts-rich one (every paper
with case facts, copied until there are ~30,000 of them: the worst case for the file's size).
Open time is from navigation until the case table's first rows are drawn (headless, from disk).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium  # noqa: E402

from litmine.extract.pipeline import Extractor  # noqa: E402
from litmine.ingest import import_files  # noqa: E402
from litmine.report.html import write_report  # noqa: E402
from litmine.report.scope import Scope  # noqa: E402
from litmine.store.db import Warehouse  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
KEYED = {"paper": "paper_id", "entity": "paper_id", "mention": "paper_id", "extraction": "paper_id",
         "author": "paper_id"}


def build(db: Path, copies: int, facts_only: bool) -> int:
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file() and not p.name.startswith(("README", ".")))
    assert import_files(files, db, Extractor.load(), command="bench").ok
    with Warehouse(db).writer() as con:
        con.execute("CREATE TEMP TABLE copies AS SELECT range AS k FROM range(1, ?)", [copies])
        keep = "WHERE paper_id IN (SELECT paper_id FROM entity)" if facts_only else ""
        con.execute(f"CREATE TEMP TABLE base AS SELECT paper_id FROM paper {keep}")
        if facts_only:  # the papers without facts go: every paper of this warehouse has some
            for table in KEYED:
                con.execute(f"DELETE FROM {table} WHERE paper_id NOT IN (SELECT paper_id FROM base)")
            con.execute("DELETE FROM source_record WHERE paper_id NOT IN (SELECT paper_id FROM base)")
        new_id = "t.paper_id || '#' || k"
        con.execute(f"""INSERT INTO paper SELECT t.* REPLACE (
            {new_id} AS paper_id, CASE WHEN pmid IS NOT NULL THEN CAST(k * 100000000 + CAST(pmid AS BIGINT) AS VARCHAR) END AS pmid,
            CASE WHEN doi IS NOT NULL THEN doi || '.' || k END AS doi, NULL AS pmcid,
            pub_year - k % 25 AS pub_year,
            CASE WHEN pub_date IS NOT NULL THEN CAST(pub_year - k % 25 AS VARCHAR) || substr(pub_date, 5) END AS pub_date)
            FROM paper t, copies""")
        for table in ("entity", "mention", "extraction", "author"):
            con.execute(f"INSERT INTO {table} SELECT t.* REPLACE ({new_id} AS paper_id) FROM {table} t, copies "
                        "WHERE t.paper_id IN (SELECT paper_id FROM base)")
        con.execute(f"INSERT INTO source_record SELECT t.* REPLACE (source_id || '#' || k AS source_id, {new_id} AS paper_id) "
                    "FROM source_record t, copies WHERE t.paper_id IN (SELECT paper_id FROM base)")
        return con.execute("SELECT count(*) FROM paper").fetchone()[0]


def open_time(browser, path: Path) -> float:
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector("#case-table tbody tr.paper")
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=50, help="copies of the 615 sample papers (50: ~30,000)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    scenarios = [("whole warehouse", False, args.copies), ("every paper with facts", True, args.copies * 615 // 59)]
    print("| scope | papers | with facts | write s | MB | open s (3 runs) |\n|---|---|---|---|---|---|")
    with chromium() as browser:
        for name, facts_only, copies in scenarios:
            db = tmp / f"{'facts' if facts_only else 'all'}.duckdb"
            build(db, copies, facts_only)
            written = write_report(db, tmp / f"{db.stem}.html", Scope())
            opens = [open_time(browser, written.path) for _ in range(3)]
            print(f"| {name} | {written.papers:,} | {written.with_facts:,} | {written.seconds:.1f} | "
                  f"{written.bytes / 1e6:.1f} | {', '.join(f'{s:.2f}' for s in opens)} |", flush=True)


if __name__ == "__main__":
    main()
