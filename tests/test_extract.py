"""Extraction on real text: the seed abstract and sentences taken from case reports."""

import pytest
import spacy

from litmine.parse import read_records

from conftest import FIXTURES


def labels(items):
    return {i.label for i in items}


def test_seed_paper_patient_facts_not_background(extractor):
    (paper,) = read_records(FIXTURES / "seed_000_60f76852bb3d8491.txt")
    r = extractor.extract(paper.title, paper.abstract)
    assert labels(r.tumor_types) == {"neuroendocrine tumor"}
    assert {"177Lu-DOTATATE", "lanreotide", "surgical excision"} <= labels(r.treatments)
    sites = labels(r.metastatic_sites)
    assert {"skin", "scalp", "face", "temple"} <= sites
    # "NETs are known to frequently metastasize to lymph nodes, liver, and lungs" is background
    assert not sites & {"liver", "lung", "lymph node"}
    assert r.primary_sites == []


def test_abbreviation_takes_the_concept_of_its_long_form(extractor):
    r = extractor.extract("", "Peptide receptor radionuclide therapy (PRRT) was given for his metastatic "
                              "neuroendocrine tumor. PRRT was well tolerated.")
    (prrt,) = [i for i in r.treatments if i.label == "peptide receptor radionuclide therapy"]
    assert "PRRT" in prrt.mentions


def test_negated_treatment_is_not_received(extractor):
    r = extractor.extract("Oligometastatic nasopharyngeal carcinoma treated with radiotherapy alone",
                          "A 45-year-old man with nasopharyngeal carcinoma developed a lung metastasis. "
                          "He had received no chemotherapy. The metastasis was treated with radiotherapy.")
    assert labels(r.treatments) == {"radiotherapy"}
    assert labels(r.tumor_types) == {"nasopharyngeal carcinoma"}
    assert labels(r.primary_sites) == {"nasopharynx"}
    assert labels(r.metastatic_sites) == {"lung"}


def test_planned_treatment_is_not_received(extractor):
    r = extractor.extract("Non-umbilical cutaneous metastasis of a pancreatic adenocarcinoma",
                          "A 70-year-old woman presented with a cutaneous nodule of the back. "
                          "A Whipple procedure was planned.")
    assert "pancreaticoduodenectomy" not in labels(r.treatments)
    assert labels(r.primary_sites) == {"pancreas"}


def test_no_tumor_no_case_facts(extractor):
    r = extractor.extract("Patients over 75 years admitted to a burn centre",
                          "Tangential excision and skin grafting were performed in 68 patients.")
    assert r.tumor_types == [] and r.treatments == [] and r.metastatic_sites == []


def test_mentions_carry_offsets_into_their_section(extractor):
    title, abstract = "Orbital metastasis of breast cancer", "She received tamoxifen."
    r = extractor.extract(title, abstract)
    for m in r.mentions:
        text = title if m.section == "title" else abstract
        assert text[m.start:m.end] == m.text
    assert {m.relation for m in r.mentions} >= {"metastatic_site", "tumor_type", "received"}


def test_sites_listed_with_a_metastatic_site_are_metastatic(extractor):
    r = extractor.extract("", "A 66-year-old man with cholangiocarcinoma developed cutaneous metastases on the scalp, "
                              "face, neck, chest wall, abdomen, upper limb and back.")
    # "back" is 14 tokens from "metastases": only the list carries it
    assert {"skin", "scalp", "face", "chest wall", "back"} <= labels(r.metastatic_sites)


@pytest.mark.parametrize("title, abstract, sites", [
    ("Tibial metastasis of cervical carcinoma",
     "A 43-year-old woman had a tibial tumor with right knee pain. An MRI of the pelvis was performed.", {"tibia"}),
    # the context before a mention ends with the space before it: "examination of the " + "brain"
    ("Scalp metastasis of breast cancer", "Ultrasonography of the liver and examination of the brain were "
     "performed, and the scalp metastasis was excised.", {"scalp"}),
])
def test_symptom_and_imaging_sites_are_not_metastatic(extractor, title, abstract, sites):
    assert labels(extractor.extract(title, abstract).metastatic_sites) == sites


def test_generic_surgery_naming_a_specific_procedure_is_that_procedure(extractor):
    r = extractor.extract("Curative resection by splenectomy for a splenic metastasis of gastric cancer",
                          "The patient had been thyroidectomized for a goitre.")
    assert {"splenectomy", "thyroidectomy"} <= labels(r.treatments)
    assert "surgical excision" not in labels(r.treatments)


