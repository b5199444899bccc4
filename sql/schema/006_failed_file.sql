-- Bulk files that failed to load, by name and content. A file found again in a folder or
-- listing with the same MD5 is skipped (the nightly moves on); named on its own, or changed,
-- it is tried again. A file that loads leaves this table.
CREATE TABLE failed_file (
    name      VARCHAR PRIMARY KEY,
    md5       VARCHAR,
    reason    VARCHAR,
    attempts  INTEGER,
    run_id    VARCHAR,
    failed_at TIMESTAMP
);
