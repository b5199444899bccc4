"""Semantic Scholar enrichment of stored papers: external IDs and citation counts.

Papers are looked up by PMID (else DOI) with `/paper/batch`, 500 ids per request at 1 request/s.
An answer joins its paper as one more source record: Semantic Scholar has the lowest merge
priority, so it only fills gaps (a DOI or PMCID the other sources lacked), and it brings the
citation count, where the newest count wins. Every lookup is remembered in `enrichment`, found
or not, so a run asks only for papers never looked up or looked up more than `refresh_days` ago
(citation counts change). A failed request leaves its papers unchecked for the next run.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa

from litmine.extract.pipeline import Extractor
from litmine.ingest import RunSummary, load_items, writer_run
from litmine.record import Paper, normalize_doi
from litmine.search import Clients
from litmine.sources.http import FetchError
from litmine.sources.s2 import BATCH_MAX

log = logging.getLogger(__name__)


def enrich_s2(db: Path, *, refresh_days: int = 30, max_papers: int | None = None, extractor: Extractor | None = None,
              clients: Clients | None = None, publish: bool = True) -> RunSummary:
    extractor = extractor or Extractor.load()
    clients = clients or Clients.from_settings()
    with writer_run(db, "enrich s2", extractor, publish=publish) as (con, summary):
        todo = con.execute(
            """WITH last_s2 AS (  -- when Semantic Scholar last told us about each paper
                   SELECT paper_id, max(seen) AS seen FROM (
                       SELECT paper_id, checked_at AS seen FROM enrichment WHERE source = 's2'
                       UNION ALL SELECT paper_id, fetched_at FROM source_record WHERE source = 's2')
                   GROUP BY paper_id)
               SELECT p.paper_id, p.pmid, p.doi FROM paper p LEFT JOIN last_s2 l USING (paper_id)
               WHERE (p.pmid IS NOT NULL OR p.doi IS NOT NULL) AND (l.seen IS NULL OR l.seen < now() - to_days(?))
               ORDER BY p.paper_id LIMIT ?""", [refresh_days, max_papers]).fetchall()
        for start in range(0, len(todo), BATCH_MAX):
            chunk = todo[start:start + BATCH_MAX]
            try:
                answers = clients.s2.batch([f"PMID:{pmid}" if pmid else f"DOI:{doi}" for _, pmid, doi in chunk])
            except FetchError as exc:  # these papers stay unchecked: the next run asks again
                log.warning("Semantic Scholar lookup of %d papers failed: %s", len(chunk), exc)
                summary.failed_batches += 1
                continue
            found = [_as_lookup_of(answer, pmid, doi) for (_, pmid, doi), answer in zip(chunk, answers)]
            con.execute("BEGIN")
            load_items(con, [a for a in found if a is not None], summary, extractor)
            con.register("_checked", pa.table({"paper_id": [paper_id for paper_id, _, _ in chunk],
                                               "found": [a is not None for a in found]}))
            con.execute("INSERT OR REPLACE INTO enrichment SELECT paper_id, 's2', now(), found FROM _checked")
            con.unregister("_checked")
            con.execute("COMMIT")
    return summary


def _as_lookup_of(answer, pmid: str | None, doi: str | None) -> Paper | None:
    """The answer to a lookup by `pmid` (else `doi`) as a record of that paper, or None.

    Semantic Scholar found it by our id, so it is the same work even where its externalIds lack
    that id; an answer naming another PMID or DOI is not trusted (it would merge two works)."""
    if not isinstance(answer, Paper):
        return None
    if pmid:
        if answer.pmid not in (None, pmid):
            log.warning("Semantic Scholar answered PMID:%s with PMID %s; ignored", pmid, answer.pmid)
            return None
        answer.pmid = pmid
    else:
        if answer.doi not in (None, normalize_doi(doi)):
            log.warning("Semantic Scholar answered DOI:%s with DOI %s; ignored", doi, answer.doi)
            return None
        answer.doi = normalize_doi(doi)
    return answer