def test_tracer_uptake_is_not_treatment(extractor):
    r = extractor.extract("", "A 61-year-old woman with pheochromocytoma had nodal metastases that incorporated MIBG. "
                              "She received 131I-MIBG therapy.")
    assert labels(r.treatments) == {"131I-MIBG therapy"}


# Sentences from an abstract of umbilical and vaginal metastases of endometrial cancer
# (Eur J Gynaecol Oncol 2012), as published.
UMBILICAL = ("Introduction: Metastases from primary endometrial cancer to the umbilicus are extremely rare. This "
             "unusual site of metastases has been described as Sister Joseph's nodule.\n"
             "Material And Method: We present a case of a 73-year-old Caucasian woman with umbilical and vaginal "
             "metastasis of endometroid endometrial adenocarcinoma (FIGO Stage IIIa, G2). Total abdominal "
             "hysterectomy and bilateral salpingo-oophorectomy by Pfannenstiel dissection, had been performed eight "
             "months before. The size of the umbilical mass was 2 x 2 cm. A second laparotomy including full "
             "recession of the umbilical ring, omentectomy, bilateral inguinal lymph nodes and excision of the upper "
             "one-third of the vagina was performed.")


def test_a_materials_and_methods_section_of_a_case_report_is_the_case(extractor):
    r = extractor.extract("Umbilical metastasis from endometrial cancer", UMBILICAL)
    assert "hysterectomy" in labels(r.treatments)  # was read as background under "Material And Method"
    assert "bilateral salpingo-oophorectomy" in {m for t in r.treatments for m in t.mentions}


def test_surgery_named_after_an_organ_is_a_treatment_even_outside_the_lexicon(extractor):
    r = extractor.extract("Umbilical metastasis from endometrial cancer", UMBILICAL)
    assert "omentectomy" in labels(r.treatments)
    r = extractor.extract("", "A 60-year-old man with metastatic colon cancer to the cecum underwent laparoscopic "
                              "ileocecectomy.")
    assert "ileocecectomy" in labels(r.treatments)


def test_a_site_before_a_specific_procedure_names_the_procedure_not_a_metastasis(extractor):
    r = extractor.extract("", "A 45-year-old woman with breast cancer and scalp metastasis underwent mastectomy "
                              "and axillary dissection.")
    assert "axillary dissection" in labels(r.treatments)
    assert "axilla" not in labels(r.metastatic_sites) and "scalp" in labels(r.metastatic_sites)


def test_a_site_named_by_its_adjective(extractor):
    r = extractor.extract("Solitary patellar metastasis from breast cancer",
                          "A 47-year-old woman presented with patellar pain 6 years after breast cancer surgery.")
    assert "patella" in labels(r.metastatic_sites)


def test_an_operation_or_an_injection_alone_is_not_a_treatment(extractor):
    r = extractor.extract("Scalp metastasis of renal cell carcinoma",
                          "The operation was uneventful and the wound healed after a local injection.")
    assert labels(r.treatments) == set()
    r = extractor.extract("Scalp metastasis of renal cell carcinoma", "He underwent surgery of the scalp lesion.")
    assert labels(r.treatments) == {"surgical excision"}


def test_a_route_a_symptom_a_complication_or_an_invasion_is_not_a_metastatic_site(extractor):
    # sentences of case reports in the development sets, as published
    r = extractor.extract("Cardiac metastasis of hepatocellular carcinoma",
                          "Radiation therapy was performed for the cardiac metastasis, and oral lenvatinib 8 mg/day "
                          "was started.")
    assert "oral cavity" not in labels(r.metastatic_sites) and "lenvatinib" in labels(r.treatments)
    r = extractor.extract("Cervical metastasis of breast cancer",
                          "Because of massive vaginal bleeding requiring multiple blood transfusions, she underwent "
                          "hysterectomy.")
    assert "vagina" not in labels(r.metastatic_sites)
    r = extractor.extract("", "A 53-year-old man presented with spinal cord compression due to a metastatic deposit "
                              "of an undiagnosed follicular thyroid carcinoma in the thoracic vertebra.")
    assert "spinal cord" not in labels(r.metastatic_sites)
    r = extractor.extract("Gallbladder metastasis of renal cell carcinoma",
                          "Pathology confirmed a metastasis of the renal cell carcinoma that had infiltrated the "
                          "shallow subserosa but had mainly grown into cavity of the gallbladder.")
    assert "subserosa" not in labels(r.metastatic_sites)


