-- How were patients with scalp metastases treated (per tumor type)?
SET VARIABLE site = 'scalp';
SELECT tumor_type, treatment, count(DISTINCT paper_id) AS papers
FROM case_facts
WHERE metastatic_site = getvariable('site') AND treatment IS NOT NULL
GROUP BY ALL
ORDER BY tumor_type, papers DESC, treatment;
