"""Europe PMC REST search (`resultType=core`, cursorMark paging)."""

from __future__ import annotations

from collections.abc import Iterator

from litmine.parse.epmc import iter_epmc
from litmine.record import Paper, Quarantined
from litmine.sources.http import HttpClient, parse_json



class EuropePMC:
    def __init__(self, base_url: str, **http) -> None:
        # Europe PMC publishes no hard limit; stay polite
        self.http = HttpClient(base_url, name="europepmc", rate=5.0, **http)

    def search(self, query: str, *, page_size: int = 100, max_records: int | None = None
               ) -> Iterator[list[Paper | Quarantined]]:
        cursor, seen = "*", 0
        while True:
            page = self.http.call("GET", "search", parse_json,
                                  params={"query": query, "resultType": "core", "format": "json",
                                          "pageSize": page_size, "cursorMark": cursor},
                                  describe=f"europepmc search {query!r} cursor {cursor}")
            results = (page.get("resultList") or {}).get("result") or []
            if max_records is not None:
                results = results[: max_records - seen]
            seen += len(results)
            yield list(iter_epmc(results, f"europepmc search {query!r}", seen - len(results) + 1))
            nxt = page.get("nextCursorMark")
            if not results or not nxt or nxt == cursor or (max_records is not None and seen >= max_records):
                return
            cursor = nxt
