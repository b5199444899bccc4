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

from spacy.tokens import Doc, Span

from litmine.extract.lexicon import Lexicon, norm_token
from litmine.extract.matcher import SPAN_KEY

PATIENT_ROLES = ("title", "patient")
_MET_CUE = re.compile(
    r"metasta|spread|deposit|secondar|lesion|mass|nodul|tumou?r|implant|involv|infiltrat|foc(?:us|i)|"
    r"swelling|growth|plaque|papule|acrometasta|recurren", re.I)
_PRIMARY_CUE = re.compile(r"\bprimary\b|\bprimaries\b|aris(?:ing|en|es) (?:from|in)|originat\w* (?:from|in)|"
                          r"\borigin\b|de novo", re.I)
_NOT_MET_BEFORE = re.compile(
    r"(\b(?:ct|mri|pet|scan|imaging|ultrasound|ultrasonography|sonography|radiograph\w*|x-ray|scintigraph\w*|"
    r"examination|angiograph\w*|endoscop\w*|invad\w*|invasion of|extend\w* (?:into|to)|extension (?:into|to)|"
    r"compress\w*|infring\w*|imping\w*|abutt\w*|adjacent to|encas\w*|destr\w*)\W+(?:\w+\W+){0,3})$", re.I)
_MET_AFTER_TUMOR = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:metasta|spread|deposit|secondar)", re.I)


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
    spans = list(doc.spans.get(SPAN_KEY, []))
    title_end = doc.user_data.get("title_end", 0)
    abstract_start = doc.user_data.get("abstract_start", title_end)
    mentions: dict[tuple[int, int, str], Mention] = {}
    for s in spans:
        in_title = s.end_char <= title_end
        offset = 0 if in_title else abstract_start
        mentions[(s.start, s.end, s.label_)] = Mention(
            section="title" if in_title else "abstract", start=s.start_char - offset, end=s.end_char - offset,
            text=s.text, category=s.label_, concept_id=s.kb_id_, role=s._.role,
            negated=s._.negated, hedged=s._.hedged, planned=s._.planned)

    def mark(span: Span, relation: str) -> None:
        mentions[(span.start, span.end, span.label_)].relation = relation

    tumor_spans = _tumor_spans(spans, lexicon)
    tumors = _pick_tumors(tumor_spans, lexicon)
    if not tumors:  # no reported tumor: sites and treatments would be someone else's story
        return Extraction([], [], [], [], sorted(mentions.values(), key=lambda m: (m.section != "title", m.start)))
    for s in tumor_spans:
        if s.kb_id_ in {t for t, _ in tumors}:
            mark(s, "tumor_type")

    primary: dict[str, list[str]] = defaultdict(list)
    for cid, tspans in tumors:
        for site, text in _implied_sites(cid, tspans, lexicon):
            primary[site].append(text)
    anatomy = [s for s in spans if s.label_ == "anatomy"]
    for s in anatomy:
        if s._.role in PATIENT_ROLES and not s._.negated and _is_primary_statement(s):
            primary[s.kb_id_].append(s.text)
            mark(s, "primary_site")

    metastatic: dict[str, list[str]] = defaultdict(list)
    for s in anatomy:
        if s.kb_id_ in primary or not _is_metastatic_site(s, spans):
            continue
        metastatic[s.kb_id_].append(s.text)
        mark(s, "metastatic_site")

    received: dict[str, list[str]] = defaultdict(list)
    planned_only: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        if s.label_ != "treatment" or s._.role not in PATIENT_ROLES or s._.negated:
            continue
        if s._.planned:
            planned_only[s.kb_id_].append(s)
            continue
        received[s.kb_id_].append(s.text)
        mark(s, "received")

    def items(found: dict[str, list[str]]) -> list[Item]:
        return [Item(cid, lexicon.concepts[cid].label if cid in lexicon.concepts else texts[0], _unique(texts))
                for cid, texts in found.items()]

    return Extraction(
        tumor_types=[Item(cid, lexicon.concepts[cid].label, _unique(s.text for s in ss)) for cid, ss in tumors],
        primary_sites=items(primary),
        metastatic_sites=items(metastatic),
        treatments=items(received),
        mentions=sorted(mentions.values(), key=lambda m: (m.section != "title", m.start)),
    )


def _tumor_spans(spans: list[Span], lexicon: Lexicon) -> list[Span]:
    return [s for s in spans if s.label_ == "tumor" and not s._.negated and not s._.differential
            and s.kb_id_ in lexicon.concepts]


def _pick_tumors(tumor_spans: list[Span], lexicon: Lexicon) -> list[tuple[str, list[Span]]]:
    """The patient's tumor type: the most specific, most asserted one."""
    patient = [s for s in tumor_spans if s._.role in PATIENT_ROLES]
    pool = patient or tumor_spans
    by_concept: dict[str, list[Span]] = defaultdict(list)
    for s in pool:
        by_concept[s.kb_id_].append(s)
    if not by_concept:
        return []
    # a concept whose descendant is also asserted is less specific: fold it in
    ancestors = {c: lexicon.ancestors(c) for c in by_concept}
    for c in list(by_concept):
        if any(c in ancestors[o] for o in by_concept if o != c):
            child = next(o for o in by_concept if o != c and c in ancestors[o])
            by_concept[child].extend(by_concept.pop(c))

    def score(item: tuple[str, list[Span]]) -> tuple:
        cid, ss = item
        in_title = any(s._.role == "title" for s in ss)
        return (in_title, len(ss), len(lexicon.concepts[cid].label.split()))

    best = max(by_concept.items(), key=score)
    return [best]


def _implied_sites(cid: str, tspans: list[Span], lexicon: Lexicon) -> list[tuple[str, str]]:
    """Primary site implied by the tumor type: curated, inherited, or named inside the term."""
    concept = lexicon.concepts[cid]
    if concept.primary_site:
        return [(concept.primary_site, concept.label)]
    for s in tspans:  # "tongue squamous cell carcinoma" -> tongue
        toks = [norm_token(t.text) for t in s]
        for n in range(len(toks), 0, -1):
            for i in range(len(toks) - n + 1):
                hit = lexicon.terms.get(tuple(toks[i:i + n]), {}).get("anatomy")
                if hit:
                    return [(hit, s[i:i + n].text)]
    for anc in lexicon.ancestors(cid):
        c = lexicon.concepts.get(anc)
        if c is not None and c.primary_site:
            return [(c.primary_site, c.label)]
    return []


def _is_primary_statement(s: Span) -> bool:
    sent = s.sent
    window = s.doc[max(sent.start, s.start - 4):min(sent.end, s.end + 3)].text
    return bool(_PRIMARY_CUE.search(window))


def _is_metastatic_site(s: Span, spans: list[Span]) -> bool:
    if s._.role not in PATIENT_ROLES or s._.negated or s._.hedged or s._.differential:
        return False
    sent = s.sent
    before = s.doc[sent.start:s.start].text
    if _NOT_MET_BEFORE.search(before):
        return False
    return bool(_MET_CUE.search(sent.text))


def _unique(texts) -> list[str]:
    seen: dict[str, None] = {}
    for t in texts:
        seen.setdefault(t, None)
    return list(seen)
