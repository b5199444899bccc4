"""What reports show, on databases loaded from real records: top facts (markdown), scopes, the
evidence of each fact, novelty, first-report claims and the self-contained HTML file."""

import json
import re

import pytest

from litmine.ingest import import_files
from litmine.report import markdown_charts, top_facts
from litmine.report.claims import claim_sentences
from litmine.report.data import collect
from litmine.report.html import write_report
from litmine.report.scope import Scope, ScopeError
from litmine.store.db import Warehouse

from conftest import FIXTURES

SEED = "doi:10.1155/2024/8873822"
SEED_FILE = FIXTURES / "seed_000_60f76852bb3d8491.txt"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, extractor):
    """The seed, a real PubMed case report and 604 real MEDLINE records."""
    db = tmp_path_factory.mktemp("report") / "litmine.duckdb"
    s = import_files([SEED_FILE, FIXTURES / "pubmed_25364329_case_report.xml",
                      FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    assert s.ok
    return db


def report_data(db, scope=Scope(), **kw):
    with Warehouse(db).reader() as con:
        return collect(con, scope, **kw)


def paper(data, paper_id):
    return next(p for p in data.papers if p["id"] == paper_id)


def sentences_of(p, fact):
    """The evidence of a fact as (sentence, highlighted text) pairs."""
    return [(p["sentences"][i]["text"], p["sentences"][i]["text"][a:b]) for i, a, b in fact["evidence"]]


# -- markdown summaries (Prefect artifacts) ---------------------------------------------------

def test_top_facts_of_the_database_and_of_one_run(db, extractor):
    seed_run = import_files([SEED_FILE], db, extractor).run_id
    import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    con = Warehouse(db).reader()
    try:
        everything, seed_only = top_facts(con), top_facts(con, [seed_run])
    finally:
        con.close()
    assert seed_only["tumor_type"] == [("neuroendocrine tumor", 1)]
    assert {label for label, _ in seed_only["treatment"]} >= {"177Lu-DOTATATE", "lanreotide"}
    assert len(everything["tumor_type"]) == 8 and everything["tumor_type"][0][1] > 1
    counts = [n for _, n in everything["metastatic_site"]]
    assert counts == sorted(counts, reverse=True)


def test_markdown_charts_scale_bars_to_the_largest_count():
    md = markdown_charts({"tumor_type": [("melanoma", 4), ("sarcoma", 1)], "metastatic_site": [], "treatment": []})
    assert md.splitlines()[:2] == ["### Top tumor types", ""]
    assert "| melanoma | 4 | `" + "█" * 30 + "` |" in md and "| sarcoma | 4" not in md
    assert "| sarcoma | 1 | `" + "█" * 8 + "` |" in md  # 30 * 1/4, rounded
    assert "metastatic sites" not in md  # empty categories are left out


# -- evidence ------------------------------------------------------------------------------------

def test_each_fact_of_the_seed_has_its_evidence_sentence(warehouse):
    seed = paper(report_data(warehouse), SEED)
    facts = {cat: {f["label"]: f for f in seed["facts"][cat]} for cat in seed["facts"]}
    assert set(facts["treatment"]) >= {"177Lu-DOTATATE", "lanreotide"}
    scalp = sentences_of(seed, facts["metastatic_site"]["scalp"])
    assert ("This report presents a man with painful cutaneous NET metastases initially on the face then scalp.",
            "scalp") in scalp
    assert all(marked == "scalp" for _, marked in scalp)
    assert [m for _, m in sentences_of(seed, facts["treatment"]["lanreotide"])] == ["lanreotide"]
    assert ("Cutaneous", ) == tuple(m for s, m in sentences_of(seed, facts["metastatic_site"]["skin"])
                                    if s.startswith("Cutaneous Neuroendocrine"))  # the title is evidence too


def test_background_mentions_are_shown_as_such_not_as_facts(warehouse):
    seed = paper(report_data(warehouse), SEED)
    other = {o["label"]: o for o in seed["other"]}
    for site in ("liver", "lung", "lymph node"):
        assert other[site]["reasons"] == ["background"], site
        (sentence, marked), = sentences_of(seed, other[site])
        assert sentence.startswith("While NETs are known to frequently metastasize to lymph nodes, liver, and lungs")
    assert not {"liver", "lung", "lymph node"} & {f["label"] for f in seed["facts"]["metastatic_site"]}


# -- scope -----------------------------------------------------------------------------------------

def test_site_scope_rolls_up_and_tumor_scope_takes_subtypes(warehouse):
    assert [p["id"] for p in report_data(warehouse, Scope(site="head")).papers] == [SEED]  # scalp, temple, face
    assert SEED not in {p["id"] for p in report_data(warehouse, Scope(site="lower limb")).papers}
    tumors = {p["id"] for p in report_data(warehouse, Scope(tumor="neoplasm")).papers}
    assert SEED in tumors and len(tumors) > 10  # every tumor type is a kind of neoplasm


def test_year_run_and_full_text_scopes(warehouse, extractor, tmp_path):
    data = report_data(warehouse, Scope(since=2024, until=2024))
    assert {p["year"] for p in data.papers} == {2024} and data.header["papers"] == len(data.papers)
    assert [p["id"] for p in report_data(warehouse, Scope(query="lanreotide")).papers] == [SEED]
    db = tmp_path / "runs.duckdb"
    first = import_files([SEED_FILE], db, extractor).run_id
    second = import_files([FIXTURES / "pubmed_25364329_case_report.xml"], db, extractor).run_id
    assert [p["id"] for p in report_data(db, Scope(run_ids=(second,))).papers] == ["pmid:25364329"]
    assert len(report_data(db, Scope(run_ids=(first, second))).papers) == 2


def test_a_label_the_database_does_not_know_is_refused_with_suggestions(warehouse):
    with pytest.raises(ScopeError, match="no tumor type labelled 'neuroendocrine tumour'.*neuroendocrine tumor"):
        report_data(warehouse, Scope(tumor="neuroendocrine tumour"))
    with pytest.raises(ScopeError, match="no run nope"):
        report_data(warehouse, Scope(run_ids=("nope",)))


# -- novelty and claims ------------------------------------------------------------------------

def test_claim_sentences_are_first_person_or_negated_priority_claims():
    seed = SEED_FILE.read_text()
    found = [seed[a:b] for a, b in claim_sentences(seed)]
    assert "PRRT has not been previously described in the management of cutaneous NET metastases." in found
    text = ("To our knowledge this is the first report of a patient with a psoriasiform eruption. "
            "The first case was described in 1950. He was first treated with surgery. "
            "We report the first case of scalp metastasis from a carcinoid tumor.")
    assert [text[a:b] for a, b in claim_sentences(text)] == [
        "To our knowledge this is the first report of a patient with a psoriasiform eruption.",
        "We report the first case of scalp metastasis from a carcinoid tumor."]


def earlier_copy_of_the_seed(tmp_path, year: int) -> str:
    """The seed's own text as a paper published earlier under another identity (S2 JSON)."""
    seed = json.loads(SEED_FILE.read_text().splitlines()[1])
    record = {"paperId": "0" * 40, "externalIds": {"PubMed": "30000001"}, "title": seed["title"],
              "abstract": re.sub(r"<[^>]+>", "", seed["abstract"]), "year": year, "publicationDate": f"{year}-05-01"}
    path = tmp_path / "earlier.jsonl"
    path.write_text(json.dumps(record) + "\n")
    return path


def test_the_seed_claim_is_checked_against_earlier_papers(warehouse, extractor, tmp_path):
    claim, = paper(report_data(warehouse), SEED)["claims"]
    assert claim["combination"] == {"tumor": ["neuroendocrine tumor"], "site": ["skin"],
                                    "treatment": ["peptide receptor radionuclide therapy"]}
    assert claim["earlier_count"] == 0  # in this warehouse the seed is the first such report
    db = tmp_path / "copy.duckdb"
    db.write_bytes(warehouse.read_bytes())
    import_files([earlier_copy_of_the_seed(tmp_path, 2019)], db, extractor)
    claim, = paper(report_data(db), SEED)["claims"]
    assert claim["earlier"] == [{"pmid": "30000001", "id": "pmid:30000001", "year": 2019}]


def test_first_reports_in_the_warehouse_compare_dates_by_the_span_they_cover(warehouse, extractor, tmp_path):
    seed = paper(report_data(warehouse), SEED)
    assert {"tumor": "neuroendocrine tumor", "site": "scalp", "treatment": None, "reports": 1} in seed["first"]
    db = tmp_path / "copy.duckdb"
    db.write_bytes(warehouse.read_bytes())
    import_files([earlier_copy_of_the_seed(tmp_path, 2024)], db, extractor)  # 2024-05-01: after 2024-02-06
    data = report_data(db)
    assert paper(data, SEED)["first"] and not paper(data, "pmid:30000001")["first"]
    with Warehouse(db).writer() as con:  # only the year is known: it may be earlier or later
        con.execute("UPDATE paper SET pub_date = '2024' WHERE paper_id = 'pmid:30000001'")
    data = report_data(db)
    assert paper(data, SEED)["first"] and paper(data, "pmid:30000001")["first"]
    assert not paper(data, SEED)["claims"][0]["earlier"]  # not surely earlier


# -- charts and the HTML file --------------------------------------------------------------------

def test_chart_tables_count_papers_by_body_region_and_exact_site(warehouse):
    data = report_data(warehouse)
    matrix = {(r["tumor"], r["site"]): r["papers"] for r in data.charts["matrix"]}
    assert matrix[("neuroendocrine tumor", "head")] == 1 and matrix[("neuroendocrine tumor", "skin")] == 1
    exact = {(r["tumor"], r["site"]) for r in report_data(warehouse, exact_sites=True).charts["matrix"]}
    assert {("neuroendocrine tumor", s) for s in ("face", "scalp", "temple", "skin")} <= exact
    years = {(r["year"], r["kind"]): r["papers"] for r in data.charts["years"]}
    assert sum(years.values()) == data.header["papers"] - sum(1 for p in data.papers if p["year"] is None)


def test_the_html_report_is_one_self_contained_file(warehouse, tmp_path):
    out = tmp_path / "r.html"
    written = write_report(warehouse, out, Scope())
    html = out.read_text()
    assert written.papers == 606 and written.bytes == len(html.encode())
    assert html.count("<svg") >= 4 and "mark-rect" in html  # charts drawn inline
    assert not re.search(r"<(?:script|img|link|iframe)[^>]+(?:src|href)=", html)  # nothing to load
    assert not re.search(r"https?://(?!(?:pubmed\.ncbi\.nlm\.nih\.gov|doi\.org|pmc\.ncbi\.nlm\.nih\.gov|"
                         r"europepmc\.org|www\.w3\.org)/)", html)  # outbound links only to the paper sites
    payload = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert "</" not in payload
    assert SEED in {p["id"] for p in json.loads(payload)["papers"]}
