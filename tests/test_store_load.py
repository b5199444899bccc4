"""Merging one work seen by several sources, at the loader level."""

import dataclasses

from litmine.parse import read_records
from litmine.store import load
from litmine.store.db import Warehouse

from conftest import FIXTURES


def test_pubmed_and_s2_records_of_one_work_merge_on_doi(db):
    (pubmed,) = read_records(FIXTURES / "pubmed_25364329_case_report.xml")
    s2 = next(iter(read_records(FIXTURES / "s2_paper_batch_with_null.json")))
    # the same work as Semantic Scholar would send it: its own id, DOI in upper case, no PMID
    s2 = dataclasses.replace(s2, doi=pubmed.doi.upper(), pmid=None, pmcid=None, title=pubmed.title.upper(),
                             abstract="")
    s2.__post_init__()
    with Warehouse(db).writer() as con:
        first = load.write_papers(con, [s2], "r1", "v")
        second = load.write_papers(con, [pubmed], "r2", "v")
        rows = con.execute("SELECT paper_id, pmid, doi, title, abstract <> '', primary_source FROM paper").fetchall()
        sources = con.execute("SELECT source, paper_id FROM source_record ORDER BY source").fetchall()
    assert (first.added, second.added, second.updated) == (1, 0, 1)
    assert len(rows) == 1
    paper_id, pmid, doi, title, has_abstract, primary = rows[0]
    assert paper_id == f"doi:{pubmed.doi}"  # the first key stays stable for analysts
    assert pmid == "25364329" and doi == pubmed.doi and title == pubmed.title and has_abstract
    assert primary == "pubmed"
    assert sources == [("pubmed", paper_id), ("s2", paper_id)]


def test_lower_priority_source_only_fills_gaps(db):
    (pubmed,) = read_records(FIXTURES / "pubmed_25364329_case_report.xml")
    s2 = dataclasses.replace(pubmed, source="s2", source_id="abc", title="Different title", journal=None,
                             raw_hash="other")
    with Warehouse(db).writer() as con:
        load.write_papers(con, [pubmed], "r1", "v")
        load.write_papers(con, [s2], "r2", "v")
        title, journal = con.execute("SELECT title, journal FROM paper").fetchone()
    assert title == pubmed.title and journal == pubmed.journal


def test_same_batch_duplicates_become_one_paper(db):
    (pubmed,) = read_records(FIXTURES / "pubmed_25364329_case_report.xml")
    s2 = dataclasses.replace(pubmed, source="s2", source_id="abc", raw_hash="other")
    with Warehouse(db).writer() as con:
        w = load.write_papers(con, [pubmed, s2], "r1", "v")
        assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 1
    assert w.added == 1 and len(w.to_extract) == 1


def _same_doi_other_pmids(pubmed, pmids):
    """The record as an erratum or duplicate carries it: another PMID, the same DOI."""
    return [dataclasses.replace(pubmed, source_id=p, pmid=p, raw_hash=f"h{p}") for p in pmids]


def test_different_pmids_sharing_a_doi_stay_different_papers(db):
    (pubmed,) = read_records(FIXTURES / "pubmed_25364329_case_report.xml")
    copies = _same_doi_other_pmids(pubmed, ["90000001", "90000002"])
    with Warehouse(db).writer() as con:
        first = load.write_papers(con, [pubmed, copies[0]], "r1", "v")  # two in one batch
        second = load.write_papers(con, [copies[1]], "r2", "v")           # one more later
        rows = con.execute("SELECT paper_id, pmid, doi FROM paper ORDER BY pmid").fetchall()
        shared = con.execute("SELECT doi, pmids FROM doi_shared_by_pmids").fetchall()
    assert (first.added, second.added) == (2, 1)
    assert rows == [("pmid:25364329", "25364329", pubmed.doi), ("pmid:90000001", "90000001", pubmed.doi),
                    ("pmid:90000002", "90000002", pubmed.doi)]
    assert shared == [(pubmed.doi, ["25364329", "90000001", "90000002"])]  # a fact analysts can query


def test_other_sources_merge_by_doi_only_when_it_names_one_pmid(db):
    (pubmed,) = read_records(FIXTURES / "pubmed_25364329_case_report.xml")
    s2 = dataclasses.replace(pubmed, source="s2", source_id="abc", pmid=None, raw_hash="s2")
    with Warehouse(db).writer() as con:
        load.write_papers(con, [pubmed], "r1", "v")
        load.write_papers(con, [s2], "r2", "v")  # one PMID carries the DOI: merged
        assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 1
        load.write_papers(con, _same_doi_other_pmids(pubmed, ["90000001"]), "r3", "v")
        epmc = dataclasses.replace(s2, source="epmc", source_id="MED:x", raw_hash="epmc")
        w = load.write_papers(con, [epmc], "r4", "v")  # the DOI now names two PMIDs: not merged
        papers = con.execute("SELECT paper_id, primary_source FROM paper ORDER BY paper_id").fetchall()
    assert w.added == 1
    assert papers == [(f"doi:{pubmed.doi}", "epmc"), ("pmid:25364329", "pubmed"), ("pmid:90000001", "pubmed")]
