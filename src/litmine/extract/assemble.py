"""From annotated mentions to the reported patient's case facts.

Decides, per document: the tumor type that produced the metastases (the most
specific asserted patient tumor), its primary site (stated, or implied by the tumor
type), the metastatic sites (patient anatomy mentions in a metastasis context that
are not the primary site, not invasion, not imaging targets) and the treatments
actually received (patient sentences, not negated, not only planned).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from spacy.tokens import Doc

from litmine.extract.context import Annotated, annotations
from litmine.extract.lexicon import Lexicon, norm_token, term_key
from litmine.extract.tokens import char_span, doc_text, span_text, text_before, token_starts, token_texts

PATIENT_ROLES = ("title", "patient")
# A site is the patient's metastatic site when a metastasis word is near it, or a lesion word
# right next to it ("temple lesion", "mass in the scalp").
_STRONG_CUE = re.compile(r"metasta|spread|deposit|secondar|dissemin|carcinomatosis|implant|seeding", re.I)
_METASTASIS = re.compile(r"metasta", re.I)  # the word itself: "secondary to", "implantation" are not always one
# a metastasis word denied by the words before it: "no distant metastases", "without any signs of spread"
_DENIED = re.compile(r"\b(?:no|without|free of|negative for|absence of|lack of)\s+(?:[a-z]+\s+){0,3}$", re.I)
_WEAK_CUE = re.compile(r"^(?:lesion|mass|nodul|nodule|tumou?r|swelling|foc(?:us|i)|involvement|plaque|papule|"
                       r"growth|recurr\w*|infiltrat\w*|deposit|ulcer\w*)", re.I)
# what may stand between two sites of one list: "scalp, chest wall and back", "skull, facial bone and"
_LIST_GAP = re.compile(r"^(?:\s|,|;|/|and|or|then|as well as|the|left|right|bilateral|upper|lower|both|"
                       r"multiple|proximal|distal)*$"
                       # the list goes on in time: "to the ulna, and later to the liver", "then also in the skin"
                       r"|^\W*(?:and\s+|or\s+)?(?:later|then|subsequently|eventually|finally|also)(?:\s+also)?"
                       r"\s+(?:to|in|into|at)(?:\s+(?:the|both|left|right))*\s*$", re.I)
_PRIMARY_BEFORE = re.compile(
    r"(?:\bprimar(?:y|ies)\b(?: (?:tumou?r|lesion|site|cancer|carcinoma|malignancy|focus|origin))?"
    r"(?: (?:was |is )?(?:of|in|at|from|within|located in|arising in|in the region of))?"
    r"|\b(?:aris\w*|originat\w*|deriv\w*|stemm\w*|emanat\w*)\s+(?:from|in|within|on)"
    r")(?:\s+(?:the|a|an))?(?:\s+(?:left|right|bilateral|upper|lower|proximal|distal|lateral|medial|"
    r"anterior|posterior))*\s*$", re.I)
# "lung primary", "kidney, which was identified as the primary tumour", "liver, the primary site"
_PRIMARY_AFTER = re.compile(r"^\W*(?:(?:which|that)\s+(?:was|were|is|proved)\s+(?:\w+\s+){0,2}?(?:as\s+|to be\s+)?"
                            r"(?:the\s+)?|(?:consistent with|compatible with|representing)\s+(?:an?\s+|the\s+)?|"
                            r"the\s+)?(?:primary|origin)\b", re.I)
_OF_ORIGIN = re.compile(r"\bof\s+(?:\w+\s+)?$", re.I)
# the anatomy is where something was looked at, or a neighbour, or where a symptom is
_NOT_MET_BEFORE = re.compile(
    r"(?:\b(?:ct|mri|pet(?:/ct)?|scan|imaging|ultrasound|ultrasonography|sonography|radiograph\w*|x-ray|"
    r"scintigraph\w*|examination|angiograph\w*|endoscop\w*)\s+(?:scan\s+)?(?:of|over)\s+(?:the\s+)?"
    r"|\b(?:behind|near|adjacent to|anterior to|posterior to|above|below|beneath|around|surrounding|"
    r"compress\w*|invad\w*|invasion of|invasion into|infiltrat(?:e|es|ed|ing)(?: into)?|extend\w* (?:into|to)|"
    r"extension (?:into|to)|abutt\w*|encas\w*|infring\w*|imping\w*)\s+(?:the\s+)?)"
    r"(?:[a-z]+\s+)?(?:(?:left|right|bilateral)\s+)?$", re.I)  # one modifier may stand between: "the shallow subserosa"
# an imaging study of the site before it: "head computed tomography", "bone scan", "brain MRI"
_IMAGED_AFTER = re.compile(r"^\W*(?:computed tomograph\w*|ct|mri|magnetic resonance|x-rays?|radiograph\w*|"
                           r"scintigraph\w*|ultrasound|ultrasonograph\w*|sonograph\w*|pet(?:/ct)?|scans?|imaging)\b",
                           re.I)
# a treatment word that qualifies a disease, names a diagnostic scan or a measured substance
# ("parathyroid hormone level") is not a treatment given
_NOT_TREATMENT_AFTER = re.compile(r"^\W*(?:resistant|refractory|sensitive|naive|na\u00efve|(?:(?:whole|total|full)"
                                  r"[\s-]+body\s+|diagnostic\s+)?(?:scintigraph\w*|scan\w*|imaging)|pet|spect|"
                                  r"(?:\(\w+\)\s*)?(?:positron|single[\s-]photon|emission|computed\s+tomograph)|"
                                  r"uptake|avid|(?:levels?|concentrations?|titers?|titres?)\b)", re.I)
_TRACER_BEFORE = re.compile(r"(?:123I|68Ga|18F|99mTc|111In|124I|64Cu)\W*$|(?:incorporat\w*|accumulat\w*|"
                            r"positive for|negative for|avid for|uptake of|(?:levels?|concentrations?|titers?) of)\s+$",
                            re.I)
# a tumor's name inside the name of a gene, protein or laboratory model is no tumor of the patient
# ("melanoma differentiation-associated gene 5", "melanoma antigen", "breast cancer cell lines")
_NOT_TUMOR_AFTER = re.compile(r"^\W*(?:[\w-]+\W+)?(?:antigens?|genes?|proteins?|cell lines?|xenografts?)\b", re.I)
# "resection by splenectomy", "surgery (radical nephrectomy)": the generic word names the specific one
_NAMES_SPECIFIC = re.compile(r"^\s*(?:by|with|via|through|\(|:|consisting of|in the form of)\s*(?:a |an |the )?$", re.I)
_SPECIFIC_PROCEDURE = re.compile(r"ectomy|otomy|ostomy|dissection|amputation", re.I)
GENERIC_SURGERY = "MESH:D013514"
# tissues found all over the body: where a tumor of them arose is a body region, not a part of them
# ("Merkel cell carcinoma of the cheek": skin + cheek, as "cutaneous metastasis of the scalp")
BODY_WIDE_TISSUES = frozenset({"UBERON:0002097", "UBERON:0001474"})  # skin, bone
# a bare word that says how the treatment right before it is given, not a treatment of its own
_BARE_MODE = frozenset({"ablation", "therapy", "treatment", "injection", "infusion"})
# a procedure as the text words it: its side and extent before, the organ it was done on after
# ("right lobectomy", "partial resection of the liver"): kept with the bare mention's text
_EXTENT_BEFORE = re.compile(r"\b((?:(?:right|left|bilateral|partial|total|subtotal|near-total|radical|complete|"
                            r"extended|wide|distal|proximal|segmental|simple|D[0-3]\+?)\s+)+)$", re.I)
_OF_THE = re.compile(r"^\s*of(?:\s+the)?\s*$", re.I)
_ATTACHED = re.compile(r"^[\s()\[\]]*$")
_METASTATIC_BEFORE = re.compile(r"\b(?:metastatic|secondary|recurrent)\s*$", re.I)
# a symptom or complication of the site, not a metastasis in it ("vaginal bleeding", "spinal cord compression")
_SYMPTOM_AFTER = re.compile(r"^\W*(?:pain|ache|tenderness|numbness|weakness|discomfort|o?edema|paresthesia|bleeding|"
                            r"ha?emorrhage|discharge|compression|obstruction)", re.I)


@dataclass(slots=True)
class Mention:
    section: str  # "title" or "abstract"
    start: int  # character offsets within that section
    end: int
    text: str
    category: str  # anatomy | tumor | treatment
    concept_id: str
    role: str
    negated: bool = False
    hedged: bool = False
    planned: bool = False
    relation: str | None = None  # anatomy: metastatic_site | primary_site; tumor: tumor_type; treatment: received
    sentence_start: int = 0  # character offsets of the sentence read for its role, within the section
    sentence_end: int = 0


@dataclass(slots=True)
class Item:
    concept_id: str
    label: str
    mentions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    tumor_types: list[Item]
    primary_sites: list[Item]
    metastatic_sites: list[Item]
    treatments: list[Item]
    mentions: list[Mention]

    def as_record(self, doc_id: str) -> dict:
        """The `litmine extract` output line."""
        return {"id": doc_id, **{k: [asdict(i) for i in getattr(self, k)]
                                 for k in ("tumor_types", "primary_sites", "metastatic_sites", "treatments")}}


def assemble(doc: Doc, lexicon: Lexicon) -> Extraction:
    """The case facts of a Doc that went through the pipeline, from its `annotations`."""
    spans = annotations(doc)
    title_end = doc.user_data.get("title_end", 0)
    abstract_start = doc.user_data.get("abstract_start", title_end)
    mentions: dict[tuple[int, int, str], Mention] = {}
    for s in spans:
        in_title = s.end_char <= title_end
        offset = 0 if in_title else abstract_start
        sentence_start, sentence_end = char_span(doc, s.sent_start, s.sent_end)
        mentions[(s.start, s.end, s.category)] = Mention(
            section="title" if in_title else "abstract", start=s.start_char - offset, end=s.end_char - offset,
            text=s.text, category=s.category, concept_id=s.concept_id, role=s.role,
            negated=s.negated, hedged=s.hedged, planned=s.planned,
            sentence_start=max(sentence_start - offset, 0), sentence_end=sentence_end - offset)

    def mark(span: Annotated, relation: str) -> None:
        mentions[(span.start, span.end, span.category)].relation = relation

    candidates = _tumor_candidates(doc, spans, lexicon)
    tumor = _pick_tumor(candidates, lexicon)
    if tumor is None and not any(s.role in PATIENT_ROLES and not s.negated and s.category != "treatment"
                                 and _metastasis_word_near(doc, s, _METASTASIS) for s in spans):
        # no reported tumor, not even "a metastatic tumour" or a "scalp metastasis" of unnamed type:
        # sites and treatments would be someone else's story (a bare "tumor" may be benign, and
        # "secondary to" or "valve implantation" are no metastases)
        return Extraction([], [], [], [], sorted(mentions.values(), key=lambda m: (m.section != "title", m.start)))
    tumor_id, chosen = tumor if tumor is not None else (None, [])
    for c in chosen:
        mark(c.span, "tumor_type")

    primary: dict[str, list[str]] = defaultdict(list)
    for site, text in _implied_sites(doc, tumor_id, chosen, lexicon) if tumor_id else ():
        primary[site].append(text)
    anatomy = [s for s in spans if s.category == "anatomy"]
    # "<tumor> of the thigh" names the primary when the tumor type implies none; a structure with a
    # name of its own within the one it implies is stated beside it, as tissue and location are for
    # metastases ("osteosarcoma of the tibia": bone + tibia); a part named after the implied organ
    # ("right lobe of the liver", "left kidney") adds nothing
    implied = set(primary)
    tumor_spans = [c.span for c in candidates]
    for s in anatomy:
        # a hedged site names the primary only when the text calls it that ("a suspicious lesion in the
        # lung, identified as the primary"), not as "<suspected tumor> of the X"
        if s.role not in PATIENT_ROLES or s.negated:
            continue
        if _is_primary_statement(doc, s, []):
            primary[s.concept_id].append(s.text)
            mark(s, "primary_site")
        elif not s.hedged and _is_primary_statement(doc, s, tumor_spans):
            label = lexicon.concepts[s.concept_id].label if s.concept_id in lexicon.concepts else s.text
            within = [p for p in implied if p in lexicon.ancestors(s.concept_id)
                      and lexicon.concepts[p].label not in label]
            if not implied or within or implied & BODY_WIDE_TISSUES and _is_primary_statement(
                    doc, s, [c.span for c in chosen]):  # said of the tumor type itself, not of another
                primary[s.concept_id].append(s.text)
                mark(s, "primary_site")

    if tumor_id is None and len(primary) == 1:
        # a tumor of unnamed type traced to its organ ("the primary tumour" in the right lung) is that
        # organ's cancer, when the lexicon names one
        tumor_id = _organ_cancer(next(iter(primary)), lexicon)

    metastatic: dict[str, list[str]] = defaultdict(list)
    # the primary organ and its parts are never metastatic sites, but they still link a list
    # ("metastases to the lungs, brain, subcutaneous left shoulder, liver and pancreas")
    candidate = [not any(_related(s.concept_id, p, lexicon) for p in primary) for s in anatomy]
    accepted = [_is_metastatic_site(doc, s) for s in anatomy]
    # a site listed with an accepted one shares its status ("on the scalp, chest wall and back")
    changed = True
    while changed:
        changed = False
        for i in range(len(anatomy) - 1):
            a, b = anatomy[i], anatomy[i + 1]
            if accepted[i] != accepted[i + 1] and _listed_together(doc, a, b):
                k = i + 1 if accepted[i] else i
                if _may_be_metastatic(doc, anatomy[k]):
                    accepted[k] = changed = True
    # "head CT revealed a metastasis in the left frontal lobe": the imaged region is where one looked;
    # it is the site only when the sentence names none other ("brain MRI showed metastases")
    for i, s in enumerate(anatomy):
        if accepted[i] and _IMAGED_AFTER.match(span_text(doc, s.end, min(s.sent_end, s.end + 3))) and any(
                accepted[k] and k != i and o.sent_start == s.sent_start for k, o in enumerate(anatomy)):
            accepted[i] = False
    for s, ok, cand in zip(anatomy, accepted, candidate):
        if ok and cand:
            metastatic[s.concept_id].append(s.text)
            mark(s, "metastatic_site")
    # "spinal cord tumor presenting as metastatic colon cancer": the site tumor not chosen is where it spread
    for c in candidates:
        site = _site_and_generic_word(lexicon.concepts[c.concept_id].label, lexicon) if c.concept_id != tumor_id \
            else None
        if site and _spread_there(doc, c.span) and not any(_related(site, p, lexicon) for p in primary):
            metastatic[site].append(c.text)

    received: dict[str, list[str]] = defaultdict(list)
    treatments = [s for s in spans if s.category == "treatment"]
    for k, s in enumerate(treatments):
        # planned-only treatments are left out; a later "was given" mention of the same one counts
        if s.role not in PATIENT_ROLES or s.negated or s.planned:
            continue
        nxt = treatments[k + 1] if k + 1 < len(treatments) else None
        if s.concept_id == GENERIC_SURGERY and nxt is not None and nxt.start - s.end <= 3 and \
                _SPECIFIC_PROCEDURE.search(nxt.text) and _NAMES_SPECIFIC.match(span_text(doc, s.end, nxt.start)):
            continue
        prev = treatments[k - 1] if k else None
        if s.text.lower() in _BARE_MODE and prev is not None and 0 <= s.start - prev.end <= 3 and \
                _ATTACHED.match(span_text(doc, prev.end, s.start)):
            continue  # "radioiodine (131I) ablation": how the treatment before it was given
        if _NOT_TREATMENT_AFTER.match(span_text(doc, s.end, min(s.sent_end, s.end + 5))) or \
                _TRACER_BEFORE.search(text_before(doc, max(s.sent_start, s.start - 3), s.start)):
            continue  # "castration-resistant", "123I-MIBG scintigraphy": a qualifier or a scan
        received[s.concept_id] += _as_worded(doc, s, anatomy)
        mark(s, "received")

    def items(found: dict[str, list[str]]) -> list[Item]:
        return [Item(cid, lexicon.concepts[cid].label if cid in lexicon.concepts else texts[0], _unique(texts))
                for cid, texts in found.items()]

    return Extraction(
        tumor_types=[Item(tumor_id, lexicon.concepts[tumor_id].label,
                          _unique(c.text for c in chosen) or [lexicon.concepts[tumor_id].label])] if tumor_id else [],
        primary_sites=items(primary),
        metastatic_sites=items(metastatic),
        treatments=items(received),
        mentions=sorted(mentions.values(), key=lambda m: (m.section != "title", m.start)),
    )


@dataclass(slots=True)
class _Tumor:
    concept_id: str
    text: str  # surface form; "carcinoma caecum" when an organ completed a generic term
    role: str
    span: Annotated  # the matched tumor mention
    site: str | None = None  # the organ that completed a generic term
    composed: bool = False  # built from a generic word and an organ: weaker than a named tumor type


# Tumor words too unspecific to name a tumor type unless nothing better is said.
GENERIC_TUMORS = {"carcinoma", "adenocarcinoma", "sarcoma", "neoplasm", "cancer", "malignant neoplasm", "tumor",
                  "squamous cell carcinoma", "metastatic neoplasm", "malignant tumor", "neoplasm of body of uterus"}


UNINFORMATIVE_TUMORS = {"neoplasm", "cancer", "tumor", "malignant neoplasm", "malignant tumor"}


def _tumor_candidates(doc: Doc, spans: list[Annotated], lexicon: Lexicon) -> list[_Tumor]:
    by_end = {s.end: s for s in spans if s.category == "anatomy"}
    by_start = {s.start: s for s in spans if s.category == "anatomy"}
    out = []
    for s in spans:
        if s.category != "tumor" or s.negated or s.differential or s.concept_id not in lexicon.concepts or \
                _NOT_TUMOR_AFTER.match(span_text(doc, s.end, min(s.sent_end, s.end + 4))):
            continue
        cid = _non_metastatic(s.concept_id, lexicon)
        cand = _Tumor(cid, s.text, s.role, s)
        label = lexicon.concepts[cid].label
        organ = _adjacent_organ(doc, s, by_end, by_start)
        first = min(s.start, organ.start) if organ is not None else s.start
        # "metastatic cancer of the umbilicus", "metastatic mandibular tumours" name where it spread, not
        # where it arose; a suspected one ("a suspected malignancy of the mandible") says nothing of it
        if s.hedged or _METASTATIC_BEFORE.search(text_before(doc, max(s.sent_start, first - 2), first)):
            organ = None
        if organ is not None and label in GENERIC_TUMORS:  # "carcinoma caecum", "carcinoma of the tongue"
            composed = span_text(doc, first, max(s.end, organ.end))
            specific = _composed_concept(organ, s, lexicon)
            cand = _Tumor(specific or cid, composed, s.role, s, None if specific else organ.concept_id, True)
        elif label in UNINFORMATIVE_TUMORS:
            continue  # a bare "tumor" or "cancer" names no tumor type
        elif organ is not None:
            # a named type and its organ, when the ontology names the pair: "malignant mixed Mullerian
            # tumor of the uterus" is uterine carcinosarcoma
            specific = _composed_concept(organ, s, lexicon)
            if specific is not None and cid in lexicon.ancestors(specific):
                cand = _Tumor(specific, span_text(doc, first, max(s.end, organ.end)), s.role, s)
        out.append(cand)
    return out


def _adjacent_organ(doc: Doc, s: Annotated, by_end: dict[int, Annotated],
                    by_start: dict[int, Annotated]) -> Annotated | None:
    if s.start in by_end:
        return by_end[s.start]
    texts = token_texts(doc)
    for gap in range(0, 3):
        organ = by_start.get(s.end + gap)
        between = texts[s.end:s.end + gap]
        if organ is not None and all(t.lower() in ("of", "the", "in", "left", "right") for t in between):
            return organ
    return None


def _composed_concept(organ: Annotated, generic: Annotated, lexicon: Lexicon) -> str | None:
    label = lexicon.concepts[organ.concept_id].label if organ.concept_id in lexicon.concepts else organ.text
    tumor = lexicon.concepts[generic.concept_id].label if generic.concept_id in lexicon.concepts else generic.text
    for name in (f"{organ.text} {generic.text}", f"{label} {generic.text}", f"{generic.text} of {label}",
                 f"{organ.text} {tumor}", f"{label} {tumor}", f"{tumor} of the {label}"):
        hit = lexicon.terms.get(term_key(name), {}).get("tumor")
        if hit and lexicon.concepts.get(hit) and lexicon.concepts[hit].label not in GENERIC_TUMORS:
            return hit
    return None


def _organ_cancer(site: str, lexicon: Lexicon) -> str | None:
    """"<organ> cancer" of a site or of the nearest site above it that has one (right lung -> lung cancer)."""
    for cid in [site, *lexicon.ancestors_nearest_first(site)]:
        concept = lexicon.concepts.get(cid)
        hit = lexicon.terms.get(term_key(f"{concept.label} cancer"), {}).get("tumor") if concept else None
        if hit in lexicon.concepts:
            return hit
    return None


def _non_metastatic(cid: str, lexicon: Lexicon) -> str:
    """"metastatic prostate carcinoma" is the prostate carcinoma of a patient with metastases."""
    label = lexicon.concepts[cid].label
    if not label.startswith("metastatic "):
        return cid
    base = label.removeprefix("metastatic ")
    parents = [p for p in lexicon.concepts[cid].parents if p in lexicon.concepts]
    return next((p for p in parents if lexicon.concepts[p].label == base), None) or next(
        (p for p in parents if "metastatic" not in lexicon.concepts[p].label), cid)


def _pick_tumor(candidates: list[_Tumor], lexicon: Lexicon) -> tuple[str, list[_Tumor]] | None:
    """The patient's tumor type: the most specific, most asserted one."""
    patient = [c for c in candidates if c.role in PATIENT_ROLES]
    by_concept: dict[str, list[_Tumor]] = defaultdict(list)
    for c in patient or candidates:
        by_concept[c.concept_id].append(c)
    if not by_concept:
        return None
    # a concept whose descendant is also asserted is less specific: fold it into the descendant
    ancestors = {c: lexicon.ancestors(c) for c in by_concept}
    # a precursor lesion ("ductal carcinoma in situ") did not spread: it absorbs no invasive ancestor
    # and yields to any informative other tumor
    precursor = {c for c in by_concept if _PRECURSOR.search(lexicon.concepts[c].label)}
    for c in list(by_concept):
        child = next((o for o in by_concept if o != c and c in ancestors[o] and o not in precursor), None)
        if child is not None:  # the organ of a generic "tibial tumor" says nothing about the child's origin
            by_concept[child].extend(t for t in by_concept.pop(c) if not t.site)

    invasive = any(c not in precursor and lexicon.concepts[c].label not in UNINFORMATIVE_TUMORS for c in by_concept)

    def score(item: tuple[str, list[_Tumor]]) -> tuple:
        # a named specific tumor type beats one composed from "tumor" + organ ("tibial tumor" is
        # often the metastasis), which beats a generic word alone
        cid, cs = item
        label = lexicon.concepts[cid].label
        site_only = _site_and_generic_word(label, lexicon) is not None  # "spinal cord neoplasm": named, yet a place
        named = any(not c.composed for c in cs) and label not in GENERIC_TUMORS and not site_only
        return (cid not in precursor or not invasive, named, site_only or any(c.composed for c in cs),
                any(c.role == "title" for c in cs), len(cs), len(label.split()))

    return max(by_concept.items(), key=score)


