"""Prefect tasks over the litmine library. Writes stay single-writer (DuckDB); extraction is
what fans out (to threads, processes or a Dask cluster, whichever task runner the flow has)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from litmine.enrich import enrich_s2
from litmine.extract.pipeline import Extractor, current_version
from litmine.ingest import RunSummary, outdated_papers, store_facts, writer_run
from litmine.prepare import prepare_texts, read_shard, stored_papers, worker_extractor, write_chunk
from litmine.report import markdown_charts, top_facts
from litmine.report.html import default_path, write_report
from litmine.report.scope import Scope
from litmine.search import run_search
from litmine.settings import get_settings
from litmine.store.load import text_hash
from litmine.store.db import Warehouse, get_meta, set_meta


def extractor() -> Extractor:
    """This thread's pipeline (the default task runner is a thread pool); a Dask worker process
    loads its own on its first task."""
    return worker_extractor()


def configured_task_runner():
    """The Dask cluster at `LITMINE_DASK_ADDRESS` if set (read when the flow is loaded, so `litmine
    serve` and `prefect deploy` both use it), else threads. The workers report their task runs to
    the flow's Prefect API (it travels with each task's settings context); a flow without a Prefect
    server, only a temporary one, would have each worker start a temporary server of its own, so
    run deployments against a server (README)."""
    address = get_settings().litmine_dask_address
    if not address:
        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


def db_path(db: str | None) -> Path:
    return Path(db) if db else get_settings().litmine_db


def counts(s: RunSummary) -> dict:
    return {"run_id": s.run_id, "added": s.added, "updated": s.updated, "unchanged": s.unchanged,
            "deleted": s.deleted, "quarantined": s.quarantined, "extracted": s.extracted,
            "failed_batches": s.failed_batches, "retried_batches": s.retried_batches,
            "files_loaded": len(s.files_loaded), "files_failed": len(s.files_failed)}


# Network work: the HTTP client already retries each request; a task retry re-runs the whole
# search, which is safe because loads are idempotent.
@task(retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=30), retry_jitter_factor=0.5)
def search_topic(query: str, sources: list[str], since: date | None, until: date | None, db: str | None,
                 max_records: int | None = None, datetype: str = "pdat", publish: bool = True) -> dict:
    s = run_search(query, db_path(db), sources=sources, since=since, until=until, max_records=max_records,
                   extractor=extractor(), command=f"search {query[:60]}", datetype=datetype, publish=publish)
    c = counts(s)
    get_run_logger().info("%s: %s", query, c)
    return c


@task(retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=30), retry_jitter_factor=0.5)
def enrich_papers(db: str | None, refresh_days: int = 30, publish: bool = True) -> dict:
    s = enrich_s2(db_path(db), refresh_days=refresh_days, extractor=extractor(), publish=publish)
    c = counts(s)
    get_run_logger().info("Semantic Scholar enrichment: %s", c)
    return c


@task
def read_watermark(db: str | None) -> str | None:
    path = db_path(db)
    if not path.exists():
        return None
    with Warehouse(path).reader() as con:
        return get_meta(con, "nightly_watermark")


@task
def publish(db: str | None, watermark: date | None = None) -> None:
    """End of a run of unpublished steps: record the watermark (if the run earned it) and publish."""
    with Warehouse(db_path(db)).writer() as con:
        if watermark:
            set_meta(con, "nightly_watermark", watermark.isoformat())


def window(watermark: str | None, until: date, initial_days: int, overlap_days: int) -> date:
    if watermark is None:
        return until - timedelta(days=initial_days)
    return date.fromisoformat(watermark) - timedelta(days=overlap_days)


# -- re-extraction in shards -----------------------------------------------------------------

@task
def outdated_shards(db: str | None, version: str, shard_size: int, all_papers: bool = False) -> list[list[tuple]]:
    path = db_path(db)
    with Warehouse(path).reader() as con:
        todo = outdated_papers(con, version, all_papers=all_papers)
    return [todo[i:i + shard_size] for i in range(0, len(todo), shard_size)]


def shard_key(rows: list[tuple], version: str) -> str:
    """Content hash of a shard: the extractor version and each paper's text hash."""
    h = hashlib.sha256(version.encode())
    for paper_id, _, _, text_hash in rows:
        h.update(f"{paper_id}|{text_hash}".encode())
    return h.hexdigest()[:24]


@task
def extract_shard(rows: list[tuple], out_dir: str) -> str:
    """Extract one shard of stored papers into a shard folder named by its content hash (the same
    folder layout as a bulk file's, `litmine.prepare`). The folder is the cache: a resumed or repeated
    run finds it complete and does not extract the shard again. A paper whose extraction fails is
    recorded in the shard and quarantined by the writer; the others go on."""
    target = Path(out_dir) / shard_key(rows, current_version())
    if (target / "complete").exists():
        return str(target)
    ex = extractor()
    papers = list(stored_papers(rows))
    target.mkdir(parents=True, exist_ok=True)
    write_chunk(target / "00000", papers, *prepare_texts(ex, papers))
    (target / "complete").touch()  # written last: a half-written folder is never reused
    return str(target)


@task
def load_shards(db: str | None, shard_dirs: list[str]) -> dict:
    """The single writer: each shard replaces its papers' rows in one transaction."""
    ex = extractor()
    with writer_run(db_path(db), "reextract", ex) as (con, summary):
        for d in shard_dirs:
            for prepared in read_shard(Path(d)):
                rows = [(p.source_id, p.title, p.abstract, text_hash(p.title, p.abstract)) for p in prepared.items]
                con.execute("BEGIN")
                store_facts(con, prepared, rows, summary, ex)
                con.execute("COMMIT")
    return counts(summary)


def report(title: str, rows: dict[str, dict], key: str, db: str | None = None, html: bool = True) -> str | None:
    """The flow run's artifacts: a markdown summary (counts per step and charts of what the papers
    these steps added or updated report) and a link to the HTML report of those papers. Returns
    the report's path (None when the run added and updated nothing)."""
    cols = ["added", "updated", "unchanged", "deleted", "quarantined", "extracted", "failed_batches"]
    lines = [f"# {title}", "", "| step | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for step, c in rows.items():
        lines.append(f"| {step} | " + " | ".join(str(c.get(k, "")) for k in cols) + " |")
    run_ids = tuple(c["run_id"] for c in rows.values() if c.get("added") or c.get("updated"))
    path = None
    if run_ids and html:
        scope = Scope(run_ids=run_ids)
        with Warehouse(db_path(db)).reader() as con:
            charts = markdown_charts(top_facts(con, list(run_ids)))
        path = write_report(db_path(db), default_path(scope), scope).path.resolve()
        create_link_artifact(path.as_uri(), link_text=f"HTML report: {path.name}", key=f"{key}-report",
                             description=f"{title}: the papers this run added or updated")
        lines += ["", "## What the new and updated papers report", "", charts or "No case facts extracted.",
                  "", f"The HTML report of these papers (charts, cases, evidence): `{path}`"]
    create_markdown_artifact(markdown="\n".join(lines), key=key, description=title)
    return str(path) if path else None
