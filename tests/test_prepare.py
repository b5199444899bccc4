"""Extraction fanned out (worker processes, shard folders) stores what a serial run stores."""

import gzip
import re
from pathlib import Path

import pytest

from litmine.ingest import import_files, ingest_files
from litmine.parse import read_records
from litmine.prepare import ExtractionPool, prepare_bulk_file
from litmine.record import Paper
from litmine.sources.bulk import list_files

from conftest import FIXTURES, query, stored

UPDATE = FIXTURES / "medline16n0902_update_excerpt.xml.gz"  # 604 real records and a DeleteCitation


@pytest.fixture(scope="module")
def update_file(tmp_path_factory) -> Path:
    """The update excerpt with one record broken (no valid PMID): it must be quarantined alike."""
    xml = gzip.open(UPDATE).read()
    xml = re.sub(rb'(<PMID Version="1">)\d+(</PMID>)', rb"\1not-a-pmid\2", xml, count=1)
    path = tmp_path_factory.mktemp("files") / "medline16n0902.xml.gz"
    path.write_bytes(gzip.compress(xml))
    return path


def test_worker_processes_store_what_a_serial_run_stores(tmp_path, extractor, update_file):
    serial = import_files([update_file], tmp_path / "serial" / "l.duckdb", extractor, workers=1, batch=100)
    parallel = import_files([update_file], tmp_path / "parallel" / "l.duckdb", extractor, workers=2, batch=100)
    assert serial.ok and parallel.ok
    assert (parallel.added, parallel.extracted, parallel.quarantined, parallel.deleted) == \
        (serial.added, serial.extracted, serial.quarantined, serial.deleted) == (603, 603, 1, 0)
    assert stored(tmp_path / "parallel" / "l.duckdb") == stored(tmp_path / "serial" / "l.duckdb")


def test_chunks_are_extracted_by_the_workers_ahead_of_the_writer(extractor, update_file):
    with ExtractionPool(extractor, 2, batch=100) as pool:
        prepared = list(pool.prepare(read_records(update_file), needed=lambda papers: papers))
    assert [len(p.items) for p in prepared] == [100] * 6 + [5]  # 604 records + 1 DeleteCitation
    assert all(p.tables is not None for p in prepared)
    done = prepared[0].tables.done
    assert done.num_rows == len({(p.title, p.abstract) for p in prepared[0].items if isinstance(p, Paper)})


def test_a_killed_worker_costs_time_not_records(extractor, update_file):
    """A worker killed mid-run (out of memory, say): its chunk is extracted by the writer, a new
    pool takes the next chunks, and every record comes out once, in order."""
    out = []
    with ExtractionPool(extractor, 2, batch=50) as pool:
        for prepared in pool.prepare(read_records(update_file), needed=lambda papers: papers):
            out.append(prepared)
            if len(out) == 1:
                for process in list(pool._pool._processes.values()):
                    process.kill()
    assert [i for p in out for i in p.items] == list(read_records(update_file))
    assert out[0].tables is not None
    assert any(p.tables is None for p in out[1:4])  # lost with the killed workers: the writer extracts them
    assert all(p.tables is not None for p in out[6:-1])  # a new pool took over


def test_a_prepared_shard_loads_like_the_file_and_is_reused(tmp_path, extractor, update_file):
    """The Dask path without Dask: a thread pool is a preparer too."""
    from concurrent.futures import ThreadPoolExecutor

    class Threads:
        def __init__(self) -> None:
            self.pool = ThreadPoolExecutor(1)

        def submit(self, f, cache, shards):
            return self.pool.submit(prepare_bulk_file, f, cache, shards)

    serial = tmp_path / "serial" / "l.duckdb"
    import_files([update_file], serial, extractor, workers=1)
    shards = tmp_path / "cache" / "shards"
    f = list_files(str(update_file))[0]
    first = prepare_bulk_file(f, tmp_path / "cache", shards)
    stamp = (Path(first.shard) / "00000" / "mentions.parquet").stat().st_mtime_ns
    again = prepare_bulk_file(f, tmp_path / "cache", shards)  # a restarted backfill
    assert again.shard == first.shard
    assert (Path(again.shard) / "00000" / "mentions.parquet").stat().st_mtime_ns == stamp  # not redone

    sharded = tmp_path / "sharded" / "l.duckdb"
    s = ingest_files([str(update_file)], sharded, extractor, cache=tmp_path / "cache", preparer=Threads())
    assert s.ok and s.added == 603 and s.quarantined == 1
    assert stored(sharded) == stored(serial)
    assert not Path(first.shard).exists()  # loaded: the shard is removed
    assert query(sharded, "SELECT name, records FROM ingested_file") == [("medline16n0902.xml.gz", 604)]


