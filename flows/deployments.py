"""The three deployments, served by `litmine serve` (also declared in prefect.yaml)."""

from __future__ import annotations

from prefect import serve

from flows.nightly import nightly_ingest
from flows.reextract import dask_runner, reextract
from flows.topic_search import topic_search
from litmine.settings import get_settings

NIGHTLY_CRON = "0 2 * * *"  # 02:00 UTC


def deployments():
    address = get_settings().litmine_dask_address
    # with a Dask scheduler configured, re-extraction shards run on its workers
    reextract_flow = reextract.with_options(task_runner=dask_runner(address)) if address else reextract
    return [
        nightly_ingest.to_deployment(name="nightly-ingest", cron=NIGHTLY_CRON, tags=["litmine", "nightly"]),
        topic_search.to_deployment(name="topic-search", tags=["litmine"],
                                   parameters={"query": "cutaneous metastasis", "sources": ["pubmed"]}),
        reextract_flow.to_deployment(name="reextract", tags=["litmine"]),
    ]


if __name__ == "__main__":
    serve(*deployments())
