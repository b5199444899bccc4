"""Topic searches: fetch from the sources, extract, load; failed batches kept for retry.

`run_search` is what `litmine search` and the `topic_search` flow call. Each fetched batch is
loaded in its own transaction, so a crash loses at most the batch in flight and a re-run
skips what is already stored (raw hashes). A batch that still fails after the client's
retries is written to `failed_batch` and tried again at the start of the next search.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from litmine.extract.pipeline import Extractor
from litmine.ingest import RunSummary, load_items, writer_run
from litmine.record import Deletion, Paper, Quarantined
from litmine.settings import Settings, get_settings
from litmine.sources.epmc import EuropePMC
from litmine.sources.eutils import EUtils
from litmine.sources.http import FetchError
from litmine.sources.s2 import SemanticScholar

SOURCES = ("pubmed", "s2", "epmc")
Items = list[Paper | Deletion | Quarantined]


@dataclass
class Clients:
    pubmed: EUtils
    s2: SemanticScholar
    epmc: EuropePMC

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **http) -> Clients:
        s = settings or get_settings()
        secret = lambda v: v.get_secret_value() if v else None  # noqa: E731
        return cls(
            pubmed=EUtils(s.litmine_eutils_url, api_key=secret(s.ncbi_api_key), email=s.ncbi_email, **http),
            s2=SemanticScholar(s.litmine_s2_url, api_key=secret(s.s2_api_key), **http),
            epmc=EuropePMC(s.litmine_epmc_url, **http),
        )


def run_search(query: str, db: Path, *, sources: Iterable[str] = ("pubmed",), since: date | None = None,
               until: date | None = None, max_records: int | None = None, extractor: Extractor | None = None,
               clients: Clients | None = None, command: str = "search", datetype: str = "pdat",
               on_batch: Callable[[str, int], None] | None = None, publish: bool = True) -> RunSummary:
    """`datetype` picks PubMed's date field: "pdat" (publication) or "edat" (added to PubMed,
    what an incremental nightly run wants)."""
    sources = list(sources)
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown source(s): {', '.join(sorted(unknown))} (choose from {', '.join(SOURCES)})")
    extractor = extractor or Extractor.load()
    clients = clients or Clients.from_settings()
    with writer_run(db, command, extractor, publish=publish) as (con, summary):
        retry_failed_batches(con, clients, summary, extractor)
        for source in sources:
            for result in _fetch(clients, source, query, since, until, max_records, datetype):
                if isinstance(result, FetchError):
                    _record_failure(con, source, result, summary.run_id)
                    summary.failed_batches += 1
                    continue
                con.execute("BEGIN")
                load_items(con, result, summary, extractor)
                con.execute("COMMIT")
                if on_batch:
                    on_batch(source, len(result))
    return summary


def _fetch(clients: Clients, source: str, query: str, since: date | None, until: date | None,
           max_records: int | None, datetype: str = "pdat") -> Iterator[Items | FetchError]:
    try:
        if source == "pubmed":  # a failed efetch batch comes as a FetchError naming its PMIDs
            for batch in clients.pubmed.search(query, since=since, until=until, max_records=max_records,
                                               datetype=datetype):
                yield batch if isinstance(batch, FetchError) else batch.items
        elif source == "s2":
            dates = f"{since or ''}:{until or ''}" if since or until else None
            yield from clients.s2.search_bulk(query, publication_dates=dates, max_records=max_records)
        else:
            yield from clients.epmc.search(_epmc_query(query, since, until), max_records=max_records)
    except FetchError as exc:  # a search request failed for good: the rest of it waits for the next run
        exc.request = {"kind": f"{source}_search", "query": query, "since": str(since or ""),  # type: ignore[attr-defined]
                       "until": str(until or ""), "max_records": max_records, "datetype": datetype}
        yield exc


def _epmc_query(query: str, since: date | None, until: date | None) -> str:
    if not (since or until):
        return query
    return f"({query}) AND FIRST_PDATE:[{since or '1800-01-01'} TO {until or date.today()}]"


def _record_failure(con, source: str, exc: FetchError, run_id: str) -> None:
    request = getattr(exc, "request", None) or {"kind": "efetch_ids", "ids": getattr(exc, "ids", [])}
    body = json.dumps(request, sort_keys=True)
    batch_id = hashlib.sha256(f"{source}|{body}".encode()).hexdigest()[:16]
    con.execute(
        "INSERT INTO failed_batch VALUES (?, ?, ?, ?, ?, now(), 1, NULL, NULL) ON CONFLICT (batch_id) DO UPDATE "
        "SET attempts = failed_batch.attempts + 1, error = excluded.error, resolved_at = NULL",
        [batch_id, source, body, str(exc), run_id])


def retry_failed_batches(con, clients: Clients, summary: RunSummary, extractor: Extractor | None) -> None:
    """Fetch again what earlier runs could not; resolved batches are marked, failures counted."""
    for batch_id, source, body in con.execute(
            "SELECT batch_id, source, request FROM failed_batch WHERE resolved_at IS NULL ORDER BY failed_at").fetchall():
        request = json.loads(body)
        try:
            if request["kind"] == "efetch_ids":
                pages: Iterable[Items] = [clients.pubmed.efetch_ids(request["ids"])]
            else:
                since = date.fromisoformat(request["since"]) if request.get("since") else None
                until = date.fromisoformat(request["until"]) if request.get("until") else None
                pages = list(_fetch(clients, source, request["query"], since, until, request.get("max_records"),
                                    request.get("datetype", "pdat")))
                if any(isinstance(p, FetchError) for p in pages):
                    raise next(p for p in pages if isinstance(p, FetchError))
            con.execute("BEGIN")
            for items in pages:
                load_items(con, items, summary, extractor)
            con.execute("UPDATE failed_batch SET resolved_at = now(), resolved_run = ? WHERE batch_id = ?",
                        [summary.run_id, batch_id])
            con.execute("COMMIT")
            summary.retried_batches += 1
        except FetchError as exc:
            con.execute("UPDATE failed_batch SET attempts = attempts + 1, error = ? WHERE batch_id = ?",
                        [str(exc), batch_id])
