import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from litmine.ingest import import_files
from litmine.store.db import Warehouse, WarehouseError, migrate

from conftest import FIXTURES, contents, writer_held

SEED = FIXTURES / "seed_000_60f76852bb3d8491.txt"


def test_reader_refuses_writes(db, extractor):
    import_files([SEED], db, extractor)
    con = Warehouse(db).reader()
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("DELETE FROM paper")
    assert con.execute("SELECT count(*) FROM papers").fetchone()[0] == 1


def test_reader_on_missing_database_says_what_to_do(db):
    with pytest.raises(WarehouseError, match="no database yet"):
        Warehouse(db).reader()


def test_migrations_are_recorded_once(db):
    with Warehouse(db).writer() as con:
        v1 = migrate(con)
        v2 = migrate(con)
        assert v1 == v2 == con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == v1


def test_second_writer_fails_fast_with_a_clear_message(db):
    # DuckDB allows one read-write handle per file per process; another process is what counts
    code = ("import sys; from litmine.store.db import Warehouse, WarehouseError\n"
            "try:\n    Warehouse(sys.argv[1]).writer().__enter__()\nexcept WarehouseError as e:\n"
            "    print(e); sys.exit(3)\n")
    with writer_held(db):
        r = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and "another litmine process" in r.stdout and "is writing" in r.stdout
    assert f"(PID {os.getpid()})" in r.stdout  # which one


READER = """
import json, sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
import os
seen, errors, n = set(), [], 0
while not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        papers = con.execute("SELECT count(*) FROM papers").fetchone()[0]
        runs = con.execute("SELECT count(*) FROM load_run WHERE status = 'running'").fetchone()[0]
        con.close()
        seen.add((papers, runs)); n += 1
    except Exception as e:
        errors.append(repr(e))
    time.sleep(0.01)
print(json.dumps({"seen": sorted(seen), "errors": errors, "queries": n}))
"""


def test_analysts_are_never_blocked_and_never_see_half_a_run(db, extractor, tmp_path):
    import_files([SEED], db, extractor)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)
    started = time.perf_counter()
    s = import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    write_seconds = time.perf_counter() - started
    time.sleep(0.5)
    stop.touch()
    out = json.loads(reader.communicate(timeout=60)[0])
    assert s.added == 604
    assert out["errors"] == []
    # only whole states: before the run (1 paper) or after it (605); never a run in progress
    assert set(map(tuple, out["seen"])) == {(1, 0), (605, 0)}
    assert out["queries"] >= 5 and write_seconds > 0.5  # it kept querying while the write ran


# -- the working copy and run states under faults ---------------------------------------------

CASE = FIXTURES / "pubmed_25364329_case_report.xml"
BASELINE = FIXTURES / "pubmed_baseline_4rec.xml.gz"


def papers(db) -> set[str]:
    with Warehouse(db).reader() as con:
        return {r[0] for r in con.execute("SELECT paper_id FROM paper").fetchall()}


def test_a_truncated_working_copy_is_rebuilt_from_the_published_file(db, extractor, capsys):
    import_files([SEED], db, extractor)
    wh = Warehouse(db)
    wh.work_path.write_bytes(db.read_bytes()[:300_000])  # a crash while the copy was being made
    s = import_files([CASE], db, extractor)
    assert s.ok and papers(db) == {"doi:10.1155/2024/8873822", "pmid:25364329"}
    assert f"{wh.work_path}: unusable working copy" in capsys.readouterr().err  # said in one line


def test_a_restored_published_file_is_the_start_of_the_next_run(db, extractor, tmp_path, capsys):
    import_files([SEED], db, extractor)
    backup = tmp_path / "backup.duckdb"
    backup.write_bytes(db.read_bytes())
    import_files([CASE], db, extractor)           # the working copy now holds seed + case
    backup.replace(db)                             # the operator restores last week's file
    import_files([BASELINE], db, extractor)
    assert "doi:10.1155/2024/8873822" in papers(db) and "pmid:25364329" not in papers(db)
    assert len(papers(db)) == 5                    # seed + the 4 baseline records
    assert "changed since litmine last published it" in capsys.readouterr().err


KILLABLE = """
import sys
import time
from litmine.ingest import import_files


def stored_a_chunk(summary):  # the file's first chunk is in the open transaction: wait to be killed
    print("mid-file", flush=True)
    time.sleep(600)


import_files([__import__("pathlib").Path(sys.argv[2])], __import__("pathlib").Path(sys.argv[1]),
             workers=1, batch=500, on_chunk=stored_a_chunk)
"""


def test_a_run_killed_mid_import_is_marked_interrupted_by_the_next(db, extractor):
    import_files([SEED], db, extractor)
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(db), str(FIXTURES / "medline16n0902_update_excerpt.xml.gz")],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "mid-file"  # killed where it stands, not after a guessed delay
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    import_files([CASE], db, extractor)
    with Warehouse(db).reader() as con:
        states = con.execute("SELECT status, message FROM load_run ORDER BY started_at").fetchall()
    assert [s for s, _ in states] == ["ok", "interrupted", "ok"]
    assert "ended before" in states[1][1]
    # the killed file loaded again: the same database as a run that was never killed
    import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    clean = db.with_name("clean.duckdb")
    import_files([SEED, CASE, FIXTURES / "medline16n0902_update_excerpt.xml.gz"], clean, extractor)
    assert contents(db) == contents(clean)


def test_a_failed_publish_is_recorded_failed_and_published_by_the_next_run(db, extractor, disk_full):
    import_files([SEED], db, extractor)
    disk_full(True)
    with pytest.raises(WarehouseError, match="could not publish.*No space left on device"):
        import_files([CASE], db, extractor)
    assert papers(db) == {"doi:10.1155/2024/8873822"}  # analysts keep the last good file
    disk_full(False)
    import_files([BASELINE], db, extractor)
    assert len(papers(db)) == 6  # the failed run's paper was kept and is published now
    with Warehouse(db).reader() as con:
        states = con.execute("SELECT command, status, message FROM load_run ORDER BY started_at").fetchall()
    assert [s for _, s, _ in states] == ["ok", "failed", "ok"] and "No space left" in states[1][2]
