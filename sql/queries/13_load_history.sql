-- Load history: what each run added, updated, deleted and quarantined.
SELECT run_id, command, status, started_at, finished_at - started_at AS duration,
       papers_added, papers_updated, papers_deleted, quarantined, extractor_version, message
FROM load_run
ORDER BY started_at DESC;
