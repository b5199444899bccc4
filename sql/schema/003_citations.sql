-- Citation counts, and which papers were looked up in Semantic Scholar for enrichment.
ALTER TABLE paper ADD COLUMN citation_count INTEGER;   -- the latest count a source reported

CREATE TABLE enrichment (
    paper_id   VARCHAR,
    source     VARCHAR,                -- s2
    checked_at TIMESTAMP,
    found      BOOLEAN,                -- false: the source does not know the paper (asked again after the refresh period)
    PRIMARY KEY (paper_id, source)
);
