-- Treatments received per tumor type (any metastatic site).
SELECT tumor_type, treatment, count(DISTINCT paper_id) AS papers
FROM case_facts
WHERE treatment IS NOT NULL
GROUP BY ALL
ORDER BY tumor_type, papers DESC, treatment;
