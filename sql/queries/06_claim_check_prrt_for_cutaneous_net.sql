-- Claim check: "PRRT has never been described for cutaneous NET metastases".
-- Papers reporting a neuroendocrine tumor (or a subtype) with skin metastases treated with
-- radionuclide therapy (PRRT or a Lu-177 / Y-90 somatostatin-analog agent), earliest first.
SELECT DISTINCT cf.pub_date, cf.paper_id, cf.tumor_type, cf.metastatic_site, cf.treatment
FROM case_facts cf
JOIN concept_ancestor ta ON ta.concept_id = cf.tumor_type_id
JOIN concept tc ON tc.concept_id = ta.ancestor_id
JOIN concept_ancestor sa ON sa.concept_id = cf.metastatic_site_id
JOIN concept sc ON sc.concept_id = sa.ancestor_id
WHERE tc.label = 'neuroendocrine tumor'
  AND sc.label = 'skin'
  AND (cf.treatment ILIKE '%radionuclide%' OR cf.treatment ILIKE '%177%' OR cf.treatment ILIKE '%dotatate%'
       OR cf.treatment ILIKE '%Y 90%' OR cf.treatment ILIKE '%dotatoc%')
ORDER BY cf.pub_date, cf.paper_id;