def _site_and_generic_word(label: str, lexicon: Lexicon) -> str | None:
    """The site of a tumor concept named by a site and a generic word only ("spinal cord neoplasm",
    "thyroid tumor", "tumor of uterus"): like "tibial tumor" put together, it often names where the
    metastasis is."""
    words = label.split()
    if len(words) > 2 and words[0] in _GENERIC_WORDS and words[1] == "of":  # "tumor of uterus"
        return lexicon.terms.get(term_key(" ".join(words[2:])), {}).get("anatomy")
    if len(words) < 2 or words[-1] not in _GENERIC_WORDS:
        return None
    return lexicon.terms.get(term_key(" ".join(words[:-1])), {}).get("anatomy")


_PRECURSOR = re.compile(r"\bin situ\b|intraepithelial|dysplas", re.I)
_GENERIC_WORDS = frozenset({"neoplasm", "tumor", "tumour", "mass", "lesion"})
_SEPARATE_TUMOR = re.compile(r"\b(?:metachronous|synchronous|second|another|incidental|concurrent|coexist\w*|"
                             r"benign|primary)\W+(?:\w+\W+)?$", re.I)


def _implied_sites(doc: Doc, cid: str, chosen: list[_Tumor], lexicon: Lexicon) -> list[tuple[str, str]]:
    """Primary site implied by the tumor type: the organ that completed it, curated, named inside
    the term, or inherited."""
    for c in chosen:
        if c.site:
            return [(c.site, c.text)]
    concept = lexicon.concepts[cid]
    if concept.primary_site:
        return [(concept.primary_site, concept.label)]
    for c in chosen:  # "tongue squamous cell carcinoma" -> tongue
        s = c.span
        found = _site_named_in([norm_token(t) for t in token_texts(doc)[s.start:s.end]], lexicon)
        if found:
            hit, i, n = found
            return [(hit, span_text(doc, s.start + i, s.start + i + n))]
    # the type's own name: "adrenocortical carcinoma" is MONDO's "adrenal cortex carcinoma" (whose
    # parents include renal cell carcinoma: the name says more than the nearest ancestor)
    found = _site_named_in(list(term_key(concept.label)), lexicon)
    if found:
        return [(found[0], concept.label)]
    for anc in lexicon.ancestors_nearest_first(cid):  # the most specific ancestor that implies a site
        c = lexicon.concepts.get(anc)
        if c is not None and c.primary_site:
            return [(c.primary_site, c.label)]
    return []


