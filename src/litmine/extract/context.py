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
from litmine.extract.tokens import doc_text, sentence_index, sentences

ROLES = ("title", "patient", "background", "recommendation")

_PATIENT = re.compile(
    r"\b(patient|a \d+[- ]?(?:year|yr)s?[- ]?old|\d+[- ]year[- ]old|year[- ]old|man|woman|male|female|"
    r"boy|girl|gentleman|lady|he|she|his|her|him|we (?:report|present|describe)|this (?:report|case)|"
    r"(?:two|three|four|both|these|our|the two|all (?:three|four)) patients|"
    r"our (?:case|patient)|case of|both cases|first case|second case|case \d|index case)\b")
_NARRATIVE = re.compile(
    r"\b(was|were|had|underwent|received|presented|developed|showed|revealed|demonstrated|complained|"
    r"noted|found|performed|treated|diagnosed|admitted|started|given|administered|removed|resolved|"
    r"excised|resected|confirmed|detected|identified|achieved|responded|died|remained|is alive|underwent|"
    r"led to|required|began|completed|continued|tolerated|experienced|showed|displayed|exhibited)\b")
_BACKGROUND = re.compile(
    r"\b((?:is|are) (?:known|considered|characterized|defined|described|reported|thought|believed|regarded|"
    r"associated|seen|observed)|commonly|frequently|usually|typically|generally|often|most common(?:ly)?|"
    r"rarely|rare|uncommon|infrequent(?:ly)?|classically|predominantly|incidence|prevalence|literature|"
    r"previously (?:reported|described)|reported cases|cases (?:have been|were) reported|review|"
    r"to (?:our|the best of our) knowledge|only \w+ cases|accounts? for|accounting for|"
    r"(?:can|may|might|could|tend to|tends to) (?:metastasi[sz]e|spread|involve|occur|arise|present|develop)|"
    r"common sites?|typical (?:sites?|pattern)|sites? of metasta\w+|majority of|in general|"
    r"(?:is|are) (?:a|an) (?:\w+ ){0,3}(?:tumou?r|neoplasm|malignan\w+|cancer|carcinoma|sarcoma|disease|entity))")
# wording that makes a sentence a recommendation even when it is in the past tense
_RECOMMEND_STRONG = re.compile(
    r"\b(other options|treatment options?|therapeutic options?|preferred (?:treatment|therapy|option)|"
    r"of choice|mainstay|should be|is recommended|are recommended|we recommend|we propose|we suggest|"
    r"standard of care|(?:may|might|could) be (?:a |an )?(?:effective|useful|beneficial|considered|treated)|"
    r"there (?:may|might|could) be|other patients|future patients|such patients)\b")
_RECOMMEND = re.compile(
    r"\b(should|recommended|we recommend|options? (?:include|are)|treatment options|we propose|we suggest|"
    r"is warranted|must be|(?:may|might|could|can) be (?:an? )?(?:effective|useful|considered|beneficial|used|"
    r"treated|offered)|there is no consensus|optimal (?:management|treatment|therapy)|treatment of choice|"
    r"mainstay|standard (?:of care|treatment|therapy)|we discuss|is discussed|are discussed|"
    r"management (?:includes|consists)|possible effective option)\b")

# Section headings, inline ("Clinical discussion: ...") or as PubMed labels ("Background: ...").
_SECTION = re.compile(
    r"^\W*(?P<case>case (?:presentation|report|reports|description|summary|details|history|series)s?|"
    r"cases? presentations?|clinical (?:case|presentation|findings)|patient (?:concerns|presentation)|"
    r"case|findings|results|diagnos[ie]s|interventions?|outcomes?|treatment|methods?)\b"
    r"|^\W*(?P<general>background|introduction(?: and importance)?|discussion|clinical discussion|"
    r"conclusions?|lessons?|objectives?|purpose|aims?|importance|rationale|summary|relevance)\b")
_PRESENT_GENERIC = re.compile(r"\b(is|are|includes?|remains|has|have|can|may|tends?|occurs?|affects?|represents?|"
                              r"ranges?|requires?|depends?|varies|vary)\b")
_NEGATION_PRE = re.compile(
    r"\b(no|not|without|absence of|negative for|free of|ruled out|denied|never|neither|nor|no evidence of|"
    r"did not (?:receive|undergo|accept|have)|refused|declined|rejected|instead of|rather than|"
    r"unremarkable|lack of|excluded)\b")
_NEGATION_POST = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:was|were) (?:negative|ruled out|not|absent|excluded|refused|declined|"
    r"unremarkable|normal|withheld)\b")
_HEDGE_PRE = re.compile(
    r"\b(suspected|suspicious(?: for| of)?|suspicion of|possible|possibly|probable|probably|likely|"
    r"suggest(?:ing|ive|ed)?(?: of)?|could be|may be|might be|cannot be excluded|questionable|indeterminate|"
    r"enlarged|equivocal|concerning for|uptake)\b")
