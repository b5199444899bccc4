"""The four deployments, served by `litmine serve` (also declared in prefect.yaml)."""

from __future__ import annotations

from prefect import serve

from flows.backfill import backfill
from flows.nightly import nightly_ingest
from flows.reextract import reextract
from flows.topic_search import topic_search

NIGHTLY_CRON = "0 2 * * *"  # 02:00 UTC


def deployments():
    return [
        nightly_ingest.to_deployment(name="nightly-ingest", cron=NIGHTLY_CRON, tags=["litmine", "nightly"]),
        topic_search.to_deployment(name="topic-search", tags=["litmine"],
                                   parameters={"query": "cutaneous metastasis", "sources": ["pubmed"]}),
        reextract.to_deployment(name="reextract", tags=["litmine"]),
        backfill.to_deployment(name="backfill", tags=["litmine"],
                               parameters={"sources": ["https://ftp.ncbi.nlm.nih.gov/pubmed/baseline/"]}),
    ]


if __name__ == "__main__":
    serve(*deployments())