def _site_named_in(tokens: list[str], lexicon: Lexicon) -> tuple[str, int, int] | None:
    """The longest anatomy term among normalized tokens: (concept, start, length)."""
    for n in range(len(tokens), 0, -1):
        for i in range(len(tokens) - n + 1):
            hit = lexicon.terms.get(tuple(tokens[i:i + n]), {}).get("anatomy")
            if hit:
                return hit, i, n
    return None


def _is_primary_statement(doc: Doc, s: Annotated, tumor_spans: list[Annotated]) -> bool:
    """"primary tongue SCC", "arising from the left kidney", "of ovarian origin", "Ewing sarcoma of the thigh"."""
    before = text_before(doc, max(s.sent_start, s.start - 8), s.start)
    after = span_text(doc, s.end, min(s.sent_end, s.end + 9))
    if _PRIMARY_BEFORE.search(before) or _PRIMARY_AFTER.match(after):
        return True
    if _OF_ORIGIN.search(before) and after.lower().lstrip().startswith("origin"):
        return True
    # "<tumor type> of/in the (left) X" names where the tumor arose, unless it is a metastatic one
    texts = token_texts(doc)
    for t in tumor_spans:
        if _METASTATIC_BEFORE.search(text_before(doc, max(t.sent_start, t.start - 2), t.start)) or \
                texts[t.start].lower() in ("metastatic", "secondary", "recurrent"):
            continue
        if t.sent_start == s.sent_start and 0 < s.start - t.end <= 6:
            if _TUMOR_OF.fullmatch(span_text(doc, t.end, s.start).lower()):
                return True
        # "<organ> <tumor type>" ("gastric signet ring cell carcinoma"), unless the pair is named as the
        # metastasis ("gingival renal cell carcinoma metastasis")
        if s.end == t.start and not _STRONG_CUE.match(span_text(doc, t.end, min(t.sent_end, t.end + 2)).lstrip()):
            return True
    return False


