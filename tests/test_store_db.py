import json
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from litmine.ingest import import_files
from litmine.store.db import Warehouse, WarehouseError, migrate

from conftest import FIXTURES

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
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with Warehouse(db).writer():
            entered.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    try:
        entered.wait(10)
        # DuckDB allows one read-write handle per file per process; another process is what counts
        code = ("import sys; from litmine.store.db import Warehouse, WarehouseError\n"
                "try:\n    Warehouse(sys.argv[1]).writer().__enter__()\nexcept WarehouseError as e:\n"
                "    print(e); sys.exit(3)\n")
        r = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
        assert r.returncode == 3 and "another litmine process is writing" in r.stdout
    finally:
        release.set()
        t.join()


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
