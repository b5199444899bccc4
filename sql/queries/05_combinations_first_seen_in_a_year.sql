-- Which tumor x site x treatment combinations appear for the first time in a given year?
SET VARIABLE year = 2024;
SELECT tumor_type, metastatic_site, treatment, first_pub_date, first_paper_id
FROM novelty
WHERE CAST(left(first_pub_date, 4) AS INTEGER) = getvariable('year')
ORDER BY tumor_type, metastatic_site, treatment;
