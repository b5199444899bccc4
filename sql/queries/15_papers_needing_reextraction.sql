-- Papers whose stored facts come from another extractor version than the latest run's.
SELECT e.extractor_version, count(*) AS papers
FROM extraction e
GROUP BY ALL
ORDER BY papers DESC;