def test_infiltration_of_an_organ_by_metastasis_is_a_site_invading_a_neighbour_is_not(extractor):
    r = extractor.extract("Acute Appendicitis Due to Metastasis of Prostatic Adenocarcinoma",
                          "Histopathological examinations of the specimen showed an extrinsic infiltration of the "
                          "appendix by adenocarcinoma metastasis expressing the prostate-specific antigen.")
    assert "appendix" in labels(r.metastatic_sites)


def test_a_site_later_identified_as_the_primary_is_the_primary_site(extractor):
    r = extractor.extract("Metastatic Tumour to the Mandible",
                          "A 68-year-old male patient was treated by a right segmental mandibulectomy for a secondary "
                          "metastatic tumour. Positron emission tomography scan revealed a suspicious lesion in the "
                          "right lung, which was identified as the primary tumour by biopsy.")
    assert labels(r.primary_sites) == {"right lung"} and not labels(r.metastatic_sites) & {"lung", "right lung"}


def test_a_drug_name_with_a_romance_ending_is_the_drug(extractor):
    r = extractor.extract("Uterine metastasis of lobular breast carcinoma",
                          "She had left breast conserving surgery, chemotherapy, radiation, and hormonal therapy "
                          "(gosereline and tamoxifen).")
    assert {"goserelin", "tamoxifen"} <= labels(r.treatments)


# From a case report of a breast metastasis of melanoma (dev2), as published.
MIMIC_TITLE = "Breast metastasis from cutaneous malignant melanoma mimicking a breast cancer"
MIMIC = ("We present the case of a 42-year-old woman with a history of cutaneous melanoma of the shoulder excised 21 "
         "years ago. She presented with a palpable lump in the upper outer quadrant of the right breast. A core biopsy "
         "was taken and first histology reported a poorly differentiated primary breast cancer suspected to be triple "
         "negative. Staging computed tomography detected widespread metastases to the lungs, brain, subcutaneous left "
         "shoulder, liver, pancreas, and hepatorenal recess.")


def test_what_a_metastasis_mimics_is_not_the_tumor_type(extractor):
    r = extractor.extract(MIMIC_TITLE, MIMIC)
    assert labels(r.tumor_types) == {"cutaneous melanoma"} and "breast" in labels(r.metastatic_sites)


def test_the_primary_site_links_a_list_of_metastatic_sites_without_being_one(extractor):
    r = extractor.extract(MIMIC_TITLE, MIMIC)
    assert {"lung", "brain", "liver", "pancreas"} <= labels(r.metastatic_sites)
    text = MIMIC.replace("subcutaneous left shoulder", "skin")  # the primary organ (melanoma: skin) in the list
    r = extractor.extract(MIMIC_TITLE, text)
    assert {"lung", "brain", "liver", "pancreas"} <= labels(r.metastatic_sites)


@pytest.mark.parametrize("ascii_text, typeset", [
    ("Merkel's cell carcinoma metastatic to the scalp", "Merkel\u2019s cell carcinoma metastatic to the scalp"),
    ("Scalp metastasis of non-small cell lung cancer", "Scalp metastasis of non\u2011small cell lung cancer"),
    ("Scalp metastasis of non-small cell lung cancer", "Scalp metastasis of non\u2013small cell lung cancer"),
    ("Scalp metastasis of renal cell carcinoma", "Scalp metastasis of renal\u00a0cell carcinoma"),
])
def test_typeset_punctuation_reads_as_its_ascii_form(extractor, ascii_text, typeset):
    """Publishers' apostrophes, hyphens and spaces: a name must not fall back to its last word.
    The replacement keeps every character's offset, so evidence offsets still point into the text."""
    plain, fancy = extractor.extract(ascii_text, ""), extractor.extract(typeset, "")
    assert labels(fancy.tumor_types) == labels(plain.tumor_types) != set()
    assert labels(fancy.metastatic_sites) == labels(plain.metastatic_sites)
    assert [(m.start, m.end) for m in fancy.mentions] == [(m.start, m.end) for m in plain.mentions]


def test_currently_available_treatment_plans_are_not_the_patients_treatments(extractor):
    # from a case report of a cardiac metastasis of uterine leiomyosarcoma (dev2), as published
    r = extractor.extract("Cardiac metastasis of a uterine leiomyosarcoma",
                          "Here, we report a case of a 74-year-old female who was diagnosed with ULMS-derived cardiac "
                          "metastasis. Currently available treatment plans for cardiac metastasis involve a "
                          "combination of medications such as mesna, doxorubicin, ifosfamide, and dacarbazine; "
                          "radiation to the cardiac muscle; and resection of the mass.")
    assert labels(r.treatments) == set()
    assert "heart" in labels(r.metastatic_sites)


