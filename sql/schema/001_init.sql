-- litmine warehouse, schema version 1. Applied once by litmine.store.db.migrate().
-- Tables hold normalized rows; analysts query the views in sql/views.sql.

CREATE TABLE paper (
    paper_id          VARCHAR PRIMARY KEY,   -- 'pmid:123', else 'doi:10.x/y', else 'pmcid:PMC1', else 'source:id'
    pmid              VARCHAR,
    doi               VARCHAR,               -- lower-case, no URL prefix
    pmcid             VARCHAR,
    title             VARCHAR NOT NULL,
    abstract          VARCHAR,
    journal           VARCHAR,
    pub_date          VARCHAR,               -- ISO date, possibly partial ('2015-10', '2015')
    pub_year          INTEGER,
    language          VARCHAR,
    vernacular_title  VARCHAR,
    publication_types VARCHAR[],
    is_case_report    BOOLEAN,
    mesh_terms        VARCHAR[],
    keywords          VARCHAR[],
    pmid_version      INTEGER,
    primary_source    VARCHAR,               -- the source whose fields won the merge
    text_hash         VARCHAR,               -- hash of title + abstract: the extraction input
    updated_at        TIMESTAMP
);

CREATE TABLE author (
    paper_id        VARCHAR,
    position        INTEGER,                 -- 1-based, in publication order
    last_name       VARCHAR,
    fore_name       VARCHAR,
    initials        VARCHAR,
    collective_name VARCHAR,
    PRIMARY KEY (paper_id, position)
);

CREATE TABLE source_record (                 -- provenance: one row per record seen per source
    source     VARCHAR,                      -- pubmed | s2 | epmc | seed
    source_id  VARCHAR,
    paper_id   VARCHAR NOT NULL,
    raw_hash   VARCHAR NOT NULL,             -- sha256 of the raw record: same hash, nothing to do
    fetched_at TIMESTAMP,
    run_id     VARCHAR,
    PRIMARY KEY (source, source_id)
);

CREATE TABLE concept (
    concept_id VARCHAR PRIMARY KEY,          -- UBERON:…, MONDO:…, DB…, MESH:D…, LITMINE:…
    category   VARCHAR,                      -- anatomy | tumor | treatment
    label      VARCHAR,
    xrefs      VARCHAR[]                     -- ONCOTREE:…, NCIT:…, MESH:…
);

CREATE TABLE concept_ancestor (              -- reflexive-transitive closure of is_a / part_of
    concept_id  VARCHAR,
    ancestor_id VARCHAR,
    distance    INTEGER,
    PRIMARY KEY (concept_id, ancestor_id)
);

CREATE TABLE mention (
    paper_id          VARCHAR,
    section           VARCHAR,               -- title | abstract
    start_char        INTEGER,               -- offsets within that section
    end_char          INTEGER,
    text              VARCHAR,
    category          VARCHAR,               -- anatomy | tumor | treatment
    concept_id        VARCHAR,
    role              VARCHAR,               -- title | patient | background | recommendation
    negated           BOOLEAN,
    hedged            BOOLEAN,
    planned           BOOLEAN,
    relation          VARCHAR,               -- tumor_type | primary_site | metastatic_site | received | NULL
    extractor_version VARCHAR
);

CREATE TABLE entity (                        -- document-level facts about the reported patient
    paper_id          VARCHAR,
    category          VARCHAR,               -- tumor_type | primary_site | metastatic_site | treatment
    concept_id        VARCHAR,
    label             VARCHAR,
    mentions          VARCHAR[],
    extractor_version VARCHAR,
    PRIMARY KEY (paper_id, category, concept_id)
);

CREATE TABLE extraction (                    -- which extractor version produced a paper's rows
    paper_id          VARCHAR PRIMARY KEY,
    extractor_version VARCHAR,
    text_hash         VARCHAR,
    extracted_at      TIMESTAMP
);

CREATE TABLE quarantine (                    -- records that could not be loaded, with the reason
    input    VARCHAR,
    position INTEGER,
    reason   VARCHAR,
    raw      VARCHAR,
    run_id   VARCHAR,
    quarantined_at TIMESTAMP
);

CREATE TABLE deletion (                      -- PubMed DeleteCitation entries applied
    pmid       VARCHAR,
    paper_id   VARCHAR,
    run_id     VARCHAR,
    deleted_at TIMESTAMP
);

CREATE TABLE load_run (
    run_id         VARCHAR PRIMARY KEY,
    command        VARCHAR,
    started_at     TIMESTAMP,
    finished_at    TIMESTAMP,
    status         VARCHAR,                  -- ok | failed
    papers_added   INTEGER,
    papers_updated INTEGER,
    papers_deleted INTEGER,
    quarantined    INTEGER,
    extractor_version VARCHAR,
    message        VARCHAR
);

CREATE TABLE ingested_file (                 -- bulk files already loaded, by name and content
    name      VARCHAR PRIMARY KEY,
    md5       VARCHAR,
    records   INTEGER,
    run_id    VARCHAR,
    loaded_at TIMESTAMP
);

CREATE TABLE meta (                          -- small key/value facts, e.g. the loaded lexicon version
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
