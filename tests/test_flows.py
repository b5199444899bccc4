"""The Prefect flows end to end, against the replay server, on a temporary Prefect server."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from litmine.ingest import import_files
from litmine.store.db import Warehouse

from conftest import FIXTURES
from replay import PubmedArchive, s2_batch_handler

ROOT = Path(__file__).resolve().parents[1]
UNTIL = "2016-06-01"  # the replayed records were published up to 2016


@pytest.fixture
def ncbi(replay, monkeypatch):
    archive = PubmedArchive()
    replay.route("POST", "/esearch.fcgi", archive.esearch)
    replay.route("POST", "/efetch.fcgi", archive.efetch)
    replay.route("POST", "/paper/batch", s2_batch_handler())
    url = replay.start()
    monkeypatch.setenv("LITMINE_EUTILS_URL", url)
    monkeypatch.setenv("LITMINE_S2_URL", url)
    replay.archive = archive
    return replay


@pytest.fixture
def topics(tmp_path) -> Path:
    path = tmp_path / "topics.toml"
    path.write_text('[nightly]\ninitial_days = 20000\noverlap_days = 2\n\n'
                    '[[topic]]\nname = "all"\nquery = "cancer"\nsources = ["pubmed"]\n\n'
                    '[[topic]]\nname = "nothing"\nquery = "abcXYZ"\nsources = ["pubmed"]\n')
    return path


def snapshot(db: Path) -> tuple:
    con = Warehouse(db).reader()
    try:
        return tuple(con.execute(q).fetchall() for q in (
            "SELECT paper_id, title, text_hash FROM paper ORDER BY 1",
            "SELECT paper_id, category, concept_id FROM entity ORDER BY ALL",
            "SELECT count(*) FROM mention"))
    finally:
        con.close()


def test_topic_search_flow_with_the_database_from_settings(prefect_api, ncbi, db, reports_dir, monkeypatch):
    from prefect.artifacts import Artifact

    from flows.topic_search import topic_search

    monkeypatch.setenv("LITMINE_DB", str(db))  # as a deployment runs it: no db parameter
    result = topic_search("cancer", ["pubmed"], max_records=50)
    assert result["added"] == 50 and result["failed_batches"] == 0
    assert len(snapshot(db)[0]) == 50
    summary = Artifact.get("topic-search").data  # what a researcher reads in the UI
    assert "| cancer | 50 |" in summary and "## What the new and updated papers report" in summary
    assert "### Top tumor types" in summary and "█" in summary
    report = Path(result["report"])
    assert report.parent == reports_dir and str(report) in summary
    assert f"({report.as_uri()})" in Artifact.get("topic-search-report").data  # the link artifact
    html = report.read_text()
    assert html.count("<svg") >= 3 and html.count('"id":"pmid:') == 50  # the run's 50 papers


def test_nightly_is_incremental_and_idempotent(prefect_api, ncbi, db, topics, tmp_path):
    from flows.nightly import nightly_ingest

    updates = tmp_path / "updates"
    updates.mkdir()
    (updates / "pubmed25n0001.xml.gz").write_bytes((FIXTURES / "pubmed_baseline_4rec.xml.gz").read_bytes())
    topics.write_text(topics.read_text().replace(
        "[nightly]\n", f"[nightly]\nupdate_files = [{str(updates)!r}]\nenrich_s2 = true\n"))
    lookup, seen_by_analysts = ncbi.routes[("POST", "/paper/batch")], []

    def lookup_and_look(req):  # the last step: what do analysts see while the run is not over?
        seen_by_analysts.append(snapshot(db) if db.exists() else None)
        return lookup(req)

    ncbi.route("POST", "/paper/batch", lookup_and_look)
    first = nightly_ingest(topics=str(topics), until=date.fromisoformat(UNTIL), db=str(db))
    assert first["complete"] and first["steps"]["all"]["added"] == 604 and first["steps"]["update files"]["added"] == 4
    lookups = [len(r.json["ids"]) for r in ncbi.requests_to("/paper/batch")]
    assert lookups == [500, 108]  # every paper looked up in Semantic Scholar, 500 per request
    assert seen_by_analysts == [None, None]  # nothing published before the run was whole
    con = Warehouse(db).reader()
    assert con.execute("SELECT value FROM meta WHERE key = 'nightly_watermark'").fetchone()[0] == UNTIL
    con.close()
    before = snapshot(db)
    ncbi.log.clear()
    second = nightly_ingest(topics=str(topics), update_files=[str(updates)], until=date(2016, 6, 3), db=str(db))
    assert second["since"] == "2016-05-30"  # watermark minus the overlap
    assert second["steps"]["all"]["added"] == 0 and second["steps"]["update files"]["files_loaded"] == 0
    assert all(r.form.get("mindate") == "2016/05/30" for r in ncbi.requests_to("/esearch.fcgi"))
    assert not ncbi.requests_to("/paper/batch")  # looked up last night: not again before the refresh period
    assert snapshot(db) == before


def test_killed_nightly_run_resumes_to_the_same_database(prefect_api, ncbi, tmp_path, topics, extractor):
    slow = ncbi.routes[("POST", "/efetch.fcgi")]

    def delayed(req):  # slow enough to kill the run between batches
        time.sleep(0.3)
        return slow(req)

    ncbi.route("POST", "/efetch.fcgi", delayed)
    crashed, clean = tmp_path / "crashed.duckdb", tmp_path / "clean.duckdb"
    code = ("from datetime import date; from flows.nightly import nightly_ingest; "
            f"nightly_ingest(topics={str(topics)!r}, until=date.fromisoformat({UNTIL!r}), db={str(crashed)!r})")
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(ncbi.requests_to("/efetch.fcgi")) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.4)  # the first batches are committed, the run is mid-way
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    from flows.nightly import nightly_ingest

    resumed = nightly_ingest(topics=str(topics), until=date.fromisoformat(UNTIL), db=str(crashed))
    assert resumed["complete"]
    assert 0 < resumed["steps"]["all"]["added"] < 604  # it did not start from nothing
    nightly_ingest(topics=str(topics), until=date.fromisoformat(UNTIL), db=str(clean))
    assert snapshot(crashed) == snapshot(clean)


def test_reextract_flow_extracts_outdated_papers_once(prefect_api, db, extractor):
    from flows.reextract import reextract

    import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz", FIXTURES / "seed_000_60f76852bb3d8491.txt"],
                 db, extract=False)
    result = reextract(db=str(db), shard_size=200)
    assert result["shards"] == 4 and result["extracted"] == 605
    con = Warehouse(db).reader()
    assert con.execute("SELECT count(DISTINCT extractor_version) FROM extraction").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM paper_entities WHERE doi = '10.1155/2024/8873822'").fetchone()[0] > 5
    con.close()
    assert reextract(db=str(db))["shards"] == 0
    shard_dirs = list((db.parent / "cache" / "shards").iterdir())
    assert len(shard_dirs) == 4 and all((d / "complete").exists() for d in shard_dirs)
    again = reextract(db=str(db), shard_size=200, all_papers=True)  # same content: shards come from the cache
    assert again["extracted"] == 605 and len(list((db.parent / "cache" / "shards").iterdir())) == 4


def shard_task_runs(flow_run_id, task: str = "extract_shard") -> list[str]:
    """States of the `task` runs the Prefect server recorded for a flow run."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return sorted(r.state_name for r in runs if r.task_key.startswith(task))


