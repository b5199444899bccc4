"""Record files into the warehouse: parse -> extract -> load, one transaction per file.

The CLI and the Prefect flows both call these functions. A file that cannot be read
is rolled back whole and reported by name; the other files still load. A bad record
inside a readable file is quarantined with its reason and the rest goes on.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import duckdb

from litmine.extract.pipeline import Extractor
from litmine.parse import RecordFileError, read_records
from litmine.prepare import (BATCH, ExtractionPool, Prepared, PreparedFile, chunks, extract_contained,
                             quarantine_failed, read_shard, stored_papers)
from litmine.record import Deletion, Paper, Quarantined
from litmine.sources.bulk import BulkFile, download, list_files, md5_of
from litmine.sources.http import FetchError, HttpClient
from litmine.store import load
from litmine.store.db import Warehouse

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    run_id: str
    files_loaded: list[str] = field(default_factory=list)
    files_failed: list[tuple[str, str]] = field(default_factory=list)  # (file, error)
    files_empty: list[str] = field(default_factory=list)  # readable, but without a single record
    files_skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason it failed before)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    quarantined: int = 0
    extracted: int = 0
    failed_batches: int = 0
    retried_batches: int = 0
    # called after each chunk of records is stored (a progress display): not part of the result
    on_chunk: Callable[[RunSummary], None] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.files_failed and not self.failed_batches

    @property
    def records(self) -> int:
        """Records read so far, whatever became of them."""
        return self.added + self.updated + self.unchanged + self.quarantined


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


@contextmanager
def writer_run(db: Path, command: str, extractor: Extractor | None, *,
               publish: bool = True) -> Iterator[tuple[object, RunSummary]]:
    """A writer connection plus a `load_run` row that ends 'ok' or 'failed' with the counts."""
    summary = RunSummary(run_id=new_run_id())

    def publish_failed(con, exc: OSError) -> None:  # the run's rows stay; only the publish failed
        con.execute("UPDATE load_run SET status = 'failed', message = ? WHERE run_id = ?",
                    [f"publish failed: {exc.strerror or exc}", summary.run_id])

    with Warehouse(db).writer(publish, on_publish_error=publish_failed) as con:
        # one writer at a time: a run still 'running' here belongs to a process that died
        con.execute("UPDATE load_run SET status = 'interrupted', message = 'the process ended before the run "
                    "finished (killed or crashed); what it committed is kept' WHERE status = 'running'")
        con.execute("INSERT INTO load_run (run_id, command, started_at, status, extractor_version) "
                    "VALUES (?, ?, now(), 'running', ?)", [summary.run_id, command, extractor.version if extractor else ""])
        if extractor:
            load.load_concepts(con, extractor.lexicon)
        status, message = "failed", None
        try:
            yield con, summary
            status = "ok" if summary.ok else "failed"
            message = "; ".join(e for _, e in summary.files_failed) or (
                f"{summary.failed_batches} batches failed (kept for retry)" if summary.failed_batches else None)
        except BaseException as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            try:  # a failure inside a batch leaves its transaction open
                con.execute("ROLLBACK")
            except duckdb.TransactionException:
                pass
            con.execute(
                "UPDATE load_run SET finished_at = now(), status = ?, papers_added = ?, papers_updated = ?, "
                "papers_deleted = ?, quarantined = ?, message = ? WHERE run_id = ?",
                [status, summary.added, summary.updated, summary.deleted, summary.quarantined, message,
                 summary.run_id])


def import_files(paths: Iterable[Path], db: Path, extractor: Extractor | None = None, *, extract: bool = True,
                 command: str = "import", on_file: Callable[[Path], None] | None = None,
                 workers: int | None = None, batch: int = BATCH,
                 on_chunk: Callable[[RunSummary], None] | None = None) -> RunSummary:
    """Load record files; returns what happened. Raises only for warehouse-level errors.
    `workers` extraction processes (default: one per core; 1 = this process only) take chunks of
    `batch` records."""
    extractor = extractor or (Extractor.load() if extract else None)
    with writer_run(db, command, extractor) as (con, summary), _pool(extractor, workers, batch) as pool:
        summary.on_chunk = on_chunk
        for path in paths:
            if on_file:
                on_file(path)
            load_file(con, path, str(path), summary, extractor, pool=pool)
    return summary


def _pool(extractor: Extractor | None, workers: int | None, batch: int = BATCH):
    return ExtractionPool(extractor, workers, batch=batch) if extractor else nullcontext()


def load_file(con, path: Path, name: str, summary: RunSummary, extractor: Extractor | None,
              before_commit: Callable[[int], None] | None = None, pool: ExtractionPool | None = None) -> bool:
    """One file in one transaction: all its rows or, when it cannot be read, none.
    `before_commit(records)` adds rows that belong to the same transaction."""
    return load_prepared(con, lambda: load_items(con, read_records(path), summary, extractor, pool),
                         name, summary, before_commit)


def load_shard(con, shard: Path, name: str, summary: RunSummary, extractor: Extractor | None,
               before_commit: Callable[[int], None] | None = None) -> bool:
    """A file prepared elsewhere (`prepare_file`), in one transaction like `load_file`."""
    def apply() -> None:
        for prepared in read_shard(shard):
            apply_prepared(con, prepared, summary, extractor)
    return load_prepared(con, apply, name, summary, before_commit)


def load_prepared(con, apply: Callable[[], None], name: str, summary: RunSummary,
                  before_commit: Callable[[int], None] | None) -> bool:
    start, deleted = summary.records, summary.deleted
    con.execute("BEGIN")
    try:
        apply()
        if before_commit:
            before_commit(summary.records - start)
        con.execute("COMMIT")
    except RecordFileError as exc:
        con.execute("ROLLBACK")
        summary.files_failed.append((name, str(exc)))
        return False
    except Exception as exc:  # noqa: BLE001 - a bug: this file fails, the others of the command still load
        con.execute("ROLLBACK")
        log.exception("%s: failed with an unexpected error (a bug in litmine)", name)
        summary.files_failed.append((name, f"{name}: {type(exc).__name__}: {exc} (a bug in litmine; the "
                                           "traceback is in the log)"))
        return False
    if summary.records == start and summary.deleted == deleted:
        summary.files_empty.append(name)  # an empty efetch answer, say: not "loaded" without a word
    else:
        summary.files_loaded.append(name)
    return True


class FilePreparer(Protocol):
    """Runs `prepare_bulk_file` somewhere (a Dask cluster, a Prefect task runner); `.result()` of
    what `submit` returns is its `PreparedFile`."""

    def submit(self, f: BulkFile, cache: Path, shards: Path) -> Any: ...


def ingest_files(sources: Iterable[str], db: Path, extractor: Extractor | None = None, *,
                 cache: Path = Path("data/cache"), http=None, command: str = "ingest-files",
                 on_file: Callable[[str], None] | None = None, publish: bool = True,
                 workers: int | None = None, preparer: FilePreparer | None = None,
                 on_loaded: Callable[[RunSummary, int, int], None] | None = None,
                 on_chunk: Callable[[RunSummary], None] | None = None) -> RunSummary:
    """Load PubMed baseline/update files (paths, folders, URLs, listing pages), skipping files
    already loaded with the same MD5. Each file loads in one transaction with its MD5 record.
    By default this process downloads and parses, `workers` processes extract; with a `preparer`
    (a Dask cluster) whole files are downloaded, parsed and extracted there, all at once, and
    loaded here in order as they come (their Parquet shards under `cache`/shards).
    `on_file(name)` is called before a file loads, `on_loaded(summary, files done, files to do)` after."""
    extractor = extractor or Extractor.load()
    http = http or HttpClient("", name="bulk-files", rate=3.0)
    with writer_run(db, command, extractor, publish=publish) as (con, summary), _pool(extractor, workers) as pool:
        summary.on_chunk = on_chunk
        done = dict(con.execute("SELECT name, md5 FROM ingested_file").fetchall())
        failed = {name: (md5, reason) for name, md5, reason in
                  con.execute("SELECT name, md5, reason FROM failed_file").fetchall()}
        todo = []
        for source in sources:
            try:
                files = list_files(source, http)
            except FetchError as exc:
                summary.files_failed.append((source, str(exc)))
                continue
            for f in files:
                if f.md5 and done.get(f.name) == f.md5:
                    continue  # loaded before, unchanged
                if f.md5 and not f.named and failed.get(f.name, (None,))[0] == f.md5:
                    summary.files_skipped.append((f.name, failed[f.name][1]))  # failed before, unchanged
                    continue
                todo.append(f)
        shards = cache.resolve() / "shards"  # absolute: workers may run in another folder
        jobs = [preparer.submit(f, cache.resolve(), shards) for f in todo] if preparer else None
        for i, f in enumerate(todo):
            if on_file:
                on_file(f.name)
            if jobs is not None:
                try:
                    got: PreparedFile = jobs[i].result()
                except Exception as exc:  # noqa: BLE001 - a worker died or a bug: this file fails, the others load
                    got = PreparedFile(f.name, f.md5, error=f"{f.name}: preparing it failed: {type(exc).__name__}: {exc}")
                md5, error, location = got.md5, got.error, got.shard
            else:
                try:
                    location = download(f, http, cache) if f.remote else Path(f.location)
                    md5, error = f.md5 or md5_of(location), None
                except (FetchError, OSError) as exc:
                    md5, error = f.md5, str(exc)
            if error:
                summary.files_failed.append((f.name, error))
                _remember_failure(con, f.name, md5, error, summary.run_id)
            elif done.get(f.name) != md5 and _load_bulk_file(con, f.name, md5, Path(location), summary, extractor,
                                                             pool, sharded=jobs is not None):
                done[f.name] = md5
            if on_loaded:
                on_loaded(summary, i + 1, len(todo))
    return summary


def _load_bulk_file(con, name: str, md5: str, location: Path, summary: RunSummary, extractor: Extractor,
                    pool: ExtractionPool | None, sharded: bool) -> bool:
    """One bulk file (or its prepared shard) in one transaction with its MD5 record."""
    def remember(records: int) -> None:
        con.execute("INSERT OR REPLACE INTO ingested_file VALUES (?, ?, ?, ?, now())",
                    [name, md5, records, summary.run_id])
        con.execute("DELETE FROM failed_file WHERE name = ?", [name])

    if sharded:
        ok = load_shard(con, location, name, summary, extractor, before_commit=remember)
        if ok:
            shutil.rmtree(location, ignore_errors=True)  # loaded: its rows are in the warehouse
    else:
        ok = load_file(con, location, name, summary, extractor, before_commit=remember, pool=pool)
    if not ok:
        _remember_failure(con, name, md5, summary.files_failed[-1][1], summary.run_id)
    return ok


def _remember_failure(con, name: str, md5: str | None, reason: str, run_id: str) -> None:
    con.execute("INSERT INTO failed_file VALUES (?, ?, ?, 1, ?, now()) ON CONFLICT (name) DO UPDATE SET "
                "md5 = excluded.md5, reason = excluded.reason, attempts = failed_file.attempts + 1, "
                "run_id = excluded.run_id, failed_at = excluded.failed_at", [name, md5, reason, run_id])


def load_items(con, items: Iterable[Paper | Deletion | Quarantined], summary: RunSummary,
               extractor: Extractor | None, pool: ExtractionPool | None = None) -> None:
    """Parse results -> extraction -> warehouse, chunk by chunk, inside the caller's transaction;
    with a pool, the chunks' texts are extracted ahead on its workers."""
    if pool is None or extractor is None:
        prepared: Iterable[Prepared] = (Prepared(chunk) for chunk in chunks(items, pool.batch if pool else BATCH))
    else:
        prepared = pool.prepare(items, needed=lambda papers: load.changed_records(con, papers))
    for p in prepared:
        apply_prepared(con, p, summary, extractor)


