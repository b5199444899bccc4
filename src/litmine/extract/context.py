"""`litmine_context`: whose fact is a mention, and is it asserted?

Case-report abstracts mix the patient's story with background ("RCC frequently
metastasizes to lung and bone"), literature review and recommendations. Each
sentence gets a role: title, patient, background or recommendation. Each mention
gets ConText-style flags from trigger words in its clause: negated ("no
chemotherapy", "refused"), hedged ("suspicious for", "suggesting"), planned
("was planned", "referred for"), and differential ("mimicking", "differential
diagnosis"). The rules follow the annotation guidelines in shared/eval/GUIDELINES.md.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from litmine.extract.matcher import SPAN_KEY

ROLES = ("title", "patient", "background", "recommendation")

_PATIENT = re.compile(
    r"\b(patient|[a-z]+ patients|a \d+[- ]?(?:year|yr)s?[- ]?old|\d+[- ]year[- ]old|year[- ]old|man|woman|male|female|"
    r"boy|girl|gentleman|lady|he|she|his|her|him|we (?:report|present|describe)|this (?:report|case)|"
    r"our (?:case|patient)|case of|both cases|first case|second case|case \d|index case)\b", re.I)
_NARRATIVE = re.compile(
    r"\b(was|were|had|underwent|received|presented|developed|showed|revealed|demonstrated|complained|"
    r"noted|found|performed|treated|diagnosed|admitted|started|given|administered|removed|resolved|"
    r"excised|resected|confirmed|detected|identified|achieved|responded|died|remains|remained|is alive)\b", re.I)
_BACKGROUND = re.compile(
    r"\b((?:is|are) (?:known|considered|characterized|defined|described|reported|thought|believed|regarded|"
    r"associated|seen|observed)|commonly|frequently|usually|typically|generally|often|most common(?:ly)?|"
    r"rarely|rare|uncommon|infrequent(?:ly)?|classically|predominantly|incidence|prevalence|literature|"
    r"previously (?:reported|described)|reported cases|cases (?:have been|were) reported|review|"
    r"to (?:our|the best of our) knowledge|only \w+ cases|accounts? for|accounting for|"
    r"(?:can|may|might|could|tend to|tends to) (?:metastasi[sz]e|spread|involve|occur|arise|present|develop)|"
    r"common sites?|typical (?:sites?|pattern)|sites? of metasta\w+|majority of|in general|"
    r"(?:is|are) (?:a|an) (?:\w+ ){0,3}(?:tumou?r|neoplasm|malignan\w+|cancer|carcinoma|sarcoma|disease|entity))", re.I)
_RECOMMEND = re.compile(
    r"\b(should|recommended|we recommend|options? (?:include|are)|treatment options|we propose|we suggest|"
    r"is warranted|must be|(?:may|might|could|can) be (?:an? )?(?:effective|useful|considered|beneficial|used|"
    r"treated|offered)|there is no consensus|optimal (?:management|treatment|therapy)|treatment of choice|"
    r"mainstay|standard (?:of care|treatment|therapy)|we discuss|is discussed|are discussed|"
    r"management (?:includes|consists)|possible effective option)\b", re.I)

_NEGATION_PRE = re.compile(
    r"\b(no|not|without|absence of|negative for|free of|ruled out|denied|never|neither|nor|no evidence of|"
    r"did not (?:receive|undergo|accept|have)|refused|declined|rejected|instead of|rather than|"
    r"unremarkable|lack of|excluded)\b", re.I)
_NEGATION_POST = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:was|were) (?:negative|ruled out|not|absent|excluded|refused|declined|"
    r"unremarkable|normal|withheld)\b", re.I)
_HEDGE_PRE = re.compile(
    r"\b(suspected|suspicious(?: for| of)?|suspicion of|possible|possibly|probable|probably|likely|"
    r"suggest(?:ing|ive|ed)?(?: of)?|could be|may be|might be|cannot be excluded|questionable|indeterminate|"
    r"enlarged|equivocal|concerning for|uptake)\b", re.I)
_HEDGE_POST = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:was|were|is|are) (?:suspected|suspicious|possible|likely)\b", re.I)
_PLANNED = re.compile(
    r"\b(planned|plan|scheduled|recommended|offered|referred (?:for|to)|candidate for|will|would|"
    r"was proposed|advised|to undergo|consider(?:ed)?|eligible for|awaiting|pending)\b", re.I)
_DIFFERENTIAL = re.compile(
    r"\b(mimic\w*|differential diagnos\w+|misdiagnos\w+|masquerad\w+|simulat\w+|resembl\w+|"
    r"pseudotumou?r|initially (?:diagnosed|thought|considered) as|mistaken for)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|\b(but|however|although|whereas|while|which|who|after|then)\b", re.I)

for _name in ("role", "negated", "hedged", "planned", "differential"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None if _name == "role" else False)


def sentence_role(text: str, is_title: bool) -> str:
    if is_title:
        return "title"
    patient = bool(_PATIENT.search(text))
    narrative = bool(_NARRATIVE.search(text))
    if _RECOMMEND.search(text) and not narrative:
        return "recommendation"
    if _BACKGROUND.search(text):
        # "Patients with RCC commonly develop..." is background; "The patient had a rare..." is not
        return "patient" if patient and narrative else "background"
    if patient or narrative:
        return "patient"
    return "background"


@Language.factory("litmine_context")
def make_context(nlp: Language, name: str) -> ContextAnnotator:
    return ContextAnnotator()


class ContextAnnotator:
    def __call__(self, doc: Doc) -> Doc:
        title_end = doc.user_data.get("title_end", 0)
        roles = {}
        for sent in doc.sents:
            roles[sent.start] = sentence_role(sent.text, sent.start_char < title_end)
        for span in doc.spans.get(SPAN_KEY, []):
            sent = span.sent
            span._.role = roles[sent.start]
            before = _clause_before(doc[sent.start:span.start].text)
            after = doc[span.end:sent.end].text
            span._.negated = bool(_NEGATION_PRE.search(before[-60:]) or _NEGATION_POST.search(after[:60]))
            span._.hedged = bool(_HEDGE_PRE.search(before[-40:]) or _HEDGE_POST.search(after[:50]))
            span._.planned = bool(_PLANNED.search(before[-80:]) or _PLANNED.search(after[:40]))
            span._.differential = bool(_DIFFERENTIAL.search(sent.text))
        return doc


def _clause_before(text: str) -> str:
    """The part of the sentence before a mention that still belongs to its clause."""
    breaks = list(_CLAUSE_BREAK.finditer(text))
    return text[breaks[-1].end():] if breaks else text
