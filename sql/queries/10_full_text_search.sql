-- Full-text search (BM25) over titles and abstracts, with the extracted facts of each hit.
-- Needs the FTS extension, which `litmine sql` and `litmine shell` load.
SET VARIABLE q = 'cutaneous metastasis neuroendocrine';
SELECT p.paper_id, round(fts_main_paper.match_bm25(p.paper_id, getvariable('q')), 3) AS score, p.title,
       (SELECT string_agg(DISTINCT label, '; ') FROM entity e WHERE e.paper_id = p.paper_id) AS facts
FROM papers p
WHERE score IS NOT NULL
ORDER BY score DESC
LIMIT 20;