def test_a_suspected_tumor_of_a_site_is_not_the_primary_the_text_names_later(extractor):
    # from a case report of a mandibular metastasis (dev2), as published
    r = extractor.extract("Metastatic Tumour to the Mandible - A Diagnostic and Management Dilemma",
                          "In this case report, we present a 68-year-old male patient with a suspected intraosseous "
                          "malignancy of the mandible who was treated by a right segmental mandibulectomy. The final "
                          "histopathology report was indicative of a secondary metastatic tumour. Positron emission "
                          "tomography scan revealed a suspicious lesion in the right lung, which was identified as "
                          "the primary tumour by biopsy.")
    assert labels(r.primary_sites) == {"right lung"}
    assert "mandible" in labels(r.metastatic_sites)
    assert labels(r.tumor_types) == {"lung cancer"}  # its type unnamed: the cancer of the organ it arose in


@pytest.mark.parametrize("sentence, treatment", [
    ("He underwent a right hepatic lobectomy for hepatocellular carcinoma.", "hepatic lobectomy"),
    ("She underwent a right upper lobectomy for lung adenocarcinoma.", "lobectomy"),
    ("She underwent a right lobectomy for papillary thyroid carcinoma.", "lobectomy"),  # no pneumonectomy
    ("She underwent left lateral segmentectomy for hepatocellular carcinoma.", "segmentectomy"),  # no mastectomy
])
def test_a_lobectomy_is_the_lobe_of_the_organ_named_before_it(extractor, sentence, treatment):
    r = extractor.extract("Cardiac metastasis of hepatocellular carcinoma", sentence)
    assert labels(r.treatments) == {treatment}


def test_a_site_or_treatment_after_non_is_denied(extractor):
    r = extractor.extract("Non-umbilical cutaneous metastasis of a pancreatic adenocarcinoma",
                          "A 70-year-old man with pancreatic adenocarcinoma developed a skin nodule of the chest wall; "
                          "he received non-surgical treatment with gemcitabine.")
    assert "umbilicus" not in labels(r.metastatic_sites) and "skin" in labels(r.metastatic_sites)
    assert labels(r.treatments) == {"gemcitabine"}


def test_an_mri_sequence_or_a_tumor_stage_is_no_vertebra(extractor):
    r = extractor.extract("Metastatic follicular thyroid carcinoma",
                          "The lesion was T2 hyperintense and T1 hypointense; the primary tumor was staged T3 N1.")
    assert not {"thoracic vertebra"} & labels(r.metastatic_sites)


def test_sites_listed_by_adjective_in_the_title(extractor):
    r = extractor.extract("Renal cell carcinoma with cutaneous, brain and gastrointestinal metastases: a case report",
                          "A 60-year-old man presented with a scalp nodule.")
    assert {"skin", "brain", "gastrointestinal tract"} <= labels(r.metastatic_sites)


def test_a_site_tumor_presenting_as_a_named_cancer_is_where_it_spread(extractor):
    r = extractor.extract("Intramedullary spinal cord tumor presenting as the initial manifestation of metastatic "
                          "colon cancer", "A 60-year-old man presented with paraparesis. Colonoscopy revealed a "
                          "sigmoid adenocarcinoma.")
    assert labels(r.tumor_types) == {"colon cancer"} and labels(r.primary_sites) == {"colon"}
    assert labels(r.metastatic_sites) == {"spinal cord"}


def test_a_metachronous_site_tumor_is_a_tumor_of_its_own(extractor):
    r = extractor.extract("Metachronous brain tumor in a patient with metastatic castration resistant prostate cancer",
                          "A 70-year-old man with prostate cancer had bone metastases.")
    assert [t for t in labels(r.tumor_types) if "prostate" in t]
    assert "brain" not in labels(r.metastatic_sites)


@pytest.mark.parametrize("sentence, treatments", [
    ("She received radioactive iodine after total thyroidectomy.", {"radioiodine therapy", "total thyroidectomy"}),
    ("He was treated with I-131.", {"radioiodine therapy"}),
    ("Radioiodine (131I) ablation was given.", {"radioiodine therapy"}),  # the ablation is how it was given
    ("A 131I whole-body scan showed uptake in the lung.", set()),  # a scan, not a treatment
    ("The patient was assessed for radioactive iodine treatment.", set()),  # assessed, not given
])
def test_radioiodine_in_its_wordings(extractor, sentence, treatments):
    r = extractor.extract("Skull metastasis of follicular thyroid carcinoma", sentence)
    assert labels(r.treatments) == treatments


