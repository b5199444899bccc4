"""topic_search: one researcher-triggered search (the flow behind `litmine search`)."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.tasks import report, search_topic


@flow(name="topic-search", log_prints=True)
def topic_search(query: str, sources: list[str] = ["pubmed"], since: date | None = None,  # noqa: B006
                 until: date | None = None, max_records: int | None = None, db: str | None = None) -> dict:
    """Fetch a topic from the chosen sources, extract case facts and load them."""
    result = search_topic(query, sources, since, until, db, max_records)
    return {**result, "report": report(f"Topic search: {query}", {query: result}, key="topic-search", db=db)}
