"""Parse and extract on every core or a Dask cluster; one writer applies the results in order.

Records are loaded in chunks of `BATCH` items. A chunk is *prepared* when the texts of its papers
are extracted; the single writer (`litmine.ingest`) then merges the chunk's papers into the
warehouse and stores the prepared facts of those whose text is new or changed. Extraction is a
function of the text alone, so a prepared chunk stores exactly what a serial run stores; a text
the chunk did not prepare (a merge changed it) is extracted by the writer.

Two ways to spread the work:
- `ExtractionPool`: the cores of this machine. The writer's process reads each file (parsing is
  a sixth of the work) and sends each chunk's distinct texts, split over the worker processes
  (they load the pipeline once), which return Arrow tables one chunk ahead of the writer.
- `prepare_file`: a whole file on a Dask worker, which reads (or downloads) it, parses, extracts and
  writes a shard folder of Parquet files; `read_shard` gives the writer its prepared chunks. A
  shard folder counts only with its `complete` marker and is reused: a killed backfill does not
  extract a finished file again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import logging
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from litmine.extract.lexicon import DEFAULT_DIR
from litmine.extract.pipeline import Extractor
from litmine.parse import Item, RecordFileError, read_records
from litmine.record import Author, Deletion, Paper, Quarantined
from litmine.sources.bulk import BulkFile, download, md5_of
from litmine.sources.http import FetchError, HttpClient
from litmine.store import load
from litmine.store.load import ExtractionTables, text_hash

BATCH = 2000  # items per chunk: one write_papers call, one unit of extraction work
log = logging.getLogger(__name__)

Row = tuple[str, str, str, str]  # (paper_id, title, abstract, text_hash)


@dataclass
class Prepared:
    """A chunk of one file's items and what was extracted from its papers' texts."""

    items: list[Item]
    tables: ExtractionTables | None = None  # by text hash: the paper_id columns hold text hashes
    failed: dict[str, str] = field(default_factory=dict)  # text hash -> why its extraction failed

    def split(self, rows: list[Row], version: str) -> tuple[ExtractionTables | None, list[Row], list[tuple[Row, str]]]:
        """For the papers the writer must extract: the prepared tables under their paper ids, the
        rows not prepared (the writer extracts them) and the rows whose extraction failed."""
        if self.tables is None or self.tables.extractor_version != version:
            return None, rows, []
        prepared = set(self.tables.done.column("paper_id").to_pylist())
        ready = [(pid, th) for pid, _, _, th in rows if th in prepared]
        rest = [r for r in rows if r[3] not in prepared and r[3] not in self.failed]
        failed = [(r, self.failed[r[3]]) for r in rows if r[3] in self.failed]
        return _rekey(self.tables, ready), rest, failed


# -- extraction with containment: one paper's failure stays with that paper -----------------

def extract_rows(extractor: Extractor, rows: list[Row]) -> Iterator[tuple]:
    """(paper_id, title, abstract, text_hash) rows -> (paper_id, text_hash, extraction), in order."""
    results = extractor.extract_many((title, abstract) for _, title, abstract, _ in rows)
    return ((paper_id, th, ex) for (paper_id, _, _, th), ex in zip(rows, results))


def extract_contained(extractor: Extractor, rows: list[Row]) -> tuple[list[tuple], list[tuple[Row, str]]]:
    """`extract_rows`, and the rows whose extraction failed with the reason: the batch is tried
    whole, and paper by paper only when it fails."""
    try:
        return list(extract_rows(extractor, rows)), []
    except Exception:  # noqa: BLE001 - find the paper(s) at fault below
        pass
    results, failed = [], []
    for row in rows:
        try:
            results.extend(extract_rows(extractor, [row]))
        except Exception as exc:  # noqa: BLE001 - one paper's failure stays with that paper
            failed.append((row, f"extraction failed: {type(exc).__name__}: {exc}"))
    return results, failed


def stored_papers(rows: Iterable[Row]) -> Iterator[Paper]:
    """Stored papers' rows as Papers whose texts are to be extracted again (`source_id` = paper id)."""
    return (Paper("stored", paper_id, title, abstract) for paper_id, title, abstract, _ in rows)


