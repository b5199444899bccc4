"""The command line as a user runs it (typer's runner, real files, a temporary database)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litmine.cli import app
from litmine.store.db import Warehouse

from conftest import FIXTURES, writer_held

runner = CliRunner()


@pytest.fixture
def loaded(db):
    r = runner.invoke(app, ["import", str(FIXTURES / "seed_000_60f76852bb3d8491.txt"),
                            str(FIXTURES / "pubmed_25364329_case_report.xml"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return db


def test_import_reports_what_it_loaded(loaded):
    r = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM papers", "--db", str(loaded), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == {"n": 2}


def test_import_shows_records_as_they_are_stored(db):
    r = runner.invoke(app, ["import", str(FIXTURES / "medline16n0902_update_excerpt.xml.gz"), "--db", str(db)])
    assert r.exit_code == 0
    assert "importing: 604 records" in r.output and "604 extracted" in r.output


def test_import_of_a_bad_file_names_it_and_exits_nonzero(db, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    r = runner.invoke(app, ["import", str(bad), str(FIXTURES / "pubmed_25364329_case_report.xml"), "--db", str(db)])
    assert r.exit_code == 1
    assert f"{bad}: unknown record format" in r.output  # on one line: paths are copied from messages
    ok = runner.invoke(app, ["sql", "SELECT pmid FROM papers", "--db", str(db), "--format", "csv"])
    assert ok.stdout.splitlines() == ["pmid", "25364329"]


def test_sql_refuses_writes(loaded):
    r = runner.invoke(app, ["sql", "DELETE FROM paper", "--db", str(loaded)])
    assert r.exit_code == 2 and "refused" in r.output and "read-only" in r.output
    r = runner.invoke(app, ["sql", "SELECT count(*) FROM paper", "--db", str(loaded), "--format", "csv"])
    assert r.stdout.splitlines()[1] == "2"


def test_sql_reports_bad_queries(loaded):
    r = runner.invoke(app, ["sql", "SELECT nope FROM papers", "--db", str(loaded)])
    assert r.exit_code == 2 and "nope" in r.output


def test_db_from_environment(db, monkeypatch):
    monkeypatch.setenv("LITMINE_DB", str(db))
    r = runner.invoke(app, ["import", str(FIXTURES / "pubmed_25364329_case_report.xml")])
    assert r.exit_code == 0 and db.exists()


def test_extract_command(tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text(json.dumps({"id": "pmid:1", "title": "Scalp metastasis of renal cell carcinoma",
                               "abstract": "He underwent excision of the scalp lesion."}) + "\n")
    r = runner.invoke(app, ["extract", str(inp), "-o", str(out)])
    assert r.exit_code == 0, r.output
    rec = json.loads(out.read_text())
    assert [t["label"] for t in rec["tumor_types"]] == ["renal cell carcinoma"]
    assert [s["label"] for s in rec["primary_sites"]] == ["kidney"]
    assert [s["label"] for s in rec["metastatic_sites"]] == ["scalp"]
    assert [t["label"] for t in rec["treatments"]] == ["surgical excision"]


def test_extract_rejects_lines_without_id(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"title": "x"}\n')
    r = runner.invoke(app, ["extract", str(inp), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "in.jsonl:1" in r.output.replace("\n", "")


def test_demo_runs_on_the_shipped_samples(db, reports_dir):
    r = runner.invoke(app, ["demo", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "Top tumor types" in r.stdout and "Reported metastasis cases" in r.stdout
    assert r.stdout.splitlines()[-1] == str(reports_dir / "demo.html")  # the report, last
    assert "10.1155/2024/8873822" in (reports_dir / "demo.html").read_text()
    assert "neuroendocrine" in r.stdout  # the seed case is listed (table cells may wrap)
    q = runner.invoke(app, ["sql", "SELECT label FROM paper_entities WHERE doi = '10.1155/2024/8873822' "
                                   "AND category = 'treatment' ORDER BY label", "--db", str(db), "--format", "csv"])
    assert {"177Lu-DOTATATE", "lanreotide"} <= set(q.stdout.splitlines())
    with Warehouse(db).writer() as con:  # what an older release of the extractor left behind
        con.execute("UPDATE extraction SET extractor_version = 'older' WHERE paper_id = 'pmid:25364329'")
    again = runner.invoke(app, ["demo", "--db", str(db)])
    assert again.exit_code == 0 and "re-extracted 1 papers" in again.output
    con = Warehouse(db).reader()
    assert con.execute("SELECT count(DISTINCT extractor_version) FROM extraction").fetchone()[0] == 1
    con.close()


def test_export_views_to_parquet_and_csv(loaded, tmp_path):
    import duckdb

    pq, csv_path = tmp_path / "facts.parquet", tmp_path / "papers.csv"
    assert runner.invoke(app, ["export", "case_facts", "-o", str(pq), "--db", str(loaded)]).exit_code == 0
    assert runner.invoke(app, ["export", "papers", "-o", str(csv_path), "--db", str(loaded)]).exit_code == 0
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{pq}' WHERE tumor_type = 'neuroendocrine tumor'").fetchone()[0] > 0
    assert con.execute(f"SELECT count(*) FROM read_csv('{csv_path}')").fetchone()[0] == 2
    r = runner.invoke(app, ["export", "nope", "-o", str(pq), "--db", str(loaded)])
    assert r.exit_code == 2 and "no table or view named 'nope'" in r.output



def test_shell_opens_the_duckdb_cli_read_only_with_full_text_search(loaded):
    litmine = str(Path(sys.executable).with_name("litmine"))
    script = ("SELECT count(*) AS n FROM papers;\n"
              "SELECT paper_id FROM papers WHERE fts_main_paper.match_bm25(paper_id, 'lanreotide') IS NOT NULL;\n"
              "DELETE FROM paper;\n")
    out = subprocess.run([litmine, "shell", "--db", str(loaded)], input=script, capture_output=True, text=True,
                         timeout=60)
    assert "2" in out.stdout and "doi:10.1155/2024/8873822" in out.stdout
    assert "read-only" in out.stderr  # the DuckDB CLI's own refusal of the write
    con = Warehouse(loaded).reader()
    assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 2
    con.close()


# -- analysts: the cookbook and SQL from files --------------------------------------------------

QUERIES = Path(__file__).resolve().parents[1] / "sql" / "queries"


def test_sql_text_may_start_with_a_comment_come_from_a_file_or_stdin(loaded):
    text = (QUERIES / "01_primary_tumors_metastasizing_to_scalp.sql").read_text()
    assert text.startswith("--")
    as_argument = runner.invoke(app, ["sql", text, "--db", str(loaded), "--format", "csv"])
    assert as_argument.exit_code == 0, as_argument.output
    assert as_argument.stdout.splitlines()[:2] == ["tumor_type,papers,first_year,last_year",
                                                   "neuroendocrine tumor,1,2024,2024"]
    from_file = runner.invoke(app, ["sql", "--file", str(QUERIES / "07_metastatic_sites_by_tumor_type.sql"),
                                    "--db", str(loaded), "--format", "csv"])
    assert from_file.exit_code == 0 and "neuroendocrine tumor,scalp,1" in from_file.stdout
    from_stdin = runner.invoke(app, ["sql", "-", "--db", str(loaded), "--format", "json"], input=text)
    assert json.loads(from_stdin.stdout.splitlines()[0])["tumor_type"] == "neuroendocrine tumor"
    neither = runner.invoke(app, ["sql", "--db", str(loaded)])
    assert neither.exit_code == 2 and "--file" in neither.output


def test_query_list_names_every_cookbook_query(loaded):
    r = runner.invoke(app, ["query", "list"])
    assert r.exit_code == 0
    names = {line.split()[0] for line in r.stdout.splitlines() if line and not line.startswith(" ")}
    assert names == {p.stem.split("_", 1)[1] for p in QUERIES.glob("*.sql")} and len(names) >= 12
    assert "primary_tumors_metastasizing_to_scalp  --set site=scalp" in r.stdout


def test_query_by_name_with_parameters_formats_and_output_file(loaded, tmp_path):
    scalp = runner.invoke(app, ["query", "primary_tumors_metastasizing_to_scalp", "--db", str(loaded),
                                "--format", "json"])
    assert json.loads(scalp.stdout)["tumor_type"] == "neuroendocrine tumor"
    face = runner.invoke(app, ["query", "primary_tumors_metastasizing_to_scalp", "--set", "site=face",
                               "--db", str(loaded), "--format", "csv"])
    assert face.exit_code == 0 and face.stdout.splitlines()[1].startswith("neuroendocrine tumor,1,")
    # the other fixture's giant cell tumor of L4-L5 is a primary bone tumor: its "back and leg pain"
    # is a symptom, no metastasis (this once read "back" as a metastatic site)
    back = runner.invoke(app, ["query", "primary_tumors_metastasizing_to_scalp", "--set", "site=back",
                               "--db", str(loaded), "--format", "csv"])
    assert back.exit_code == 0 and len(back.stdout.splitlines()) == 1  # the header only
    out = tmp_path / "year.json"
    r = runner.invoke(app, ["query", "combinations_first_seen_in_a_year", "--set", "year=2024", "-o", str(out),
                            "--db", str(loaded)])
    assert r.exit_code == 0 and f"-> {out}" in r.output
    assert {json.loads(line)["tumor_type"] for line in out.read_text().splitlines()} == {"neuroendocrine tumor"}


def test_query_mistakes_are_one_line_each(loaded):
    for args, message in ((["query", "nope"], "no cookbook query named 'nope'"),
                          (["query", "primary_tumors_metastasizing_to_scalp", "--set", "sites=face"],
                           "has no parameter sites (its parameters: site)"),
                          (["query", "combinations_first_seen_in_a_year", "--set", "year=last"],
                           "year is a number (default 2024), not 'last'"),
                          (["query", "load_history", "--set", "oops"], "--set takes key=value")):
        r = runner.invoke(app, [*args, "--db", str(loaded)])
        assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output, args


def test_report_command_writes_the_file_and_refuses_unknown_labels(loaded, tmp_path):
    out = tmp_path / "head.html"
    r = runner.invoke(app, ["report", "-o", str(out), "--site", "head", "--db", str(loaded)])
    assert r.exit_code == 0 and r.stdout.strip() == str(out)
    assert "report of 1 papers" in r.output and "10.1155/2024/8873822" in out.read_text()
    bad = runner.invoke(app, ["report", "-o", str(tmp_path / "x.html"), "--tumor", "neuroendocrine tumour",
                              "--db", str(loaded)])
    assert bad.exit_code == 2 and "closest: neuroendocrine tumor" in bad.output and not (tmp_path / "x.html").exists()


# -- expected failures: one line, a documented exit code, no traceback -------------------------

def test_a_database_path_under_a_file_is_one_line_and_exit_4(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    r = runner.invoke(app, ["import", str(FIXTURES / "pubmed_25364329_case_report.xml"),
                            "--db", str(blocker / "litmine.duckdb")])
    assert r.exit_code == 4 and isinstance(r.exception, SystemExit), r.output
    (line,) = [x for x in r.output.splitlines() if x.startswith("error:")]
    assert str(blocker) in line and "Not a directory" in line


def test_a_database_being_written_is_exit_3_naming_the_writer(loaded):
    import os

    with writer_held(loaded):
        litmine = str(Path(sys.executable).with_name("litmine"))
        r = subprocess.run([litmine, "import", str(FIXTURES / "pubmed_25364329_case_report.xml"), "--db", str(loaded)],
                           capture_output=True, text=True, timeout=120)
    assert r.returncode == 3 and "Traceback" not in r.stderr
    assert f"another litmine process (PID {os.getpid()}) is writing" in r.stderr


def test_a_failed_publish_is_exit_4_and_says_the_run_is_kept(loaded, disk_full):
    disk_full(True)
    r = runner.invoke(app, ["import", str(FIXTURES / "pubmed_baseline_4rec.xml.gz"), "--db", str(loaded)])
    assert r.exit_code == 4 and "could not publish (No space left on device)" in r.output
    assert "the next run publishes it" in r.output and isinstance(r.exception, SystemExit)