def apply_prepared(con, prepared: Prepared, summary: RunSummary, extractor: Extractor | None) -> None:
    """The single writer's part: merge a chunk's papers, store the facts of those whose text is new
    or changed (prepared ones as they are, the others extracted here), deletions, quarantine."""
    chunk = prepared.items
    papers = [i for i in chunk if isinstance(i, Paper)]
    written = load.write_papers(con, papers, summary.run_id, extractor.version if extractor else "")
    summary.added += written.added
    summary.updated += written.updated
    summary.unchanged += written.unchanged
    if extractor and written.to_extract:
        store_facts(con, prepared, written.to_extract, summary, extractor)
    summary.deleted += load.apply_deletions(con, [i for i in chunk if isinstance(i, Deletion)], summary.run_id)
    summary.quarantined += load.write_quarantine(
        con, [i for i in chunk if isinstance(i, Quarantined)], summary.run_id)
    if summary.on_chunk:
        summary.on_chunk(summary)


def store_facts(con, prepared: Prepared, rows: list[tuple[str, str, str, str]], summary: RunSummary,
                extractor: Extractor) -> None:
    """Replace the facts of these (paper_id, title, abstract, text_hash) rows: the ones `prepared`
    holds as they are, the others extracted here; a paper whose extraction fails is quarantined."""
    tables, rest, failed = prepared.split(rows, extractor.version)
    if tables is not None:
        summary.extracted += load.write_extraction_tables(con, tables)
    results, more_failed = extract_contained(extractor, rest)
    summary.extracted += load.write_extractions(con, results, extractor.version)
    summary.quarantined += load.write_quarantine(con, quarantine_failed(failed + more_failed), summary.run_id)


