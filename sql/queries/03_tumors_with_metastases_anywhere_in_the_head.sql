-- Roll-up: tumors with metastases anywhere in the head (scalp, temple, orbit, skull... count too).
SET VARIABLE region = 'head';
SELECT t.label AS tumor_type, r.site AS stated_site, count(DISTINCT r.paper_id) AS papers
FROM metastatic_site_rollup r
JOIN entity t ON t.paper_id = r.paper_id AND t.category = 'tumor_type'
WHERE r.rollup_label = getvariable('region')
GROUP BY ALL
ORDER BY papers DESC, tumor_type, stated_site;