def test_coordinated_site_adjectives_share_the_head(extractor):
    r = extractor.extract("Thyroid metastasis of lung adenocarcinoma",
                          "She had metastases in the right supraclavicular and axillary lymph nodes.")
    assert {"supraclavicular lymph node", "axillary lymph node"} <= labels(r.metastatic_sites)


def test_the_pipelines_tokenizer_splits_as_spacys_english_tokenizer(extractor, real_abstracts):
    """Its shortcuts (a word of letters is one token) change speed, not tokens."""
    ours, spacys = extractor.nlp.tokenizer, spacy.blank("en").tokenizer
    texts = [*real_abstracts, "He cannot say ABCs, e.g. 5mg q.d. (gonna) well-differentiated T2-weighted U.S.A. isn't"]
    for text in texts:
        assert [t.text for t in ours(text)] == [t.text for t in spacys(text)], text[:80]


GASTRIC = "Gluteal muscle metastasis from gastric cancer"
CORD = "Metastatic follicular thyroid carcinoma presenting as cord compression"
CARCINOMA = "Metastases of a carcinoma"


@pytest.mark.parametrize("title, abstract, category, expected", [
    # treatments named by mechanism, regimen code or eponym
    (GASTRIC, "The patient was treated with anti-androgen therapy along with abiraterone and docetaxel.",
     "treatments", {"antiandrogen therapy"}),
    (GASTRIC, "S-1 plus docetaxel therapy was administered as postoperative adjuvant chemotherapy.", "treatments",
     {"S-1"}),
    (GASTRIC, "She received an aromatase inhibitor after mastectomy.", "treatments", {"aromatase inhibitor"}),
    (GASTRIC, "He was started on an LHRH agonist.", "treatments", {"GnRH agonist"}),
    (GASTRIC, "The sigmoid colon tumor received Hartmann procedure after CT scan.", "treatments",
     {"Hartmann procedure"}),
    (GASTRIC, "Enucleation was performed for symptom control.", "treatments", {"enucleation"}),
    # a spinal level names its vertebra
    (CORD, "He underwent surgery for cord compression, with histology of the lesion at the level of T5 identifying "
     "metastatic FTC.", "metastatic_sites", {"thoracic vertebra"}),
    (CORD,
     "MRI showed a metastasis to L3 with an epidural component.", "metastatic_sites", {"lumbar vertebra"}),
    # MeSH's entry terms of a drug, trade names among them
    (CARCINOMA,
     "A 58-year-old man with a gastric GIST received Gleevec, then Sutent; a second patient with breast cancer "
     "had received Adriamycin and Zoladex.", "treatments", {"imatinib", "sunitinib", "doxorubicin", "goserelin"}),
    # regimens by their acronym
    (CARCINOMA,
     "A 61-year-old woman with rectal adenocarcinoma received six cycles of XELOX, then FOLFIRI after progression.",
     "treatments", {"CAPOX", "FOLFIRI"}),
    # radiopharmaceuticals by isotope, drug classes by target
    (CARCINOMA,
     "A 72-year-old man with prostate adenocarcinoma and bone metastases received radium-223 and strontium-89, "
     "and later SIRT for liver metastases and an EGFR-TKI.", "treatments",
     {"radium-223", "strontium-89", "embolization", "tyrosine kinase inhibitor"}),
    # radiopharmaceuticals with the isotope spelled out; drug classes by their target
    (CARCINOMA, "A 55-year-old man with a pancreatic neuroendocrine tumor received lutetium-177 DOTATATE; a second "
     "patient with breast cancer received a CDK4/6 inhibitor.", "treatments", {"177Lu-DOTATATE", "CDK4/6 inhibitor"}),
    # ablation by its energy, the rectal operations by their names
    (CARCINOMA,
     "A 66-year-old man with rectal adenocarcinoma underwent low anterior resection, then microwave ablation and "
     "RF ablation of liver metastases.", "treatments",
     {"anterior resection", "microwave ablation", "radiofrequency ablation"}),
    # UBERON's four-letter labels fall under the short-synonym rule; the clinical ones are curated
    (CARCINOMA,
     "A 70-year-old man with lung adenocarcinoma developed metastases to the left ulna, the right heel, the calf "
     "and the pons.", "metastatic_sites", {"ulna", "heel", "calf", "pons"}),
    # a plural in -ies is the noun in -y
    (CARCINOMA, "A 59-year-old woman with gastric carcinoma had metastatic deposits in both ovaries.",
     "metastatic_sites", {"ovary"}),
    # a site by its adjective; a positional adjective names its region
    (CARCINOMA,
     "A 66-year-old woman with ovarian carcinoma developed a subungual metastasis of the thumb.",
     "metastatic_sites", {"nail", "thumb"}),
    (CARCINOMA,
     "A 59-year-old man with renal cell carcinoma developed submandibular and retroperitoneal metastases "
     "and an axillary metastasis.", "metastatic_sites",
     {"submandibular region", "retroperitoneal space", "axilla"}),
])
def test_names_are_found_as_their_concepts(extractor, title, abstract, category, expected):
    assert expected <= labels(getattr(extractor.extract(title, abstract), category))


