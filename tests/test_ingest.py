import gzip
import json
from pathlib import Path


from litmine.ingest import extract_jsonl, import_files
from litmine.store.db import Warehouse

from conftest import FIXTURES, query

SEED = FIXTURES / "seed_000_60f76852bb3d8491.txt"
PUBMED = [FIXTURES / "pubmed_25364329_case_report.xml", FIXTURES / "pubmed_baseline_4rec.xml.gz"]


def counts(db: Path) -> dict[str, int]:
    con = Warehouse(db).reader()
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("paper", "author", "source_record", "mention", "entity")}
    finally:
        con.close()


def test_seed_import_gives_patient_facts_in_paper_entities(db, extractor):
    s = import_files([SEED, *PUBMED], db, extractor)
    assert s.ok and s.added == 6 and s.extracted == 6
    con = Warehouse(db).reader()
    rows = con.execute("SELECT category, label FROM paper_entities WHERE doi = '10.1155/2024/8873822'").fetchall()
    facts = {(c, label) for c, label in rows}
    assert ("tumor_type", "neuroendocrine tumor") in facts
    assert {("treatment", "177Lu-DOTATATE"), ("treatment", "lanreotide")} <= facts
    assert not {("metastatic_site", s) for s in ("liver", "lung", "lymph node")} & facts
    paper = con.execute("SELECT paper_id, pmid, doi, title, journal, pub_year, publication_types FROM papers "
                        "WHERE doi = '10.1155/2024/8873822'").fetchone()
    assert paper[0] == "doi:10.1155/2024/8873822" and paper[4] == "Case Reports in Dermatological Medicine"


def test_reimport_changes_nothing(db, extractor):
    import_files([SEED, *PUBMED], db, extractor)
    before = counts(db)
    again = import_files([SEED, *PUBMED], db, extractor)
    assert (again.added, again.updated, again.extracted, again.unchanged) == (0, 0, 0, 6)
    assert counts(db) == before


def test_broken_file_is_rolled_back_and_the_others_load(db, extractor, tmp_path):
    data = (FIXTURES / "pubmed_27797938_structured.xml").read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(data[: len(data) // 2])
    s = import_files([SEED, broken, PUBMED[0]], db, extractor)
    assert not s.ok and s.files_failed[0][0] == str(broken) and "malformed XML" in s.files_failed[0][1]
    assert counts(db)["paper"] == 2
    con = Warehouse(db).reader()
    assert con.execute("SELECT status FROM load_run").fetchone()[0] == "failed"


def test_delete_citation_removes_the_paper_and_all_its_rows(db, extractor, tmp_path):
    import_files([FIXTURES / "pubmed_25364329_case_report.xml"], db, extractor)
    assert counts(db)["mention"] > 0
    update = tmp_path / "update.xml.gz"
    with gzip.open(update, "wt") as f:  # an update file whose only entry deletes that PMID
        f.write('<?xml version="1.0"?><PubmedArticleSet><DeleteCitation><PMID Version="1">25364329</PMID>'
                '</DeleteCitation></PubmedArticleSet>')
    s = import_files([update], db, extractor)
    assert s.deleted == 1
    assert counts(db) == {"paper": 0, "author": 0, "source_record": 0, "mention": 0, "entity": 0}
    con = Warehouse(db).reader()
    assert con.execute("SELECT pmid, paper_id FROM deletion").fetchall() == [("25364329", "pmid:25364329")]


def test_update_file_quarantine_and_counts(db, extractor):
    s = import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    assert s.ok and s.added == 604 and s.quarantined == 0
    con = Warehouse(db).reader()
    assert con.execute("SELECT count(*) FROM papers").fetchone()[0] == 604


def test_extract_jsonl_contract(tmp_path, extractor):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "title": "Orbital metastasis of breast cancer", "abstract": "", "x": 1}\n'
                   '{"id": "b", "title": "", "abstract": ""}\n')
    out = tmp_path / "out.jsonl"
    assert extract_jsonl(inp, out, extractor) == 2
    import json

    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert set(lines[0]) == {"id", "tumor_types", "primary_sites", "metastatic_sites", "treatments"}
    (tumor,) = lines[0]["tumor_types"]
    assert tumor == {"concept_id": "MONDO:0007254", "label": "breast cancer", "mentions": ["breast cancer"]}
    assert lines[0]["metastatic_sites"][0]["label"] == "orbit"


def test_reextraction_replaces_only_the_chosen_papers(db, extractor):
    from litmine.ingest import reextract

    import_files([SEED, *PUBMED], db, extractor)
    old = extractor.version
    extractor.version = old + ".next"  # what a new release of the rules looks like to the store
    try:
        s = reextract(db, extractor, paper_ids=["pmid:25364329"])
        assert s.extracted == 1
        con = Warehouse(db).reader()
        versions = dict(con.execute("SELECT paper_id, extractor_version FROM extraction").fetchall())
        mention_versions = {r[0] for r in con.execute(
            "SELECT DISTINCT extractor_version FROM mention WHERE paper_id = 'pmid:25364329'").fetchall()}
        con.close()
        assert versions.pop("pmid:25364329") == old + ".next" and mention_versions == {old + ".next"}
        assert set(versions.values()) == {old}  # every other paper untouched
        assert reextract(db, extractor).extracted == 5  # the rest are now outdated
        assert reextract(db, extractor).extracted == 0  # and nothing is left to do
    finally:
        extractor.version = old


