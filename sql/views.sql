-- Stable analyst views (documented in docs/schema.md). Re-created on every migrate.

CREATE OR REPLACE VIEW papers AS
SELECT paper_id, pmid, doi, pmcid, title, abstract, journal, pub_year, pub_date, epub_date, language,
       publication_types, is_case_report, mesh_terms, keywords, primary_source, updated_at, citation_count
FROM paper;

-- One row per paper, category and concept: the reported patient's facts.
CREATE OR REPLACE VIEW paper_entities AS
SELECT e.paper_id, p.pmid, p.doi, p.title, e.category, e.concept_id, e.label
FROM entity e JOIN paper p USING (paper_id);

-- The reported cases as rows: paper x tumor type x primary site x metastatic site x treatment.
-- A paper with no primary site, metastatic site or treatment keeps NULL in that column.
CREATE OR REPLACE VIEW case_facts AS
SELECT p.paper_id, p.pmid, p.doi, p.pub_year,
       coalesce(p.pub_date, CAST(p.pub_year AS VARCHAR)) AS pub_date,
       t.concept_id  AS tumor_type_id,      t.label  AS tumor_type,
       ps.concept_id AS primary_site_id,    ps.label AS primary_site,
       ms.concept_id AS metastatic_site_id, ms.label AS metastatic_site,
       tx.concept_id AS treatment_id,       tx.label AS treatment
FROM paper p
JOIN entity t       ON t.paper_id  = p.paper_id AND t.category  = 'tumor_type'
LEFT JOIN entity ps ON ps.paper_id = p.paper_id AND ps.category = 'primary_site'
LEFT JOIN entity ms ON ms.paper_id = p.paper_id AND ms.category = 'metastatic_site'
LEFT JOIN entity tx ON tx.paper_id = p.paper_id AND tx.category = 'treatment';

-- Metastatic sites rolled up the anatomy hierarchy (is_a and part_of): one row per stated site
-- and each of its ancestors, so "WHERE rollup_label = 'head'" also finds scalp and temple.
CREATE OR REPLACE VIEW metastatic_site_rollup AS
SELECT e.paper_id, e.concept_id AS site_id, e.label AS site,
       a.ancestor_id AS rollup_id, c.label AS rollup_label, a.distance
FROM entity e
JOIN concept_ancestor a ON a.concept_id = e.concept_id
JOIN concept c ON c.concept_id = a.ancestor_id
WHERE e.category = 'metastatic_site';

-- For each tumor type x metastatic site x treatment combination: when and where it was first reported.
CREATE OR REPLACE VIEW novelty AS
SELECT tumor_type_id, tumor_type, metastatic_site_id, metastatic_site, treatment_id, treatment,
       min(pub_date)                     AS first_pub_date,
       arg_min(paper_id, pub_date)       AS first_paper_id,
       count(DISTINCT paper_id)          AS papers
FROM case_facts
WHERE metastatic_site_id IS NOT NULL AND treatment_id IS NOT NULL
GROUP BY ALL;

-- DOIs carried by several PubMed records (errata, duplicates, corrections keep their original's
-- DOI under PMIDs of their own): each PMID stays its own paper; this view shows which share one.
CREATE OR REPLACE VIEW doi_shared_by_pmids AS
SELECT doi, list(pmid ORDER BY pmid) AS pmids, list(paper_id ORDER BY pmid) AS paper_ids
FROM paper
WHERE doi IS NOT NULL AND pmid IS NOT NULL
GROUP BY doi
HAVING count(*) > 1;