def test_a_misspelled_drug_is_the_drug_and_another_drug_near_it_is_not(extractor):
    r = extractor.extract("Skin metastasis of breast cancer",
                          "A 49-year-old woman with breast carcinoma received pacitaxel and later tomoxifen. "
                          "Methoxamine was given for hypotension during surgery.")
    assert {"paclitaxel", "tamoxifen"} <= labels(r.treatments)
    assert "methoxyamine" not in labels(r.treatments)


def test_a_list_of_sites_goes_on_in_time(extractor):
    r = extractor.extract("Metastases of renal cell carcinoma",
                          "A 64-year-old woman with renal cell carcinoma developed metastases to the lungs, "
                          "and later to the pancreas, and subsequently in the thyroid gland.")
    assert {"lung", "pancreas", "thyroid gland"} <= labels(r.metastatic_sites)


@pytest.mark.parametrize("sentence", [
    "Sorafenib has been shown to improve survival in such cases.",
    "Cases treated with sorafenib achieved durable responses.",
    "Most patients were treated with sorafenib.",
])
def test_evidence_and_population_sentences_are_not_the_patients_treatment(extractor, sentence):
    r = extractor.extract("Scalp metastasis of renal cell carcinoma",
                          "A 55-year-old man with renal cell carcinoma presented with a scalp metastasis, which "
                          "was excised. " + sentence)
    assert "sorafenib" not in labels(r.treatments)


def test_a_numbered_or_counted_series_is_still_the_patients(extractor):
    for sentence in ("Patients 1 and 2 received sorafenib.", "Both patients received sorafenib."):
        r = extractor.extract("Scalp metastases of renal cell carcinoma",
                              "Two men with renal cell carcinoma presented with scalp metastases. " + sentence)
        assert "sorafenib" in labels(r.treatments), sentence


def test_a_procedure_keeps_its_wording_with_side_extent_and_organ(extractor):
    r = extractor.extract("Pancreatic metastasis of papillary thyroid carcinoma",
                          "A 52-year-old woman with papillary thyroid carcinoma underwent left lobectomy; "
                          "a pancreatic metastasis was treated by partial resection of the pancreas.")
    worded = {m for t in r.treatments for m in t.mentions}
    assert {"left lobectomy", "partial resection of the pancreas"} <= worded
    assert {"lobectomy", "resection"} <= worded  # the mentions themselves stay


@pytest.mark.parametrize("tumor, primary", [
    ("adrenocortical carcinoma", {"adrenal cortex"}),  # named in the type's own name (MONDO: a kind of RCC too)
    ("alveolar soft part sarcoma of the thigh", {"thigh"}),  # a histologic pattern is no place
    ("osteosarcoma of the tibia", {"bone", "tibia"}),  # a structure within the implied tissue
    ("hepatocellular carcinoma of the right lobe of the liver", {"liver"}),  # a part named after the organ
    ("a carcinoid tumor confined to the kidney", {"kidney"}),  # where it was confined is where it arose
    ("a neuroendocrine (carcinoid) tumor limited to the ileum", {"ileum"}),
    ("Merkel cell carcinoma of the cheek", {"skin", "cheek"}),  # a skin tumor's place is a body region
])
def test_the_primary_site_from_the_type_and_the_text(extractor, tumor, primary):
    r = extractor.extract("", f"A 50-year-old patient with {tumor} developed a metastasis to the skin of the back.")
    assert labels(r.primary_sites) == primary