def _versions(tmp_path: Path, *versions: int) -> Path:
    """The real record of PMID 25364329 as the given PMID versions, in that order, one file
    (PubMed keeps each version of a versioned citation as its own record, same PMID)."""
    record = (FIXTURES / "pubmed_25364329_case_report.xml").read_text()
    head, rest = record.split("<PubmedArticle>", 1)
    body, tail = rest.rsplit("</PubmedArticle>", 1)
    copies = [body.replace('<PMID Version="1">', f'<PMID Version="{v}">').replace(
        "giant cell tumor and review", f"giant cell tumor (version {v}) and review") for v in versions]
    path = tmp_path / ("v" + "".join(map(str, versions)) + ".xml")
    path.write_text(head + "".join(f"<PubmedArticle>{c}</PubmedArticle>" for c in copies) + tail)
    return path


def _stored_version(db: Path) -> tuple | None:
    found = query(db, "SELECT pmid_version, title FROM paper WHERE pmid = '25364329'")
    return found[0] if found else None


def test_the_latest_pmid_version_wins_and_an_older_one_never_replaces_it(db, extractor, tmp_path):
    assert import_files([_versions(tmp_path, 2, 1)], db, extractor).ok  # both versions in one file
    version, title = _stored_version(db)
    assert version == 2 and "(version 2)" in title
    again = import_files([_versions(tmp_path, 1)], db, extractor)  # version 1 delivered again, later
    assert (again.added, again.updated) == (0, 0)
    assert _stored_version(db)[0] == 2
    assert import_files([_versions(tmp_path, 3)], db, extractor).updated == 1
    assert _stored_version(db)[0] == 3


def test_delete_citation_removes_only_the_version_it_names(db, extractor, tmp_path):
    import_files([_versions(tmp_path, 2)], db, extractor)
    delete = tmp_path / "delete.xml"
    delete.write_text('<?xml version="1.0"?><PubmedArticleSet><DeleteCitation><PMID Version="1">25364329</PMID>'
                      '</DeleteCitation></PubmedArticleSet>')
    assert import_files([delete], db, extractor).deleted == 0
    assert _stored_version(db)[0] == 2
    delete.write_text(delete.read_text().replace('Version="1"', 'Version="2"'))
    assert import_files([delete], db, extractor).deleted == 1
    assert _stored_version(db) is None


def _badly_typed_s2(tmp_path) -> Path:
    """Real Semantic Scholar search results, three of them with fields of unexpected types."""
    good, *others = [json.loads(line) for line in (FIXTURES / "s2_search_turing_papers.jsonl").read_text().splitlines()[:4]]
    others[0]["title"] = 12345
    others[1]["externalIds"] = ["DOI", "10.1/x"]
    others[2]["authors"] = [{"authorId": "1", "name": 42}]
    path = tmp_path / "s2_bad_types.jsonl"
    path.write_text("\n".join(json.dumps(o) for o in [others[0], good, others[1], others[2]]) + "\n")
    return path


def _huge_abstract(tmp_path) -> Path:
    """A real PubMed record under another PMID whose abstract is 1.2 million characters long."""
    xml = (FIXTURES / "pubmed_25364329_case_report.xml").read_text()
    xml = xml.replace(">25364329<", ">90000003<")
    start, end = xml.index("<AbstractText>") + len("<AbstractText>"), xml.index("</AbstractText>")
    text = xml[start:end]
    xml = xml[:start] + (text + " ") * (1_300_000 // len(text) + 1) + xml[end:]
    path = tmp_path / "pubmed_huge_abstract.xml"
    path.write_text(xml)
    return path


def test_bad_records_are_contained_and_every_good_record_loads_and_publishes(db, tmp_path):
    from typer.testing import CliRunner

    from litmine.cli import app

    files = [FIXTURES / "pubmed_25364329_case_report.xml", _badly_typed_s2(tmp_path), _huge_abstract(tmp_path),
             FIXTURES / "pubmed_baseline_4rec.xml.gz"]
    r = CliRunner().invoke(app, ["import", *map(str, files), "--db", str(db)])
    assert r.exit_code == 0 and isinstance(r.exception, (SystemExit, type(None))), r.output  # no traceback
    assert "4 files loaded, 7 papers added" in r.output and "3 quarantined" in r.output
    reasons = query(db, "SELECT position, reason FROM quarantine ORDER BY position")
    assert [p for p, _ in reasons] == [1, 3, 4]
    assert "title" in reasons[0][1] and "externalIds" in reasons[1][1] and "name" in reasons[2][1]
    huge = query(db, "SELECT length(abstract), (SELECT count(*) FROM entity WHERE paper_id = 'pmid:90000003') "
                     "FROM paper WHERE pmid = '90000003'")
    assert huge[0][0] > 1_200_000 and huge[0][1] > 0  # stored whole, extracted from its first part


def test_a_bug_in_one_file_fails_that_file_and_the_others_load_and_publish(db, extractor, monkeypatch):
    import litmine.ingest as ingest

    real = ingest.read_records

    def broken_for_one(path):
        if path.name == "pubmed_baseline_4rec.xml.gz":
            raise KeyError("a parser bug")
        return real(path)

    monkeypatch.setattr(ingest, "read_records", broken_for_one)
    s = import_files([PUBMED[1], SEED, PUBMED[0]], db, extractor)
    assert not s.ok and [f for f, _ in s.files_failed] == [str(PUBMED[1])]
    assert "KeyError" in s.files_failed[0][1] and "a bug" in s.files_failed[0][1]
    assert len(query(db, "SELECT paper_id FROM papers")) == 2  # the two other files, published