def extract_jsonl(inp: Path, out: Path, extractor: Extractor | None = None) -> int:
    """The evaluation contract: lines {"id", "title", "abstract"} -> one result line per input."""
    extractor = extractor or Extractor.load()
    records = []
    with open(inp, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{inp}:{lineno}: not valid JSON ({exc.msg})") from exc
            if not isinstance(rec, dict) or "id" not in rec:
                raise ValueError(f"{inp}:{lineno}: each line needs an object with an \"id\"")
            records.append(rec)
    results = extractor.extract_many((r.get("title") or "", r.get("abstract") or "") for r in records)
    with open(out, "w", encoding="utf-8") as f:
        for rec, res in zip(records, results):
            f.write(json.dumps(res.as_record(rec["id"]), ensure_ascii=False) + "\n")
    return len(records)


def outdated_papers(con, version: str, *, all_papers: bool = False,
                    paper_ids: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    """(paper_id, title, abstract, text_hash) of papers whose stored facts are not from `version`
    and this text (or all papers)."""
    return con.execute(
        "SELECT p.paper_id, p.title, coalesce(p.abstract, ''), p.text_hash FROM paper p "
        "LEFT JOIN extraction e USING (paper_id) "
        "WHERE ($all OR e.extractor_version IS DISTINCT FROM $v OR e.text_hash IS DISTINCT FROM p.text_hash) "
        "AND ($ids IS NULL OR list_contains($ids, p.paper_id)) ORDER BY p.paper_id",
        {"all": all_papers, "v": version, "ids": paper_ids}).fetchall()


def reextract(db: Path, extractor: Extractor | None = None, *, all_papers: bool = False,
              batch: int = BATCH, paper_ids: list[str] | None = None, workers: int | None = None) -> RunSummary:
    """Re-run extraction over stored papers whose results are from another extractor version
    (or all papers), on `workers` processes (default: one per core). Each batch replaces its
    papers' mentions and entities in one transaction; other papers are untouched, and an
    interrupted run resumes where it stopped."""
    extractor = extractor or Extractor.load()
    with writer_run(db, "reextract", extractor) as (con, summary), _pool(extractor, workers, batch) as pool:
        todo = outdated_papers(con, extractor.version, all_papers=all_papers, paper_ids=paper_ids)
        for prepared, rows in zip(pool.prepare(stored_papers(todo), needed=lambda papers: papers), chunks(todo, batch)):
            con.execute("BEGIN")
            store_facts(con, prepared, rows, summary, extractor)
            con.execute("COMMIT")
    return summary
