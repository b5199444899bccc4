-- Stable analyst views (documented in docs/schema.md). Re-created on every migrate.

CREATE OR REPLACE VIEW papers AS
SELECT paper_id, pmid, doi, pmcid, title, abstract, journal, pub_year, pub_date, language,
       publication_types, is_case_report, mesh_terms, keywords, primary_source, updated_at
FROM paper;

-- One row per paper, category and concept: the reported patient's facts.
CREATE OR REPLACE VIEW paper_entities AS
SELECT e.paper_id, p.pmid, p.doi, p.title, e.category, e.concept_id, e.label
FROM entity e JOIN paper p USING (paper_id);