def test_a_brand_name_is_a_proper_noun_and_a_substance_level_a_measurement(extractor):
    r = extractor.extract("Skin metastasis of parathyroid carcinoma",
                          "A 45-year-old woman had a parathyroid hormone level of 286 pg/mL. The choice of "
                          "treatment was surgery; she later received Xeloda and, as a second brand, Choice.")
    assert "warfarin" in labels(r.treatments)  # "Choice", the brand, as written
    assert {m for t in r.treatments for m in t.mentions} >= {"Xeloda", "Choice"}
    assert "choice" not in {m for t in r.treatments for m in t.mentions}  # the word
    assert "teriparatide" not in labels(r.treatments)  # a hormone's level was measured, not given


def test_a_denied_metastasis_makes_no_site_metastatic(extractor):
    r = extractor.extract("Brain metastasis of a granular cell tumor of the bronchus",
                          "A 12 cm bronchial mass was found; the liver showed no signs of metastases and the "
                          "lungs were without any evidence of metastatic spread. "
                          "Two years later a metastasis to the brain was resected.")
    assert labels(r.metastatic_sites) == {"brain"}


def test_an_organ_named_before_a_resection_says_which_procedure(extractor):
    r = extractor.extract("Skin metastasis of gastric carcinoma",
                          "Distal gastrectomy with D2 lymph node resection was performed; a rib resection "
                          "followed for a rib metastasis.")
    assert "lymphadenectomy" in labels(r.treatments)  # "lymph node resection" is a lymph node dissection
    worded = {m for t in r.treatments for m in t.mentions}
    assert {"D2 lymph node resection", "rib resection"} <= worded  # with the extent (D2) before


def test_a_site_said_to_be_the_primary_after_it_is_the_primary(extractor):
    r = extractor.extract("Scalp metastasis of an adenocarcinoma",
                          "A 60-year-old man presented with a scalp nodule. Biopsy showed metastatic adenocarcinoma. "
                          "CT revealed a mass in the right lung, consistent with the primary tumor.")
    assert labels(r.primary_sites) == {"right lung"} and labels(r.metastatic_sites) == {"scalp"}


@pytest.mark.parametrize("sentence, sites", [
    ("Head computed tomography revealed a large metastasis in the left frontal lobe.", {"left frontal lobe"}),
    ("Bone scintigraphy showed metastases to the spine.", {"spine"}),
    ("Brain MRI showed multiple metastases.", {"brain"}),  # the imaged organ is the site when no other is named
])
def test_an_imaged_region_is_a_site_only_when_no_site_in_it_is_named(extractor, sentence, sites):
    r = extractor.extract("Metastases of breast carcinoma", "A 50-year-old woman had breast carcinoma. " + sentence)
    assert labels(r.metastatic_sites) == sites


def test_a_precursor_lesion_is_not_the_tumor_that_spread(extractor):
    r = extractor.extract("", "A 42-year-old woman presented with a breast lump. Core biopsies of the lump showed ductal "
                              "carcinoma in situ. A biopsy of an axillary lymph node revealed metastatic ductal "
                              "adenocarcinoma; CT showed metastases in the liver.")
    assert r.tumor_types and "in situ" not in r.tumor_types[0].label


@pytest.mark.parametrize("sentence", [
    "An 18F fluorodeoxyglucose positron emission tomography showed uptake in the liver.",
    "Fluorine-18-fluorodeoxyglucose (FDG) positron emission tomography/computed tomography revealed metastases.",
])
def test_a_tracer_of_a_spelled_out_scan_is_no_treatment(extractor, sentence):
    r = extractor.extract("Liver metastasis of breast carcinoma", "A woman with breast carcinoma. " + sentence)
    assert not r.treatments


@pytest.mark.parametrize("tumor, label, primary", [
    # named in the ontologies only with the one organ they arise in ("of the thyroid", "of the pancreas"): curated
    ("Hurthle cell carcinoma", "Hurthle cell carcinoma", {"thyroid gland"}),
    ("solid pseudopapillary neoplasm", "solid pseudopapillary neoplasm", {"pancreas"}),
    # "neoplasia" as "neoplasm"
    ("gestational trophoblastic neoplasia", "gestational trophoblastic neoplasm", set()),
    # a letter with a diacritic is the letter
    ("Hürthle cell carcinoma", "Hurthle cell carcinoma", {"thyroid gland"}),
    ("malignant mixed Mullerian tumor of the uterus", "uterine carcinosarcoma", {"uterus"}),
])
def test_a_tumor_named_without_its_only_organ_is_found(extractor, tumor, label, primary):
    r = extractor.extract("", f"A 35-year-old woman with {tumor} developed a metastasis to the scalp.")
    assert labels(r.tumor_types) == {label} and primary <= labels(r.primary_sites)


