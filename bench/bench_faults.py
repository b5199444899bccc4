"""The fault suite at scale: each operator-level fault of issue 11, then the database compared
with a clean run of the same loads.

usage: .venv/bin/python bench/bench_faults.py [--records 6000] [--kills 4]

Scenarios (each through the `litmine` command, as an operator runs it):
- kill -9 at several moments of a large import, then the same import again;
- a truncated working copy (a crash while it was made), then an import;
- a published file restored from a backup, then an import (the restored state is the start);
- a second writer while one is running (refused with exit 3, the first finishes);
- bad records among good files (S2 fields of wrong types, a 1.2-million-character abstract);
- a full disk at publish (exit 4), then the next run.
The tests in tests/ run each of these once on small inputs; this runs them on a corpus large
enough to be killed in the middle of extraction and loading.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))
from conftest import FIXTURES, contents  # noqa: E402
from corpus import write_pubmed_corpus  # noqa: E402

from litmine.store.db import Warehouse  # noqa: E402

LITMINE = str(Path(sys.executable).with_name("litmine"))


def litmine(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([LITMINE, *args], capture_output=True, text=True, timeout=timeout)


def load(db: Path, *files: Path) -> subprocess.CompletedProcess:
    return litmine("import", *map(str, files), "--db", str(db))


def states(db: Path) -> list[str]:
    with Warehouse(db).reader() as con:
        return [r[0] for r in con.execute("SELECT status FROM load_run ORDER BY started_at").fetchall()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=6000)
    ap.add_argument("--kills", type=int, default=4, help="kill -9 moments, spread over the import")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    seed, case = FIXTURES / "seed_000_60f76852bb3d8491.txt", FIXTURES / "pubmed_25364329_case_report.xml"
    corpus = write_pubmed_corpus(tmp / "corpus.xml.gz", args.records)
    rows = []

    def report(name: str, equal: bool, seconds: float, note: str = "") -> None:
        rows.append((name, equal, seconds, note))
        print(f"| {name} | {'yes' if equal else 'NO'} | {seconds:.1f} | {note} |", flush=True)

    print("| scenario | equal to a clean run | seconds | note |\n|---|---|---|---|", flush=True)
    clean = tmp / "clean.duckdb"
    t = time.perf_counter()
    assert load(clean, seed, corpus).returncode == 0
    full = time.perf_counter() - t
    expected = contents(clean)
    report("clean import (reference)", True, full, f"{args.records:,} records")

    for k in range(1, args.kills + 1):  # kill -9 at k/(kills+1) of the clean run's time
        db = tmp / f"killed{k}.duckdb"
        assert load(db, seed).returncode == 0
        proc = subprocess.Popen([LITMINE, "import", str(corpus), "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(full * k / (args.kills + 1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        t = time.perf_counter()
        again = load(db, corpus)
        report(f"kill -9 at {k}/{args.kills + 1} of the import, then again", contents(db) == expected,
               time.perf_counter() - t, f"exit {again.returncode}; runs {states(db)}")

    db = tmp / "truncated.duckdb"
    assert load(db, seed).returncode == 0
    Warehouse(db).work_path.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    t = time.perf_counter()
    r = load(db, corpus)
    report("truncated working copy, then an import", contents(db) == expected, time.perf_counter() - t,
           r.stderr.strip().splitlines()[0][:90])

    db, backup = tmp / "restored.duckdb", tmp / "backup.duckdb"
    assert load(db, seed).returncode == 0
    shutil.copyfile(db, backup)
    assert load(db, case).returncode == 0  # after the backup: lost with the restore
    shutil.copyfile(backup, db)
    t = time.perf_counter()
    load(db, corpus)
    report("published file restored from a backup, then an import", contents(db) == expected,
           time.perf_counter() - t, "the restored file is the start: the later paper is gone")

    db = tmp / "two_writers.duckdb"
    assert load(db, seed).returncode == 0
    first = subprocess.Popen([LITMINE, "import", str(corpus), "--db", str(db)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    time.sleep(min(3.0, full / 3))
    second = load(db, case)
    first.wait()
    report("a second writer while one runs", contents(db) == expected and second.returncode == 3, 0.0,
           second.stderr.strip().splitlines()[-1][:90])

    db, bad = tmp / "bad_records.duckdb", tmp / "bad"
    bad.mkdir()
    s2 = [json.loads(x) for x in (FIXTURES / "s2_search_turing_papers.jsonl").read_text().splitlines()[:2]]
    s2[0]["title"], s2[1]["externalIds"] = 12345, ["DOI", "x"]
    (bad / "s2.jsonl").write_text("\n".join(map(json.dumps, s2)) + "\n")
    xml = case.read_text().replace(">25364329<", ">99999999<")
    a, b = xml.index("<AbstractText>") + 14, xml.index("</AbstractText>")
    (bad / "huge.xml").write_text(xml[:a] + (xml[a:b] + " ") * (1_300_000 // (b - a)) + xml[b:])
    t = time.perf_counter()
    r = load(db, seed, bad / "s2.jsonl", bad / "huge.xml", corpus)
    with Warehouse(db).reader() as con:
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    got = contents(db)
    same = all(set(g) >= set(e) for g, e in zip(got, expected)) and "Traceback" not in r.stderr
    report("bad records among good files", same and r.returncode == 0, time.perf_counter() - t,
           f"exit {r.returncode}; {quarantined} quarantined; the huge abstract stored and extracted")

    db = tmp / "disk_full.duckdb"
    assert load(db, seed).returncode == 0
    code = ("import sys, litmine.store.db as s; real = s.shutil.copyfile\n"
            "s.shutil.copyfile = lambda a, b, *x, **k: (_ for _ in ()).throw(OSError(28, 'No space left on device')) "
            "if str(b).endswith('.publishing') else real(a, b, *x, **k)\n"
            "from litmine.cli import app; sys.argv = ['litmine', 'import', sys.argv[1], '--db', sys.argv[2]]; app()")
    full_disk = subprocess.run([sys.executable, "-c", code, str(corpus), str(db)], capture_output=True, text=True)
    t = time.perf_counter()
    after = litmine("summary", "--db", str(db))
    nothing_new = tmp / "empty.xml"
    nothing_new.write_text("<PubmedArticleSet></PubmedArticleSet>")
    load(db, nothing_new)
    report("full disk at publish (exit 4), then the next run", contents(db) == expected and full_disk.returncode == 4,
           time.perf_counter() - t, f"states {states(db)}; summary exit {after.returncode}")
    print(f"\n{sum(1 for r in rows if r[1])} of {len(rows)} scenarios equal to the clean run", flush=True)


if __name__ == "__main__":
    main()