# between a tumor type and the organ it arose in: "of the", "confined to the", "(carcinoid) tumor limited to"
_TUMOR_OF = re.compile(r"\s*(?:\)\s*(?:tumou?r|neoplasm)?\s*)?(?:of|in|from|arising in|arising from|originating in|"
                       r"originating from|confined to|limited to|locali[sz]ed to)"
                       r"(?:\s+(?:the|left|right|proximal|distal))*\s*")


def _may_be_metastatic(doc: Doc, s: Annotated) -> bool:
    """Nothing in the mention's own context rules it out (role, flags, imaging, invasion, symptom)."""
    if s.role not in PATIENT_ROLES or s.negated or s.hedged or s.differential:
        return False
    if _NOT_MET_BEFORE.search(text_before(doc, max(s.sent_start, s.start - 6), s.start)):
        return False
    return not _SYMPTOM_AFTER.match(span_text(doc, s.end, min(s.sent_end, s.end + 2)))


def _is_metastatic_site(doc: Doc, s: Annotated) -> bool:
    if not _may_be_metastatic(doc, s):
        return False
    if _metastasis_word_near(doc, s):
        return True
    texts = token_texts(doc)  # the cue words start with a letter: punctuation never matches
    return any(_WEAK_CUE.match(w) for w in texts[max(s.sent_start, s.start - 4):min(s.sent_end, s.end + 3)])


