"""Every analyst query in sql/queries/ runs on a database loaded from real fixture records."""

import subprocess
import sys
from pathlib import Path

import pytest

from litmine.ingest import import_files
from litmine.store.db import SQL_DIR, Warehouse

from conftest import FIXTURES

QUERIES = sorted((SQL_DIR / "queries").glob("*.sql"))
SEED_ID = "doi:10.1155/2024/8873822"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, extractor):
    db = tmp_path_factory.mktemp("cookbook") / "litmine.duckdb"
    s = import_files([FIXTURES / "seed_000_60f76852bb3d8491.txt", FIXTURES / "pubmed_25364329_case_report.xml",
                      FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    assert s.ok
    return db


def run(db: Path, name: str) -> tuple[list[str], list[tuple]]:
    con = Warehouse(db).reader()
    try:
        rel = con.execute((SQL_DIR / "queries" / name).read_text())
        return [d[0] for d in rel.description], rel.fetchall()
    finally:
        con.close()


def test_there_are_at_least_twelve_queries():
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_every_query_runs(warehouse, path):
    columns, _ = run(warehouse, path.name)
    assert columns


def test_scalp_questions_find_the_seed_case(warehouse):
    _, rows = run(warehouse, "01_primary_tumors_metastasizing_to_scalp.sql")
    assert ("neuroendocrine tumor", 1, 2024, 2024) in rows
    _, rows = run(warehouse, "02_treatments_of_scalp_metastases.sql")
    assert {r[1] for r in rows if r[0] == "neuroendocrine tumor"} >= {"177Lu-DOTATATE", "lanreotide"}


def test_rollup_reaches_scalp_and_temple_from_head(warehouse):
    _, rows = run(warehouse, "03_tumors_with_metastases_anywhere_in_the_head.sql")
    assert {r[1] for r in rows if r[0] == "neuroendocrine tumor"} >= {"scalp", "temple"}


def test_novelty_and_claim_check(warehouse):
    _, rows = run(warehouse, "05_combinations_first_seen_in_a_year.sql")
    assert ("neuroendocrine tumor", "scalp", "177Lu-DOTATATE", "2024-02-06", SEED_ID) in rows
    _, rows = run(warehouse, "06_claim_check_prrt_for_cutaneous_net.sql")
    assert {r[1] for r in rows} == {SEED_ID}  # in this database the seed is the only such report


def test_full_text_search_ranks_the_seed_first(warehouse):
    _, rows = run(warehouse, "10_full_text_search.sql")
    assert rows[0][0] == SEED_ID


def test_provenance_and_history(warehouse):
    _, rows = run(warehouse, "12_papers_by_source.sql")
    assert dict(rows) == {"pubmed": 605, "seed": 1}
    _, rows = run(warehouse, "13_load_history.sql")
    assert [(r[1], r[2], r[5]) for r in rows] == [("import", "ok", 606)]


def test_duckdb_cli_reads_the_published_file(warehouse):
    duckdb_cli = Path(sys.executable).with_name("duckdb")
    out = subprocess.run([str(duckdb_cli), "-readonly", "-csv", "-c", "SELECT count(*) AS n FROM papers",
                          str(warehouse)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["n", "606"]