_HEDGE_POST = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:(?:was|were|is|are) )?(?:suspected|suspicious|possibl[ey]|"
                         r"probabl[ey]|likely|suggest(?:ing|ive)|indeterminate|equivocal)\b")
_PLANNED = re.compile(
    r"\b(planned|plan|scheduled|recommended|offered|referred (?:for|to)|candidate for|will (?:receive|undergo|"
    r"be)|would|was proposed|advised|to undergo|consider(?:ed)?|eligible for|awaiting|pending)\b")
_PLANNED_POST = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:was|were|is|are) (?:planned|scheduled|recommended|offered|"
                           r"proposed|considered|advised|refused|declined)\b")
_DIFFERENTIAL = re.compile(
    r"\b(mimic\w*|differential diagnos\w+|misdiagnos\w+|masquerad\w+|simulat\w+|resembl\w+|"
    r"pseudotumou?r|initially (?:diagnosed|thought|considered) as|mistaken for)\b")
_CLAUSE_BREAK = re.compile(r"[;:]|\b(but|however|although|whereas|while|which|who|after|then)\b")

def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters lower-case to two)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


for _name in ("role", "negated", "hedged", "planned", "differential"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None if _name == "role" else False)


def sentence_role(text: str, is_title: bool, previous: str | None = None, section: str | None = None) -> str:
    """The role of one (lower-cased) sentence. `previous` is the role of the sentence before it, which a
    sentence without cues inherits when it continues the patient's story; `section` is the
    kind of abstract section it is in ("case" or "general"), when the abstract says."""
    if is_title:
        return "title"
    patient = bool(_PATIENT.search(text))
    narrative = bool(_NARRATIVE.search(text))
    if _RECOMMEND_STRONG.search(text) or (_RECOMMEND.search(text) and not narrative):
        return "recommendation"
    if _BACKGROUND.search(text):
        # "Patients with RCC commonly develop..." is background; "The patient had a rare..." is not
        return "patient" if patient and narrative else "background"
    if section == "general" and not patient:
        return "background"  # a Background / Discussion section speaks of the patient only explicitly
    if patient or narrative or section == "case":
        return "patient"
    if previous == "patient" and not _PRESENT_GENERIC.search(text):
        return "patient"
    return "background"


def section_of(text: str, current: str | None) -> str | None:
    """The section kind a (lower-cased) sentence opens, or the current one."""
    m = _SECTION.match(text)
    if m is None:
        return current
    return "case" if m.group("case") else "general"


@Language.factory("litmine_context")
def make_context(nlp: Language, name: str) -> ContextAnnotator:
    return ContextAnnotator()


class ContextAnnotator:
    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans.get(SPAN_KEY, [])
        if not len(spans):
            return doc
        # cue patterns are lower-case: matching lowered text is ~3x faster than re.IGNORECASE
        text = lower_same_length(doc_text(doc))
        title_end = doc.user_data.get("title_end", 0)
        bounds = sentences(doc)
        roles: list[str] = []
        differential: list[bool] = []
        previous = section = None
        for _, _, a, b in bounds:
            sent_text = text[a:b]
            section = section_of(sent_text, section)
            previous = sentence_role(sent_text, a < title_end, previous, section)
            roles.append(previous)
            differential.append(bool(_DIFFERENTIAL.search(sent_text)))
        index = sentence_index(doc)
        triggers: dict[int, tuple] = {}  # per sentence: trigger end offsets, found once
        for span in spans:
            k = index[span.start]
            _, _, a, b = bounds[k]
            if k not in triggers:
                sent_text = text[a:b]
                triggers[k] = tuple([m.end() + a for m in rx.finditer(sent_text)]
                                    for rx in (_NEGATION_PRE, _HEDGE_PRE, _PLANNED, _CLAUSE_BREAK))
            negation, hedge, planned, breaks = triggers[k]
            # the clause before the mention starts after the last clause break
            clause = max([e for e in breaks if e <= span.start_char], default=a)
            after = text[span.end_char:b]
            span._.role = roles[k]
            span._.negated = _within(negation, clause, span.start_char, 60) or bool(_NEGATION_POST.search(after[:60]))
            span._.hedged = _within(hedge, clause, span.start_char, 40) or bool(_HEDGE_POST.search(after[:50]))
            span._.planned = _within(planned, clause, span.start_char, 60) or bool(_PLANNED_POST.search(after[:50]))
            span._.differential = differential[k]
        return doc


def _within(ends: list[int], clause_start: int, mention_start: int, reach: int) -> bool:
    """A trigger ends inside the mention's clause, at most `reach` characters before it."""
    return any(clause_start <= e <= mention_start and mention_start - e <= reach for e in ends)

