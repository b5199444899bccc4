import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litmine.cli import app
from litmine.search import Clients, run_search
from litmine.settings import Settings
from litmine.store.db import Warehouse

from conftest import FAST, query
from replay import PubmedArchive, epmc_handler, s2_batch_handler, s2_bulk_handler


@pytest.fixture
def services(replay):
    archive = PubmedArchive()
    replay.route("POST", "/eutils/esearch.fcgi", archive.esearch)
    replay.route("POST", "/eutils/efetch.fcgi", archive.efetch)
    replay.route("GET", "/graph/v1/paper/search/bulk", s2_bulk_handler())
    replay.route("POST", "/graph/v1/paper/batch", s2_batch_handler())
    replay.route("GET", "/rest/search", epmc_handler())
    url = replay.start()
    replay.settings = Settings(litmine_eutils_url=f"{url}/eutils", litmine_s2_url=f"{url}/graph/v1",
                               litmine_epmc_url=f"{url}/rest", ncbi_api_key=None, s2_api_key=None)
    replay.archive = archive
    return replay


def papers(db) -> list[tuple]:
    return query(db, "SELECT pmid FROM papers")


def test_search_through_429_503_and_truncation_lands_every_record_once(services, db, extractor):
    services.fault("/eutils/esearch.fcgi", "429", "503")
    services.fault("/eutils/efetch.fcgi", "truncate")
    s = run_search("cancer", db, extractor=extractor, clients=Clients.from_settings(services.settings, **FAST))
    assert s.ok and s.added == 604 and s.failed_batches == 0
    rows = papers(db)
    assert len(rows) == len(set(rows)) == 604
    assert services.max_per_window(1.0) <= 3  # no API key: at most 3 requests per second
    again = run_search("cancer", db, extractor=extractor, clients=Clients.from_settings(services.settings, **FAST))
    assert (again.added, again.updated) == (0, 0) and len(papers(db)) == 604


def test_failed_batch_is_kept_and_retried_by_the_next_run(services, db, extractor):
    clients = Clients.from_settings(services.settings, attempts=2, **FAST)
    services.fault("/eutils/efetch.fcgi", "503", "503")
    s = run_search("cancer", db, extractor=extractor, clients=clients, max_records=300)
    assert s.failed_batches == 1 and not s.ok and s.added == 100
    con = Warehouse(db).reader()
    (request, status), = con.execute("SELECT f.request, r.status FROM failed_batch f JOIN load_run r USING (run_id)"
                                     ).fetchall()
    con.close()
    assert '"kind": "efetch_ids"' in request and status == "failed"
    s = run_search("abcXYZ", db, extractor=extractor, clients=clients)  # any later search retries it first
    assert s.retried_batches == 1 and s.added == 200 and s.ok
    con = Warehouse(db).reader()
    assert con.execute("SELECT count(*) FROM failed_batch WHERE resolved_at IS NULL").fetchone()[0] == 0
    con.close()


def test_all_three_sources_in_one_search(services, db, extractor):
    s = run_search("cancer", db, sources=["pubmed", "s2", "epmc"], max_records=30, extractor=extractor,
                   clients=Clients.from_settings(services.settings, **FAST))
    assert s.ok
    con = Warehouse(db).reader()
    by_source = dict(con.execute("SELECT source, count(*) FROM source_record GROUP BY source").fetchall())
    # the recorded Semantic Scholar pages hold no titles (their request asked for none): quarantined
    assert by_source == {"pubmed": 30, "epmc": 25} and s.quarantined == 30
    assert con.execute("SELECT DISTINCT reason FROM quarantine").fetchall() == [("Semantic Scholar paper has no title",)]


def test_unknown_source_is_refused(services, db, extractor):
    with pytest.raises(ValueError, match="unknown source"):
        run_search("x", db, sources=["arxiv"], extractor=extractor)


def test_keys_never_reach_the_database_or_logs(services, db, extractor, caplog):
    caplog.set_level(logging.DEBUG)
    settings = Settings(**{**services.settings.model_dump(), "ncbi_api_key": "NCBI-SECRET-1",
                           "s2_api_key": "S2-SECRET-2"})
    assert "NCBI-SECRET-1" not in repr(settings)
    services.fault("/eutils/efetch.fcgi", "503", "503")
    run_search("cancer", db, sources=["pubmed", "s2"], max_records=250, extractor=extractor,
               clients=Clients.from_settings(settings, attempts=2, **FAST))
    con = Warehouse(db).reader()
    dumped = str([con.execute(f"SELECT * FROM {t}").fetchall() for t in ("failed_batch", "load_run", "source_record")])
    con.close()
    assert "SECRET" not in dumped and "SECRET" not in caplog.text
    assert any(r.form.get("api_key") == "NCBI-SECRET-1" for r in services.log)  # it was used, though


def test_a_service_echoing_the_key_in_its_error_never_puts_it_anywhere(services, db, extractor, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    settings = Settings(**{**services.settings.model_dump(), "ncbi_api_key": "NCBI-SECRET-3"})
    services.fault("/eutils/efetch.fcgi", "400-echo-key")
    s = run_search("cancer", db, sources=["pubmed"], max_records=20, extractor=extractor,
                   clients=Clients.from_settings(settings, attempts=2, **FAST))
    assert s.failed_batches == 1
    (error,) = query(db, "SELECT error FROM failed_batch")[0]
    assert "API key invalid" in error and "NCBI-SECRET-3" not in error and len(error) <= 600
    messages = query(db, "SELECT message FROM load_run")
    assert "NCBI-SECRET-3" not in str(messages) + caplog.text + str(capsys.readouterr())


def test_an_unreachable_service_is_a_failed_batch_and_the_other_sources_still_load(services, db, extractor):
    down = Settings(**{**services.settings.model_dump(), "litmine_eutils_url": "http://127.0.0.1:9/eutils"})
    s = run_search("cancer", db, sources=["pubmed", "epmc"], max_records=25, extractor=extractor,
                   clients=Clients.from_settings(down, attempts=2, **FAST))
    assert s.failed_batches == 1 and s.added == 25 and not s.ok
    assert len(papers(db)) == 25  # Europe PMC's papers are published
    (source, request, error), = query(db, "SELECT source, request, error FROM failed_batch")
    assert source == "pubmed" and '"kind": "pubmed_search"' in request and "127.0.0.1:9: Connection refused" in error
    again = run_search("cancer", db, sources=["epmc"], max_records=25, extractor=extractor,
                       clients=Clients.from_settings(services.settings, **FAST))
    assert again.retried_batches == 1 and again.added == 25  # the next run fetched the PubMed search
    assert query(db, "SELECT resolved_at IS NOT NULL FROM failed_batch") == [(True,)]


def test_search_command_ends_with_the_report_of_its_papers(services, db, monkeypatch, reports_dir):
    monkeypatch.setenv("LITMINE_EUTILS_URL", services.settings.litmine_eutils_url)
    r = CliRunner().invoke(app, ["search", "cancer", "--max", "40", "--since", "2015-01-01", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "40 papers added" in r.output.replace("\n", " ")
    report = Path(r.stdout.splitlines()[-1])  # its path, last
    assert report.parent == reports_dir and report.read_text().count('"id":"pmid:') == 40
    again = CliRunner().invoke(app, ["search", "cancer", "--max", "40", "--since", "2015-01-01", "--db", str(db)])
    assert again.exit_code == 0 and "nothing new or updated, so no report" in again.output
    assert len(list(reports_dir.iterdir())) == 1
    bad = CliRunner().invoke(app, ["search", "cancer", "--since", "2015/01/01", "--db", str(db)])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