def quarantine_failed(failed: list[tuple[Row, str]]) -> list[Quarantined]:
    return [Quarantined(f"extraction of {pid}", 1, reason, f"{title}\n\n{abstract}"[:20000])
            for (pid, title, abstract, _), reason in failed]


def prepare_texts(extractor: Extractor, papers: Iterable[Paper]) -> tuple[ExtractionTables, dict[str, str]]:
    """Extraction tables of these papers' texts, keyed by text hash (each text once), and the
    texts whose extraction failed."""
    rows, seen = [], set()
    for p in papers:
        th = text_hash(p.title, p.abstract)
        if th not in seen:
            seen.add(th)
            rows.append((th, p.title, p.abstract, th))
    results, failed = extract_contained(extractor, rows)
    return load.extraction_tables(results, extractor.version), {row[3]: reason for row, reason in failed}


def _rekey(tables: ExtractionTables, ready: list[tuple[str, str]]) -> ExtractionTables:
    """Tables keyed by text hash -> the same rows under each paper id with that text."""
    pids: dict[str, list[str]] = {}
    for pid, th in ready:
        pids.setdefault(th, []).append(pid)

    def take(table: pa.Table) -> pa.Table:
        index, keys = [], []
        for i, th in enumerate(table.column("paper_id").to_pylist()):
            for pid in pids.get(th, ()):
                index.append(i)
                keys.append(pid)
        rows = table.take(pa.array(index, pa.int64()))
        return rows.set_column(0, table.schema.field(0), pa.array(keys, pa.string()))

    return ExtractionTables(take(tables.done), take(tables.mentions), take(tables.entities),
                            tables.extractor_version)


def chunks(items: Iterable[Item], size: int = BATCH) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


# -- this machine's cores --------------------------------------------------------------------

_local = threading.local()


def worker_extractor(lexicon_dir: Path | None = None, ner_model: str | None = None) -> Extractor:
    """The pipeline of this thread (loaded once): spaCy does not promise that a pipeline is
    thread-safe, and a worker process or Dask worker loads it on its first chunk only."""
    key = (str(lexicon_dir or DEFAULT_DIR), ner_model)
    cache = _local.__dict__.setdefault("extractors", {})
    if key not in cache:
        cache[key] = Extractor.load(lexicon_dir, ner_model)
    return cache[key]


def _worker_prepare(lexicon_dir: Path, ner_model: str | None, papers: list[tuple[str, str]],
                    ) -> tuple[ExtractionTables, dict[str, str]]:
    extractor = worker_extractor(lexicon_dir, ner_model)
    return prepare_texts(extractor, (Paper("text", "", title, abstract) for title, abstract in papers))


class DaskPreparer:
    """`prepare_bulk_file` on the Dask cluster at `address` (the `FilePreparer` of the CLI)."""

    def __init__(self, address: str, timeout: float = 20) -> None:
        from dask.distributed import Client  # only with a cluster: distributed is slow to import

        try:
            self.client = Client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise FetchError(f"{address}: cannot reach the Dask scheduler ({exc})") from exc

    def submit(self, f: BulkFile, cache: Path, shards: Path):
        return self.client.submit(prepare_bulk_file, f, cache, shards, pure=False)

    def close(self) -> None:
        self.client.close()


