-- When was each tumor type x metastatic site x treatment combination first reported, and where?
SELECT n.tumor_type, n.metastatic_site, n.treatment, n.first_pub_date, p.pmid, p.doi, n.papers
FROM novelty n JOIN papers p ON p.paper_id = n.first_paper_id
ORDER BY n.first_pub_date, n.tumor_type, n.metastatic_site, n.treatment;
