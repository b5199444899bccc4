-- Reported metastatic sites per tumor type.
SELECT tumor_type, metastatic_site, count(DISTINCT paper_id) AS papers
FROM case_facts
WHERE metastatic_site IS NOT NULL
GROUP BY ALL
ORDER BY tumor_type, papers DESC, metastatic_site;
