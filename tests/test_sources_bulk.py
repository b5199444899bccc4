import hashlib
import shutil

import pytest

from litmine.ingest import ingest_files
from litmine.sources.http import HttpClient
from litmine.store.db import Warehouse

from conftest import FAST, FIXTURES

UPDATE = FIXTURES / "medline16n0902_update_excerpt.xml.gz"
BASELINE = FIXTURES / "pubmed_baseline_4rec.xml.gz"


def loaded(db) -> tuple[int, list[tuple]]:
    con = Warehouse(db).reader()
    try:
        return (con.execute("SELECT count(*) FROM papers").fetchone()[0],
                con.execute("SELECT name, records FROM ingested_file ORDER BY name").fetchall())
    finally:
        con.close()


@pytest.fixture
def listing(replay):
    """An NCBI-style listing page with two update files and their .md5 sidecars."""
    files = {"pubmed25n0001.xml.gz": BASELINE.read_bytes(), "pubmed25n0002.xml.gz": UPDATE.read_bytes()}
    replay.files = files

    def page(req):
        links = "".join(f'<a href="{n}">{n}</a> <a href="{n}.md5">{n}.md5</a>\n' for n in sorted(files))
        return 200, {"Content-Type": "text/html"}, f"<html><body><pre>{links}</pre></body></html>".encode()

    replay.route("GET", "/pubmed/updatefiles/", page)
    for name in files:
        replay.route("GET", f"/pubmed/updatefiles/{name}", lambda req, n=name: (200, {}, files[n]))
        replay.route("GET", f"/pubmed/updatefiles/{name}.md5",
                     lambda req, n=name: (200, {}, f"MD5({n})= {hashlib.md5(files[n]).hexdigest()}\n".encode()))
    replay.url = replay.start() + "/pubmed/updatefiles/"
    return replay


def test_listing_url_loads_each_file_once(listing, db, extractor, tmp_path):
    http = HttpClient("", name="bulk", rate=50, **FAST)
    s = ingest_files([listing.url], db, extractor, cache=tmp_path / "cache", http=http)
    assert s.ok and s.added == 608 and s.deleted == 0
    assert loaded(db) == (608, [("pubmed25n0001.xml.gz", 4), ("pubmed25n0002.xml.gz", 604)])
    downloads = len([r for r in listing.log if r.path.endswith(".xml.gz")])
    again = ingest_files([listing.url], db, extractor, cache=tmp_path / "cache", http=http)
    assert again.files_loaded == [] and again.added == 0
    assert len([r for r in listing.log if r.path.endswith(".xml.gz")]) == downloads  # nothing downloaded again


def test_changed_file_is_reloaded_and_corrupt_download_retried(listing, db, extractor, tmp_path):
    http = HttpClient("", name="bulk", rate=50, **FAST)
    ingest_files([listing.url], db, extractor, cache=tmp_path / "cache", http=http)
    listing.files["pubmed25n0001.xml.gz"] = UPDATE.read_bytes()  # the provider republished it
    listing.fault("/pubmed/updatefiles/pubmed25n0001.xml.gz", "malformed")  # first download is cut short
    s = ingest_files([listing.url], db, extractor, cache=tmp_path / "cache", http=http)
    assert s.ok and s.files_loaded == ["pubmed25n0001.xml.gz"]
    assert loaded(db)[1] == [("pubmed25n0001.xml.gz", 604), ("pubmed25n0002.xml.gz", 604)]


def test_folder_with_a_delete_citation(db, extractor, tmp_path):
    folder = tmp_path / "updates"
    folder.mkdir()
    shutil.copy(UPDATE, folder / "pubmed16n0902.xml.gz")
    s = ingest_files([str(folder)], db, extractor)
    assert s.ok and s.added == 604
    again = ingest_files([str(folder)], db, extractor)
    assert again.files_loaded == []


def test_a_file_that_keeps_failing_is_skipped_until_it_changes_or_is_named(db, extractor, tmp_path):
    folder = tmp_path / "updates"
    folder.mkdir()
    shutil.copy(BASELINE, folder / "pubmed25n0001.xml.gz")
    broken = folder / "pubmed25n0002.xml.gz"
    broken.write_bytes(UPDATE.read_bytes()[:5000])  # a truncated gzip
    first = ingest_files([str(folder)], db, extractor)
    assert [f for f, _ in first.files_failed] == ["pubmed25n0002.xml.gz"] and not first.ok
    second = ingest_files([str(folder)], db, extractor)  # the nightly: the same broken file again
    assert second.ok and second.files_failed == [] and second.files_loaded == []
    (name, reason), = second.files_skipped
    assert name == "pubmed25n0002.xml.gz" and "unreadable compressed data" in reason
    named = ingest_files([str(broken)], db, extractor)  # asked for by name: tried again
    assert [f for f, _ in named.files_failed] == ["pubmed25n0002.xml.gz"]
    with Warehouse(db).reader() as con:
        assert con.execute("SELECT name, attempts FROM failed_file").fetchall() == [("pubmed25n0002.xml.gz", 2)]
    shutil.copy(UPDATE, broken)  # NCBI republishes it whole
    fixed = ingest_files([str(folder)], db, extractor)
    assert fixed.files_loaded == ["pubmed25n0002.xml.gz"] and fixed.ok
    assert loaded(db)[0] == 4 + 604
    with Warehouse(db).reader() as con:
        assert con.execute("SELECT count(*) FROM failed_file").fetchone()[0] == 0
