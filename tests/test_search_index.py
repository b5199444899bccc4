"""The full-text index updated with a run's own papers scores as a rebuild would."""

import shutil

import duckdb
import pytest

from litmine.ingest import import_files
from litmine.store import search_index
from litmine.store.db import Warehouse, fts_extension_path, load_fts

from conftest import FIXTURES

pytestmark = pytest.mark.skipif(fts_extension_path() is None, reason="the FTS extension wheel is not installed")

QUERIES = ["metastasis", "cutaneous metastasis neuroendocrine", "scalp", "carcinoma breast", "lanreotide",
           "patients treated surgery", "tumor"]


def scores(path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        load_fts(con)
        return {q: sorted((pid, round(score, 9)) for pid, score in con.execute(
            "SELECT paper_id, fts_main_paper.match_bm25(paper_id, ?) AS s FROM paper WHERE s IS NOT NULL",
            [q]).fetchall()) for q in QUERIES}


def test_an_update_scores_like_a_rebuild(tmp_path, extractor):
    db = tmp_path / "l.duckdb"
    import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)  # 604 papers: built
    work = Warehouse(db).work_path
    with duckdb.connect(str(work)) as con:
        assert con.execute("SELECT count(*) FROM fts_main_paper.docs").fetchone()[0] == 604
    # a later run: new papers, one paper's abstract changed, one paper deleted
    import_files([FIXTURES / "pubmed_baseline_4rec.xml.gz", FIXTURES / "pubmed_25364329_case_report.xml",
                  FIXTURES / "seed_000_60f76852bb3d8491.txt"], db, extractor)
    with duckdb.connect(str(work)) as con:
        load_fts(con)
        pid = con.execute("SELECT paper_id FROM paper WHERE abstract <> '' ORDER BY paper_id LIMIT 1").fetchone()[0]
        con.execute("UPDATE paper SET abstract = 'Scalp metastasis of a carcinoid tumor treated with lanreotide.', "
                    "updated_at = now() WHERE paper_id = ?", [pid])
        con.execute("DELETE FROM paper WHERE paper_id = (SELECT max(paper_id) FROM paper WHERE paper_id <> ?)", [pid])
        assert search_index.refresh(con) == "updated"
        assert search_index.refresh(con) == "current"
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(work, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        load_fts(con)
        con.execute("PRAGMA create_fts_index('paper', 'paper_id', 'title', 'abstract', overwrite=1)")
    updated, expected = scores(work), scores(rebuilt)
    assert updated == expected
    assert any(p == pid for p, _ in updated["lanreotide"])  # the changed abstract is found by its new words
    assert sum(len(v) for v in expected.values()) > 100


def test_a_run_that_changes_most_papers_rebuilds(tmp_path, extractor):
    db = tmp_path / "l.duckdb"
    import_files([FIXTURES / "pubmed_baseline_4rec.xml.gz"], db, extractor)
    with duckdb.connect(str(Warehouse(db).work_path)) as con:
        load_fts(con)
        con.execute("UPDATE paper SET updated_at = now()")
        assert search_index.refresh(con) == "built"
