import json
from pathlib import Path

import pytest

from litmine.parse import RecordFileError, read_records, sniff_format
from litmine.record import Paper

from conftest import FIXTURES


def test_seed_record_uses_the_json_line_and_cleans_html():
    (paper,) = read_records(FIXTURES / "seed_000_60f76852bb3d8491.txt")
    assert paper.source == "seed" and paper.doi == "10.1155/2024/8873822"
    assert paper.title.startswith("Cutaneous Neuroendocrine Metastases of Visceral Origin")
    assert "with 177Lu-DOTATATE, a radiolabeled" in paper.abstract
    assert "<" not in paper.abstract and "\u795e" not in paper.abstract  # no HTML, no translation
    assert [a.last_name for a in paper.authors] == ["Tung-Hahn", "El-Haddad", "Strosberg"]
    assert paper.pub_year == 2024 and paper.journal == "Case Reports in Dermatological Medicine"


def test_s2_batch_response_skips_null_entries():
    papers = list(read_records(FIXTURES / "s2_paper_batch_with_null.json"))
    assert len(papers) == 3 and all(isinstance(p, Paper) and p.source == "s2" for p in papers)
    assert papers[0].doi == "10.2139/ssrn.288970" and papers[0].title.startswith("How Much Should We Trust")


def test_s2_jsonl_maps_external_ids():
    papers = list(read_records(FIXTURES / "s2_search_turing_papers.jsonl"))
    assert len(papers) == 20
    raw = [json.loads(line) for line in (FIXTURES / "s2_search_turing_papers.jsonl").read_text().splitlines()]
    for p, r in zip(papers, raw):
        assert p.source_id == r["paperId"]
        assert p.pmid == (r["externalIds"] or {}).get("PubMed")


def test_bad_jsonl_line_is_quarantined_and_the_rest_loads(tmp_path: Path):
    lines = (FIXTURES / "s2_search_turing_papers.jsonl").read_text().splitlines()
    f = tmp_path / "papers.jsonl"
    f.write_text("\n".join([lines[0], '{"paperId": "x", "title": ', lines[1], '{"title": "no id"}']) + "\n")
    items = list(read_records(f))
    assert [type(i).__name__ for i in items] == ["Paper", "Quarantined", "Paper", "Quarantined"]
    assert items[1].position == 2 and "malformed JSON" in items[1].reason
    assert "no paperId" in items[3].reason


@pytest.mark.parametrize("content, problem", [
    (b"", "file is empty"),
    (b"hello world\n", "unknown record format"),
    (b"<html><body>not pubmed</body></html>", "not PubMed XML"),
])
def test_unreadable_files_name_the_file_and_the_problem(tmp_path: Path, content: bytes, problem: str):
    f = tmp_path / "input.dat"
    f.write_bytes(content)
    with pytest.raises(RecordFileError, match=f"input.dat.*{problem}"):
        list(read_records(f))


def test_broken_json_file_names_the_position(tmp_path: Path):
    f = tmp_path / "batch.json"
    f.write_text('[{"paperId": "a", "title": "x"}, {"paperId": ')
    with pytest.raises(RecordFileError, match="batch.json: malformed JSON at line 1"):
        list(read_records(f))


def test_missing_file(tmp_path: Path):
    with pytest.raises(RecordFileError, match="nope.xml: cannot read file"):
        sniff_format(tmp_path / "nope.xml")


EPMC_PAGE = FIXTURES / "replay" / "epmc_core_page1.json"


def _epmc_case_report(tmp_path: Path) -> Path:
    """A real Europe PMC core result, typed as Europe PMC types full-text (PMC) case reports."""
    page = json.loads(EPMC_PAGE.read_text())
    record = next(r for r in page["resultList"]["result"] if r.get("electronicPublicationDate") == "2025-08-22")
    record["pubTypeList"] = {"pubType": ["case-report"]}
    page["resultList"]["result"] = [record]
    path = tmp_path / "europepmc_case.json"
    path.write_text(json.dumps(page))
    return path


def test_europe_pmc_json_files_import(tmp_path, db, extractor):
    from litmine.ingest import import_files

    from conftest import query

    assert sniff_format(EPMC_PAGE) == "epmc-json"
    papers = list(read_records(EPMC_PAGE))
    assert len(papers) == 25 and all(isinstance(p, Paper) and p.source == "epmc" for p in papers)
    s = import_files([_epmc_case_report(tmp_path)], db, extractor)
    assert s.ok and s.added == 1
    (case, date, epub), = query(db, "SELECT is_case_report, pub_date, epub_date FROM papers")
    assert case is True and (date, epub) == ("2025-08", "2025-08-22")


def test_semantic_scholar_citation_pages_hold_papers_and_author_lists_are_refused(tmp_path):
    citing = json.loads((FIXTURES / "s2_paper_batch_with_null.json").read_text())
    page = tmp_path / "citations.json"
    page.write_text(json.dumps({"offset": 0, "data": [{"citingPaper": p} for p in citing if p]}))
    papers = list(read_records(page))
    assert len(papers) == 3 and all(isinstance(p, Paper) for p in papers)
    authors = tmp_path / "authors.json"
    authors.write_text(json.dumps({"offset": 0, "data": [{"authorId": "1741101", "name": "Oren Etzioni"}]}))
    with pytest.raises(RecordFileError, match="authors.json: not Semantic Scholar papers.*authorId"):
        list(read_records(authors))
    releases = tmp_path / "releases.json"
    releases.write_text(json.dumps(["2023-03-14", "2023-03-21"]))
    with pytest.raises(RecordFileError, match="releases.json: not Semantic Scholar papers"):
        list(read_records(releases))


def test_a_file_without_records_is_said_to_be_empty(tmp_path, db, extractor):
    from litmine.ingest import import_files

    empty = tmp_path / "efetch_empty.xml"
    empty.write_text('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet></PubmedArticleSet>\n')
    s = import_files([empty], db, extractor)
    assert s.files_loaded == [] and s.files_empty == [str(empty)] and s.ok