def _spread_there(doc: Doc, s: Annotated) -> bool:
    """A site tumor that is the metastasis: a metastasis word near it, and not called a tumor of its
    own ("metachronous brain tumor", "a second primary")."""
    if not _may_be_metastatic(doc, s) or _SEPARATE_TUMOR.search(text_before(doc, max(s.sent_start, s.start - 3), s.start)):
        return False
    return _metastasis_word_near(doc, s)


def _metastasis_word_near(doc: Doc, s: Annotated, cue: re.Pattern = _STRONG_CUE) -> bool:
    """A metastasis word within eight tokens of a mention, in its sentence, and not denied ("a mass in
    the thorax without any signs of metastases")."""
    a, b = char_span(doc, max(s.sent_start, s.start - 8), min(s.sent_end, s.end + 8))
    sentence_start = token_starts(doc)[s.sent_start]
    text = doc_text(doc)
    return any(not _DENIED.search(text, max(sentence_start, m.start() - 40), m.start())
               for m in cue.finditer(text, a, b))


def _listed_together(doc: Doc, a: Annotated, b: Annotated) -> bool:
    return a.sent_start == b.sent_start and 0 <= b.start - a.end <= 6 and bool(
        _LIST_GAP.match(span_text(doc, a.end, b.start)))


def _as_worded(doc: Doc, s: Annotated, anatomy: list[Annotated]) -> list[str]:
    """A treatment mention's text, and the procedure as worded around it when that says more."""
    extent = _EXTENT_BEFORE.search(text_before(doc, max(s.sent_start, s.start - 4), s.start))
    start = s.start_char - len(extent.group(1)) if extent else s.start_char
    organ = next((a for a in anatomy if 0 < a.start - s.end <= 2 and a.sent_start == s.sent_start
                  and _OF_THE.match(span_text(doc, s.end, a.start))), None)
    if extent is None and organ is None:
        return [s.text]
    end = organ.end_char if organ is not None else s.end_char
    return [s.text, doc_text(doc)[start:end]]


def _related(a: str, b: str, lexicon: Lexicon) -> bool:
    """One site is the other or lies within it (head of pancreas / pancreas, right kidney / kidney)."""
    return a == b or b in lexicon.ancestors(a) or a in lexicon.ancestors(b)


def _unique(texts) -> list[str]:
    seen: dict[str, None] = {}
    for t in texts:
        seen.setdefault(t, None)
    return list(seen)
