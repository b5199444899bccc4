-- Case reports per publication year, and how many have extracted metastasis facts.
SELECT p.pub_year,
       count(*) FILTER (p.is_case_report) AS case_reports,
       count(*) AS papers,
       count(DISTINCT e.paper_id) AS with_metastatic_sites
FROM papers p
LEFT JOIN entity e ON e.paper_id = p.paper_id AND e.category = 'metastatic_site'
GROUP BY p.pub_year
ORDER BY p.pub_year;
