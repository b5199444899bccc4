-- How often a site is mentioned as the patient's versus as background (e.g. "RCC usually spreads to lung").
SELECT c.label AS site, m.role, count(*) AS mentions, count(DISTINCT m.paper_id) AS papers
FROM mention m JOIN concept c USING (concept_id)
WHERE m.category = 'anatomy'
GROUP BY ALL
ORDER BY mentions DESC, site, m.role
LIMIT 50;
