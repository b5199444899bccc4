import io
import time
from pathlib import Path

import pytest

from litmine.parse.pubmed import PubmedParseError, iter_pubmed, parse_pubmed_bytes
from litmine.record import Deletion, Paper, Quarantined

from conftest import FIXTURES


def one(name: str) -> Paper:
    items = list(iter_pubmed(FIXTURES / name))
    assert len(items) == 1 and isinstance(items[0], Paper)
    return items[0]


def test_structured_abstract_keeps_section_labels_and_flattens_markup():
    p = one("pubmed_27797938_structured.xml")
    assert p.pmid == "27797938" and p.doi == "10.1136/gutjnl-2016-312510" and p.pmcid == "PMC5442267"
    sections = p.abstract.split("\n")
    assert [s.split(":")[0] for s in sections] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]  # as labelled
    assert "reverse transcriptase (TERT) gene" in p.abstract  # <i>TERT</i>
    assert "ptrend=0.048" in p.abstract  # p<sub>trend</sub>
    assert p.pub_date == "2017-06" and p.pub_year == 2017
    assert "Adenocarcinoma" in p.mesh_terms and "PANCREATIC CANCER" in p.keywords
    assert p.journal and p.language == "eng"


def test_pretty_printed_sub_does_not_break_words():
    p = one("pubmed_29768149_pretty_sub.xml")
    assert "fast-acting \u03b22-agonist" in p.abstract
    assert p.abstract.startswith("BACKGROUND: In patients with mild asthma")


def test_nlm_category_and_u_markup():
    p = one("pubmed_28775130_nlmcategory.xml")
    assert p.abstract.startswith("OBJECTIVES: Animal studies suggest")
    assert "<u>" not in p.abstract and "  " not in p.abstract


def test_mathml_isotopes_read_as_text():
    p = one("pubmed_29963580_mathml.xml")
    assert "inhaled 3He/129Xe MRI ventilation" in p.abstract


def test_vernacular_title_languages_and_non_ascii_authors():
    p = one("pubmed_36987902_vernacular.xml")
    assert p.vernacular_title == "Pasienter over 75 \u00e5r innlagt ved Brannskadeavdelinga, Haukeland universitetssjukehus 2000\u201319."
    assert p.language == "eng"
    assert p.authors[0].fore_name == "\u00d8yvind" and p.authors[2].last_name == "Kj\u00f8rsvik"
    assert p.pub_date == "2023-03-28"


def test_collective_author_kept_in_order():
    p = one("pubmed_38534005_collective.xml")
    assert p.authors[-1].collective_name.startswith("Task and Finish Group for Urinalysis")
    assert p.authors[-1].display_name == p.authors[-1].collective_name


def test_case_report_flag_and_missing_abstract():
    assert one("pubmed_25364329_case_report.xml").is_case_report
    first, second = iter_pubmed(FIXTURES / "pubmed_2rec_noabstract.xml")
    assert first.pmid == "12091962" and first.abstract == "" and first.title
    assert second.pmid == "9997" and second.doi == "10.1016/0005-2795(76)90109-4"


def test_baseline_gzip_file():
    papers = list(iter_pubmed(FIXTURES / "pubmed_baseline_4rec.xml.gz"))
    assert [p.pmid for p in papers] == ["36400559", "2930949", "11446611", "28786991"]
    assert papers[1].pmcid == "PMC1306303"


def test_update_file_in_medline_citation_set_with_delete_citation():
    items = list(iter_pubmed(FIXTURES / "medline16n0902_update_excerpt.xml.gz"))
    papers = [i for i in items if isinstance(i, Paper)]
    deletions = [i for i in items if isinstance(i, Deletion)]
    assert len(papers) == 604 and deletions == [Deletion("26432306", 1)]
    assert len({p.pmid for p in papers}) == 604
    medline_dates = [p for p in papers if p.pub_date and len(p.pub_date) == 4]
    assert medline_dates and all(p.pub_year for p in medline_dates)
    # old files carry the PMC id only as <OtherID>PMC4688250 [Available on 12/22/16]</OtherID>
    assert any(p.pmcid == "PMC4688250" for p in papers)