@pytest.mark.parametrize("british, american", [
    ("Wilms tumour", "Wilms tumor"),
    ("oesophageal squamous cell carcinoma", "esophageal squamous cell carcinoma"),
    ("haemangiopericytoma", "hemangiopericytoma"),
    ("paediatric rhabdomyosarcoma", "pediatric rhabdomyosarcoma"),
])
def test_british_spellings_are_the_american_ones(extractor, british, american):
    def tumor(name):
        return labels(extractor.extract("", f"A 40-year-old patient with {name} developed a scalp metastasis.").tumor_types)
    assert tumor(british) == tumor(american) and tumor(american)


@pytest.mark.parametrize("sentence, received", [
    ("The patient died before chemotherapy could be started.", set()),
    ("Surgery was not possible, and she received palliative radiotherapy.", {"radiotherapy"}),
    ("The patient declined surgery and opted for hormonal therapy with anastrozole.", {"anastrozole"}),
    ("She did not receive chemotherapy or radiotherapy.", set()),  # one clause: both denied
])
def test_a_denial_or_a_plan_reaches_the_end_of_its_clause_only(extractor, sentence, received):
    r = extractor.extract("Scalp metastasis of breast carcinoma",
                          "A 61-year-old woman with breast carcinoma developed a scalp metastasis. " + sentence)
    assert labels(r.treatments) - {"hormone therapy"} == received


def test_a_metastasis_of_unnamed_type_traced_to_its_primary_is_reported(extractor):
    r = extractor.extract("Scalp metastasis", "A 61-year-old man presented with a scalp nodule. Workup found the "
                                              "primary in the lung.")
    assert labels(r.metastatic_sites) == {"scalp"} and labels(r.primary_sites) == {"lung"}
    assert labels(r.tumor_types) == {"lung cancer"}


@pytest.mark.parametrize("title, primary, metastatic", [
    ("Metastases to the ovary and breast from gastric signet ring cell carcinoma", {"stomach"}, {"ovary", "breast"}),
    ("Scalp metastasis of a pulmonary carcinoid", {"lung"}, {"scalp"}),
    ("Gingival renal cell carcinoma metastasis", {"kidney"}, {"gingiva"}),  # the metastasis' site
])
def test_an_organ_right_before_a_tumor_type_is_where_it_arose(extractor, title, primary, metastatic):
    r = extractor.extract(title, "We report a 60-year-old patient.")
    assert labels(r.primary_sites) == primary and labels(r.metastatic_sites) == metastatic


def test_what_was_ruled_out_is_not_the_tumor(extractor):
    r = extractor.extract("", "A 62-year-old woman had a uterine tumour. Sampling showed no epithelial elements, thus "
                              "ruling out the more common carcinosarcoma (malignant mixed Müllerian tumour). The "
                              "appearances were those of a primary uterine osteosarcoma with lung metastases.")
    assert labels(r.tumor_types) == {"osteosarcoma"}


def test_a_body_region_is_the_primary_of_the_tumor_it_is_said_of(extractor):
    r = extractor.extract("Lung metastases of an osteosarcoma of the uterus",
                          "A 60-year-old woman, who also had lobular carcinoma of the right breast, developed lung "
                          "metastases of a uterine osteosarcoma.")
    assert labels(r.tumor_types) == {"osteosarcoma"}
    assert "breast" not in labels(r.primary_sites) and "uterus" in labels(r.primary_sites)


def test_a_short_drug_acronym_counts_only_beside_the_drug_named_in_full(extractor):
    r = extractor.extract("Liver metastasis of cholangiocarcinoma",
                          "A 60-year-old man with combined HCC-CC developed DIC; he was treated with MTX.")
    assert not labels(r.treatments) & {"cholecalciferol", "dacarbazine", "methotrexate"}
    r = extractor.extract("Liver metastasis of osteosarcoma",
                          "A 20-year-old man with osteosarcoma received high-dose methotrexate (MTX) and 5-FU.")
    assert {"methotrexate", "fluorouracil"} <= labels(r.treatments)  # defined, or with a digit


def test_a_gene_named_after_a_tumor_and_a_measured_level_are_no_case_facts(extractor):
    r = extractor.extract("MDA5 and coronavirus infection",
                          "Infection activates melanoma differentiation-associated gene 5 (MDA5). Levels of "
                          "interferon gamma in serum were elevated.")
    assert not r.tumor_types and not r.treatments
