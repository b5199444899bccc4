"""NCBI E-utilities: esearch (with history) and efetch of PubMed records.

A query with more than 9,999 hits cannot be paged past record 9,999, so it is split by
date ranges until every part fits, and a single day with more hits than that by PMID ranges
(`term AND lo:hi[uid]`). Records are fetched in batches through the
search history (POST); a batch whose PMIDs do not all come back is completed by an efetch of
the missing PMIDs. Limits: 3 requests/s without an API key, 10 with one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from lxml import etree

from litmine.parse.pubmed import parse_pubmed_bytes
from litmine.record import Deletion, Paper, Quarantined
from litmine.sources.http import FetchError, HttpClient

log = logging.getLogger(__name__)
MAX_PAGEABLE = 9999
MAX_PMID = 99_999_999  # PMIDs stay below this for years (about 41 million in 2026)
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


@dataclass
class SearchResult:
    count: int
    ids: list[str] = field(default_factory=list)
    webenv: str | None = None
    query_key: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Batch:
    """One efetch: what it asked for (PMIDs, for a later retry) and what came back."""

    ids: list[str]
    items: list[Paper | Deletion | Quarantined]


def parse_esearch(content: bytes) -> SearchResult:
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"esearch: malformed XML ({exc})") from exc
    if root.tag == "ERROR" or root.find("ERROR") is not None:
        message = root.text if root.tag == "ERROR" else root.findtext("ERROR")
        raise FetchError(f"esearch error: {message}")
    if root.tag != "eSearchResult" or root.find("Count") is None:
        raise ValueError(f"esearch: unexpected document <{root.tag}>")
    return SearchResult(
        count=int(root.findtext("Count") or 0),
        ids=[i.text for i in root.iterfind("IdList/Id") if i.text],
        webenv=root.findtext("WebEnv"),
        query_key=root.findtext("QueryKey"),
        errors=[f"{e.tag}: {e.text}" for e in root.iterfind("ErrorList/*")],
        warnings=[w.text or "" for w in root.iterfind("WarningList/*")],
    )


def parse_efetch(content: bytes) -> list[Paper | Deletion | Quarantined]:
    head = content[:2000].lstrip()
    if b"<PubmedArticleSet" not in head and b"<PubmedArticle" not in head:
        if b"<ERROR>" in content[:2000]:
            raise FetchError(f"efetch error: {content[:300]!r}")
        raise ValueError("efetch: not a PubmedArticleSet")
    return parse_pubmed_bytes(content, name="efetch")


class EUtils:
    def __init__(self, base_url: str, *, api_key: str | None = None, email: str | None = None,
                 tool: str = "litmine", batch: int = 200, **http) -> None:
        self.http = HttpClient(base_url, name="ncbi-eutils", rate=10 if api_key else 3, secrets=[api_key], **http)
        self.batch = batch
        self._identity = {k: v for k, v in {"tool": tool, "email": email}.items() if v}
        self._secret = {"api_key": api_key} if api_key else {}

    def esearch(self, term: str, *, mindate: date | None = None, maxdate: date | None = None, retmax: int = 0,
                datetype: str = "pdat", usehistory: bool = False) -> SearchResult:
        form = {"db": "pubmed", "term": term, "retmax": retmax, **self._identity}
        if usehistory:
            form["usehistory"] = "y"
        if mindate or maxdate:
            form |= {"datetype": datetype, "mindate": (mindate or date(1800, 1, 1)).strftime("%Y/%m/%d"),
                     "maxdate": (maxdate or date.today()).strftime("%Y/%m/%d")}
        r = self.http.call("POST", "esearch.fcgi", parse_esearch, data=form, secret=self._secret,
                           describe=f"esearch {term!r} {form.get('mindate', '')}-{form.get('maxdate', '')}")
        for e in r.errors:
            log.warning("esearch %r: %s", term, e)
        return r

    def efetch_ids(self, ids: list[str]) -> list[Paper | Deletion | Quarantined]:
        form = {"db": "pubmed", "id": ",".join(ids), "retmode": "xml", **self._identity}
        return self.http.call("POST", "efetch.fcgi", parse_efetch, data=form, secret=self._secret,
                              describe=f"efetch {len(ids)} PMIDs {ids[0]}..{ids[-1]}")

    def efetch_history(self, webenv: str, query_key: str, retstart: int, retmax: int) -> list:
        form = {"db": "pubmed", "WebEnv": webenv, "query_key": query_key, "retstart": retstart, "retmax": retmax,
                "retmode": "xml", **self._identity}
        return self.http.call("POST", "efetch.fcgi", parse_efetch, data=form, secret=self._secret,
                              describe=f"efetch history retstart={retstart} retmax={retmax}")

    def parts(self, term: str, since: date | None, until: date | None,
              datetype: str = "pdat") -> Iterator[tuple[str, date | None, date | None, int]]:
        """(term, since, until, hits) parts of a query, each with <= 9,999 hits: the date range is
        bisected; a single day that still has more is cut by PMID ranges."""
        count = self.esearch(term, mindate=since, maxdate=until, datetype=datetype).count
        if count <= MAX_PAGEABLE:
            if count:
                yield term, since, until, count
            return
        lo, hi = since or date(1800, 1, 1), until or date.today()
        if lo >= hi:
            yield from self._pmid_parts(term, lo, datetype, 1, MAX_PMID, count)
            return
        mid = lo + (hi - lo) // 2
        yield from self.parts(term, lo, mid, datetype)
        yield from self.parts(term, mid + timedelta(days=1), hi, datetype)

    def _pmid_parts(self, term: str, day: date, datetype: str, first: int, last: int,
                    count: int | None = None) -> Iterator[tuple[str, date, date, int]]:
        part = f"({term}) AND {first}:{last}[uid]"
        if count is None:
            count = self.esearch(part, mindate=day, maxdate=day, datetype=datetype).count
        if count <= MAX_PAGEABLE or first >= last:
            if count:
                yield part, day, day, count
            return
        mid = (first + last) // 2
        yield from self._pmid_parts(term, day, datetype, first, mid)
        yield from self._pmid_parts(term, day, datetype, mid + 1, last)

    def search(self, term: str, *, since: date | None = None, until: date | None = None, max_records: int | None = None,
               datetype: str = "pdat") -> Iterator[Batch | FetchError]:
        """Every hit of a query, in efetch batches. A batch that fails for good is yielded as a
        FetchError carrying its PMIDs (`.ids`), so the caller can record it and go on."""
        remaining = max_records
        for part, lo, hi, _ in self.parts(term, since, until, datetype):
            r = self.esearch(part, mindate=lo, maxdate=hi, datetype=datetype, usehistory=True,
                             retmax=min(MAX_PAGEABLE, remaining if remaining is not None else MAX_PAGEABLE))
            ids = r.ids[:remaining] if remaining is not None else r.ids
            for start in range(0, len(ids), self.batch):
                want = ids[start:start + self.batch]
                try:
                    items = self.efetch_history(r.webenv, r.query_key, start, len(want)) if r.webenv \
                        else self.efetch_ids(want)
                    got = {i.pmid for i in items if isinstance(i, Paper)}
                    missing = [p for p in want if p not in got]
                    if missing:  # history can lag or drop records: fetch those by PMID
                        items += self.efetch_ids(missing)
                    yield Batch(want, items)
                except FetchError as exc:
                    exc.ids = want  # type: ignore[attr-defined]
                    yield exc
            if remaining is not None:
                remaining -= len(ids)
                if remaining <= 0:
                    return
