"""Semantic Scholar enrichment of stored papers, against the replay server's /paper/batch."""

import json

import pytest
from typer.testing import CliRunner

from litmine.cli import app
from litmine.enrich import enrich_s2
from litmine.parse import read_records
from litmine.record import Paper
from litmine.search import Clients
from litmine.settings import Settings
from litmine.store import load
from litmine.store.db import Warehouse

from conftest import FAST, FIXTURES, query
from replay import cassette, s2_batch_handler

UNKNOWN_TO_S2 = "25364329"


@pytest.fixture
def s2(replay):
    replay.route("POST", "/paper/batch", s2_batch_handler())
    url = replay.start()
    replay.clients = Clients.from_settings(Settings(litmine_s2_url=url, s2_api_key=None), **FAST)
    return replay


@pytest.fixture
def stored(db) -> list[dict]:
    """Six works of the recorded Semantic Scholar search as PubMed would send them (PMID, title,
    abstract; no DOI, PMCID or citation count: no work is in both the S2 and the PubMed recordings),
    plus a real PubMed record that Semantic Scholar does not know."""
    page = json.loads(cassette("s2_429_429_200.yaml")[-1][3])
    works = [p for p in page["data"] if (p.get("externalIds") or {}).get("PubMed") and p.get("abstract")][:6]
    papers = [Paper(source="pubmed", source_id=w["externalIds"]["PubMed"], pmid=w["externalIds"]["PubMed"],
                    title=w["title"], abstract=w["abstract"], raw_hash=w["paperId"]) for w in works]
    papers += [p for p in read_records(FIXTURES / "pubmed_25364329_case_report.xml") if isinstance(p, Paper)]
    with Warehouse(db).writer() as con:
        load.write_papers(con, papers, "setup", "v")
    return works


def test_lookup_fills_identifiers_and_citation_counts_without_adding_papers(s2, db, stored, extractor):
    s = enrich_s2(db, extractor=extractor, clients=s2.clients)
    assert s.ok and (s.added, s.updated) == (0, 6)
    (req,) = s2.log
    assert sorted(req.json["ids"]) == sorted([f"PMID:{w['externalIds']['PubMed']}" for w in stored]
                                             + [f"PMID:{UNKNOWN_TO_S2}"])
    got = {pmid: rest for pmid, *rest in query(
        db, "SELECT pmid, doi, pmcid, citation_count, title, primary_source FROM papers")}
    assert len(got) == 7  # nothing added
    for w in stored:
        ext = w["externalIds"]
        doi, pmcid, cited, title, primary = got[ext["PubMed"]]
        assert doi == ext["DOI"].lower() and cited == w["citationCount"] and title == w["title"]
        assert pmcid == (f"PMC{ext['PubMedCentral']}" if ext.get("PubMedCentral") else None)
        assert primary == "pubmed"  # S2 fills gaps; PubMed's fields win
    assert got[UNKNOWN_TO_S2][2] is None
    assert query(db, "SELECT found, count(*) FROM enrichment GROUP BY ALL ORDER BY 1") == [(False, 1), (True, 6)]
    assert query(db, "SELECT count(*) FROM source_record WHERE source = 's2'") == [(6,)]


def test_papers_are_asked_again_only_after_the_refresh_period(s2, db, stored, extractor):
    enrich_s2(db, extractor=extractor, clients=s2.clients)
    again = enrich_s2(db, extractor=extractor, clients=s2.clients)
    assert len(s2.log) == 1 and (again.updated, again.unchanged) == (0, 0)
    refreshed = enrich_s2(db, refresh_days=0, extractor=extractor, clients=s2.clients)
    assert len(s2.log) == 2 and len(s2.log[1].json["ids"]) == 7
    assert refreshed.unchanged == 6  # the same answers change nothing


def test_a_failed_lookup_leaves_its_papers_for_the_next_run(s2, db, stored, extractor):
    clients = Clients.from_settings(Settings(litmine_s2_url=s2.clients.s2.http.base_url, s2_api_key=None),
                                    attempts=2, **FAST)
    s2.fault("/paper/batch", "503", "503")
    s = enrich_s2(db, extractor=extractor, clients=clients)
    assert s.failed_batches == 1 and not s.ok
    assert query(db, "SELECT count(*) FROM enrichment") == [(0,)]
    assert enrich_s2(db, extractor=extractor, clients=clients).updated == 6


def test_enrich_command(s2, db, stored, monkeypatch):
    monkeypatch.setenv("LITMINE_S2_URL", s2.clients.s2.http.base_url)
    r = CliRunner().invoke(app, ["enrich", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "6 updated" in r.output
    assert query(db, "SELECT count(*) FROM papers WHERE citation_count IS NOT NULL") == [(6,)]