def test_reextract_on_the_configured_dask_cluster_matches_threads(prefect_api, tmp_path, monkeypatch):
    import importlib

    from dask.distributed import Client, LocalCluster
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    import flows.reextract

    assert isinstance(flows.reextract.reextract.task_runner, ThreadPoolTaskRunner)  # nothing configured
    dbs = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        for name in ("threads", "dask"):
            if name == "dask":  # what a deployment sees: the address in the environment when the flow loads
                monkeypatch.setenv("LITMINE_DASK_ADDRESS", cluster.scheduler_address)
                importlib.reload(flows.reextract)
                assert isinstance(flows.reextract.reextract.task_runner, DaskTaskRunner)
            (tmp_path / name).mkdir()
            db = tmp_path / name / "litmine.duckdb"  # separate shard folders: the Dask run extracts for real
            import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extract=False)
            state = flows.reextract.reextract(db=str(db), shard_size=150, return_state=True)
            assert state.result()["extracted"] == 604
            assert shard_task_runs(state.state_details.flow_run_id) == ["Completed"] * 5  # seen by the server
            dbs.append(snapshot(db))
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    monkeypatch.delenv("LITMINE_DASK_ADDRESS")
    importlib.reload(flows.reextract)
    assert len(executed) == 2 and all(n > 0 for n in executed.values())  # both workers took shards
    assert dbs[0] == dbs[1]