class ExtractionPool:
    """Worker processes (spawned: the writer holds DuckDB threads) that extract chunks' texts.
    They start with the first full chunk, so a small import never pays for them."""

    def __init__(self, extractor: Extractor, workers: int | None = None, *, batch: int = BATCH) -> None:
        self.extractor = extractor
        self.workers = workers if workers is not None else os.cpu_count() or 1
        self.batch = batch
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _broken(self, pool: ProcessPoolExecutor, exc: Exception) -> None:
        log.warning("an extraction worker failed (%s: %s); its chunk is extracted by the writer",
                    type(exc).__name__, exc)
        if self._pool is pool:
            self.close()  # a new pool starts with the next full chunk

    def prepare(self, items: Iterable[Item], needed: Callable[[list[Paper]], list[Paper]]) -> Iterator[Prepared]:
        """The chunks of `items`, in order, with the texts of `needed(papers)` extracted ahead. Each
        chunk's distinct texts are split over all workers, so the first chunk is ready (and the last
        one done) in a fraction of a chunk's time."""
        pending: deque[tuple[list[Item], list[Future], ProcessPoolExecutor | None]] = deque()
        for chunk in chunks(items, self.batch):
            if self._pool is None and self.workers > 1 and len(chunk) >= self.batch:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=worker_extractor,  # loaded while the writer parses
                                                 initargs=(self.extractor.lexicon_dir, self.extractor.ner_model))
            if self._pool is None:
                yield Prepared(chunk)
                continue
            texts = list({text_hash(p.title, p.abstract): (p.title, p.abstract)
                          for p in needed([i for i in chunk if isinstance(i, Paper)])}.values())
            pool, jobs = self._pool, []
            part = -(-len(texts) // self.workers)
            try:
                for start in range(0, len(texts), part or 1):
                    jobs.append(pool.submit(_worker_prepare, self.extractor.lexicon_dir, self.extractor.ner_model,
                                            texts[start:start + part]))
            except BrokenProcessPool as exc:  # a worker died since the last chunk: the writer extracts this one
                self._broken(pool, exc)
                jobs = []
            pending.append((chunk, jobs, pool if jobs else None))
            while len(pending) > 1:  # the next chunk is extracted while the writer loads this one
                yield self._collect(*pending.popleft())
        while pending:
            yield self._collect(*pending.popleft())

    def _collect(self, chunk: list[Item], jobs: list[Future], pool: ProcessPoolExecutor | None) -> Prepared:
        if not jobs:
            return Prepared(chunk)
        try:
            parts = [job.result() for job in jobs]
        except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory): the writer extracts
            self._broken(pool, exc)
            return Prepared(chunk)
        tables = ExtractionTables(*(pa.concat_tables([getattr(t, name) for t, _ in parts])
                                    for name in ("done", "mentions", "entities")), parts[0][0].extractor_version)
        return Prepared(chunk, tables, {th: reason for _, failed in parts for th, reason in failed.items()})


# -- a whole file on a Dask worker: Parquet shard folders ---------------------------------------

_PAPER_FIELDS = [f.name for f in dataclasses.fields(Paper)]
_STR, _LIST = pa.string(), pa.list_(pa.string())
_PAPER_TYPES = {"pmid_version": pa.int32(), "pub_year": pa.int32(), "citation_count": pa.int32(),
                "publication_types": _LIST, "mesh_terms": _LIST, "keywords": _LIST,
                "authors": pa.list_(pa.struct([(f.name, _STR) for f in dataclasses.fields(Author)]))}
_SHARD_SCHEMAS = {
    "papers": pa.schema([(name, _PAPER_TYPES.get(name, _STR)) for name in _PAPER_FIELDS]),
    "deletions": pa.schema([("pmid", _STR), ("version", pa.int32())]),
    "quarantined": pa.schema([("input", _STR), ("position", pa.int32()), ("reason", _STR), ("raw", _STR)]),
    "failed": pa.schema([("text_hash", _STR), ("reason", _STR)]),
}


def shard_dir(out_dir: Path, name: str, md5: str, version: str) -> Path:
    """Where a file's shard goes: by name, content and extractor version, so a changed file or
    extractor is prepared again."""
    key = hashlib.sha256(f"{md5}|{version}".encode()).hexdigest()[:16]
    return out_dir / f"{re.sub(r'[^A-Za-z0-9._-]', '_', name)}-{key}"


@dataclass
class PreparedFile:
    """What `prepare_bulk_file` returns to the writer (small: it travels through the scheduler)."""

    name: str
    md5: str | None
    shard: str | None = None  # the complete shard folder
    error: str | None = None  # why the file could not be fetched


