-- Which primary tumors have been reported metastasizing to the scalp, and how often?
SET VARIABLE site = 'scalp';
SELECT tumor_type, count(DISTINCT paper_id) AS papers, min(pub_year) AS first_year, max(pub_year) AS last_year
FROM case_facts
WHERE metastatic_site = getvariable('site')
GROUP BY tumor_type
ORDER BY papers DESC, tumor_type;