def test_each_thread_gets_its_own_pipeline(prefect_api):
    from concurrent.futures import ThreadPoolExecutor

    from flows.tasks import extractor

    with ThreadPoolExecutor(3) as pool:
        per_thread = list(pool.map(lambda _: (extractor(), extractor()), range(3)))
    assert all(a is b for a, b in per_thread)  # one per thread, loaded once
    assert len({id(a.lexicon) for a, _ in per_thread}) == 1  # the read-only lexicon is shared


def test_backfill_on_a_dask_cluster_loads_what_a_serial_run_loads(prefect_api, tmp_path, extractor):
    """Two bulk files prepared on two Dask workers (download/parse/extract -> Parquet shards), loaded
    in order by the flow; the run again skips them; progress is the flow run's artifact."""
    import shutil

    from dask.distributed import Client, LocalCluster
    from prefect.artifacts import Artifact
    from prefect_dask import DaskTaskRunner

    from conftest import stored
    from flows.backfill import backfill
    from litmine.ingest import ingest_files

    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(FIXTURES / "medline16n0902_update_excerpt.xml.gz", files / "pubmed16n0902.xml.gz")
    shutil.copy(FIXTURES / "pubmed_baseline_4rec.xml.gz", files / "pubmed24n0001.xml.gz")
    serial = tmp_path / "serial" / "l.duckdb"
    ingest_files([str(files)], serial, extractor, cache=tmp_path / "c0", workers=1)

    db = tmp_path / "dask" / "l.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        on_dask = backfill.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        state = on_dask(sources=[str(files)], db=str(db), cache=str(tmp_path / "cache"), return_state=True)
        result = state.result()
        assert sorted(shard_task_runs(state.state_details.flow_run_id, "prepare_file")) == ["Completed"] * 2
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
        again = on_dask(sources=[str(files)], db=str(db), cache=str(tmp_path / "cache"))
    assert result["on_dask"] and result["files_loaded"] == 2 and result["added"] == 608
    assert sum(executed.values()) >= 2 and all(n > 0 for n in executed.values())  # both workers took a file
    assert stored(db) == stored(serial)
    assert again["files_loaded"] == 0 and again["added"] == 0  # loaded files are skipped by MD5
    progress = Artifact.get("backfill-progress")
    assert progress.data == 100.0 and "records/s" in progress.description
    assert not any((tmp_path / "cache" / "shards").iterdir())  # loaded shards are removed


def test_served_deployments_are_the_ones_prefect_yaml_declares():
    import importlib

    import yaml

    from flows.deployments import deployments

    declared = {d["name"]: d["entrypoint"] for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]}
    served = {d.name: d for d in deployments()}
    assert set(served) == set(declared) >= {"nightly-ingest", "topic-search", "reextract", "backfill"}
    for name, entrypoint in declared.items():
        path, function = entrypoint.split(":")
        module = path.removesuffix(".py").replace("/", ".")
        assert getattr(importlib.import_module(module), function).name == served[name].flow_name


def test_reextract_flow_quarantines_a_paper_whose_extraction_fails_and_loads_the_rest(prefect_api, db, extractor,
                                                                                       monkeypatch):
    from flows.reextract import reextract
    from litmine.extract.pipeline import Extractor

    import_files([FIXTURES / "seed_000_60f76852bb3d8491.txt", FIXTURES / "medline16n0902_update_excerpt.xml.gz"],
                 db, extract=False)
    extract_many = Extractor.extract_many

    def failing_on_the_seed(self, texts, batch_size=256):
        texts = list(texts)
        if any("Cutaneous Neuroendocrine Metastases" in title for title, _ in texts):
            raise RuntimeError("a bug this paper triggers")
        return extract_many(self, texts, batch_size)

    monkeypatch.setattr(Extractor, "extract_many", failing_on_the_seed)
    result = reextract(db=str(db), shard_size=200)
    assert result["extracted"] == 604 and result["quarantined"] == 1
    with Warehouse(db).reader() as con:
        assert con.execute("SELECT input, reason FROM quarantine").fetchall() == [
            ("extraction of doi:10.1155/2024/8873822", "extraction failed: RuntimeError: a bug this paper triggers")]
