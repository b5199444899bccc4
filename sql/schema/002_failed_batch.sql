-- Fetches that failed for good: kept so the next run retries them (never silently dropped).
CREATE TABLE failed_batch (
    batch_id    VARCHAR PRIMARY KEY,   -- hash of source + request
    source      VARCHAR,               -- pubmed | s2 | epmc
    request     VARCHAR,               -- JSON: what to ask again (PMIDs, or query + page cursor); no secrets
    error       VARCHAR,
    run_id      VARCHAR,               -- run that first failed it
    failed_at   TIMESTAMP,
    attempts    INTEGER,
    resolved_at TIMESTAMP,             -- set when a later run fetched it
    resolved_run VARCHAR
);
