import json

from litmine.parse.epmc import paper_from_epmc
from litmine.sources.epmc import EuropePMC

from conftest import FAST
from replay import REPLAY, epmc_handler


def test_cursor_paging_until_no_results(replay):
    replay.route("GET", "/search", epmc_handler())
    url = replay.start()
    pages = list(EuropePMC(url, **FAST).search("cancer"))
    assert [len(p) for p in pages] == [25, 0]
    first, second = replay.log
    assert first.query["cursorMark"] == "*" and first.query["resultType"] == "core"
    assert second.query["cursorMark"] == "AoIIP4ZawSg1MzEyODI1MA=="


def test_core_result_fields():
    results = json.loads((REPLAY / "epmc_core_page1.json").read_text())["resultList"]["result"]
    p = paper_from_epmc(results[0])
    assert (p.source, p.source_id, p.pmid, p.doi) == ("epmc", "MED:39709209", "39709209", "10.1016/s0140-6736(24)02600-x")
    assert p.title.startswith("Abscopal response") and p.journal == "Lancet (London, England)" and p.pub_year == 2025
    assert [a.last_name for a in p.authors] == ["Schoenfeld", "Haas-Kogan", "O'Neill"]
    with_abstract = [paper_from_epmc(r) for r in results if r.get("abstractText")]
    assert with_abstract and all("<h4>" not in x.abstract and "</" not in x.abstract for x in with_abstract)
    structured = next(x for x in with_abstract if x.pmid == "40468710")
    assert structured.abstract.startswith("Objective: This study investigated whether psychological flexibility")
    assert "\nMethods: " in structured.abstract
    cited = {x.pmid: x.citation_count for x in map(paper_from_epmc, results)}
    assert cited["39212676"] == 3 and cited["39709209"] == 0


def test_publication_types_in_pubmed_spelling_and_dates_as_pubmed_means_them():
    results = json.loads((REPLAY / "epmc_core_page1.json").read_text())["resultList"]["result"]
    papers = [paper_from_epmc(r) for r in results]
    types = {t for p in papers for t in p.publication_types}
    assert {"Review", "Journal Article", "Published Erratum"} <= types
    assert not types & {"review-article", "research-article", "correction", "case-report"}  # JATS spellings
    epub = next(p for p, r in zip(papers, results) if r.get("electronicPublicationDate") == "2025-08-22")
    assert (epub.pub_date, epub.epub_date, epub.pub_year) == ("2025-08", "2025-08-22", 2025)  # the issue: 2025 Aug
    assert all(p.pub_date == r["journalInfo"]["dateOfPublication"][:4] or p.pub_date[:4] == r["pubYear"]
               for p, r in zip(papers, results) if r.get("journalInfo"))