def prepare_bulk_file(f: BulkFile, cache: Path, shards: Path, lexicon_dir: Path | None = None,
                      ner_model: str | None = None) -> PreparedFile:
    """On a worker: fetch the file (checked against its MD5) unless its shard is already complete,
    then parse and extract it into the shard folder."""
    extractor = worker_extractor(lexicon_dir, ner_model)
    if f.md5 and (target := shard_dir(shards, f.name, f.md5, extractor.version)).joinpath("complete").exists():
        return PreparedFile(f.name, f.md5, str(target))  # prepared by an earlier, interrupted run
    try:
        path = download(f, HttpClient("", name="bulk-files", rate=3.0), cache) if f.remote else Path(f.location)
        md5 = f.md5 or md5_of(path)
    except (FetchError, OSError) as exc:
        return PreparedFile(f.name, f.md5, error=str(exc))
    target = prepare_file(path, shard_dir(shards, f.name, md5, extractor.version), f.name, extractor)
    return PreparedFile(f.name, md5, str(target))


def prepare_file(path: Path, target: Path, name: str, extractor: Extractor, batch: int = BATCH) -> Path:
    """Parse and extract one record file into `target` (one numbered folder per chunk); a file that
    cannot be read leaves `target/error` with the one-line reason instead. Reused when complete."""
    if (target / "complete").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    (target / "error").unlink(missing_ok=True)
    try:
        for n, chunk in enumerate(chunks(read_records(path), batch)):
            write_chunk(target / f"{n:05d}", chunk, *prepare_texts(extractor, [i for i in chunk if isinstance(i, Paper)]))
    except RecordFileError as exc:
        (target / "error").write_text(str(exc).replace(str(path), name))
    (target / "complete").touch()  # last: a half-written shard is never read
    return target


def write_chunk(folder: Path, chunk: list[Item], tables: ExtractionTables, failed: dict[str, str]) -> None:
    """One prepared chunk as Parquet files (`read_shard` reads them back)."""
    folder.mkdir(exist_ok=True)
    papers = [i for i in chunk if isinstance(i, Paper)]
    rows = {
        "papers": [{f: getattr(p, f) for f in _PAPER_FIELDS} | {"authors": [dataclasses.asdict(a) for a in p.authors]}
                   for p in papers],
        "deletions": [dataclasses.asdict(i) for i in chunk if isinstance(i, Deletion)],
        "quarantined": [dataclasses.asdict(i) for i in chunk if isinstance(i, Quarantined)],
        "failed": [{"text_hash": th, "reason": r} for th, r in failed.items()],
    }
    for name, schema in _SHARD_SCHEMAS.items():
        pq.write_table(pa.Table.from_pylist(rows[name], schema=schema), folder / f"{name}.parquet")
    for name in ("done", "mentions", "entities"):
        pq.write_table(getattr(tables, name), folder / f"{name}.parquet")
    (folder / "version").write_text(tables.extractor_version)


def read_shard(target: Path) -> Iterator[Prepared]:
    """The prepared chunks of a complete shard folder, in file order; RecordFileError when the
    file could not be read."""
    if (target / "error").exists():
        raise RecordFileError((target / "error").read_text())
    for folder in sorted(p for p in target.iterdir() if p.is_dir()):
        t = {name: pq.read_table(folder / f"{name}.parquet") for name in (*_SHARD_SCHEMAS, "done", "mentions", "entities")}
        items: list[Item] = [_paper(r) for r in t["papers"].to_pylist()]
        items += [Deletion(**r) for r in t["deletions"].to_pylist()]
        items += [Quarantined(**r) for r in t["quarantined"].to_pylist()]
        tables = ExtractionTables(t["done"], t["mentions"], t["entities"], (folder / "version").read_text())
        yield Prepared(items, tables, dict(zip(t["failed"].column("text_hash").to_pylist(),
                                               t["failed"].column("reason").to_pylist())))


def _paper(row: dict) -> Paper:
    row["authors"] = [Author(**a) for a in row["authors"] or []]
    for name in ("publication_types", "mesh_terms", "keywords"):
        row[name] = row[name] or []
    return Paper(**row)