def test_an_unreadable_file_fails_alone_through_a_shard(tmp_path, extractor, update_file):
    from concurrent.futures import ThreadPoolExecutor

    broken = tmp_path / "in" / "broken.xml.gz"
    broken.parent.mkdir()
    broken.write_bytes(gzip.compress(gzip.open(update_file).read()[:50_000]))  # cut mid-record
    pool = ThreadPoolExecutor(2)

    class Threads:
        def submit(self, f, cache, shards):
            return pool.submit(prepare_bulk_file, f, cache, shards)

    s = ingest_files([str(broken), str(update_file)], tmp_path / "l.duckdb", extractor, cache=tmp_path / "cache",
                     preparer=Threads())
    assert [name for name, _ in s.files_failed] == ["broken.xml.gz"]
    assert "broken.xml.gz: malformed XML" in s.files_failed[0][1] and str(tmp_path) not in s.files_failed[0][1]
    assert s.files_loaded == ["medline16n0902.xml.gz"] and s.added == 603


def test_reextraction_on_worker_processes_stores_what_a_serial_run_stores(tmp_path, extractor, update_file):
    from litmine.ingest import reextract

    dbs = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}" / "l.duckdb"
        import_files([update_file], db, extract=False)
        s = reextract(db, extractor, workers=workers, batch=100)
        assert s.extracted == 603 and s.quarantined == 0
        assert reextract(db, extractor, workers=workers, batch=100).extracted == 0  # nothing left
        dbs.append(db)
    assert stored(dbs[0]) == stored(dbs[1])
    imported = tmp_path / "imported" / "l.duckdb"  # extracted while importing: the same facts
    import_files([update_file], imported, extractor, workers=1)
    facts = "SELECT * FROM entity ORDER BY ALL"
    assert query(dbs[1], facts) == query(imported, facts) and len(query(imported, facts)) > 50


def test_a_file_whose_preparation_fails_fails_alone(tmp_path, extractor, update_file):
    """A worker that dies or a bug while preparing one file (the future raises): that file is
    recorded as failed and the others still load."""
    from concurrent.futures import ThreadPoolExecutor

    other = tmp_path / "in" / "pubmed24n0001.xml.gz"
    other.parent.mkdir()
    other.write_bytes((FIXTURES / "pubmed_baseline_4rec.xml.gz").read_bytes())
    pool = ThreadPoolExecutor(2)

    def prepare_or_die(f, cache, shards):
        if f.name == update_file.name:
            raise MemoryError("worker killed")
        return prepare_bulk_file(f, cache, shards)

    class Threads:
        def submit(self, f, cache, shards):
            return pool.submit(prepare_or_die, f, cache, shards)

    s = ingest_files([str(update_file), str(other)], tmp_path / "l.duckdb", extractor, cache=tmp_path / "cache",
                     preparer=Threads())
    assert [name for name, _ in s.files_failed] == [update_file.name]
    assert "MemoryError: worker killed" in s.files_failed[0][1]
    assert s.files_loaded == ["pubmed24n0001.xml.gz"] and s.added == 4
    assert query(tmp_path / "l.duckdb", "SELECT name FROM failed_file") == [(update_file.name,)]