def test_record_without_pmid_is_quarantined_and_the_rest_goes_on():
    data = (FIXTURES / "pubmed_2rec_noabstract.xml").read_bytes().replace(b"<PMID Version=\"1\">12091962</PMID>", b"")
    items = parse_pubmed_bytes(data, name="batch.xml")
    assert isinstance(items[0], Quarantined) and "no valid PMID" in items[0].reason and items[0].input == "batch.xml"
    assert isinstance(items[1], Paper) and items[1].pmid == "9997"


def test_malformed_xml_raises_with_the_input_name():
    data = (FIXTURES / "pubmed_27797938_structured.xml").read_bytes()
    with pytest.raises(PubmedParseError, match="cut.xml: malformed XML"):
        list(iter_pubmed(io.BytesIO(data[: len(data) // 2]), name="cut.xml"))


def test_truncated_gzip_raises(tmp_path: Path):
    data = (FIXTURES / "pubmed_baseline_4rec.xml.gz").read_bytes()
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(PubmedParseError, match="cut.xml.gz"):
        list(iter_pubmed(cut))


def test_external_entities_are_not_resolved(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">1</PMID><Article>'
           '<ArticleTitle>A &xxe; B</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>')
    items = parse_pubmed_bytes(xml.encode())
    assert all("TOP-SECRET" not in getattr(i, "title", "") for i in items)


def test_entity_expansion_bomb_is_inert():
    lol = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY l0 "lol">{lol}]>'
           '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">1</PMID><Article>'
           '<ArticleTitle>&l9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>')
    start = time.perf_counter()
    try:
        items = parse_pubmed_bytes(xml.encode())
        assert all(len(getattr(i, "title", "")) < 1000 for i in items)
    except PubmedParseError:
        pass  # refusing the document is fine too; expanding it is not
    assert time.perf_counter() - start < 5


def _with_pub_date(name: str, pub_date_xml: str) -> Paper:
    xml = (FIXTURES / name).read_text()
    start = xml.index("<PubDate>")
    end = xml.index("</PubDate>") + len("</PubDate>")
    (paper,) = parse_pubmed_bytes((xml[:start] + pub_date_xml + xml[end:]).encode())
    return paper


def test_a_medline_date_range_keeps_its_first_month():
    p = _with_pub_date("pubmed_25364329_case_report.xml", "<PubDate><MedlineDate>2019 Jan-Feb</MedlineDate></PubDate>")
    assert (p.pub_date, p.pub_year) == ("2019-01", 2019)
    p = _with_pub_date("pubmed_25364329_case_report.xml", "<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>")
    assert (p.pub_date, p.pub_year) == ("1998-12", 1998)
    p = _with_pub_date("pubmed_25364329_case_report.xml", "<PubDate><MedlineDate>2015 Spring</MedlineDate></PubDate>")
    assert (p.pub_date, p.pub_year) == ("2015", 2015)


def test_pub_date_is_the_issue_date_and_epub_date_the_electronic_one():
    p = one("pubmed_38534005_collective.xml")  # issue 2024 Aug 27, published online 2024-06-05
    assert (p.pub_date, p.epub_date, p.pub_year) == ("2024-08-27", "2024-06-05", 2024)
    assert one("pubmed_25364329_case_report.xml").epub_date is None  # no electronic date recorded


def test_a_book_record_is_quarantined_with_its_raw_text():
    xml = ('<?xml version="1.0"?><PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">20301295'
           '</PMID><Book><BookTitle>GeneReviews</BookTitle></Book></BookDocument></PubmedBookArticle></PubmedArticleSet>')
    (q,) = parse_pubmed_bytes(xml.encode())
    assert isinstance(q, Quarantined) and "PubmedBookArticle" in q.reason and "<BookTitle>GeneReviews" in q.raw


def test_raw_hash_is_the_record_alone_not_the_text_after_it():
    """iterparse sets an element's tail only when the parser has read past it, which depends on
    where a read buffer ends: the same record must hash the same wherever it sits in a file."""
    record = (FIXTURES / "pubmed_25364329_case_report.xml").read_bytes()
    start, end = record.index(b"<PubmedArticle>"), record.index(b"</PubmedArticle>") + len(b"</PubmedArticle>")
    article = record[start:end]
    last = parse_pubmed_bytes(b"<PubmedArticleSet>" + article + b"</PubmedArticleSet>")[0]
    followed = parse_pubmed_bytes(b"<PubmedArticleSet>" + article + b"\n  \n" + article + b"</PubmedArticleSet>")[0]
    assert last.raw_hash == followed.raw_hash
