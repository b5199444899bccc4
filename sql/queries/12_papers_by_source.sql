-- Provenance: how many papers each source contributed, and how many were seen by several sources.
SELECT sources, count(*) AS papers
FROM (SELECT paper_id, string_agg(DISTINCT source, '+' ORDER BY source) AS sources
      FROM source_record GROUP BY paper_id)
GROUP BY sources
ORDER BY papers DESC;
