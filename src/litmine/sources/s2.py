"""Semantic Scholar Graph API: bulk search with token paging, and batch lookup (<= 500 ids).

Limit: 1 request/s (with or without a key); the key travels in the x-api-key header only."""

from __future__ import annotations

from collections.abc import Iterator

from litmine.parse.s2 import iter_s2
from litmine.record import Paper, Quarantined
from litmine.sources.http import FetchError, HttpClient, parse_json

FIELDS = "paperId,externalIds,title,abstract,venue,journal,year,publicationDate,publicationTypes,authors,citationCount"
BATCH_MAX = 500


class SemanticScholar:
    def __init__(self, base_url: str, *, api_key: str | None = None, **http) -> None:
        self.http = HttpClient(base_url, name="semantic-scholar", rate=1.0,
                               headers={"x-api-key": api_key} if api_key else None, secrets=[api_key], **http)

    def search_bulk(self, query: str, *, publication_dates: str | None = None, max_records: int | None = None,
                    fields: str = FIELDS) -> Iterator[list[Paper | Quarantined]]:
        """Pages of a bulk search (`publication_dates` like '2020-01-01:2024-12-31')."""
        token, seen = None, 0
        while True:
            params = {"query": query, "fields": fields}
            if publication_dates:
                params["publicationDateOrYear"] = publication_dates
            if token:
                params["token"] = token
            page = self.http.call("GET", "paper/search/bulk", parse_json, params=params,
                                  describe=f"s2 bulk search {query!r} page {seen}")
            data = page.get("data") or []
            if max_records is not None:
                data = data[: max_records - seen]
            seen += len(data)
            yield list(iter_s2(data, f"s2 search {query!r}"))
            token = page.get("token")
            if not token or not data or (max_records is not None and seen >= max_records):
                return

    def batch(self, ids: list[str], fields: str = FIELDS) -> list[Paper | Quarantined | None]:
        """One answer per id, in order (ids: S2 ids, 'PMID:…', 'DOI:…', 'PMCID:…', 'CorpusId:…'): the
        paper, a quarantined entry, or None where Semantic Scholar does not know the id."""
        out: list[Paper | Quarantined | None] = []
        for start in range(0, len(ids), BATCH_MAX):
            chunk = ids[start:start + BATCH_MAX]
            docs = self.http.call("POST", "paper/batch", parse_json, params={"fields": fields}, json_body={"ids": chunk},
                                  describe=f"s2 batch {len(chunk)} ids")
            if not isinstance(docs, list) or len(docs) != len(chunk):
                raise FetchError(f"s2 batch: expected a list of {len(chunk)} answers, got "
                                 f"{len(docs) if isinstance(docs, list) else type(docs).__name__}")
            out.extend(None if doc is None else next(iter_s2([doc], f"s2 batch {chunk[i]}"))
                       for i, doc in enumerate(docs))
        return out
